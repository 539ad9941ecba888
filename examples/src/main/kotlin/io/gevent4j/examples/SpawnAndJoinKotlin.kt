package io.gevent4j.examples

import io.gevent4j.Gevent
import io.gevent4j.Greenlet
import io.gevent4j.Hub
import io.gevent4j.kotlin.await
import io.gevent4j.kotlin.awaitJoin
import io.gevent4j.kotlin.joinAll
import io.gevent4j.kotlin.sleep
import io.gevent4j.kotlin.spawn
import io.gevent4j.kotlin.spawnSuspend
import kotlin.time.Duration.Companion.milliseconds

/** The Kotlin twin of [SpawnAndJoin]: greenlets with suspend bodies, joined with the suspend `joinAll`. */
object SpawnAndJoinKotlin {
    /** Runs the scenario as a Kotlin greenlet on the default hub; the calling thread waits for it. */
    @JvmStatic
    fun run() {
        Hub.getDefault().spawnSuspend { scenario() }.get()
    }

    private suspend fun scenario() {
        val g1 = spawn { myFunction("arg1") }
        val g2 = spawn { myFunction("arg2") }
        val g3 = spawn { myFunction("arg3") }
        println("main: spawned 3 greenlets; none has run yet: ${!g1.isReady && !g2.isReady && !g3.isReady}")

        val finished = joinAll(listOf(g1, g2, g3))
        println("main: joinAll returned ${finished.size} greenlets")
        for (g in listOf(g1, g2, g3)) {
            println("main: await() -> ${g.await()}, successful=${g.isSuccessful}")
        }

        // Nothing runs until the spawner suspends; sleep() puts the caller behind the runnable greenlets.
        val workers: List<Greenlet<Unit>> =
            listOf("A", "B", "C").map { name ->
                spawn {
                    println("  $name: step 1")
                    sleep()
                    println("  $name: step 2")
                }
            }
        println("main: spawned A, B, C; suspending in joinAll")
        joinAll(workers)

        // A failure stays in its greenlet (the hub logs it, as gevent prints it): awaitJoin() does not throw,
        // await() re-throws it.
        println("main: spawning a greenlet that throws")
        val bad = spawn<Int> { throw IllegalStateException("boom") }
        bad.awaitJoin()
        println("main: bad greenlet successful=${bad.isSuccessful}, exception=${bad.exception()}")
        try {
            bad.await(100.milliseconds)
        } catch (e: IllegalStateException) {
            println("main: await() re-threw $e")
        }
    }

    private suspend fun myFunction(arg: String): String {
        println("  myFunction($arg) runs in ${Gevent.getcurrent()}")
        sleep(10.milliseconds)
        return "result of $arg"
    }
}
