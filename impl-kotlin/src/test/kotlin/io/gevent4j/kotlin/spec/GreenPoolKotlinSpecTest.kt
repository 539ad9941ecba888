package io.gevent4j.kotlin.spec

/*
 * Spec section 13.1 / 13.2 (gevent-semantics.md): eventlet's GreenPool and GreenPile through their Kotlin suspend
 * twins (GreenPools.kt): GreenPool.spawnSuspend / awaitWaitall / imapFlow / starmapFlow and GreenPile.spawnSuspend /
 * awaitNext / consumeAsFlow. Members are Kotlin greenlets running suspend bodies; the scenario greenlet started by
 * runGreenlet plays eventlet's main greenthread. Java and Kotlin spawners share one pool (one FIFO line, one slot
 * count), and the Java calls that would block refuse to in a Kotlin body, naming their twin.
 *
 * Interpretations and skipped cases (see GreenPoolSpecTest for the Java side):
 *   EL-01 (part) the constructor rows are Java-only (GreenPoolSpecTest); here only "spawn into GreenPool(0)
 *          waits until a Timeout".
 *   EL-06  spawn_n has no separate twin: spawnSuspend on a full pool is the call that waits, hence yields.
 *   EL-12  a Flow cannot go on after an exception: the first failed task ends imapFlow with its error (the
 *          same instance); the tasks in flight run on and give their slots back.
 *   EL-14  object counting is not observable; what is checked is the bound it stands for: imapFlow reads its
 *          input at most the pool size ahead of what it emitted, and has at most the pool's free slots in flight.
 *   EL-20  randomised stress ordering: covered deterministically by EL-16/EL-18/EL-19.
 *   EL-14  also: as eventlet's GreenMap, a flow runs its tasks in a new pool of the pool's size, so members
 *          running elsewhere in the pool do not narrow it, and a flow collected inside a full pool does not hang.
 */

import io.gevent4j.BlockingSwitchOutException
import io.gevent4j.Gevent
import io.gevent4j.GreenCallable
import io.gevent4j.GreenRunnable
import io.gevent4j.Greenlet
import io.gevent4j.GreenletExit
import io.gevent4j.Hub
import io.gevent4j.Timeout
import io.gevent4j.event.Event
import io.gevent4j.kotlin.await
import io.gevent4j.kotlin.awaitJoin
import io.gevent4j.kotlin.awaitKill
import io.gevent4j.kotlin.awaitNext
import io.gevent4j.kotlin.awaitWaitall
import io.gevent4j.kotlin.consumeAsFlow
import io.gevent4j.kotlin.imapFlow
import io.gevent4j.kotlin.sleep
import io.gevent4j.kotlin.spawn
import io.gevent4j.kotlin.spawnBlocking
import io.gevent4j.kotlin.spawnSuspend
import io.gevent4j.kotlin.starmapFlow
import io.gevent4j.kotlin.testing.KotlinTestBase
import io.gevent4j.kotlin.withGeventTimeout
import io.gevent4j.pool.GreenPile
import io.gevent4j.pool.GreenPool
import io.gevent4j.testing.ExpectedError
import java.util.Collections
import kotlin.test.assertContains
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertFalse
import kotlin.test.assertNull
import kotlin.test.assertSame
import kotlin.test.assertTrue
import kotlin.time.Duration
import kotlin.time.Duration.Companion.milliseconds
import kotlin.time.Duration.Companion.seconds
import kotlinx.coroutines.TimeoutCancellationException
import kotlinx.coroutines.flow.firstOrNull
import kotlinx.coroutines.flow.onEach
import kotlinx.coroutines.flow.take
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.withTimeout
import org.junit.jupiter.api.BeforeAll
import org.junit.jupiter.api.DisplayName
import org.junit.jupiter.api.Test

class GreenPoolKotlinSpecTest : KotlinTestBase() {

    companion object {
        @JvmStatic
        @BeforeAll
        fun warmUp() {
            Hub.create("kotlin-greenpool-warm-up").use { h ->
                val g =
                    h.spawnSuspend {
                        val p = GreenPool(2)
                        p.spawnSuspend { sleep(0.001) }
                        p.spawnSuspend { sleep(0.001) }
                        p.spawnSuspend { 1 }.await()
                        p.awaitWaitall()
                        p.imapFlow(listOf(1, 2, 3)) { it }.toList()
                        p.imapFlow(listOf(1, 2), listOf(3, 4)) { a, b -> a + b }.toList()
                        p.starmapFlow(listOf(arrayOf<Any?>(1))) { it[0] }.toList()
                        val pile = GreenPile<Int>(p)
                        pile.spawnSuspend { 1 }
                        pile.awaitNext()
                        pile.spawnSuspend { 2 }
                        pile.consumeAsFlow().toList()
                        withGeventTimeout(1.milliseconds, 0) {
                            sleep(0.01)
                            1
                        }
                        spawnBlocking { p.spawn(GreenCallable { 1 }).get() }.await()
                    }
                g.join(java.time.Duration.ofSeconds(10))
            }
        }

        /** Not a constant, so the compiler does not see the division by zero. */
        private fun divide(a: Int, b: Int): Int = a / b
    }

    @Test
    @DisplayName(
        "EL-01 (Kotlin): spawnSuspend into GreenPool(0) waits until a Timeout or a cancellation, taking nothing"
    )
    fun el01_zeroPoolWaitsForEver() {
        runGreenlet {
            val p = GreenPool(0)
            var ran = false
            val start = System.nanoTime()
            assertFailsWith<Timeout> { withGeventTimeout(GET_TIMEOUT.seconds) { p.spawnSuspend { ran = true } } }
            assertWithin(GET_MIN, GET_MAX, since(start))
            assertEquals(0, p.waiting())
            assertFailsWith<TimeoutCancellationException> {
                withTimeout(GET_TIMEOUT.seconds) { p.spawnSuspend { ran = true } }
            }
            assertEquals(0, p.waiting())
            assertEquals(0, p.running())
            assertEquals(0, p.free())
            sleep()
            assertFalse(ran)
        }
    }

    @Test
    @DisplayName("EL-02 (Kotlin): spawnSuspend takes a free slot at once and does not yield; the task has not started")
    fun el02_spawnSuspendDoesNotYield() {
        runGreenlet {
            val p = GreenPool(2)
            expect(1)
            val a =
                p.spawnSuspend {
                    finish(3)
                    1
                }
            assertEquals(1, p.free())
            assertEquals(1, p.running())
            assertEquals(0, p.waiting())
            assertFalse(a.isDead)
            expect(2)
            assertEquals(1, a.await())
            assertFinished()
            assertEquals(2, p.free(), "the slot is free before the joiner resumes")
            assertEquals(0, p.running())
        }
    }

    @Test
    @DisplayName("EL-03 (Kotlin): GreenPool(4), 10 spawnSuspend -> results 0..9; the 5th spawn waits for a slot")
    fun el03_spawnSuspendWaitsForASlot() {
        runGreenlet {
            val p = GreenPool(4)
            val gs = ArrayList<Greenlet<Int>>()
            val runningAtSpawn = ArrayList<Int>()
            var inFlight = 0
            var maxInFlight = 0
            var deadBefore5th = -1
            for (i in 0 until 10) {
                if (i == 4) deadBefore5th = gs.count { it.isDead }
                gs.add(
                    p.spawnSuspend {
                        inFlight++
                        maxInFlight = maxOf(maxInFlight, inFlight)
                        sleep(0.001)
                        inFlight--
                        i
                    }
                )
                runningAtSpawn.add(p.running())
                if (i == 4) {
                    assertEquals(0, deadBefore5th)
                    assertTrue(gs.take(4).any { it.isDead }, "the 5th spawnSuspend returned while 4 tasks ran")
                }
            }
            assertEquals(listOf(1, 2, 3, 4), runningAtSpawn.subList(0, 4))
            assertTrue(runningAtSpawn.all { it <= 4 }, runningAtSpawn.toString())
            assertEquals((0 until 10).toList(), gs.map { it.await() })
            assertEquals(4, maxInFlight)
            assertEquals(4, p.free())
        }
    }

    @Test
    @DisplayName("EL-04 (Kotlin): waiting() counts the suspended Kotlin spawners: 0, 1, 2; then 0 after the end")
    fun el04_waitingCountsSuspendedSpawners() {
        runGreenlet {
            val p = GreenPool(1)
            val done = Event()
            val spawners = ArrayList<Greenlet<Boolean>>()
            val waiting = ArrayList<Int>()
            repeat(3) {
                spawners.add(spawn { p.spawnSuspend { done.await() }.await() })
                sleep()
                waiting.add(p.waiting())
            }
            assertEquals(listOf(0, 1, 2), waiting)
            assertEquals(1, p.running())
            assertEquals(0, p.free())
            done.set()
            for (s in spawners) assertTrue(s.await(1.seconds))
            assertEquals(0, p.waiting())
            assertEquals(0, p.running())
            assertEquals(1, p.free())
        }
    }

    @Test
    @DisplayName("EL-04 (Kotlin): a killed waiting spawner takes no slot, starts nothing and hands its wake-up on")
    fun el04_killedWaiterHandsTheWakeUpOn() {
        runGreenlet {
            val p = GreenPool(1)
            val release = Event()
            val ran = ArrayList<String>()
            val holder = p.spawnSuspend { release.await() }
            val a = spawn {
                p.spawnSuspend {
                    ran.add("a")
                    release.await()
                }
            }
            val b = spawn {
                p.spawnSuspend {
                    ran.add("b")
                    release.await()
                }
            }
            val c = spawn {
                p.spawnSuspend {
                    ran.add("c")
                    release.await()
                }
            }
            sleep()
            assertEquals(3, p.waiting())
            // b, in the middle of the line, is killed while it waits: it leaves the line, nothing else moves
            b.awaitKill()
            assertEquals(2, p.waiting())
            assertEquals(0, p.free())
            // a is killed (the kill is queued, so it reaches a before anything scheduled after it), then a slot
            // frees up and resize hands it to the head of the line, a: a takes no slot and must pass the wake-up
            // on to c, else c would wait for ever with a free slot. (A kill requested after a's wake-up already
            // ran is too late, as in gevent: a then takes the slot.)
            a.kill(GreenletExit(), false, null)
            p.resize(2)
            assertTrue(a.awaitJoin(1.seconds))
            val cMember = c.await(1.seconds)
            sleep()
            assertFalse(cMember.isDead)
            assertEquals(listOf("c"), ran)
            assertEquals(0, p.waiting())
            assertEquals(2, p.running())
            assertEquals(0, p.free())
            assertFalse(holder.isDead)
            release.set()
            p.awaitWaitall()
            assertEquals(2, p.free())
            assertEquals(listOf("c"), ran)
        }
    }

    @Test
    @DisplayName(
        "EL-05 (Kotlin): resize below the running count makes free() negative; growing wakes Kotlin spawners in turn"
    )
    fun el05_resize() {
        runGreenlet {
            val p = GreenPool(2)
            val release = Event()
            p.spawnSuspend { release.await() }
            p.spawnSuspend { release.await() }
            assertEquals(0, p.free())
            p.resize(1)
            assertEquals(-1, p.free())
            release.set()
            p.awaitWaitall()
            assertEquals(1, p.free())
            assertEquals(0, p.running())
            p.resize(2)
            assertEquals(2, p.free())

            val q = GreenPool(3)
            val release2 = Event()
            repeat(3) { q.spawnSuspend { release2.await() } }
            q.resize(1)
            assertEquals(-2, q.free())
            // a spawner waits while free() < 1 ...
            val started = ArrayList<Int>()
            val w1 = spawn {
                q.spawnSuspend {
                    started.add(1)
                    release2.await()
                }
            }
            val w2 = spawn {
                q.spawnSuspend {
                    started.add(2)
                    release2.await()
                }
            }
            sleep()
            assertEquals(2, q.waiting())
            // ... and growing to 5 frees 2 slots: the head takes one and hands the other on
            q.resize(5)
            assertEquals(2, q.free())
            w1.await(1.seconds)
            w2.await(1.seconds)
            assertEquals(0, q.waiting())
            assertEquals(5, q.running())
            assertEquals(0, q.free())
            sleep()
            assertEquals(listOf(1, 2), started)
            release2.set()
            q.awaitWaitall()
            assertEquals(5, q.free())
        }
    }

    @Test
    @DisplayName("EL-06 (Kotlin): spawnSuspend on a full pool waits, which yields: {1,2,3}, then {1,2,3,4}")
    fun el06_spawnOnAFullPoolYields() {
        runGreenlet {
            val p = GreenPool(2)
            assertEquals(2, p.free())
            val r = ArrayList<Int>()
            val gt = p.spawnSuspend { r.add(1) }
            assertEquals(1, p.free())
            gt.await()
            assertEquals(listOf(1), r)
            assertEquals(2, p.free())
            p.spawnSuspend { r.add(2) }
            assertEquals(1, p.free())
            assertEquals(listOf(1), r)
            p.spawnSuspend { r.add(3) }
            assertEquals(0, p.free())
            assertEquals(listOf(1), r)
            p.spawnSuspend { r.add(4) }
            assertEquals(setOf(1, 2, 3), r.toSet())
            sleep()
            assertEquals(setOf(1, 2, 3, 4), r.toSet())
        }
    }

    @Test
    @DisplayName("EL-07 (Kotlin): spawnSuspend from inside a full pool runs inline and returns a finished greenlet")
    fun el07_reentrantSpawnRunsInline() {
        runGreenlet {
            val p = GreenPool(1)
            val boom = ExpectedError("inline")
            val outer =
                p.spawnSuspend {
                    val self = Gevent.getcurrent()
                    expect(1)
                    val inner =
                        p.spawnSuspend {
                            expect(2)
                            sleep() // a suspending inline body
                            assertEquals(1, p.running())
                            Gevent.getcurrent()
                        }
                    expect(3)
                    assertTrue(inner.isDead)
                    assertSame(self, inner.await())
                    // a failure of the inline body is held by the greenlet, not thrown by spawnSuspend
                    val failed = p.spawnSuspend<Int> { throw boom }
                    assertTrue(failed.isDead)
                    assertFalse(failed.isSuccessful)
                    assertSame(boom, assertFailsWith<ExpectedError> { failed.await() })
                    assertEquals(1, p.running())
                    assertEquals(0, p.free())
                    expect(4)
                    true
                }
            assertTrue(outer.await())
            p.awaitWaitall()
            assertEquals(1, p.free())
            finish(5)
        }
    }

    @Test
    @DisplayName("EL-08 (Kotlin): a Kotlin member that raises, exits with GreenletExit or is killed releases its slot")
    fun el08_endedMembersReleaseTheirSlot() {
        runGreenlet {
            val p = GreenPool(2)
            p.spawnSuspend<Unit> { throw ExpectedError("expected") }
            assertEquals(1, p.free())
            p.awaitWaitall()
            assertEquals(2, p.free())
            p.spawnSuspend<Unit> { throw GreenletExit() }
            assertEquals(1, p.free())
            p.awaitWaitall()
            assertEquals(2, p.free())
            val m = p.spawnSuspend { sleep(10.0) }
            sleep()
            assertEquals(1, p.free())
            m.awaitKill()
            assertEquals(2, p.free())
            assertEquals(0, p.running())
        }
    }

    @Test
    @DisplayName("EL-09 (Kotlin): await() of a failed member throws its error and the slot is already free")
    fun el09_failedAwaitFreesTheSlot() {
        runGreenlet {
            val p = GreenPool(2)
            val gt =
                p.spawnSuspend {
                    sleep()
                    divide(1, 0)
                }
            assertFailsWith<ArithmeticException> { gt.await() }
            assertEquals(2, p.free())
            assertEquals(0, p.running())
        }
    }

    @Test
    @DisplayName(
        "EL-10 (Kotlin): awaitWaitall on nothing returns at once, waits for Java and Kotlin members, throws inside"
    )
    fun el10_awaitWaitall() {
        runGreenlet {
            val p = GreenPool()
            val t0 = System.nanoTime()
            p.awaitWaitall()
            assertWithin(0.0, GET_MAX, since(t0))
            val gt =
                p.spawnSuspend {
                    p.awaitWaitall()
                    "returned"
                }
            val e = assertFailsWith<IllegalStateException> { gt.await(1.seconds) }
            assertEquals(
                "Calling waitall() from within one of the GreenPool's greenthreads will never terminate.",
                e.message,
            )
            val r = Collections.synchronizedSet(HashSet<Int>())
            for (x in 0 until 3) {
                p.spawnSuspend {
                    sleep(0.001 * (3 - x))
                    r.add(x)
                }
            }
            val javaMember =
                p.spawn(
                    GreenCallable {
                        Gevent.sleep(0.004)
                        r.add(3)
                    }
                )
            assertEquals(4, p.running())
            p.awaitWaitall()
            assertEquals(setOf(0, 1, 2, 3), r)
            assertTrue(javaMember.isDead)
            assertEquals(0, p.running())
        }
    }

    @Test
    @DisplayName("EL-11 (Kotlin): imapFlow over one input in input order, over an empty input, over two zipped inputs")
    fun el11_imapFlow() {
        runGreenlet {
            val p = GreenPool(4)
            assertEquals(
                (0 until 10).toList(),
                p.imapFlow((0 until 10).toList()) { x ->
                        sleep(0.001 * (10 - x)) // later items finish first
                        x
                    }
                    .toList(),
            )
            assertNull(p.imapFlow(emptyList<Int>()) { it }.firstOrNull())
            val pairs =
                p.imapFlow((0 until 10).toList(), (10 until 25).toList()) { a, b ->
                        sleep(0.001 * (b % 3))
                        listOf(a, b)
                    }
                    .toList()
            assertEquals((0 until 10).map { listOf(it, it + 10) }, pairs)
            assertEquals(
                listOf("a0", "b1"),
                p.imapFlow(listOf("a", "b"), (0 until 10).toList()) { s, n -> "$s$n" }.toList(),
            )
            p.awaitWaitall()
            assertEquals(4, p.free())
        }
    }

    @Test
    @DisplayName(
        "EL-12 (Kotlin): the first failed imapFlow task ends the flow with its error; the tasks in flight run on"
    )
    fun el12_imapFlowEndsWithTheFirstError() {
        runGreenlet {
            val p = GreenPool(4)
            val out = ArrayList<Int>()
            val ran = ArrayList<Int>()
            val boom1 = ExpectedError("r1")
            val caught =
                assertFailsWith<ExpectedError> {
                    p.imapFlow((0 until 10).toList()) { x ->
                            ran.add(x)
                            sleep()
                            if (x == 1) throw boom1
                            if (x == 7) throw ExpectedError("r7")
                            x
                        }
                        .toList(out)
                }
            assertSame(boom1, caught)
            assertEquals(listOf(0), out)
            p.awaitWaitall()
            assertTrue(ran.containsAll(listOf(0, 1, 2, 3)), ran.toString())
            assertTrue(ran.all { it < out.size + 4 }, "read beyond the window: $ran")
            assertEquals(4, p.free())
            assertEquals(0, p.waiting())
        }
    }

    @Test
    @DisplayName("EL-13 (Kotlin): starmapFlow applies the function to each argument tuple, in input order")
    fun el13_starmapFlow() {
        runGreenlet {
            val p = GreenPool(3)
            val tuples = (0 until 10).map { arrayOf<Any?>(it) }
            assertEquals(
                (0 until 10).toList(),
                p.starmapFlow(tuples) { t ->
                        val x = t[0] as Int
                        sleep(0.001 * (10 - x))
                        x
                    }
                    .toList(),
            )
            val pairs = listOf(arrayOf<Any?>(1, 2), arrayOf<Any?>(3, 4))
            assertEquals(listOf(3, 7), p.starmapFlow(pairs) { t -> t[0] as Int + t[1] as Int }.toList())
            assertEquals(emptyList(), p.starmapFlow(emptyList()) { it }.toList())
        }
    }

    @Test
    @DisplayName(
        "EL-14 (Kotlin): imapFlow reads its input lazily, at most the pool size ahead, and stops with the collector"
    )
    fun el14_imapFlowIsBounded() {
        runGreenlet {
            val p = GreenPool(3)
            var pulled = 0
            var inFlight = 0
            var maxInFlight = 0
            val aheadAtEmit = ArrayList<Int>()
            val endless = generateSequence { pulled++ }.asIterable()
            val got =
                p.imapFlow(endless) { x ->
                        inFlight++
                        maxInFlight = maxOf(maxInFlight, inFlight)
                        sleep(0.001 * (x % 3))
                        inFlight--
                        x
                    }
                    .onEach { aheadAtEmit.add(pulled - it) }
                    .take(20)
                    .toList()
            assertEquals((0 until 20).toList(), got)
            assertTrue(aheadAtEmit.all { it in 1..3 }, "items read but not emitted yet: $aheadAtEmit")
            assertEquals(3, maxInFlight)
            val read = pulled
            p.awaitWaitall()
            sleep(0.01)
            assertEquals(read, pulled, "the input is read no more once the collection ended")
            assertEquals(3, p.free())
            assertEquals(0, p.waiting())

            // eventlet's GreenMap: the flow runs in a new pool of the pool's size, so with 2 of 3 slots held
            // elsewhere it still runs 3 at once, and it takes none of this pool's slots
            val release = Event()
            p.spawnSuspend { release.await() }
            p.spawn(GreenCallable { release.waitFor() })
            inFlight = 0
            maxInFlight = 0
            val freeDuring = ArrayList<Int>()
            assertEquals(
                listOf(0, 1, 2, 3, 4, 5),
                p.imapFlow((0 until 6).toList()) { x ->
                        inFlight++
                        maxInFlight = maxOf(maxInFlight, inFlight)
                        freeDuring.add(p.free())
                        sleep(0.001)
                        inFlight--
                        x
                    }
                    .toList(),
            )
            assertEquals(3, maxInFlight)
            assertEquals(List(6) { 1 }, freeDuring, "the flow's tasks are not members of the pool")
            assertEquals(2, p.running())

            // and a member of a full pool can collect a flow of that pool (no deadlock)
            val q = GreenPool(1)
            val inner = q.spawnSuspend { q.imapFlow(listOf(1, 2, 3)) { it * 2 }.toList() }
            assertEquals(listOf(2, 4, 6), inner.await(1.seconds))
            release.set()
            p.awaitWaitall()
            assertEquals(3, p.free())
        }
    }

    @Test
    @DisplayName("EL-15 (Kotlin): consumer and producer members of GreenPool(2) -> cons1, prod, cons2")
    fun el15_multipleCoros() {
        runGreenlet {
            val evt = Event()
            val results = ArrayList<String>()
            val p = GreenPool(2)
            val done =
                p.spawnSuspend {
                    results.add("cons1")
                    evt.await()
                    results.add("cons2")
                }
            p.spawnSuspend {
                results.add("prod")
                evt.set()
            }
            done.await()
            assertEquals(listOf("cons1", "prod", "cons2"), results)
        }
    }

    @Test
    @DisplayName(
        "EL-16 (Kotlin): GreenPile(4) with 10 spawnSuspend gives 0..9 in spawn order; an empty pile gives nothing"
    )
    fun el16_pileInSpawnOrder() {
        runGreenlet {
            val pile = GreenPile<Int>(4)
            for (x in 0 until 10) {
                pile.spawnSuspend {
                    sleep(0.001 * (10 - x)) // later spawns finish first
                    x
                }
            }
            assertTrue(pile.hasNext())
            assertEquals((0 until 10).toList(), pile.consumeAsFlow().toList())
            assertFalse(pile.hasNext())
            assertFailsWith<NoSuchElementException> { pile.awaitNext() }
            // fed again after it was drained
            for (x in 0 until 3) pile.spawnSuspend { x * 10 }
            assertEquals(0, pile.awaitNext())
            assertEquals(10, pile.awaitNext())
            assertEquals(20, pile.awaitNext())
            assertFailsWith<NoSuchElementException> { pile.awaitNext() }
            val empty = GreenPile<Int>()
            assertEquals(emptyList(), empty.consumeAsFlow().toList())
            assertFailsWith<NoSuchElementException> { empty.awaitNext() }
        }
    }

    @Test
    @DisplayName(
        "EL-17 (Kotlin): a pile spawnSuspend into a full pool interrupted by Timeout(0) or a cancellation adds nothing"
    )
    fun el17_interruptedPileSpawnAddsNothing() {
        runGreenlet {
            val p = GreenPool(4)
            val pile = GreenPile<Int>(p)
            val release = Event()
            for (x in 0 until 4) {
                pile.spawnSuspend {
                    release.await()
                    x
                }
            }
            var ran = false
            assertFailsWith<Timeout> {
                withGeventTimeout(Duration.ZERO) {
                    pile.spawnSuspend {
                        ran = true
                        99
                    }
                }
            }
            assertFailsWith<TimeoutCancellationException> {
                withTimeout(GET_TIMEOUT.seconds) {
                    pile.spawnSuspend {
                        ran = true
                        98
                    }
                }
            }
            assertEquals(0, p.waiting())
            assertEquals(4, p.running())
            release.set()
            for (x in 4 until 10) {
                pile.spawnSuspend {
                    sleep(0.001)
                    x
                }
            }
            val got = ArrayList<Int>()
            repeat(10) { got.add(pile.awaitNext()) }
            assertEquals((0 until 10).toList(), got)
            assertFalse(pile.hasNext(), "an interrupted spawn was counted")
            assertFalse(ran)
        }
    }

    @Test
    @DisplayName(
        "EL-18 (Kotlin): a pile [raises, returns 2]: awaitNext throws, then gives 2, then NoSuchElementException"
    )
    fun el18_pileWithAFailure() {
        runGreenlet {
            val pile = GreenPile<Int>()
            pile.spawnSuspend { divide(1, 0) }
            pile.spawnSuspend { 2 }
            assertTrue(pile.hasNext())
            assertFailsWith<ArithmeticException> { pile.awaitNext() }
            assertTrue(pile.hasNext())
            assertEquals(2, pile.awaitNext())
            assertFalse(pile.hasNext())
            assertFailsWith<NoSuchElementException> { pile.awaitNext() }

            // consumeAsFlow ends with the failure (the same instance), which counts as consumed
            val boom = ExpectedError("pile")
            pile.spawnSuspend { 1 }
            pile.spawnSuspend { throw boom }
            pile.spawnSuspend { 3 }
            val seen = ArrayList<Int>()
            assertSame(boom, assertFailsWith<ExpectedError> { pile.consumeAsFlow().toList(seen) })
            assertEquals(listOf(1), seen)
            assertEquals(3, pile.awaitNext())
            assertFalse(pile.hasNext())
        }
    }

    @Test
    @DisplayName(
        "EL-19 (Kotlin): two piles sharing GreenPool(2), each fed by its own Kotlin greenlet, keep their own order"
    )
    fun el19_pilesShareAPool() {
        runGreenlet {
            val p = GreenPool(2)
            val pile1 = GreenPile<Int>(p)
            val pile2 = GreenPile<Int>(p)
            var maxRunning = 0
            spawn {
                for (x in 0 until 10) {
                    pile1.spawnSuspend {
                        maxRunning = maxOf(maxRunning, p.running())
                        sleep(0.001 * (x % 3))
                        x
                    }
                }
            }
            spawn {
                for (x in 100 until 110) {
                    pile2.spawnSuspend {
                        maxRunning = maxOf(maxRunning, p.running())
                        sleep(0.001 * (x % 2))
                        x
                    }
                }
            }
            sleep()
            assertEquals((100 until 110).toList(), pile2.consumeAsFlow().toList())
            assertEquals((0 until 10).toList(), pile1.consumeAsFlow().toList())
            assertEquals(2, maxRunning)
            p.awaitWaitall()
            assertEquals(2, p.free())
        }
    }

    @Test
    @DisplayName("EL-03/EL-04 (Kotlin+Java): Java and Kotlin spawners share one slot count and one FIFO line")
    fun el04_javaAndKotlinSpawnersShareOnePool() {
        runGreenlet {
            // one slot count: a Java and a Kotlin member fill GreenPool(2); both kinds of spawner then wait
            val p = GreenPool(2)
            val release = Event()
            val javaMember = p.spawn(GreenCallable { release.waitFor() })
            val kotlinMember = p.spawnSuspend { release.await() }
            assertEquals(0, p.free())
            assertEquals(2, p.running())
            val k = spawn { p.spawnSuspend { "k" }.await() }
            val j = spawnBlocking { p.spawn(GreenCallable { "j" }).get() }
            sleep()
            assertEquals(2, p.waiting())
            release.set()
            assertEquals("k", k.await(1.seconds))
            assertEquals("j", j.await(1.seconds))
            assertTrue(javaMember.isDead && kotlinMember.isDead)
            p.awaitWaitall()
            assertEquals(2, p.free())

            // one FIFO line: GreenPool(1) held by a Java member; spawners of both kinds queue alternately
            val q = GreenPool(1)
            val hold = Event()
            q.spawn(GreenCallable { hold.waitFor() })
            val order = Collections.synchronizedList(ArrayList<String>())
            val waiting = ArrayList<Int>()
            val spawners = ArrayList<Greenlet<*>>()
            for (i in 1..3) {
                spawners.add(
                    spawnBlocking {
                        q.spawn(
                            GreenCallable {
                                order.add("J$i")
                                Gevent.sleep(0.001)
                            }
                        )
                    }
                )
                sleep()
                waiting.add(q.waiting())
                spawners.add(
                    spawn {
                        q.spawnSuspend {
                            order.add("K$i")
                            sleep(0.001)
                        }
                    }
                )
                sleep()
                waiting.add(q.waiting())
            }
            assertEquals(listOf(1, 2, 3, 4, 5, 6), waiting)
            assertEquals(1, q.running())
            assertEquals(0, q.free())
            hold.set()
            for (s in spawners) assertTrue(s.awaitJoin(1.seconds))
            q.awaitWaitall()
            assertEquals(listOf("J1", "K1", "J2", "K2", "J3", "K3"), order)
            assertEquals(1, q.free())
            assertEquals(0, q.waiting())
        }
    }

    @Test
    @DisplayName(
        "EL-03/EL-10/EL-16 (Kotlin): Java calls that would block in a Kotlin body throw BlockingSwitchOutException naming the twin"
    )
    fun blockingJavaCallsNameTheirTwin() {
        runGreenlet {
            val p = GreenPool(1)
            val release = Event()
            p.spawnSuspend { release.await() }
            var ran = false
            val e1 = assertFailsWith<BlockingSwitchOutException> { p.spawn(GreenCallable { ran = true }) }
            assertContains(e1.message!!, "GreenPool.spawnSuspend")
            val e1n = assertFailsWith<BlockingSwitchOutException> { p.spawnN(GreenRunnable { ran = true }) }
            assertContains(e1n.message!!, "GreenPool.spawnSuspend")
            val fullPile = GreenPile<Int>(p)
            val e1p = assertFailsWith<BlockingSwitchOutException> { fullPile.spawn(GreenCallable { 1 }) }
            assertContains(e1p.message!!, "GreenPool.spawnSuspend")
            assertFalse(fullPile.hasNext(), "a refused pile spawn is not counted")
            assertEquals(0, p.waiting(), "a refused spawn leaves no ticket in the line")
            assertEquals(0, p.free())
            assertEquals(1, p.running())

            val e2 = assertFailsWith<BlockingSwitchOutException> { p.waitall() }
            assertContains(e2.message!!, "GreenPool.awaitWaitall")

            val pile = GreenPile<Int>(GreenPool(2))
            pile.spawnSuspend {
                release.await()
                5
            }
            val e3 = assertFailsWith<BlockingSwitchOutException> { pile.next() }
            assertContains(e3.message!!, "GreenPile.awaitNext")
            assertTrue(pile.hasNext(), "a refused next() consumes nothing")

            release.set()
            assertEquals(5, pile.awaitNext())
            p.awaitWaitall()
            // the same Java calls are fine in a Kotlin body when they need no wait
            p.waitall()
            assertEquals(7, p.spawn(GreenCallable { 7 }).await())
            pile.spawnSuspend { 6 }
            sleep()
            assertEquals(6, pile.next())
            assertFalse(ran)
        }
    }

    @Test
    @DisplayName("EL-09 (Kotlin): a member that died before await() has given its slot back already")
    fun el09_deadMemberHasFreedItsSlot() {
        runGreenlet {
            val p = GreenPool(2)
            val kotlinMember = p.spawnSuspend { divide(1, 0) }
            val javaMember = p.spawn(GreenCallable { 1 })
            sleep() // both run and die
            assertTrue(kotlinMember.isDead && javaMember.isDead)
            assertFailsWith<ArithmeticException> { kotlinMember.await() }
            assertEquals(1, javaMember.await())
            assertEquals(0, p.running(), "dead members still counted")
            assertEquals(2, p.free())
        }
    }

    @Test
    @DisplayName(
        "EL-07 (Kotlin): Java GreenPool.spawn from a Kotlin member of a full pool runs inline, or refuses before running"
    )
    fun el07_javaSpawnFromAKotlinMemberOfAFullPool() {
        runGreenlet {
            val p = GreenPool(1)
            val ran = ArrayList<String>()
            val outer =
                p.spawnSuspend {
                    try {
                        val inner =
                            p.spawn(
                                GreenCallable {
                                    ran.add("inline")
                                    5
                                }
                            )
                        assertTrue(inner.isDead)
                        inner.await()
                    } catch (e: BlockingSwitchOutException) {
                        // refusing is fine, but before the body has run, and naming the twin
                        assertEquals(emptyList(), ran, "refused after running the body inline: ${e.message}")
                        assertContains(e.message!!, "GreenPool.spawnSuspend")
                        -1
                    }
                }
            assertTrue(outer.await() in setOf(5, -1))
        }
    }
}
