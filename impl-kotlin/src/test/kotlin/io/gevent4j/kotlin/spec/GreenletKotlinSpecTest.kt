package io.gevent4j.kotlin.spec

import io.gevent4j.Gevent
import io.gevent4j.GreenCallable
import io.gevent4j.Greenlet
import io.gevent4j.GreenletExit
import io.gevent4j.Timeout
import io.gevent4j.kotlin.await
import io.gevent4j.kotlin.awaitJoin
import io.gevent4j.kotlin.awaitKill
import io.gevent4j.kotlin.sleep
import io.gevent4j.kotlin.spawn
import io.gevent4j.kotlin.testing.KotlinTestBase
import io.gevent4j.kotlin.testing.syncList
import io.gevent4j.testing.ExpectedError
import io.gevent4j.testing.LogCapture
import java.io.IOException
import java.util.concurrent.atomic.AtomicInteger
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertFalse
import kotlin.test.assertNotNull
import kotlin.test.assertNotSame
import kotlin.test.assertNull
import kotlin.test.assertSame
import kotlin.test.assertTrue
import kotlin.time.Duration.Companion.milliseconds
import kotlin.time.Duration.Companion.seconds
import kotlinx.coroutines.CancellationException
import org.junit.jupiter.api.DisplayName
import org.junit.jupiter.api.Test
import org.junit.jupiter.params.ParameterizedTest
import org.junit.jupiter.params.provider.ValueSource

/**
 * gevent-semantics.md section 2 (Greenlet) for Kotlin greenlets (`spawn { }`), with the scenario running as a Kotlin
 * greenlet ([runGreenlet]) and using the suspend twins (`await`, `awaitJoin`, `awaitKill`, `sleep`). Skipped cases and
 * their reasons are listed in io.gevent4j.spec.GreenletSpecTest.
 *
 * The Kotlin surface has no way to build a Kotlin greenlet that is not started (`spawn { }` starts it), so the cases
 * about a *new* greenlet (GL-01, GL-22, GL-24) use a Java-bodied `Greenlet(hub, GreenCallable { })` built and driven
 * from Kotlin.
 */
class GreenletKotlinSpecTest : KotlinTestBase() {

    private fun flags(g: Greenlet<*>): List<Boolean> =
        listOf(g.isAlive, g.isStarted, g.isDead, g.isReady, g.isSuccessful)

    private val new = listOf(false, false, false, false, false)
    private val running = listOf(true, true, false, false, false)
    private val succeeded = listOf(false, false, true, true, true)
    private val failed = listOf(false, false, true, true, false)

    /** FIFO: once a greenlet spawned now has run, every greenlet scheduled before it has had its turn. */
    private suspend fun runQueuedGreenlets() {
        spawn {}.awaitJoin()
    }

    // ---- 2.1 ----------------------------------------------------------------------------------------

    @Test
    @DisplayName("GL-01 (Kotlin): a new greenlet is not alive, started, dead, ready or successful, and never runs")
    fun gl01_newGreenletHasNoFlagsAndNoOutcome() {
        runGreenlet {
            val runs = AtomicInteger()
            val g =
                Greenlet(
                    hub,
                    GreenCallable {
                        runs.incrementAndGet()
                        5
                    },
                )
            assertEquals(new, flags(g))
            assertNull(g.value())
            assertNull(g.exception())
            runQueuedGreenlets()
            assertEquals(0, runs.get())
            assertEquals(new, flags(g))
        }
    }

    @Test
    @DisplayName("GL-02 (Kotlin): spawn { } is alive and started, not dead/ready/successful, and has not run yet")
    fun gl02_spawnedIsStartedButNotRunYet() {
        runGreenlet {
            val runs = AtomicInteger()
            val g = spawn {
                runs.incrementAndGet()
                sleep(0.01)
                5
            }
            assertEquals(running, flags(g))
            assertNull(g.value())
            assertNull(g.exception())
            assertEquals(0, runs.get(), "nothing runs until the caller yields")
            g.awaitKill()
        }
    }

    @Test
    @DisplayName("GL-03 (Kotlin): while it sleeps the flags stay as after start and no link has run")
    fun gl03_whileRunningFlagsUnchangedAndNoLinksYet() {
        runGreenlet {
            val runs = AtomicInteger()
            val links = syncList<Any>()
            val g = spawn {
                runs.incrementAndGet()
                sleep(0.01)
                5
            }
            g.rawlink { links.add(it) }
            g.link { links.add(it) }
            sleep(0.001)
            assertEquals(1, runs.get())
            assertEquals(running, flags(g))
            assertNull(g.value())
            assertEquals(emptyList(), links)
            assertEquals(5, g.await())
        }
    }

    @Test
    @DisplayName("GL-04 (Kotlin): after it returned 5: dead, ready, successful, value 5; a rawlink got exactly [g]")
    fun gl04_afterReturnDeadSuccessfulWithValue() {
        runGreenlet {
            val linkTest = syncList<Any>()
            val g = spawn {
                sleep(0.01)
                5
            }
            g.rawlink { linkTest.add(it) }
            sleep(0.001)
            sleep(0.02)
            assertEquals(succeeded, flags(g))
            assertEquals(5, g.value())
            assertNull(g.exception())
            sleep() // behind the link notification queued at g's death
            assertEquals(listOf<Any>(g), linkTest)
            assertEquals(5, g.await())
        }
    }

    @Test
    @DisplayName(
        "GL-05 (Kotlin): a greenlet that threw: dead, not successful, exception is the thrown instance; rawlink got [g]; reported once"
    )
    fun gl05_errorExitKeepsTheException() {
        val err = ExpectedError("expected", 5)
        LogCapture("io.gevent4j.Greenlet").use { log ->
            runGreenlet {
                val linkTest = syncList<Any>()
                val g = spawn<Int> { throw err }
                g.rawlink { linkTest.add(it) }
                sleep()
                sleep(0.2)
                assertEquals(failed, flags(g))
                assertNull(g.value())
                assertSame(err, g.exception())
                assertEquals(5, (g.exception() as ExpectedError).myattr)
                assertEquals(listOf<Any>(g), linkTest)
                assertSame(err, assertFailsWith<ExpectedError> { g.await() })
            }
            assertEquals(1L, log.about(err))
        }
    }

    @Test
    @DisplayName("GL-07 (Kotlin): inside the running Kotlin greenlet: alive, started, not dead, not ready")
    fun gl07_runningGreenletSeesItselfAlive() {
        runGreenlet {
            val seen = syncList<Any?>()
            val g = spawn {
                val me = Gevent.getcurrent()!!
                seen.add(me)
                seen.addAll(flags(me))
                sleep()
                seen.addAll(flags(me))
            }
            g.awaitJoin()
            assertEquals(listOf<Any?>(g) + running + running, seen)
        }
    }

    // ---- 2.2 ----------------------------------------------------------------------------------------

    @Test
    @DisplayName("GL-14 (Kotlin): awaitJoin(0.2 s) returns false after [0.1, 0.31] s and leaves the greenlet alive")
    fun gl14_awaitJoinTimeout() {
        runGreenlet {
            val g = spawn { sleep(10.0) }
            val t0 = System.nanoTime()
            val r = g.awaitJoin(WAIT_TIMEOUT.seconds)
            assertWithin(WAIT_MIN, WAIT_MAX, since(t0))
            assertFalse(r)
            assertEquals(running, flags(g))
            g.awaitKill()
        }
    }

    @Test
    @DisplayName(
        "GL-15 (Kotlin): awaitJoin() on a finished or failed greenlet returns at once, without yielding, and never throws"
    )
    fun gl15_awaitJoinOnDead() {
        LogCapture("io.gevent4j.Greenlet").use {
            runGreenlet {
                val ok = spawn { 1 }
                val bad = spawn<Int> { throw ExpectedError("fails", 0) }
                val badChecked = spawn<Int> { throw IOException("checked") }
                ok.awaitJoin()
                bad.awaitJoin()
                badChecked.awaitJoin()
                val log = syncList<String>()
                spawn { log.add("other") }
                assertTrue(ok.awaitJoin())
                assertTrue(bad.awaitJoin())
                assertTrue(badChecked.awaitJoin(1.seconds))
                assertEquals(emptyList(), log, "awaitJoin() on a dead greenlet does not yield")
            }
        }
    }

    @Test
    @DisplayName(
        "GL-16 (Kotlin): await(0.01 s) throws Timeout('0.01 seconds') after [0.009, 0.12] s; the greenlet is unaffected"
    )
    fun gl16_awaitTimeout() {
        runGreenlet {
            val g = spawn { sleep(1.0) }
            val t0 = System.nanoTime()
            val t = assertFailsWith<Timeout> { g.await(10.milliseconds) }
            assertWithin(GET_MIN, GET_MAX, since(t0))
            assertEquals("0.01 seconds", t.message)
            assertEquals(running, flags(g))
            g.awaitKill()
        }
    }

    @Test
    @DisplayName(
        "GL-17 (Kotlin): getNowait() on a running Kotlin greenlet throws Timeout() at once, empty message, no yield"
    )
    fun gl17_getNowaitOnRunning() {
        runGreenlet {
            val g = spawn { sleep(1.0) }
            sleep()
            val log = syncList<String>()
            spawn { log.add("other") }
            val t = assertFailsWith<Timeout> { g.getNowait() }
            assertEquals("", t.message)
            assertNull(t.duration())
            assertEquals(emptyList(), log)
            g.awaitKill()
        }
    }

    @Test
    @DisplayName(
        "GL-18 (Kotlin): await() returns the value; throws the same failure (checked too) every time; throws the GreenletExit of a kill"
    )
    fun gl18_awaitOutcomes() {
        LogCapture("io.gevent4j.Greenlet").use {
            runGreenlet {
                assertEquals(6, spawn { 1 + 5 }.await())

                val err = ExpectedError("boom", 1)
                val bad = spawn<Int> { throw err }
                assertSame(err, assertFailsWith<ExpectedError> { bad.await() })
                assertSame(err, assertFailsWith<ExpectedError> { bad.await() })

                val io = IOException("checked")
                val badChecked = spawn<Int> { throw io }
                assertSame(io, assertFailsWith<IOException> { badChecked.await() })
                assertSame(io, assertFailsWith<IOException> { badChecked.await() })
                assertSame(io, badChecked.exception())

                val exit = GreenletExit("bye")
                val killed = spawn {
                    sleep(10.0)
                    7
                }
                sleep()
                killed.awaitKill(exit)
                assertSame(exit, assertFailsWith<GreenletExit> { killed.await() })
                assertTrue(killed.isSuccessful)
                assertNull(killed.value())
                assertNull(killed.exception())
                assertNull(killed.getNowait())
            }
        }
    }

    @Test
    @DisplayName(
        "GL-19 (Kotlin): an outer Timeout expiring during awaitJoin(1 s)/await(1 s) is thrown, the same instance"
    )
    fun gl19_outerTimeoutIsNotLost() {
        runGreenlet {
            val g = spawn { sleep(10.0) }
            val outer = Timeout.startNew(java.time.Duration.ofMillis(1))
            try {
                assertSame(outer, assertFailsWith<Timeout> { g.awaitJoin(1.seconds) })
            } finally {
                outer.cancel()
            }
            val outer2 = Timeout.startNew(java.time.Duration.ofMillis(1))
            try {
                assertSame(outer2, assertFailsWith<Timeout> { g.await(1.seconds) })
            } finally {
                outer2.cancel()
            }
            assertEquals(running, flags(g))
            g.awaitKill()
        }
    }

    // ---- 2.3 ----------------------------------------------------------------------------------------

    @Test
    @DisplayName(
        "GL-22 (Kotlin): kill before start: dead and successful at once, links fire in the next iteration, the body never runs"
    )
    fun gl22_killBeforeStartNeverRunsAndLinksFireNextIteration() {
        runGreenlet {
            val runs = AtomicInteger()
            val log = syncList<String>()
            val linkCtx = syncList<Any?>()
            val rawCtx = syncList<Any?>()
            val g = Greenlet(hub, GreenCallable { runs.incrementAndGet() })
            g.link {
                log.add("L")
                linkCtx.addAll(listOf(Gevent.getcurrent(), Thread.currentThread().isVirtual, hub.isHubThread))
            }
            g.rawlink {
                log.add("R")
                rawCtx.addAll(listOf(Gevent.getcurrent(), Thread.currentThread().isVirtual, hub.isHubThread))
            }
            g.awaitKill()
            assertEquals(succeeded, flags(g))
            assertNull(g.value())
            assertNull(g.exception())
            assertEquals(emptyList(), log, "links do not run synchronously")
            sleep(0.01)
            assertEquals(listOf("L", "R"), log)
            assertNotNull(linkCtx[0])
            assertNotSame<Any?>(g, linkCtx[0])
            assertEquals(listOf<Any?>(true, true), linkCtx.subList(1, 3))
            assertEquals(listOf<Any?>(null, false, true), rawCtx)
            assertFailsWith<IllegalStateException> { g.start() }
            runQueuedGreenlets()
            sleep(0.01)
            assertEquals(0, runs.get())
            assertEquals(succeeded, flags(g))
            assertEquals(listOf("L", "R"), log)
        }
    }

    @Test
    @DisplayName(
        "GL-23 (Kotlin): spawn { } then kill before it ran: the body never runs; successful; await() throws the GreenletExit"
    )
    fun gl23_killAfterSpawnBeforeItRan() {
        runGreenlet {
            val runs = AtomicInteger()
            val log = syncList<String>()
            val g = spawn { runs.incrementAndGet() }
            g.link { log.add("L") }
            val exit = GreenletExit()
            g.awaitKill(exit)
            assertEquals(succeeded, flags(g))
            assertNull(g.value())
            assertNull(g.exception())
            assertSame(exit, assertFailsWith<GreenletExit> { g.await() })
            runQueuedGreenlets()
            sleep(0.01)
            assertEquals(0, runs.get())
            assertEquals(listOf("L"), log)
        }
    }

    @Test
    @DisplayName(
        "GL-25 (Kotlin): kill while it sleeps: cancellation (cause = the kill exception) at the suspension, catch/finally run, awaitKill returns after the death"
    )
    fun gl25_killWhileRunning() {
        runGreenlet {
            val state = syncList<String>()
            var caught: Throwable? = null
            val g = spawn {
                try {
                    state.add("start")
                    sleep(0.3)
                    state.add("woke")
                } catch (e: CancellationException) {
                    caught = e
                    state.add("except")
                }
                state.add("finished")
            }
            sleep()
            assertEquals(listOf("start"), state)
            val exit = GreenletExit("bye")
            g.awaitKill(exit)
            assertEquals(listOf("start", "except", "finished"), state)
            assertSame(exit, caught?.cause, "the CancellationException's cause is the kill exception")
            assertEquals(succeeded, flags(g))

            state.clear()
            val h = spawn {
                try {
                    state.add("start")
                    sleep(0.3)
                } finally {
                    state.add("finally")
                }
            }
            sleep()
            val exit2 = GreenletExit()
            h.awaitKill(exit2)
            assertEquals(listOf("start", "finally"), state)
            assertEquals(succeeded, flags(h))
            assertSame(exit2, assertFailsWith<GreenletExit> { h.await() }, "the outcome is the kill exception")
        }
    }

    @Test
    @DisplayName("GL-27 (Kotlin): kill(block=false) returns at once with the target alive; after sleep() it is dead")
    fun gl27_nonBlockingKill() {
        runGreenlet {
            val g = spawn { sleep(10.0) }
            sleep()
            g.kill(GreenletExit(), false, null)
            assertFalse(g.isDead, "kill(block=false) does not switch to the target")
            sleep()
            assertTrue(g.isDead, "the kill callback ran the target to its death before sleep() returned")
        }
    }

    @Test
    @DisplayName(
        "GL-28 (Kotlin): awaitKill() on a dead greenlet returns at once without yielding; a second kill is harmless"
    )
    fun gl28_killOnDead() {
        runGreenlet {
            val g = spawn { 1 }
            g.awaitJoin()
            val log = syncList<String>()
            spawn { log.add("spawned") }
            g.awaitKill()
            assertEquals(emptyList(), log, "no yield")
            g.awaitKill(ExpectedError("late", 0))
            g.kill(GreenletExit(), false, null)
            assertEquals(emptyList(), log)
            assertEquals(succeeded, flags(g))
            assertEquals(1, g.value())
            assertEquals(1, g.await())
        }
    }

    @Test
    @DisplayName(
        "GL-29 (Kotlin): awaitKill(exception) fails the greenlet with that very instance; await() throws it; it is reported"
    )
    fun gl29_killWithException() {
        val boom = ExpectedError("boom", 0)
        LogCapture("io.gevent4j.Greenlet").use { log ->
            runGreenlet {
                val g = spawn { sleep(10.0) }
                sleep()
                g.awaitKill(boom)
                assertEquals(failed, flags(g))
                assertSame(boom, g.exception())
                assertSame(boom, assertFailsWith<ExpectedError> { g.await() })
            }
            assertEquals(1L, log.about(boom))
        }
    }

    @Test
    @DisplayName(
        "GL-33 (Kotlin): a Kotlin greenlet killing itself gets the GreenletExit at once; successful; await() throws it"
    )
    fun gl33_selfKill() {
        runGreenlet {
            val log = syncList<String>()
            var caught: GreenletExit? = null
            val g = spawn {
                try {
                    Gevent.getcurrent()!!.awaitKill()
                    log.add("after kill")
                } catch (e: GreenletExit) {
                    caught = e
                    log.add("GreenletExit")
                    throw e
                }
            }
            g.awaitJoin()
            assertEquals(listOf("GreenletExit"), log)
            assertEquals(succeeded, flags(g))
            assertNull(g.exception())
            assertSame(caught, assertFailsWith<GreenletExit> { g.await() })
        }
    }

    @Test
    @DisplayName("GL-34 (Kotlin): a target looping over sleep() runs one more step before the kill lands")
    fun gl34_killLandsAtTheNextSleep() {
        runGreenlet {
            val out = syncList<Any>()
            val g = spawn {
                var i = 0
                try {
                    while (i < 5) {
                        out.add(i)
                        sleep()
                        i++
                    }
                } catch (e: CancellationException) {
                    out.add("GreenletExit at iteration $i")
                    throw e
                }
            }
            sleep()
            g.awaitKill()
            assertEquals(listOf<Any>(0, 1, "GreenletExit at iteration 1"), out)
        }
    }

    // ---- 2.5 ----------------------------------------------------------------------------------------

    @ParameterizedTest(name = "N = {0}")
    @ValueSource(ints = [2, 3, 4, 1000])
    @DisplayName("GL-39 (Kotlin): links of a Kotlin greenlet run in the order they were added")
    fun gl39_linksRunInRegistrationOrder(n: Int) {
        runGreenlet {
            val lst = syncList<Int>()
            val g = spawn { lst.add(0) }
            for (i in 1 until n) {
                g.link { lst.add(i) }
            }
            g.awaitJoin()
            assertEquals((0 until n).toList(), lst)
        }
    }

    @Test
    @DisplayName(
        "GL-43 (Kotlin): killed with GreenletExit: link and linkValue fire, linkException does not; killed with an error: link and linkException only"
    )
    fun gl43_killNotifiesByOutcome() {
        LogCapture("io.gevent4j.Greenlet").use {
            runGreenlet {
                val log = syncList<String>()
                val g = spawn {
                    sleep(10.0)
                    1
                }
                sleep()
                g.link { log.add("link ${it.isSuccessful} ${it.value()}") }
                g.linkValue { log.add("linkValue ${it.isSuccessful} ${it.value()}") }
                g.linkException { log.add("linkException") }
                g.awaitKill()
                g.awaitJoin()
                assertEquals(listOf("link true null", "linkValue true null"), log)

                log.clear()
                val err = ExpectedError("killed", 0)
                val h = spawn {
                    sleep(10.0)
                    1
                }
                sleep()
                h.link { log.add("link ${it.isSuccessful}") }
                h.linkValue { log.add("linkValue") }
                h.linkException { log.add("linkException ${it.exception() === err}") }
                h.awaitKill(err)
                h.awaitJoin()
                assertEquals(listOf("link false", "linkException true"), log)
            }
        }
    }
}
