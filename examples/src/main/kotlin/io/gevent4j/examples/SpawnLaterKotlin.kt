package io.gevent4j.examples

import io.gevent4j.Gevent
import io.gevent4j.GreenCallable
import io.gevent4j.Hub
import io.gevent4j.kotlin.joinAll
import io.gevent4j.kotlin.sleep
import io.gevent4j.kotlin.spawn
import io.gevent4j.kotlin.spawnSuspend
import java.time.Duration

/**
 * The Kotlin twin of [SpawnLater]. `spawnLater` starts Java greenlets (plain, blocking bodies); a Kotlin greenlet
 * awaits them with the suspend `joinAll`, and a suspend body can simply `sleep` first.
 */
object SpawnLaterKotlin {
    /** Runs the scenario as a Kotlin greenlet on the default hub. */
    @JvmStatic
    fun run() {
        Hub.getDefault().spawnSuspend { scenario() }.get()
    }

    private suspend fun scenario() {
        val t0 = System.nanoTime()
        val gs =
            listOf(
                Gevent.spawnLater(0.2, GreenCallable { report("spawnLater(0.2)", t0) }),
                Gevent.spawnLater(Duration.ofMillis(100), GreenCallable { report("spawnLater(0.1)", t0) }),
                Gevent.spawnLater(0.0, GreenCallable { report("spawnLater(0)", t0) }),
                spawn {
                    sleep(0.05)
                    report("spawn { sleep(0.05) }", t0)
                },
                spawn { report("spawn", t0) },
            )
        println("main: scheduled 5 greenlets; joining them")
        for (g in joinAll(gs)) {
            println("main: finished ${g.value()}")
        }
    }

    private fun report(what: String, t0: Long): String {
        val ms = (System.nanoTime() - t0) / 1_000_000
        println("  $what ran after ~$ms ms")
        return what
    }
}
