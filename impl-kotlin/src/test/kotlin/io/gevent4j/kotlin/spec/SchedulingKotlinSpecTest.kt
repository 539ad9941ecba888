package io.gevent4j.kotlin.spec

import io.gevent4j.BlockingSwitchOutException
import io.gevent4j.Gevent
import io.gevent4j.GreenRunnable
import io.gevent4j.Greenlet
import io.gevent4j.GreenletExit
import io.gevent4j.Hub
import io.gevent4j.Timeout
import io.gevent4j.event.Event
import io.gevent4j.kotlin.await
import io.gevent4j.kotlin.awaitJoin
import io.gevent4j.kotlin.awaitKill
import io.gevent4j.kotlin.idle
import io.gevent4j.kotlin.iwait
import io.gevent4j.kotlin.joinAll
import io.gevent4j.kotlin.sleep
import io.gevent4j.kotlin.spawn
import io.gevent4j.kotlin.spawnSuspend
import io.gevent4j.kotlin.testing.KotlinTestBase
import io.gevent4j.kotlin.testing.recorder
import io.gevent4j.kotlin.testing.snapshot
import io.gevent4j.kotlin.waitAll
import io.gevent4j.kotlin.withGeventTimeout
import io.gevent4j.testing.LogCapture
import java.util.Collections
import java.util.logging.Level
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
import kotlinx.coroutines.flow.toList
import org.junit.jupiter.api.BeforeAll
import org.junit.jupiter.api.DisplayName
import org.junit.jupiter.api.Test

/**
 * Runs the code paths the timed cases measure once, untimed, on a throw-away hub: the first use of a path in a JVM pays
 * class loading and interpretation (tenths of a second on a loaded machine), which gevent's tolerances, made for
 * CPython, do not cover.
 */
internal fun warmUpKotlinPaths() {
    Hub.create("kotlin-warm-up").use { h ->
        val g =
            h.spawnSuspend {
                val s = spawn { sleep(1.seconds) }
                Gevent.spawnLater(0.001, GreenRunnable {})
                sleep()
                sleep(1.milliseconds)
                joinAll(listOf(s), timeout = 1.milliseconds)
                waitAll(listOf(Event()), timeout = 1.milliseconds)
                iwait(listOf(Event()), timeout = 1.milliseconds).toList()
                Event().await(1.milliseconds)
                withGeventTimeout(1.milliseconds, Unit) { sleep(0.01) }
                try {
                    withGeventTimeout(1.milliseconds) { sleep(0.01) }
                } catch (expected: Timeout) {
                    // the warm-up timeout
                }
                Gevent.kill(s)
                Gevent.killAll(listOf(s), GreenletExit(), false, null)
                s.awaitKill()
            }
        g.join(java.time.Duration.ofSeconds(10))
    }
}

/**
 * Spec section 1.1-1.2 with Kotlin greenlets: the scenario is a Kotlin greenlet ([runGreenlet]) and uses the suspend
 * twins. Skipped cases: see the comment at the top of `SchedulingSpecTest.java`.
 */
class SchedulingKotlinSpecTest : KotlinTestBase() {
    companion object {
        @JvmStatic
        @BeforeAll
        fun warmUpOnce() {
            warmUpKotlinPaths()
        }
    }

    private fun busyCpu(seconds: Double) {
        val end = System.nanoTime() + (seconds * 1e9).toLong()
        while (System.nanoTime() - end < 0) Thread.onSpinWait()
    }

    // ---- 1.1 spawn / sleep / idle ordering -----------------------------------------------------------

    @Test
    @DisplayName("SCH-01: a spawned function runs only after the spawner yields")
    fun sch01_spawnedFunctionRunsOnlyAfterTheSpawnerYields() {
        runGreenlet {
            expect(1)
            val g = spawn { expect(3) }
            assertFalse(g.isDead, "Func has not run yet")
            expect(2)
            sleep()
            assertTrue(g.isDead)
            finish(4)
        }
        assertFinished()
    }

    @Test
    @DisplayName("SCH-02: spawned greenlets start in FIFO order and sleep(0) re-queues behind runnable ones")
    fun sch02_spawnedGreenletsStartInFifoOrderAndSleep0Requeues() {
        val out = recorder()
        runGreenlet {
            for (n in listOf("1", "2", "3")) {
                spawn {
                    out += n + "A"
                    sleep()
                    out += n + "B"
                }
            }
            out += "M1"
            sleep()
            out += "M2"
            sleep(0.01)
        }
        assertEquals(listOf("M1", "1A", "2A", "3A", "M2", "1B", "2B", "3B"), out.snapshot())
    }

    @Test
    @DisplayName("SCH-02 (mixed): Java and Kotlin greenlets share one FIFO queue")
    fun sch02_javaAndKotlinGreenletsShareOneFifoQueue() {
        val out = recorder()
        runGreenlet {
            spawn {
                out += "k1A"
                sleep()
                out += "k1B"
            }
            Gevent.spawn(
                GreenRunnable {
                    out += "j2A"
                    Gevent.sleep()
                    out += "j2B"
                }
            )
            spawn {
                out += "k3A"
                sleep()
                out += "k3B"
            }
            out += "M1"
            sleep()
            out += "M2"
            sleep(0.01)
        }
        assertEquals(listOf("M1", "k1A", "j2A", "k3A", "M2", "k1B", "j2B", "k3B"), out.snapshot())
    }

    @Test
    @DisplayName("SCH-03: two sleep(0) greenlets interleave: 1A 2A 1B 2B")
    fun sch03_twoSleep0GreenletsInterleave() {
        val out = recorder()
        runGreenlet {
            val gs =
                listOf("1", "2").map { n ->
                    spawn {
                        out += n + "A"
                        sleep()
                        out += n + "B"
                    }
                }
            joinAll(gs)
        }
        assertEquals("1A 2A 1B 2B", out.snapshot().joinToString(" "))
    }

    @Test
    @DisplayName("SCH-04: spawnLater(0) runs after a later plain spawn; timers fire in deadline order")
    fun sch04_spawnLaterZeroRunsAfterPlainSpawnAndTimersFireInDeadlineOrder() {
        val out = recorder()
        runGreenlet {
            // gevent's 0.02/0.01 scaled x3: creating the first greenlets of a fresh JVM can take more than 10 ms
            // between the two calls on a loaded 2-core box, and deadlines count from each call
            Gevent.spawnLater(0.06, GreenRunnable { out += "L20" })
            Gevent.spawnLater(0.03, GreenRunnable { out += "L10" })
            Gevent.spawnLater(0.0, GreenRunnable { out += "L0" })
            spawn { out += "S" }
            assertEquals(emptyList(), out.snapshot())
            sleep(0.15)
        }
        assertEquals(listOf("S", "L0", "L10", "L20"), out.snapshot())
    }

    @Test
    @DisplayName("SCH-05: sleep(0) resumes before an expired short timer: a1 b1 b2 a2")
    fun sch05_sleep0ResumesBeforeAShortTimer() {
        val out = recorder()
        runGreenlet {
            spawn {
                out += "a1"
                sleep(1.milliseconds)
                out += "a2"
            }
            spawn {
                out += "b1"
                sleep()
                out += "b2"
            }
            sleep(50.milliseconds)
        }
        assertEquals(listOf("a1", "b1", "b2", "a2"), out.snapshot())
    }

    @Test
    @DisplayName("SCH-06: a sleep(0) loop cannot starve timers: a 0.01 s gevent timeout ends it")
    fun sch06_sleep0LoopCannotStarveTimers() {
        runGreenlet {
            var iterations = 0
            val start = System.nanoTime()
            val result =
                withGeventTimeout(10.milliseconds, "timed out") {
                    while (iterations >= 0) {
                        sleep()
                        iterations++
                    }
                    "never"
                }
            assertEquals("timed out", result)
            assertWithin(GET_MIN, GET_MAX, since(start))
            assertTrue(iterations > 1, "the loop ran $iterations iterations")
        }
    }

    @Test
    @DisplayName("SCH-08: a spawnLater(0.01) greenlet runs while the main greenlet spins on sleep(0)")
    fun sch08_timerGreenletRunsWhileMainSpinsOnSleep0() {
        runGreenlet {
            val out = recorder()
            val start = System.nanoTime()
            Gevent.spawnLater(GET_TIMEOUT, GreenRunnable { out += "t" })
            while (out.isEmpty()) sleep()
            assertWithin(GET_MIN, GET_MAX, since(start))
            assertEquals(listOf("t"), out.snapshot())
        }
    }

    @Test
    @DisplayName("SCH-09: sleep(-1) behaves as sleep(0): returns at once but still yields once")
    fun sch09_negativeSleepIsSleep0() {
        runGreenlet {
            val out = recorder()
            spawn { out += "a" }
            val start = System.nanoTime()
            sleep(-1.0)
            assertEquals(listOf("a"), out.snapshot(), "sleep(-1.0) must yield once")
            spawn { out += "b" }
            sleep((-1).seconds)
            assertEquals(listOf("a", "b"), out.snapshot(), "sleep(-1 s) must yield once")
            assertTrue(since(start) < AT_ONCE_MAX, "sleep(-1) must not wait: ${since(start)}")
        }
    }

    @Test
    @DisplayName("SCH-10: sleep(t) lasts at least t from the call, even after a long CPU-bound stretch")
    fun sch10_sleepLastsAtLeastTFromTheCall() {
        runGreenlet {
            busyCpu(0.05)
            var start = System.nanoTime()
            sleep(20.milliseconds)
            assertTrue(since(start) >= 0.02, "sleep(20 ms) returned after ${since(start)} s")
            busyCpu(0.05)
            start = System.nanoTime()
            sleep(0.02)
            assertTrue(since(start) >= 0.02, "sleep(0.02) returned after ${since(start)} s")
        }
    }

    @Test
    @DisplayName("SCH-11: idle() resumes only once nothing else is runnable")
    fun sch11_idleResumesOnlyWhenNothingElseIsRunnable() {
        val out = recorder()
        runGreenlet {
            spawn {
                idle()
                out += "idle"
            }
            spawn {
                repeat(3) { i ->
                    out += "s$i"
                    sleep()
                }
            }
            sleep(0.02)
        }
        assertEquals(listOf("s0", "s1", "s2", "idle"), out.snapshot())
    }

    @Test
    @DisplayName("SCH-12: a child is not cancelled when its spawner exits")
    fun sch12_childIsNotCancelledWhenItsSpawnerExits() {
        runGreenlet {
            val lst = Collections.synchronizedList(mutableListOf(1))
            var child: Greenlet<Int>? = null
            val parent = spawn {
                child = spawn {
                    sleep(0.01) // still sleeping when its spawner has returned
                    lst.removeAt(0)
                }
            }
            parent.awaitJoin()
            assertTrue(parent.isDead)
            val c = assertNotNull(child)
            assertFalse(c.isDead, "the child is still running")
            assertEquals(1, c.await())
            assertTrue(c.isSuccessful)
            assertEquals(emptyList(), lst.toList())
        }
    }

    @Test
    @DisplayName("SCH-12 (cancel): killing the spawner does not cancel its Kotlin child")
    fun sch12_killingTheSpawnerDoesNotCancelItsChild() {
        runGreenlet {
            var child: Greenlet<String>? = null
            val parent = spawn {
                child = spawn {
                    sleep(0.02)
                    "child done"
                }
                sleep(10.seconds)
            }
            sleep()
            parent.awaitKill()
            assertTrue(parent.isDead)
            val c = assertNotNull(child)
            assertEquals("child done", c.await())
        }
    }

    @Test
    @DisplayName("SCH-13: a timer armed by a greenlet fires (spawnLater inside a spawned greenlet)")
    fun sch13_timerArmedByAGreenletFires() {
        runGreenlet {
            val lst = Collections.synchronizedList(mutableListOf(1))
            spawn {
                Gevent.spawnLater(0.01, GreenRunnable { lst.removeAt(0) })
                sleep(0.02)
            }
            assertEquals(listOf(1), lst.toList())
            sleep()
            sleep(0.1)
            assertEquals(emptyList(), lst.toList())
        }
    }

    // ---- 1.2 getcurrent, parentage, errors reaching the hub ------------------------------------------

    @Test
    @DisplayName("SCH-14: getcurrent() in a Kotlin greenlet is that greenlet, and its hub is the spawner's hub")
    fun sch14_getcurrentIsTheGreenletItselfAndItsParentIsTheHub() {
        assertNull(Gevent.getcurrent(), "the JUnit thread is in no greenlet")
        runGreenlet {
            var seenHub: Hub? = null
            val g = spawn {
                seenHub = Hub.current()
                Gevent.getcurrent()
            }
            val me = assertNotNull(Gevent.getcurrent(), "the scenario greenlet is a greenlet")
            assertNotSame<Greenlet<*>>(g, me)
            assertSame(g, g.await())
            assertSame(hub, g.hub())
            assertSame(hub, seenHub)
            assertSame(me, Gevent.getcurrent(), "getcurrent() after the switch back")
        }
    }

    @Test
    @DisplayName(
        "SCH-15: a failure is logged once with the greenlet's name, never reaches the spawner, and await() re-throws it"
    )
    fun sch15_failureIsLoggedOnceAndDoesNotInterruptTheSpawner() {
        LogCapture("io.gevent4j.Greenlet").use { capture ->
            val boom = IllegalStateException("k")
            runGreenlet {
                val g = spawn<Unit> { throw boom }
                g.name("sch15-kotlin-victim")
                expect(1)
                sleep(0.01) // the spawner is not interrupted
                expect(2)
                assertTrue(g.isDead)
                assertFalse(g.isSuccessful)
                assertSame(boom, g.exception())
                assertTrue(g.awaitJoin()) // does not throw
                assertSame(boom, assertFailsWith<IllegalStateException> { g.await() })
                finish(3)
            }
            assertFinished()
            val mine = capture.recordsAbout(boom)
            assertEquals(1, mine.size, "logged exactly once: $mine")
            assertTrue(mine[0].level.intValue() >= Level.SEVERE.intValue(), "level ${mine[0].level}")
            assertTrue(
                mine[0].message.contains("sch15-kotlin-victim"),
                "the record names the greenlet: ${mine[0].message}",
            )
        }
    }

    @Test
    @DisplayName(
        "SCH-17: a Java blocking call in a Kotlin greenlet or a rawlink callback throws BlockingSwitchOutException"
    )
    fun sch17_blockingCallOnTheHubThrowsBlockingSwitchOut() {
        runGreenlet {
            val other = spawn { sleep(1.seconds) }
            val e1 = assertFailsWith<BlockingSwitchOutException> { Gevent.sleep(0.01) }
            assertTrue(e1.message!!.contains("sleep"), e1.message)
            val e2 = assertFailsWith<BlockingSwitchOutException> { other.join() }
            assertTrue(e2.message!!.contains("awaitJoin"), "names the suspend twin: ${e2.message}")
            assertFailsWith<BlockingSwitchOutException> { other.get() }
            assertFailsWith<BlockingSwitchOutException> { Gevent.sleep() }

            val caught = ArrayList<Throwable>()
            val g = spawn {}
            g.rawlink {
                try {
                    Gevent.sleep(0.01)
                } catch (e: BlockingSwitchOutException) {
                    caught += e
                }
            }
            g.awaitJoin()
            sleep(0.01)
            assertEquals(1, caught.size, "caught: $caught")
            other.awaitKill()
            assertTrue(other.isDead)
        }
    }

    @Test
    @DisplayName("SCH-07: an expired gevent timeout is not raised by one sleep(0), but by the next sleep(t > 0)")
    fun sch07_singleSleep0MayReturnBeforeExpiredTimers() {
        runGreenlet {
            val out = recorder()
            try {
                withGeventTimeout(50.milliseconds) {
                    busyCpu(0.1)
                    sleep()
                    out += "after sleep(0)"
                    sleep(0.0001)
                    out += "after sleep(0.0001)"
                }
            } catch (t: Timeout) {
                out += "timeout"
            }
            assertEquals(listOf("after sleep(0)", "timeout"), out.snapshot())
        }
    }
}
