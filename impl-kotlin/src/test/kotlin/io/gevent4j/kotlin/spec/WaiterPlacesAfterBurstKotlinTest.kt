package io.gevent4j.kotlin.spec

import io.gevent4j.kotlin.awaitAcquire
import io.gevent4j.kotlin.awaitKill
import io.gevent4j.kotlin.receive
import io.gevent4j.kotlin.receiveAsFlow
import io.gevent4j.kotlin.send
import io.gevent4j.kotlin.sleep
import io.gevent4j.kotlin.spawn
import io.gevent4j.kotlin.testing.KotlinTestBase
import io.gevent4j.lock.Semaphore
import io.gevent4j.queue.Queue
import kotlin.test.assertEquals
import org.junit.jupiter.api.DisplayName
import org.junit.jupiter.api.Test

/** [io.gevent4j.spec.WaiterPlacesAfterBurstTest] with Kotlin greenlets on the suspend twins: gevent's 000|120120120. */
class WaiterPlacesAfterBurstKotlinTest : KotlinTestBase() {
    private fun scenario(wait: suspend () -> Unit, one: suspend () -> Unit): String {
        val out = StringBuilder()
        runGreenlet {
            val gs =
                List(3) { n ->
                    spawn {
                        while (true) {
                            wait()
                            out.append(n)
                        }
                    }
                }
            sleep() // all three wait, in order
            repeat(3) { one() }
            sleep()
            out.append('|')
            repeat(9) {
                one()
                sleep()
            }
            for (g in gs) g.awaitKill()
        }
        return out.toString()
    }

    @Test
    @DisplayName("Semaphore: awaitAcquire loops keep their places after a burst of releases")
    fun semaphoreWaitersKeepTheirPlaces() {
        val s = Semaphore(0)
        assertEquals("000|120120120", scenario({ s.awaitAcquire() }, { s.release() }))
    }

    @Test
    @DisplayName("Queue: receive loops keep their places after a burst of sends")
    fun queueReceiversKeepTheirPlaces() {
        val q = Queue<Int>()
        assertEquals("000|120120120", scenario({ q.receive() }, { q.send(1) }))
    }

    @Test
    @DisplayName("Queue: three greenlets collecting receiveAsFlow() are served in turn (012012012012)")
    fun flowConsumersAreServedInTurn() {
        val q = Queue<Int>()
        val out = StringBuilder()
        runGreenlet {
            val gs = List(3) { n -> spawn { q.receiveAsFlow().collect { out.append(n) } } }
            sleep()
            repeat(12) {
                q.send(it)
                sleep()
            }
            for (g in gs) g.awaitKill()
        }
        assertEquals("012012012012", out.toString())
    }
}
