package io.gevent4j.examples

import io.gevent4j.Greenlet
import io.gevent4j.Hub
import io.gevent4j.event.Event
import io.gevent4j.kotlin.await
import io.gevent4j.kotlin.joinAll
import io.gevent4j.kotlin.sleep
import io.gevent4j.kotlin.spawn
import io.gevent4j.kotlin.spawnSuspend
import kotlin.time.Duration.Companion.milliseconds

/** The Kotlin twin of [EventSetterWaiters]: waiters suspend in `Event.await()` until the setter sets it. */
object EventSetterWaitersKotlin {
    /** Runs the scenario as a Kotlin greenlet on the default hub. */
    @JvmStatic
    fun run() {
        Hub.getDefault().spawnSuspend { scenario() }.get()
    }

    private suspend fun scenario() {
        val e = Event()
        val setter = spawn {
            println("  setter: I")
            sleep(300.milliseconds)
            println("  setter: LOVE")
            e.set()
        }
        val waiters: List<Greenlet<Unit>> =
            (1..4).map { n ->
                spawn {
                    e.await()
                    println("  waiter $n: You")
                }
            }
        joinAll(listOf(setter) + waiters)
        println("main: event isSet=${e.isSet}")

        e.clear()
        println("main: cleared; await(50 ms) on the clear event -> ${e.await(50.milliseconds)}")
    }
}
