package io.gevent4j.examples

import io.gevent4j.Greenlet
import io.gevent4j.Hub
import io.gevent4j.Timeout
import io.gevent4j.event.AsyncResult
import io.gevent4j.kotlin.await
import io.gevent4j.kotlin.awaitJoin
import io.gevent4j.kotlin.joinAll
import io.gevent4j.kotlin.sleep
import io.gevent4j.kotlin.spawn
import io.gevent4j.kotlin.spawnSuspend
import java.io.IOException
import kotlin.time.Duration.Companion.milliseconds

/**
 * The Kotlin twin of [AsyncResultSetterWaiters]: waiters suspend in `AsyncResult.await()` until the setter sets the
 * value. `await()` re-throws a failure as the same instance, never wrapped.
 */
object AsyncResultSetterWaitersKotlin {
    /** Runs the scenario as a Kotlin greenlet on the default hub. */
    @JvmStatic
    fun run() {
        Hub.getDefault().spawnSuspend { scenario() }.get()
    }

    private suspend fun scenario() {
        val a = AsyncResult<String>()
        val setter = spawn {
            println("  setter: I")
            sleep(200.milliseconds)
            println("  setter: LOVE")
            a.set("I LOVE")
            println("  setter: set() returned without switching")
        }
        val waiters: List<Greenlet<Unit>> =
            (1..4).map { n ->
                spawn {
                    val value = a.await()
                    if (a.isSuccessful) println("  waiter $n: received '$value' from the setter. You")
                }
            }
        joinAll(listOf(setter) + waiters)
        println("main: $a, successful=${a.isSuccessful}, value=${a.value()}")

        // await(timeout) on an unset result raises Timeout (AR-03); getNowait() never blocks.
        val empty = AsyncResult<Int>()
        try {
            empty.await(50.milliseconds)
        } catch (t: Timeout) {
            println("main: await(50 ms) on an unset result raised Timeout: ${t.message}")
        }
        try {
            empty.getNowait()
        } catch (t: Timeout) {
            println("main: getNowait() on an unset result raised Timeout")
        }

        // A failure reaches every waiter: await() re-throws the same instance, checked or not.
        val failing = AsyncResult<Int>()
        val reader = spawn {
            try {
                failing.await()
            } catch (e: IOException) {
                println("  reader: await() threw $e")
            }
        }
        sleep() // let the reader suspend
        failing.setException(IOException("disk on fire"))
        reader.awaitJoin()
        println("main: after setException: successful=${failing.isSuccessful}, exception=${failing.exception()}")

        // Set again: the last outcome wins, value or exception (gevent would keep returning 43 here, AR-08).
        val twice = AsyncResult<Int>()
        twice.set(42)
        twice.set(43)
        println("main: set(42), set(43) -> await() = ${twice.await()}")
        twice.setException(IllegalStateException("changed my mind"))
        try {
            twice.await()
        } catch (e: IllegalStateException) {
            println("main: then setException(...) -> await() throws $e")
        }
        twice.set(5)
        println("main: then set(5) -> await() = ${twice.await()}, successful=${twice.isSuccessful}")
    }
}
