package io.gevent4j.kotlin.spec

import io.gevent4j.BlockingSwitchOutException
import io.gevent4j.Gevent
import io.gevent4j.GreenCallable
import io.gevent4j.Greenlet
import io.gevent4j.Timeout
import io.gevent4j.event.Event
import io.gevent4j.kotlin.await
import io.gevent4j.kotlin.awaitAdd
import io.gevent4j.kotlin.awaitAvailable
import io.gevent4j.kotlin.awaitJoin
import io.gevent4j.kotlin.awaitKill
import io.gevent4j.kotlin.sleep
import io.gevent4j.kotlin.spawn
import io.gevent4j.kotlin.spawnSuspend
import io.gevent4j.kotlin.testing.KotlinTestBase
import io.gevent4j.kotlin.testing.snapshot
import io.gevent4j.kotlin.testing.syncList
import io.gevent4j.kotlin.withGeventTimeout
import io.gevent4j.pool.Group
import io.gevent4j.pool.Pool
import io.gevent4j.pool.PoolFullException
import io.gevent4j.queue.QueueFullException
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertFalse
import kotlin.test.assertIs
import kotlin.test.assertSame
import kotlin.test.assertTrue
import kotlin.time.Duration
import kotlin.time.Duration.Companion.milliseconds
import kotlin.time.Duration.Companion.seconds
import kotlinx.coroutines.flow.toList
import org.junit.jupiter.api.BeforeAll
import org.junit.jupiter.api.DisplayName
import org.junit.jupiter.api.Test

/**
 * Spec section 7 (Group / Pool) for the Kotlin-native twins in Pools.kt
 * [this file: 7.1 and 7.2; 7.3 in PoolJoinKillKotlinSpecTest, 7.4 in PoolMapKotlinSpecTest, mixed greenlet kinds in PoolMixedKindsKotlinSpecTest; helpers in PoolKotlinTesting.kt]:
 * `spawnSuspend`, `awaitAdd`, `awaitAvailable`, `awaitJoin`, `awaitKill`, `awaitApply`, `mapSuspend`, `imapFlow` and
 * `imapUnorderedFlow`. The scenario runs as a Kotlin greenlet ([runGreenlet], gevent's main greenlet) and the members
 * are Kotlin greenlets running suspend functions, except where a case is about Java members (the stubborn member of
 * PL-17, the shared-accounting cases, the Java methods that never block).
 *
 * Skipped or changed cases, with reasons (see also io.gevent4j.spec.GroupPoolSpecTest): PL-23 no LoopExit in gevent4j.
 * PL-27 (first half) map over two iterables: no such overload (compile-time). PL-30 a Flow cannot go on after an
 * exception: the first failed task ends imapFlow/imapUnorderedFlow with its error (checked in
 * pl30_imapFlowEndsAtTheFirstFailedTask). PL-34 an Iterable cannot suspend, so a Kotlin greenlet cannot read a blocking
 * input (a Queue, a generator that sleeps) lazily; a Java blocking call in it would throw BlockingSwitchOutException.
 * PL-35 no maxsize keyword; the laziness of a bounded Pool's flow is checked instead (imapFlow... tests). PL-38
 * CPython-specific error printing.
 */
class PoolKotlinSpecTest : KotlinTestBase() {

    companion object {
        @JvmStatic @BeforeAll fun warmUp() = warmUpKotlinPools()
    }

    // ---- 7.1 construction and size accounting --------------------------------------------------------

    @Test
    @DisplayName(
        "PL-01 (Kotlin): Pool(0) is full (awaitAvailable 0, awaitAdd PoolFull, spawnSuspend waits); Pool() is unbounded"
    )
    fun pl01_constructionAndSizeAccounting() {
        val e = assertFailsWith<IllegalArgumentException> { Pool(-1) }
        assertTrue(e.message!!.contains("-1"), e.message)
        runGreenlet {
            val zero = Pool(0)
            assertTrue(zero.isFull)
            var t0 = System.nanoTime()
            assertEquals(0, zero.awaitAvailable(GET_TIMEOUT.seconds))
            assertWithin(GET_MIN, GET_MAX, since(t0))
            t0 = System.nanoTime()
            assertFailsWith<PoolFullException> { zero.awaitAdd(Greenlet(GreenCallable { 1 }), GET_TIMEOUT.seconds) }
            assertWithin(GET_MIN, GET_MAX, since(t0))
            var ran = false
            assertFailsWith<Timeout> { withGeventTimeout(GET_TIMEOUT.seconds) { zero.spawnSuspend { ran = true } } }
            sleep(0.01)
            assertFalse(ran)
            assertEquals(0, zero.size())

            val unbounded = Pool()
            val never = Event()
            val members = (1..5).map { unbounded.spawnSuspend { never.await() } }
            assertEquals(5, unbounded.size())
            assertTrue(members.all { unbounded.contains(it) })
            assertEquals(1, unbounded.freeCount())
            assertFalse(unbounded.isFull)
            assertEquals(1, unbounded.awaitAvailable())
            unbounded.awaitKill()
            assertEquals(0, unbounded.size())

            assertEquals(2, Pool(2).freeCount())
            assertTrue(Pool(2).isEmpty)
            assertTrue(Group().isEmpty)
        }
    }

    @Test
    @DisplayName("PL-02 (Kotlin): spawnSuspend takes a slot; after the member's death and sleep() it is free again")
    fun pl02_spawnSuspendTakesASlot() {
        runGreenlet {
            val r = mutableListOf<Int>()
            val p = Pool(2)
            val first = p.spawnSuspend { r.add(1) }
            assertEquals(1, p.freeCount())
            first.await()
            assertEquals(listOf(1), r)
            sleep()
            assertEquals(2, p.freeCount())
            assertEquals(0, p.size())
        }
    }

    @Test
    @DisplayName(
        "PL-03/PL-06 (Kotlin): Java applyAsync on a full pool returns at once from a Kotlin greenlet; its greenlet is no member"
    )
    fun pl03_applyAsyncFromKotlinDoesNotBlock() {
        runGreenlet {
            val r = syncList<Int>()
            val p = Pool(2)
            val go = Event()
            p.spawnSuspend { go.await() }
            p.spawnSuspend { go.await() }
            assertTrue(p.isFull)
            val t0 = System.nanoTime()
            val fourth =
                p.applyAsync(
                    GreenCallable {
                        r.add(4)
                        42
                    }
                )
            assertTrue(since(t0) < AT_ONCE_MAX, "applyAsync on a full pool must not block")
            assertFalse(p.contains(fourth))
            sleep(0.01)
            assertEquals(listOf(), r.snapshot(), "it waits for a slot")
            go.set()
            assertEquals(42, fourth.await(1.seconds))
            assertEquals(listOf(4), r.snapshot())
        }
    }

    @Test
    @DisplayName("PL-05 (Kotlin): Pool(2) with two 0.02 s members: a third spawnSuspend returns once they ended")
    fun pl05_thirdSpawnSuspendWaitsForASlot() {
        runGreenlet {
            val p = Pool(2)
            val a = p.spawnSuspend { sleep(0.02) }
            val b = p.spawnSuspend { sleep(0.02) }
            val t0 = System.nanoTime()
            val c = p.spawnSuspend { 3 }
            assertWithin(0.018, GET_MAX, since(t0))
            // gevent ends a and b in one loop iteration only because epoll's millisecond timeouts batch their
            // timers (ours are exact, microseconds apart): what is certain is that a slot was freed by one of them
            assertTrue(a.isDead || b.isDead)
            assertFalse(c.isDead)
            assertEquals(3, c.await())
            assertTrue(p.awaitJoin(1.seconds))
            assertTrue(a.isDead && b.isDead)
        }
    }

    @Test
    @DisplayName(
        "spawnSuspend (Kotlin): never suspends with a free slot or in a Group; the member is a Kotlin greenlet"
    )
    fun spawnSuspendWithAFreeSlotDoesNotSuspend() {
        runGreenlet {
            val log = mutableListOf<String>()
            spawn { log.add("other") }
            val g = Group()
            val p = Pool(1)
            val m1 =
                g.spawnSuspend {
                    log.add("group member")
                    g.contains(Gevent.getcurrent())
                }
            val m2 =
                p.spawnSuspend {
                    log.add("pool member")
                    p.contains(Gevent.getcurrent())
                }
            assertEquals(listOf<String>(), log, "spawnSuspend yielded")
            assertTrue(m1.await())
            assertTrue(m2.await())
            assertEquals(listOf("other", "group member", "pool member"), log)

            // the body is a suspend function in a Kotlin greenlet: Java's blocking facades refuse there
            val blocking = p.spawnSuspend { Gevent.sleep(0.001) }
            assertFailsWith<BlockingSwitchOutException> { blocking.await() }
        }
    }

    @Test
    @DisplayName(
        "spawnSuspend (Kotlin): a caller killed or timed out while waiting for a slot takes none and starts nothing"
    )
    fun spawnSuspendCancelledWhileWaitingTakesNoSlot() {
        runGreenlet {
            val p = Pool(1)
            val gate = Event()
            val holder = p.spawnSuspend { gate.await() }
            var ran = 0
            val waiter = spawn { p.spawnSuspend { ran++ } }
            sleep()
            assertFalse(waiter.isDead, "the waiter waits for a slot")
            waiter.awaitKill()
            assertTrue(waiter.isDead)

            val t0 = System.nanoTime()
            assertFailsWith<Timeout> { withGeventTimeout(GET_TIMEOUT.seconds) { p.spawnSuspend { ran++ } } }
            assertWithin(GET_MIN, GET_MAX, since(t0))

            // a waiter queued behind the cancelled ones gets the slot when it frees
            val last = spawn { p.spawnSuspend { ran += 10 }.await() }
            sleep()
            assertEquals(listOf<Greenlet<*>>(holder), p.toList())
            gate.set()
            last.await(1.seconds)
            assertTrue(p.awaitJoin(1.seconds))
            assertEquals(10, ran, "only the waiter that was not cancelled started its member")
            assertEquals(1, p.freeCount())
            // exactly one slot: one more member fills the pool
            p.spawnSuspend { gate.await() }
            assertFailsWith<PoolFullException> { p.awaitAdd(Greenlet(GreenCallable { 1 }), Duration.ZERO) }
        }
    }

    @Test
    @DisplayName("spawnSuspend (Kotlin): waiters for a slot start in the order they began waiting (Kotlin waiters)")
    fun spawnSuspendWaitersAreServedInOrder() {
        runGreenlet {
            val p = Pool(1)
            val gate = Event()
            p.spawnSuspend { gate.await() }
            val order = mutableListOf<String>()
            val waiters =
                listOf("A", "B", "C").map { name ->
                    val w = spawn { p.spawnSuspend { order.add(name) }.await() }
                    sleep()
                    w
                }
            assertTrue(waiters.none { it.isDead })
            gate.set()
            for (w in waiters) w.await(1.seconds)
            assertEquals(listOf("A", "B", "C"), order)
        }
    }

    // ---- 7.2 add / start / discard / waitAvailable ---------------------------------------------------

    @Test
    @DisplayName(
        "PL-07 (Kotlin): awaitAdd on a full Pool(1) under an outer Timeout throws that Timeout; counts unchanged"
    )
    fun pl07_awaitAddUnderAnOuterTimeout() {
        runGreenlet {
            val p = Pool(1)
            val never = Event()
            val first = spawn { never.await() }
            p.awaitAdd(first)
            assertEquals(0, p.freeCount())
            assertEquals(1, p.size())
            val second = spawn { never.await() }
            val t = Timeout(0.1).start()
            val t0 = System.nanoTime()
            try {
                assertSame(t, assertFailsWith<Timeout> { p.awaitAdd(second) })
            } finally {
                t.cancel()
            }
            assertWithin(0.09, WAIT_MAX, since(t0))
            assertEquals(0, p.freeCount())
            assertEquals(1, p.size())
            assertFalse(p.contains(second))
            p.awaitKill()
            second.awaitKill()
        }
    }

    @Test
    @DisplayName(
        "PL-08 (Kotlin): full Pool(1): awaitAdd(timeout 0) and awaitAdd(0.1 s) throw PoolFullException; a member again is fine"
    )
    fun pl08_awaitAddTimesOutWithPoolFull() {
        runGreenlet {
            val p = Pool(1)
            val never = Event()
            val holder = p.spawnSuspend { never.await() }
            val second = Greenlet(GreenCallable { 2 })
            var t0 = System.nanoTime()
            val e = assertFailsWith<PoolFullException> { p.awaitAdd(second, Duration.ZERO) }
            assertIs<QueueFullException>(e)
            assertTrue(since(t0) < AT_ONCE_MAX)
            t0 = System.nanoTime()
            assertFailsWith<PoolFullException> { p.awaitAdd(second, 100.milliseconds) }
            assertWithin(0.09, WAIT_MAX, since(t0))
            assertFalse(p.contains(second))
            assertFalse(second.isStarted)
            assertFailsWith<IllegalArgumentException> { p.awaitAdd(second, (-1).seconds) }
            p.awaitAdd(holder, Duration.ZERO) // a member already: no second slot needed
            assertEquals(1, p.size())
            assertEquals(0, p.freeCount())
            p.awaitKill()
        }
    }

    @Test
    @DisplayName("PL-04/PL-07 (Kotlin): awaitAdd suspends until a slot frees, then adds without starting")
    fun pl07_awaitAddWaitsForASlot() {
        runGreenlet {
            val p = Pool(1)
            val holder = p.spawnSuspend { sleep(0.02) }
            val second = Greenlet(GreenCallable { 2 })
            val t0 = System.nanoTime()
            p.awaitAdd(second, 1.seconds)
            assertWithin(0.018, GET_MAX, since(t0))
            assertTrue(holder.isDead)
            assertTrue(p.contains(second))
            assertFalse(second.isStarted)
            assertEquals(0, p.freeCount())
            second.start()
            assertEquals(2, second.await())
            assertTrue(p.awaitJoin(1.seconds))
            assertEquals(1, p.freeCount())
        }
    }

    @Test
    @DisplayName("PL-09 (Kotlin): discard then awaitKill frees the slot exactly once")
    fun pl09_discardThenKillReleasesTheSlotOnce() {
        runGreenlet {
            val p = Pool(1)
            val first = p.spawnSuspend { sleep(1000.0) }
            p.discard(first)
            first.awaitKill()
            assertEquals(0, p.size())
            sleep()
            assertEquals(1, p.freeCount())
            assertEquals(1, p.awaitAvailable(Duration.ZERO))
            val never = Event()
            p.spawnSuspend { never.await() }
            assertFailsWith<PoolFullException>("no double release") {
                p.awaitAdd(Greenlet(GreenCallable { 1 }), Duration.ZERO)
            }
            p.awaitKill()
        }
    }

    @Test
    @DisplayName("PL-10 (Kotlin): awaitAvailable returns 0 on timeout, the free slots otherwise, and takes none")
    fun pl10_awaitAvailable() {
        runGreenlet {
            val p = Pool(1)
            val member = p.spawnSuspend { sleep(0.05) }
            val t0 = System.nanoTime()
            assertEquals(0, p.awaitAvailable(GET_TIMEOUT.seconds))
            assertWithin(GET_MIN, GET_MAX, since(t0))
            assertEquals(1, p.awaitAvailable(1.seconds), "woken when the member leaves")
            assertTrue(member.isDead)
            assertEquals(1, p.awaitAvailable(), "awaitAvailable takes no slot")
            assertEquals(1, p.freeCount())
            assertEquals(3, Pool(3).awaitAvailable(Duration.ZERO))
            assertEquals(1, Pool().awaitAvailable())
            assertFailsWith<IllegalArgumentException> { p.awaitAvailable((-1).seconds) }
        }
    }
}
