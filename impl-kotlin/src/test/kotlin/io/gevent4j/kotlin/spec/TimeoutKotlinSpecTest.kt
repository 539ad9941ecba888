package io.gevent4j.kotlin.spec

/*
 * Spec section 3 (Timeout / with_timeout) for Kotlin greenlets: a Timeout started in a Kotlin greenlet is
 * raised at its next suspension in a gevent4j function (sleep, await, awaitJoin, ...); withGeventTimeout is
 * the twin of with_timeout. Also section 0's "outer timeout never lost" for the suspend twins, and the
 * section 14 rows that need a Kotlin body: Java blocking facades called from a Kotlin greenlet throw
 * BlockingSwitchOutException naming the suspend twin; negative timeouts of the twins; a closed hub.
 *
 * Skipped here (see TimeoutSpecTest's header for the reasons): TO-06..TO-09 (Python-only exception forms),
 * TO-24 (update_now), TO-25 (comparisons). The remaining TO cases are covered once, in Java.
 */

import io.gevent4j.Gevent
import io.gevent4j.Greenlet
import io.gevent4j.Hub
import io.gevent4j.Timeout
import io.gevent4j.event.Event
import io.gevent4j.kotlin.await
import io.gevent4j.kotlin.awaitJoin
import io.gevent4j.kotlin.joinAll
import io.gevent4j.kotlin.sleep
import io.gevent4j.kotlin.spawn
import io.gevent4j.kotlin.spawnSuspend
import io.gevent4j.kotlin.testing.KotlinTestBase
import io.gevent4j.kotlin.testing.refusalProblems
import io.gevent4j.kotlin.waitAll
import io.gevent4j.kotlin.withGeventTimeout
import java.io.IOException
import java.time.Duration as JDuration
import kotlin.test.assertContains
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertFalse
import kotlin.test.assertSame
import kotlin.test.assertTrue
import kotlin.time.Duration.Companion.milliseconds
import kotlin.time.Duration.Companion.seconds
import org.junit.jupiter.api.DisplayName
import org.junit.jupiter.api.Test

class TimeoutKotlinSpecTest : KotlinTestBase() {

    /** A timer of [delay] seconds fired after [elapsed]: gevent's get-style bounds, scaled. */
    private fun assertFiredAfter(delay: Double, elapsed: Double) {
        assertWithin(delay * (GET_MIN / GET_TIMEOUT), delay + (GET_MAX - GET_TIMEOUT), elapsed)
    }

    /** A Kotlin greenlet on the test hub that never finishes by itself (the hub's close() kills it). */
    private fun blocker(never: Event): Greenlet<Boolean> = hub.spawnSuspend { never.await() }

    @Test
    @DisplayName(
        "TO-01 (Kotlin): Timeout(0.05) is not pending, says '0.05 seconds'; started, sleep(1) raises it after ~0.05 s"
    )
    fun to01_startedTimeoutRaisesItselfAtTheNextSuspension() {
        runGreenlet {
            val t = Timeout(0.05)
            assertFalse(t.isPending)
            assertEquals("0.05 seconds", t.message)
            val start = System.nanoTime()
            t.start()
            assertTrue(t.isPending)
            val caught = assertFailsWith<Timeout> { sleep(1.0) }
            val elapsed = since(start)
            assertSame(t, caught)
            assertFalse(t.isPending)
            assertFiredAfter(0.05, elapsed)
        }
    }

    @Test
    @DisplayName("TO-04 (Kotlin): Timeout(D).use { sleep(10D) } raises that very Timeout")
    fun to04_expiringBlockRaisesTheTimeoutItself() {
        runGreenlet {
            val t = Timeout(0.01)
            val caught =
                assertFailsWith<Timeout> {
                    t.use {
                        it.start()
                        sleep(0.1)
                    }
                }
            assertSame(t, caught)
            assertFalse(t.isPending)
        }
    }

    @Test
    @DisplayName("TO-05 (Kotlin): Timeout(D, IOException(..)) raises that very IOException at the next suspension")
    fun to05_timeoutWithExceptionRaisesThatInstance() {
        runGreenlet {
            val io = IOException("custom timeout")
            val t = Timeout(0.01, io)
            val caught =
                assertFailsWith<IOException> {
                    t.use {
                        it.start()
                        sleep(0.1)
                    }
                }
            assertSame(io, caught)
            assertFalse(t.isPending)
        }
    }

    @Test
    @DisplayName("TO-10 (Kotlin): Timeout() / Timeout(null) never fires, message '', never pending, start() is a no-op")
    fun to10_timeoutWithoutDurationNeverFires() {
        runGreenlet {
            for (t in listOf(Timeout(), Timeout(null as JDuration?), Timeout.startNew(null))) {
                assertEquals("", t.message)
                assertFalse(t.isPending)
                assertSame(t, t.start())
                assertSame(t, t.start())
                assertFalse(t.isPending)
                t.use { sleep(0.02) }
            }
        }
    }

    @Test
    @DisplayName(
        "TO-13 (Kotlin): start(); cancel() -> not pending, nothing fires; start() again fires; close() releases it"
    )
    fun to13_cancelThenRestart() {
        runGreenlet {
            val d = 0.02
            val t = Timeout(d)
            t.start()
            t.cancel()
            assertFalse(t.isPending)
            sleep(3 * d)
            t.start()
            assertTrue(t.isPending)
            assertSame(t, assertFailsWith<Timeout> { sleep(10 * d) })
            assertFalse(t.isPending)
            t.start()
            t.close()
            assertFalse(t.isPending)
            sleep(3 * d)
        }
    }

    @Test
    @DisplayName(
        "TO-15 (Kotlin): the outer, shorter Timeout wins; at that point the inner is still pending, after its block it is not"
    )
    fun to15_outerShorterTimeoutWins() {
        runGreenlet {
            val d = 0.02
            val t1 = Timeout(d)
            val t2 = Timeout(20 * d)
            val seen = ArrayList<String>()
            try {
                t1.use {
                    t1.start()
                    t2.use {
                        t2.start()
                        try {
                            sleep(30 * d)
                            seen += "sleep returned"
                        } catch (e: Timeout) {
                            assertSame(t1, e)
                            assertFalse(t1.isPending)
                            assertTrue(t2.isPending)
                            seen += "inner saw t1"
                            throw e
                        }
                    }
                }
            } catch (e: Timeout) {
                assertSame(t1, e)
                assertFalse(t2.isPending)
                seen += "outer saw t1"
            }
            assertEquals(listOf("inner saw t1", "outer saw t1"), seen)
        }
    }

    @Test
    @DisplayName("TO-16 (Kotlin): the inner, shorter Timeout wins; the outer stays pending until its block exits")
    fun to16_innerShorterTimeoutWins() {
        runGreenlet {
            val d = 0.02
            val t1 = Timeout(20 * d)
            val t2 = Timeout(d)
            val seen = ArrayList<String>()
            t1.use {
                t1.start()
                try {
                    t2.use {
                        t2.start()
                        sleep(30 * d)
                        seen += "sleep returned"
                    }
                } catch (e: Timeout) {
                    assertSame(t2, e)
                    assertTrue(t1.isPending)
                    assertFalse(t2.isPending)
                    seen += "caught t2"
                }
                assertTrue(t1.isPending)
            }
            assertFalse(t1.isPending)
            sleep(2 * d)
            assertEquals(listOf("caught t2"), seen)
        }
    }

    @Test
    @DisplayName("TO-20 (Kotlin): an inner timeoutValue does not swallow the outer withGeventTimeout's Timeout")
    fun to20_innerTimeoutValueAppliesOnlyToTheInnerTimeout() {
        runGreenlet {
            val e =
                assertFailsWith<Timeout> {
                    withGeventTimeout(100.milliseconds) {
                        withGeventTimeout(200.milliseconds, 1) {
                            sleep(2.0)
                            0
                        }
                    }
                }
            assertEquals("0.1 seconds", e.message)
        }
    }

    @Test
    @DisplayName("TO-21 (Kotlin): catch (e: Exception) inside the block does not catch a Timeout")
    fun to21_catchExceptionDoesNotCatchATimeout() {
        runGreenlet {
            val seen = ArrayList<String>()
            val t = Timeout(0.01)
            try {
                t.use {
                    t.start()
                    try {
                        sleep(1.0)
                    } catch (e: Exception) {
                        seen += "catch (Exception) $e"
                    }
                    seen += "after the inner try"
                }
            } catch (e: Timeout) {
                assertSame(t, e)
                seen += "catch (Timeout)"
            }
            assertEquals(listOf("catch (Timeout)"), seen)
        }
    }

    @Test
    @DisplayName(
        "TO-22 (Kotlin): the Timeout fires only in the greenlet that started it: main gets it in awaitJoin(), g completes later"
    )
    fun to22_timeoutFiresOnlyInTheStartingGreenlet() {
        runGreenlet {
            expect(1)
            val t = Timeout.startNew(JDuration.ofMillis(10))
            val g = spawn {
                expect(2)
                sleep(0.05)
                expect(4)
                "done"
            }
            val caught = assertFailsWith<Timeout> { g.awaitJoin() }
            expect(3)
            assertSame(t, caught)
            assertFalse(g.isDead)
            assertEquals("done", g.await())
            assertTrue(g.isSuccessful)
            finish(5)
        }
        assertFinished()
    }

    @Test
    @DisplayName(
        "TO-22 (Kotlin/Java): a Timeout started in a Java greenlet does not fire in a Kotlin greenlet it awaits"
    )
    fun to22_javaGreenletTimeoutDoesNotReachKotlinGreenlet() {
        val g =
            hub.spawnSuspend {
                sleep(0.05)
                "kotlin done"
            }
        val main =
            hub.spawn<String?> {
                val t = Timeout.startNew(JDuration.ofMillis(10))
                val caught = assertFailsWith<Timeout> { g.join() }
                assertSame(t, caught)
                assertFalse(g.isDead)
                g.get()
            }
        assertTrue(main.join(JDuration.ofSeconds(30)))
        assertEquals("kotlin done", main.get())
    }

    // ---- section 0: an outer timeout is never lost (suspend twins) --------------------------------------

    private suspend fun assertOuterTimeoutNotLost(call: String, block: suspend () -> Unit) {
        val outer = Timeout.startNew(JDuration.ofMillis(1))
        try {
            val start = System.nanoTime()
            val caught =
                try {
                    block()
                    null
                } catch (e: Throwable) {
                    e
                }
            assertSame(outer, caught, "$call: the outer Timeout instance must be raised, got $caught")
            assertTrue(since(start) < 0.9, "$call: raised by the 1 ms outer timeout")
        } finally {
            outer.cancel()
        }
    }

    @Test
    @DisplayName(
        "Section 0 (Kotlin): outer Timeout(1 ms) around awaitJoin/await/Event.await/joinAll/waitAll(timeout=1 s) raises that outer Timeout"
    )
    fun outerTimeoutNotLost_suspendTwins() {
        val never = Event()
        val g = blocker(Event())
        runGreenlet {
            assertOuterTimeoutNotLost("awaitJoin(1 s)") { g.awaitJoin(1.seconds) }
            assertOuterTimeoutNotLost("await(1 s)") { g.await(1.seconds) }
            assertOuterTimeoutNotLost("Event.await(1 s)") { never.await(1.seconds) }
            assertOuterTimeoutNotLost("joinAll(1 s)") { joinAll(listOf(g), 1.seconds) }
            assertOuterTimeoutNotLost("waitAll(1 s)") { waitAll(listOf(never), 1.seconds) }
            assertFalse(g.isDead)
        }
    }

    @Test
    @DisplayName(
        "Section 0 / GL-16 (Kotlin): await(timeout=0.01) raises a Timeout '0.01 seconds' within [0.009, 0.12] s; the greenlet is unaffected"
    )
    fun getStyleTimeoutWithinGeventBounds() {
        val g = blocker(Event())
        runGreenlet {
            val start = System.nanoTime()
            val e = assertFailsWith<Timeout> { g.await(10.milliseconds) }
            assertWithin(GET_MIN, GET_MAX, since(start))
            assertEquals("0.01 seconds", e.message)
            assertFalse(g.isDead)
        }
    }

    // ---- section 14 rows that need a Kotlin body ----------------------------------------------------------

    @Test
    @DisplayName(
        "Section 14: Java join()/get()/Gevent.sleep()/Event.waitFor() in a Kotlin greenlet -> BlockingSwitchOutException naming the suspend twin"
    )
    fun javaBlockingCallsInAKotlinBodyAreRefused() {
        val never = Event()
        val other = blocker(Event())
        runGreenlet {
            val calls: List<Triple<String, String, () -> Unit>> =
                listOf(
                    Triple("join()", "awaitJoin", { other.join() }),
                    Triple("join(1 s)", "awaitJoin", { other.join(JDuration.ofSeconds(1)) }),
                    Triple("get()", "await()", { other.get() }),
                    Triple("get(1 s)", "await(", { other.get(JDuration.ofSeconds(1)) }),
                    Triple("Gevent.sleep()", "sleep(", { Gevent.sleep() }),
                    Triple("Gevent.sleep(0.01)", "sleep(", { Gevent.sleep(0.01) }),
                    Triple("Event.waitFor()", "Event.await", { never.waitFor() }),
                    Triple("Gevent.joinAll", "joinAll", { Gevent.joinAll(listOf(other)) }),
                    Triple("Gevent.wait", "waitAll", { Gevent.wait(listOf(never)) }),
                )
            val problems = ArrayList<String>()
            problems += refusalProblems(calls)
            assertEquals(emptyList(), problems)
            assertFalse(other.isDead)
        }
    }

    @Test
    @DisplayName(
        "API conventions (Kotlin twins): a negative timeout -> IllegalArgumentException naming the argument and its value"
    )
    fun negativeTimeoutsOfTheTwins() {
        val g = blocker(Event())
        val never = Event()
        runGreenlet {
            val neg = (-5).milliseconds
            val calls: List<Pair<String, suspend () -> Any?>> =
                listOf(
                    "awaitJoin(-5ms)" to { g.awaitJoin(neg) },
                    "await(-5ms)" to { g.await(neg) },
                    "Event.await(-5ms)" to { never.await(neg) },
                    "joinAll(gs, -5ms)" to { joinAll(listOf(g), neg) },
                    "waitAll(objects, -5ms)" to { waitAll(listOf(never), neg) },
                    "withGeventTimeout(-5ms)" to { withGeventTimeout(neg) { 1 } },
                    "withGeventTimeout(-5ms, value)" to { withGeventTimeout(neg, 2) { 1 } },
                )
            val problems = ArrayList<String>()
            for ((call, block) in calls) {
                val e =
                    try {
                        block()
                        null
                    } catch (t: Throwable) {
                        t
                    }
                val m = e?.message.orEmpty()
                when {
                    e !is IllegalArgumentException -> problems += "$call threw $e"
                    !Regex("(^|\\W)timeout(\\W|$)").containsMatchIn(m) ->
                        problems += "$call: message does not name 'timeout': $m"
                    !(m.contains("-5ms") || m.contains("PT-0.005S")) ->
                        problems += "$call: message does not show the value: $m"
                }
            }
            assertEquals(emptyList(), problems)
            // sleep(negative) is sleep(0) (section 14), not an error
            sleep((-1).seconds)
            sleep(-1.0)
        }
    }

    @Test
    @DisplayName("API conventions (Kotlin): spawnSuspend on a closed hub -> IllegalStateException naming the hub")
    fun spawnSuspendOnAClosedHub() {
        val closed = Hub.create("closed-kotlin-hub")
        closed.close()
        val e = assertFailsWith<IllegalStateException> { closed.spawnSuspend { 1 } }
        assertContains(e.message.orEmpty(), "closed-kotlin-hub")
    }
}
