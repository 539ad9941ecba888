package io.gevent4j.kotlin.spec

import io.gevent4j.Gevent
import io.gevent4j.GreenRunnable
import io.gevent4j.Greenlet
import io.gevent4j.GreenletExit
import io.gevent4j.Timeout
import io.gevent4j.event.Event
import io.gevent4j.kotlin.await
import io.gevent4j.kotlin.awaitJoin
import io.gevent4j.kotlin.awaitKill
import io.gevent4j.kotlin.iwait
import io.gevent4j.kotlin.joinAll
import io.gevent4j.kotlin.sleep
import io.gevent4j.kotlin.spawn
import io.gevent4j.kotlin.testing.KotlinTestBase
import io.gevent4j.kotlin.waitAll
import io.gevent4j.kotlin.withGeventTimeout
import java.util.concurrent.atomic.AtomicBoolean
import java.util.concurrent.atomic.AtomicInteger
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertFalse
import kotlin.test.assertNull
import kotlin.test.assertSame
import kotlin.test.assertTrue
import kotlin.time.Duration.Companion.milliseconds
import kotlin.time.Duration.Companion.seconds
import kotlinx.coroutines.flow.map
import kotlinx.coroutines.flow.toList
import org.junit.jupiter.api.BeforeAll
import org.junit.jupiter.api.DisplayName
import org.junit.jupiter.api.Test

/**
 * Spec sections 1.4-1.6 with Kotlin greenlets and the suspend twins (`waitAll`, `iwait` as a Flow, `joinAll`, `await`).
 * Completion order is forced with gates (see `ModuleFunctionsSpecTest.java`); skipped cases are listed there. Kotlin
 * has no suspend twin of a blocking `killAll`: the Kotlin idiom is `Gevent.killAll(gs, exit, block = false, timeout =
 * null)` followed by `joinAll(gs)`.
 */
class ModuleFunctionsKotlinSpecTest : KotlinTestBase() {
    companion object {
        @JvmStatic
        @BeforeAll
        fun warmUpOnce() {
            warmUpKotlinPaths()
        }
    }

    private val waitTimeout = (WAIT_TIMEOUT * 1000).toLong().milliseconds

    /** a, b, c Kotlin greenlets that finish when their gates open. */
    private class Abc(val ga: Event, val gb: Event, val gc: Event) {
        val a: Greenlet<String> = gated(ga, "a")
        val b: Greenlet<String> = gated(gb, "b")
        val c: Greenlet<String> = gated(gc, "c")
        val all: List<Greenlet<String>>
            get() = listOf(a, b, c)

        /** A controller greenlet finishes them in the order b, c, a (gevent's a(.03), b(.01), c(.02)). */
        fun finishInOrderBca() {
            open(gb, gc, ga)
        }

        companion object {
            fun gated(gate: Event, value: String): Greenlet<String> = spawn {
                gate.await()
                value
            }

            fun open(vararg gates: Event): Greenlet<Unit> = spawn { gates.forEach { it.set() } }

            fun spawnAll(): Abc = Abc(Event(), Event(), Event())
        }
    }

    private fun values(gs: List<Greenlet<*>>): List<String> = gs.map { it.value().toString() }

    // ---- 1.4 wait / iwait ----------------------------------------------------------------------------

    @Test
    @DisplayName("MOD-01: iwait (a Flow) emits the greenlets in completion order")
    fun mod01_iwaitEmitsInCompletionOrder() {
        runGreenlet {
            val abc = Abc.spawnAll()
            abc.finishInOrderBca()
            assertEquals(listOf("b", "c", "a"), iwait(abc.all).map { it.value() }.toList())
        }
    }

    @Test
    @DisplayName(
        "MOD-02: waitAll(count=1) returns one; waitAll(timeout) returns the ready ones; waitAll() all in completion order"
    )
    fun mod02_waitAllWithCountAndTimeout() {
        runGreenlet {
            val abc = Abc.spawnAll()
            Abc.open(abc.gb)
            assertEquals(listOf(abc.b), waitAll(abc.all, count = 1))
            val start = System.nanoTime()
            assertEquals(listOf(abc.b), waitAll(abc.all, timeout = 5.milliseconds), "b is ready already")
            assertTrue(since(start) < GET_MAX, "waitAll(timeout=0.005) took ${since(start)}")
            assertFalse(abc.a.isReady)
            assertFalse(abc.c.isReady)
            abc.gc.set()
            abc.ga.set()
            assertEquals(listOf("b", "c", "a"), values(waitAll(abc.all)))
        }
    }

    @Test
    @DisplayName("MOD-03: waitAll() on objects that are all ready returns them in input order")
    fun mod03_waitAllOnReadyObjectsReturnsInputOrder() {
        runGreenlet {
            val abc = Abc.spawnAll()
            abc.finishInOrderBca()
            assertEquals(listOf("b", "c", "a"), values(joinAll(abc.all)))
            assertEquals(listOf("a", "b", "c"), values(waitAll(abc.all)))
        }
    }

    @Test
    @DisplayName("MOD-05: iwait with a timeout emits the ready ones, then completes quietly")
    fun mod05_iwaitTimeoutCompletesQuietly() {
        runGreenlet {
            val a = Abc.gated(Event(), "a")
            val b = spawn { "b" }
            val start = System.nanoTime()
            val got = iwait(listOf(a, b), timeout = waitTimeout).toList()
            assertWithin(WAIT_MIN, WAIT_MAX, since(start))
            assertEquals(listOf(b), got)
            assertFalse(a.isReady)
        }
    }

    @Test
    @DisplayName("MOD-06: iwait(count=2) emits exactly two")
    fun mod06_iwaitCountEmitsExactlyCount() {
        runGreenlet {
            val abc = Abc.spawnAll()
            abc.finishInOrderBca()
            assertEquals(listOf(abc.b, abc.c), iwait(abc.all, count = 2).toList())
            joinAll(abc.all)
            assertEquals(listOf(abc.a, abc.b), iwait(abc.all, count = 2).toList(), "ready ones in input order")
        }
    }

    @Test
    @DisplayName("MOD-09: waitAll([Event()], timeout=0.2) returns nothing after [0.1, 0.31] s")
    fun mod09_waitAllOnAnUnsetEventTimesOut() {
        runGreenlet {
            val e = Event()
            val start = System.nanoTime()
            assertEquals(emptyList(), waitAll(listOf(e), timeout = waitTimeout))
            assertWithin(WAIT_MIN, WAIT_MAX, since(start))
            assertEquals(0, e.linkCount(), "waitAll() unlinks what is left")
        }
    }

    @Test
    @DisplayName("MOD-11: waitAll([e]) on a set Event returns [e], twice")
    fun mod11_waitAllOnASetEventTwice() {
        runGreenlet {
            val e = Event()
            e.set()
            assertEquals(listOf(e), waitAll(listOf(e)))
            assertEquals(listOf(e), waitAll(listOf(e)))
        }
    }

    // ---- 1.5 joinAll ---------------------------------------------------------------------------------

    @Test
    @DisplayName("MOD-13: joinAll returns the greenlets in completion order")
    fun mod13_joinAllReturnsCompletionOrder() {
        runGreenlet {
            val abc = Abc.spawnAll()
            abc.finishInOrderBca()
            assertEquals(listOf<Greenlet<*>>(abc.b, abc.c, abc.a), joinAll(abc.all))
        }
    }

    @Test
    @DisplayName("MOD-14: joinAll(timeout) returns only the finished ones")
    fun mod14_joinAllTimeoutReturnsOnlyFinished() {
        runGreenlet {
            val abc = Abc.spawnAll()
            Abc.open(abc.gb)
            val start = System.nanoTime()
            val done = joinAll(abc.all, timeout = waitTimeout)
            assertWithin(WAIT_MIN, WAIT_MAX, since(start))
            assertEquals(listOf<Greenlet<*>>(abc.b), done)
            assertFalse(abc.a.isDead)
            assertFalse(abc.c.isDead)
        }
    }

    @Test
    @DisplayName("MOD-15: joinAll(count=2) returns the first two to finish")
    fun mod15_joinAllCountReturnsFirstTwo() {
        runGreenlet {
            val abc = Abc.spawnAll()
            abc.finishInOrderBca()
            assertEquals(listOf<Greenlet<*>>(abc.b, abc.c), joinAll(abc.all, count = 2))
        }
    }

    @Test
    @DisplayName("MOD-16: joinAll(raiseError) throws the first failure at once; the others keep running")
    fun mod16_joinAllRaiseErrorThrowsFirstFailureAndDoesNotKillOthers() {
        runGreenlet {
            val never = Event()
            val errB = IllegalStateException("b")
            val a = Abc.gated(never, "a")
            val b =
                spawn<Unit> {
                    sleep(GET_TIMEOUT)
                    throw errB
                }
            val c =
                spawn<Unit> {
                    never.await()
                    throw IllegalStateException("c")
                }
            val start = System.nanoTime()
            val thrown = assertFailsWith<IllegalStateException> { joinAll(listOf(a, b, c), raiseError = true) }
            assertWithin(GET_MIN, GET_MAX, since(start))
            assertSame(errB, thrown)
            sleep()
            assertTrue(a.isAlive, "a is not killed")
            assertTrue(c.isAlive, "c is not killed")
        }
    }

    @Test
    @DisplayName("MOD-17: joinAll(raiseError) throws the earliest failure to complete, not the first in the list")
    fun mod17_joinAllThrowsEarliestFailureNotListOrder() {
        runGreenlet {
            val first = IllegalStateException("first")
            val second = IllegalStateException("second")
            val a =
                spawn<Unit> {
                    sleep(0.1)
                    throw first
                }
            val b = spawn<Unit> { throw second }
            assertSame(second, assertFailsWith<IllegalStateException> { joinAll(listOf(a, b), raiseError = true) })
            assertTrue(a.awaitJoin())
            assertSame(first, a.exception())
        }
    }

    // ---- 1.6 kill / killAll --------------------------------------------------------------------------

    @Test
    @DisplayName("MOD-24: Gevent.kill never blocks: the target dies at the caller's next sleep(0)")
    fun mod24_killNeverBlocks() {
        runGreenlet {
            val g = spawn { sleep(1.seconds) }
            sleep()
            assertTrue(g.isAlive)
            Gevent.kill(g)
            assertFalse(g.isDead, "kill() returned before the target died")
            sleep()
            assertTrue(g.isDead, "dead after one sleep(0)")
            assertTrue(g.isSuccessful)
            assertNull(g.exception())
        }
    }

    @Test
    @DisplayName("MOD-26: killAll of never-switched-to greenlets: all dead, successful, none ever ran")
    fun mod26_killAllBeforeStartNoneRan() {
        runGreenlet {
            val ran = AtomicBoolean()
            val gs =
                List(3) {
                    spawn {
                        ran.set(true)
                        sleep(1.seconds)
                    }
                }
            val exit = GreenletExit()
            Gevent.killAll(gs, exit, false, null)
            assertEquals(gs.size, joinAll(gs).size)
            for (g in gs) {
                assertTrue(g.isDead)
                assertTrue(g.isSuccessful, "a GreenletExit is a success")
                assertNull(g.exception())
                assertSame(exit, assertFailsWith<GreenletExit> { g.await() }, "await() re-throws the exit itself")
            }
            sleep(0.01)
            assertFalse(ran.get(), "no body ever ran")
        }
    }

    @Test
    @DisplayName("MOD-27: killAll(block=false) returns with none dead; all are dead after sleep(0)")
    fun mod27_killAllNonBlocking() {
        runGreenlet {
            val gs = List(3) { spawn { sleep(1.seconds) } }
            sleep()
            gs.forEach { assertTrue(it.isAlive) }
            Gevent.killAll(gs, GreenletExit(), false, null)
            gs.forEach { assertFalse(it.isDead, "killAll(block=false) returned before the deaths") }
            sleep()
            gs.forEach { assertTrue(it.isDead, "dead after one sleep(0)") }
        }
    }

    @Test
    @DisplayName(
        "MOD-28: killing a greenlet that swallows the GreenletExit, then joinAll under a gevent timeout, raises Timeout"
    )
    fun mod28_killAllOfASwallowerTimesOut() {
        runGreenlet {
            val swallowed = AtomicInteger()
            // A Kotlin greenlet cannot swallow a kill (its coroutine is cancelled): the swallower is Java.
            val g =
                Gevent.spawn(
                    GreenRunnable {
                        while (true) {
                            try {
                                Gevent.sleep(10.0)
                            } catch (e: GreenletExit) {
                                if (swallowed.incrementAndGet() > 1) throw e
                            }
                        }
                    }
                )
            sleep()
            val start = System.nanoTime()
            assertFailsWith<Timeout> {
                withGeventTimeout(waitTimeout) {
                    Gevent.killAll(listOf(g), GreenletExit(), false, null)
                    joinAll(listOf(g))
                }
            }
            assertWithin(WAIT_MIN, WAIT_MAX, since(start))
            assertEquals(1, swallowed.get())
            assertTrue(g.isAlive, "the swallower lives on")
            g.awaitKill()
            assertTrue(g.isDead)
        }
    }
}
