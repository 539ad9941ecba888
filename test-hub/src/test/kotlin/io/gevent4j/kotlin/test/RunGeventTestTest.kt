package io.gevent4j.kotlin.test

import io.gevent4j.Gevent
import io.gevent4j.Hub
import io.gevent4j.Timeout
import io.gevent4j.kotlin.await
import io.gevent4j.kotlin.awaitJoin
import io.gevent4j.kotlin.idle
import io.gevent4j.kotlin.sleep
import io.gevent4j.kotlin.spawn
import io.gevent4j.kotlin.spawnBlocking
import io.gevent4j.kotlin.withGeventTimeout
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertTrue
import kotlin.time.Duration.Companion.hours
import kotlin.time.Duration.Companion.milliseconds
import kotlin.time.Duration.Companion.seconds
import kotlinx.coroutines.TimeoutCancellationException
import kotlinx.coroutines.delay
import kotlinx.coroutines.withTimeout

/** runGeventTest: Kotlin greenlets, kotlinx delay/withTimeout and gevent4j's sleep/Timeout on virtual time. */
class RunGeventTestTest {
    @Test
    fun delayAndSleepRunOnTheVirtualClock() =
        runGeventTest(timeout = 30.seconds) {
            val out = ArrayList<String>()
            val a = spawn {
                delay(300.milliseconds)
                out += "delay@${currentTime.inWholeMilliseconds}"
            }
            val b = spawn {
                sleep(100.milliseconds)
                out += "sleep@${currentTime.inWholeMilliseconds}"
            }
            val j = spawnBlocking {
                Gevent.sleep(0.2)
                out += "java@${currentTime.inWholeMilliseconds}"
            }
            a.awaitJoin()
            b.awaitJoin()
            j.awaitJoin()
            delay(2.hours)
            out += "end@${currentTime.inWholeMilliseconds}"
            assertEquals(listOf("sleep@100", "java@200", "delay@300", "end@${300 + 2 * 3_600_000}"), out)
        }

    @Test
    fun kotlinxWithTimeoutAndGeventTimeoutFireAtExactTimes() = runGeventTest {
        assertFailsWith<TimeoutCancellationException> { withTimeout(250.milliseconds) { delay(10.seconds) } }
        assertEquals(250.milliseconds, currentTime)
        assertFailsWith<Timeout> { withGeventTimeout(200.milliseconds) { sleep(10.seconds) } }
        assertEquals(450.milliseconds, currentTime)
    }

    @Test
    fun theBodysFailureIsThrownAndTheHubIsClosedAfter() {
        var hub: Hub? = null
        val e =
            assertFailsWith<IllegalStateException> {
                runGeventTest {
                    hub = this.hub
                    delay(1.seconds)
                    error("failed at ${currentTime.inWholeSeconds}")
                }
            }
        assertEquals("failed at 1", e.message)
        val closed = assertFailsWith<IllegalStateException> { hub!!.spawn(io.gevent4j.GreenRunnable {}) }
        assertTrue(closed.message!!.contains("closed"), closed.message)
    }

    @Test
    fun advanceTimeByFiresDueTimersAtTheNextSuspension() = runGeventTest {
        val out = ArrayList<String>()
        spawn {
            delay(5.seconds)
            out += "t@${currentTime.inWholeSeconds}"
        }
        sleep() // the child arms its timer
        advanceTimeBy(7.seconds)
        assertEquals(emptyList(), out)
        idle() // after the hub's next pass over its timers and what they resumed
        assertEquals(listOf("t@7"), out)
        assertFailsWith<IllegalArgumentException> { advanceTimeBy((-1).seconds) }
    }

    @Test
    fun aDeadlockOfKotlinGreenletsIsReported() {
        val e =
            assertFailsWith<AssertionError> {
                runGeventTest(timeout = 30.seconds) { io.gevent4j.event.Event().await() }
            }
        assertTrue(e.message!!.contains("deadlock"), e.message)
        assertTrue(e.message!!.contains("the test body"), e.message)
    }

    /**
     * Review finding: an infinite timeout is "never", not a jump 292 years ahead that fires it (and overflows the
     * clock).
     */
    @Test
    fun aWaitUnderAnInfiniteTimeoutIsADeadlockNotAFiredTimeout() {
        val e =
            assertFailsWith<AssertionError> {
                runGeventTest(timeout = 30.seconds) {
                    kotlinx.coroutines.withTimeoutOrNull(kotlin.time.Duration.INFINITE) {
                        io.gevent4j.event.Event().await()
                    }
                }
            }
        assertTrue(e.message!!.contains("deadlock"), e.message)
    }
}
