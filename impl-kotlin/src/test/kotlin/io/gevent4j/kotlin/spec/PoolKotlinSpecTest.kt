package io.gevent4j.kotlin.spec

import io.gevent4j.BlockingSwitchOutException
import io.gevent4j.Gevent
import io.gevent4j.GreenCallable
import io.gevent4j.GreenFunction
import io.gevent4j.GreenRunnable
import io.gevent4j.Greenlet
import io.gevent4j.GreenletExit
import io.gevent4j.Hub
import io.gevent4j.Timeout
import io.gevent4j.event.Event
import io.gevent4j.kotlin.await
import io.gevent4j.kotlin.awaitAdd
import io.gevent4j.kotlin.awaitApply
import io.gevent4j.kotlin.awaitAvailable
import io.gevent4j.kotlin.awaitJoin
import io.gevent4j.kotlin.awaitKill
import io.gevent4j.kotlin.imapFlow
import io.gevent4j.kotlin.imapUnorderedFlow
import io.gevent4j.kotlin.mapSuspend
import io.gevent4j.kotlin.sleep
import io.gevent4j.kotlin.spawn
import io.gevent4j.kotlin.spawnBlocking
import io.gevent4j.kotlin.spawnSuspend
import io.gevent4j.kotlin.testing.KotlinTestBase
import io.gevent4j.kotlin.testing.snapshot
import io.gevent4j.kotlin.testing.syncList
import io.gevent4j.kotlin.withGeventTimeout
import io.gevent4j.pool.Group
import io.gevent4j.pool.Pool
import io.gevent4j.pool.PoolFullException
import io.gevent4j.queue.QueueFullException
import io.gevent4j.testing.ExpectedError
import kotlinx.coroutines.flow.take
import kotlinx.coroutines.launch
import kotlinx.coroutines.flow.toList
import org.junit.jupiter.api.BeforeAll
import org.junit.jupiter.api.DisplayName
import org.junit.jupiter.api.Test
import java.io.IOException
import java.util.Collections
import java.util.concurrent.atomic.AtomicInteger
import java.util.function.Consumer
import kotlin.random.Random
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertFalse
import kotlin.test.assertIs
import kotlin.test.assertSame
import kotlin.test.assertTrue
import kotlin.time.Duration
import kotlin.time.Duration.Companion.milliseconds
import kotlin.time.Duration.Companion.seconds

/**
 * Spec section 7 (Group / Pool) for the Kotlin-native twins in Pools.kt: `spawnSuspend`, `awaitAdd`,
 * `awaitAvailable`, `awaitJoin`, `awaitKill`, `awaitApply`, `mapSuspend`, `imapFlow` and `imapUnorderedFlow`. The
 * scenario runs as a Kotlin greenlet ([runGreenlet], gevent's main greenlet) and the members are Kotlin greenlets
 * running suspend functions, except where a case is about Java members (the stubborn member of PL-17, the
 * shared-accounting cases, the Java methods that never block).
 *
 * Skipped or changed cases, with reasons (see also io.gevent4j.spec.GroupPoolSpecTest):
 *   PL-23  no LoopExit in gevent4j.
 *   PL-27 (first half) map over two iterables: no such overload (compile-time).
 *   PL-30  a Flow cannot go on after an exception: the first failed task ends imapFlow/imapUnorderedFlow with
 *          its error (checked in pl30_imapFlowEndsAtTheFirstFailedTask).
 *   PL-34  an Iterable cannot suspend, so a Kotlin greenlet cannot read a blocking input (a Queue, a generator
 *          that sleeps) lazily; a Java blocking call in it would throw BlockingSwitchOutException.
 *   PL-35  no maxsize keyword; the laziness of a bounded Pool's flow is checked instead (imapFlow... tests).
 *   PL-38  CPython-specific error printing.
 */
class PoolKotlinSpecTest : KotlinTestBase() {

    companion object {
        @JvmStatic
        @BeforeAll
        fun warmUp() {
            Hub.create("kotlin-pool-warm-up").use { h ->
                val g = h.spawnSuspend {
                    val p = Pool(2)
                    p.spawnSuspend { sleep(0.001) }
                    p.spawn(GreenRunnable { Gevent.sleep(0.001) })
                    p.awaitJoin(1.milliseconds)
                    p.mapSuspend(listOf(1, 2, 3)) { it }
                    p.imapFlow(listOf(1, 2)) { it }.toList()
                    p.imapFlow(listOf(1, 2), listOf(3, 4)) { a, b -> a + b }.toList()
                    p.imapUnorderedFlow(listOf(1, 2)) { it }.toList()
                    p.awaitApply { 1 }
                    p.awaitAvailable(1.milliseconds)
                    p.awaitAdd(Greenlet(GreenCallable { 1 }), 1.milliseconds)
                    p.awaitKill()
                    p.awaitJoin()
                }
                g.join(java.time.Duration.ofSeconds(10))
            }
        }

        /** An input that yields 1 and 2, then throws [boom] (gevent's TestErrorInIterator). */
        private fun failingAfterTwo(boom: Throwable): Iterable<Int> = Iterable {
            object : Iterator<Int> {
                var n = 0

                override fun hasNext(): Boolean = true

                override fun next(): Int {
                    if (n == 2) throw boom
                    return ++n
                }
            }
        }

        /** An endless input counting the items read in [pulled]. */
        private fun endless(pulled: AtomicInteger): Iterable<Int> = Iterable {
            object : Iterator<Int> {
                override fun hasNext(): Boolean = true

                override fun next(): Int = pulled.getAndIncrement()
            }
        }
    }

    /** A call refused in a Kotlin greenlet: BlockingSwitchOutException naming the operation and its suspend twin. */
    private inline fun assertRefused(op: String, twin: String, call: () -> Unit) {
        val e = assertFailsWith<BlockingSwitchOutException>("$op must refuse to block") { call() }
        val m = e.message ?: ""
        assertTrue(m.startsWith(op), m) // "Pool.add/spawn/start would block ..." names the call first
        assertTrue(m.contains(" would block "), m)
        assertTrue(m.contains(twin), m)
    }

    // ---- 7.1 construction and size accounting --------------------------------------------------------

    @Test
    @DisplayName("PL-01 (Kotlin): Pool(0) is full (awaitAvailable 0, awaitAdd PoolFull, spawnSuspend waits); Pool() is unbounded")
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
    @DisplayName("PL-03/PL-06 (Kotlin): Java applyAsync on a full pool returns at once from a Kotlin greenlet; its greenlet is no member")
    fun pl03_applyAsyncFromKotlinDoesNotBlock() {
        runGreenlet {
            val r = syncList<Int>()
            val p = Pool(2)
            val go = Event()
            p.spawnSuspend { go.await() }
            p.spawnSuspend { go.await() }
            assertTrue(p.isFull)
            val t0 = System.nanoTime()
            val fourth = p.applyAsync(GreenCallable { r.add(4); 42 })
            assertTrue(since(t0) < GET_MAX, "applyAsync on a full pool must not block")
            assertFalse(p.contains(fourth))
            sleep(0.01)
            assertEquals(listOf(), r.snapshot(), "it waits for a slot")
            go.set()
            assertEquals(42, fourth.await(1.seconds))
            assertEquals(listOf(4), r.snapshot())
        }
    }

    @Test
    @DisplayName("PL-04 (Kotlin): Pool(1): a second spawnSuspend suspends until the first member finishes")
    fun pl04_secondSpawnSuspendWaits() {
        runGreenlet {
            val p = Pool(1)
            val first = p.spawnSuspend { sleep(0.1) }
            assertEquals(1, p.size())
            val t0 = System.nanoTime()
            val second = p.spawnSuspend { sleep(0.1) }
            assertWithin(WAIT_MIN * 0.9, WAIT_MAX, since(t0))
            assertTrue(first.isDead)
            assertTrue(p.contains(second))
            assertEquals(1, p.size())
            sleep(0.19)
            assertEquals(0, p.size())
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
    @DisplayName("spawnSuspend (Kotlin): never suspends with a free slot or in a Group; the member is a Kotlin greenlet")
    fun spawnSuspendWithAFreeSlotDoesNotSuspend() {
        runGreenlet {
            val log = mutableListOf<String>()
            spawn { log.add("other") }
            val g = Group()
            val p = Pool(1)
            val m1 = g.spawnSuspend { log.add("group member"); g.contains(Gevent.getcurrent()) }
            val m2 = p.spawnSuspend { log.add("pool member"); p.contains(Gevent.getcurrent()) }
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
    @DisplayName("spawnSuspend (Kotlin): a caller killed or timed out while waiting for a slot takes none and starts nothing")
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
            val waiters = listOf("A", "B", "C").map { name ->
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
    @DisplayName("PL-07 (Kotlin): awaitAdd on a full Pool(1) under an outer Timeout throws that Timeout; counts unchanged")
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
    @DisplayName("PL-08 (Kotlin): full Pool(1): awaitAdd(timeout 0) and awaitAdd(0.1 s) throw PoolFullException; a member again is fine")
    fun pl08_awaitAddTimesOutWithPoolFull() {
        runGreenlet {
            val p = Pool(1)
            val never = Event()
            val holder = p.spawnSuspend { never.await() }
            val second = Greenlet(GreenCallable { 2 })
            var t0 = System.nanoTime()
            val e = assertFailsWith<PoolFullException> { p.awaitAdd(second, Duration.ZERO) }
            assertIs<QueueFullException>(e)
            assertTrue(since(t0) < GET_MAX)
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

    // ---- 7.3 join / kill / killone / membership ------------------------------------------------------

    @Test
    @DisplayName("PL-11 (Kotlin): awaitJoin on an empty pool or group returns true without yielding")
    fun pl11_awaitJoinOnAnEmptyPoolDoesNotYield() {
        runGreenlet {
            val out = mutableListOf<String>()
            spawn { out.add("other") }
            assertTrue(Pool().awaitJoin())
            assertTrue(Group().awaitJoin(raiseError = true))
            assertTrue(Pool(1).awaitJoin(Duration.ZERO))
            assertEquals(listOf<String>(), out)
        }
    }

    @Test
    @DisplayName("PL-12 (Kotlin): Pool(1) with a 0.1 s member: awaitJoin(0.01 s) is false, awaitJoin() true and empties it")
    fun pl12_awaitJoinWithAndWithoutTimeout() {
        runGreenlet {
            val p = Pool(1)
            p.spawnSuspend { sleep(0.1) }
            assertFalse(p.awaitJoin(10.milliseconds))
            assertTrue(p.awaitJoin())
            assertEquals(0, p.size())
            assertFailsWith<IllegalArgumentException> { p.awaitJoin((-1).seconds) }
        }
    }

    @Test
    @DisplayName("PL-13 (Kotlin): awaitJoin(0.2 s), also with raiseError, returns false within [0.1, 0.31] s")
    fun pl13_awaitJoinTimesOutWithinGeventBounds() {
        runGreenlet {
            for (raise in listOf(false, true)) {
                val p = Pool()
                p.spawnSuspend { sleep(10.0) }
                val t0 = System.nanoTime()
                assertFalse(p.awaitJoin(WAIT_TIMEOUT.seconds, raiseError = raise))
                assertWithin(WAIT_MIN, WAIT_MAX, since(t0))
                p.awaitKill()
                assertEquals(0, p.size())
            }
        }
    }

    @Test
    @DisplayName("PL-14 (Kotlin): awaitJoin(raiseError = true) throws a member's failure, the same instance, once the group is empty")
    fun pl14_awaitJoinRaisesAMembersFailure() {
        runGreenlet {
            val g = Group()
            val boom = ExpectedError("b")
            val a = g.spawnSuspend { sleep(0.02) }
            g.spawnSuspend {
                sleep(0.01)
                throw boom
            }
            assertSame(boom, assertFailsWith<ExpectedError> { g.awaitJoin(raiseError = true) })
            assertTrue(a.isDead)
            assertEquals(0, g.size())
        }
    }

    @Test
    @DisplayName("PL-15 (Kotlin): a failed member already gone is not raised; one dead but not yet discarded is (checked too, same instance)")
    fun pl15_onlyMembersPresentAtTheCallAreChecked() {
        runGreenlet {
            val g = Group()
            val b = g.spawnSuspend { throw ExpectedError("b") }
            sleep(0.01)
            assertFalse(g.contains(b))
            assertTrue(g.awaitJoin(raiseError = true))

            val a = g.spawnSuspend { sleep(0.02) }
            val checkedError = IOException("checked")
            val checked = g.spawnSuspend { throw checkedError }
            sleep()
            assertTrue(checked.isDead)
            assertEquals(2, g.size(), "membership changes are asynchronous")
            assertSame(checkedError, assertFailsWith<IOException> { g.awaitJoin(raiseError = true) })
            assertTrue(a.isDead)
        }
    }

    @Test
    @DisplayName("PL-16 (Kotlin): awaitKill empties the group, each member killed with the instance given; Pool.awaitKill during a mapSuspend returns promptly")
    fun pl16_awaitKillEmptiesTheGroup() {
        runGreenlet {
            val g = Group()
            val a = g.spawnSuspend { sleep(10.0) }
            val b = g.spawnSuspend { sleep(10.0) }
            sleep()
            val stop = ExpectedError("stop")
            g.awaitKill(stop)
            assertEquals(0, g.size())
            assertSame(stop, a.exception())
            assertSame(stop, b.exception())
            g.awaitKill() // empty: returns at once

            val p = Pool(2)
            val result = spawn { p.mapSuspend(List(20) { 0.1 }) { sleep(it) } }
            sleep(0.1)
            val t0 = System.nanoTime()
            p.awaitKill()
            assertWithin(0.0, 0.5, since(t0))
            assertTrue(result.awaitJoin(5.seconds))
        }
    }

    @Test
    @DisplayName("PL-17 (Kotlin): awaitKill(timeout) on a member that swallows GreenletExit returns silently; the member stays")
    fun pl17_awaitKillExpiryIsSilent() {
        runGreenlet {
            val g = Group()
            val stubborn = g.spawn(GreenRunnable {
                while (true) {
                    try {
                        Gevent.sleep(10.0)
                    } catch (swallowed: GreenletExit) {
                        // keep going
                    }
                }
            })
            sleep()
            val t0 = System.nanoTime()
            g.awaitKill(GreenletExit(), 50.milliseconds)
            assertWithin(0.045, GET_MAX, since(t0))
            assertEquals(1, g.size())
            assertFalse(stubborn.isDead)
            stubborn.awaitKill(ExpectedError("stop"), 1.seconds)
            assertTrue(stubborn.isDead)
        }
    }

    @Test
    @DisplayName("PL-18 (Kotlin): killone of a Kotlin member not yet run kills it at once; it leaves later; a non-member is ignored")
    fun pl18_killoneOfAMemberNotYetRun() {
        runGreenlet {
            val g = Group()
            var ran = false
            val x = g.spawnSuspend { ran = true }
            g.killone(x) // would not block: the member is dead at once
            assertTrue(x.isDead)
            assertEquals(1, g.size())
            sleep(0.01)
            assertEquals(0, g.size())
            assertFalse(ran)

            val y = spawn { 2 }
            g.killone(y)
            assertFalse(y.isDead)
            assertEquals(2, y.await())
        }
    }

    @Test
    @DisplayName("PL-19 (Kotlin): discard removes at once and the member runs on; Group(Kotlin greenlets) tracks and releases them")
    fun pl19_discardAndMembership() {
        runGreenlet {
            val g = Group()
            val x = g.spawnSuspend {
                sleep(0.01)
                7
            }
            assertTrue(g.contains(x))
            g.discard(x)
            assertEquals(0, g.size())
            assertFalse(g.contains(x))
            assertEquals(7, x.await())

            val k1 = spawn { sleep(0.01) }
            val k2 = spawn { sleep(0.02) }
            val two = Group(listOf(k1, k2))
            assertEquals(2, two.size())
            assertEquals(listOf<Greenlet<*>>(k1, k2), two.toList())
            k1.awaitJoin()
            sleep()
            assertEquals(1, two.size())
            assertFalse(two.contains(k1))
            assertTrue(two.awaitJoin(1.seconds))
            assertEquals(0, two.size())
        }
    }

    // ---- 7.4 apply / map / imap ----------------------------------------------------------------------

    @Test
    @DisplayName("PL-20 (Kotlin): awaitApply returns the block's result, computed in a new member")
    fun pl20_awaitApplyReturnsTheResult() {
        runGreenlet {
            val p = Pool(2)
            assertEquals(25, p.awaitApply { 5 * 5 })
            assertEquals(listOf("foo", 1), Pool().awaitApply { listOf("foo", 1) })
            assertEquals("g", Group().awaitApply { "g" })
            val me = Gevent.getcurrent()
            val (runner, member) = p.awaitApply {
                sleep(0.001)
                Gevent.getcurrent() to p.contains(Gevent.getcurrent())
            }
            assertTrue(runner !== me && member, "the block runs in a member")
        }
    }

    @Test
    @DisplayName("PL-21 (Kotlin): awaitApply throws the block's failure, the same instance (checked too)")
    fun pl21_awaitApplyThrowsTheFailure() {
        runGreenlet {
            val boom = ExpectedError("apply")
            assertSame(boom, assertFailsWith<ExpectedError> { Pool(1).awaitApply<Int> { throw boom } })
            val checked = IOException("checked")
            assertSame(checked, assertFailsWith<IOException> { Pool(1).awaitApply<Int> { throw checked } })
        }
    }

    @Test
    @DisplayName("PL-22 (Kotlin): awaitApply/mapSuspend from a member run inline, so a full Pool(1) does not deadlock")
    fun pl22_nestedCallsFromAMemberRunInline() {
        runGreenlet {
            val pool = Pool(1)
            withGeventTimeout(1.seconds) {
                assertEquals(6, pool.awaitApply { pool.awaitApply { 5 + 1 } })
                val (outer, inner) = pool.awaitApply {
                    Gevent.getcurrent() to pool.awaitApply { Gevent.getcurrent() }
                }
                assertSame(outer, inner, "the nested block ran in the same member")
                assertEquals(listOf(2, 3), pool.awaitApply { pool.mapSuspend(listOf(1, 2)) { it + 1 } })
                // the Java apply/map from a member run inline too, so they never block
                assertEquals(6, pool.awaitApply { pool.apply(GreenCallable { 5 + 1 }) })
                assertEquals(listOf(2, 3), pool.awaitApply { pool.map(GreenFunction<Int, Int> { it + 1 }, listOf(1, 2)) })
            }
            val evt = Event()
            pool.spawnSuspend { evt.set() }
            assertTrue(evt.await(1.seconds))
        }
    }

    @Test
    @DisplayName("PL-24 (Kotlin): Java applyAsync with a callback from a Kotlin greenlet: await() after ~0.082 s; callback on success only")
    fun pl24_applyAsyncCallbackOnSuccessOnly() {
        runGreenlet {
            val result = syncList<Int>()
            val failed = syncList<Any?>()
            val p = Pool(2)
            val t0 = System.nanoTime()
            val g = p.applyAsync(GreenCallable {
                Gevent.sleep(0.082)
                7 * 7
            }, Consumer { result.add(it) })
            assertEquals(49, g.await())
            assertWithin(0.08, 0.082 + GET_MAX, since(t0))
            sleep()
            assertEquals(listOf(49), result.snapshot())

            val bad = p.applyAsync(GreenCallable<Int> { throw ExpectedError("no callback") }, Consumer { failed.add(it) })
            bad.awaitJoin()
            sleep(0.01)
            assertEquals(listOf(), failed.snapshot())
        }
    }

    @Test
    @DisplayName("PL-25 (Kotlin): spawnSuspend { }.await(0.035 s) throws Timeout after the timeout; the member runs on")
    fun pl25_awaitOfAMemberTimesOut() {
        runGreenlet {
            val p = Pool(2)
            val g = p.spawnSuspend {
                sleep(0.235)
                36
            }
            val t0 = System.nanoTime()
            assertFailsWith<Timeout> { g.await(35.milliseconds) }
            assertWithin(0.033, 0.035 + GET_MAX, since(t0))
            assertFalse(g.isDead)
            p.awaitKill()
        }
    }

    @Test
    @DisplayName("PL-26 (Kotlin): mapSuspend keeps input order; 100 items as sequential; [] is []; a Group too")
    fun pl26_mapSuspendKeepsInputOrder() {
        runGreenlet {
            val p = Pool(3)
            assertEquals(listOf(0, 1, 4, 9, 16), p.mapSuspend((0 until 5).toList()) { x ->
                sleep((5 - x) * 0.005)
                x * x
            })
            assertEquals((0 until 100).map { it * it }, p.mapSuspend((0 until 100).toList()) { it * it })
            assertEquals(listOf(), p.mapSuspend(listOf<Int>()) { it })
            assertEquals(listOf(2, 3), Group().mapSuspend(listOf(1, 2)) { it + 1 })
            // a lazy (non-Collection) input works as well
            assertEquals(listOf(1, 2, 3), p.mapSuspend(generateSequence(1) { if (it < 3) it + 1 else null }.asIterable()) { it })
        }
    }

    @Test
    @DisplayName("PL-26 (Kotlin): mapSuspend on a Pool holds at most its size in flight; each item in a Kotlin member")
    fun pl26_mapSuspendBoundedByThePool() {
        runGreenlet {
            val p = Pool(3)
            var inFlight = 0
            var most = 0
            val members = p.mapSuspend((1..12).toList()) { x ->
                inFlight++
                most = maxOf(most, inFlight)
                sleep(0.005)
                inFlight--
                x to p.contains(Gevent.getcurrent())
            }
            assertEquals((1..12).map { it to true }, members)
            assertEquals(3, most)
            assertFailsWith<BlockingSwitchOutException> { p.mapSuspend(listOf(1)) { Gevent.sleep(0.001) } }
        }
    }

    @Test
    @DisplayName("PL-27 (Kotlin): imapFlow(a, b) zips the inputs, the shorter one wins")
    fun pl27_imapFlowZipsTwoInputs() {
        runGreenlet {
            assertEquals(listOf(11, 22, 33), Pool(2).imapFlow(listOf(1, 2, 3), listOf(10, 20, 30, 40)) { a, b -> a + b }.toList())
            assertEquals(listOf(11, 22), Group().imapFlow(listOf(1, 2, 3), listOf(10, 20)) { a, b ->
                sleep(0.001)
                a + b
            }.toList())
            val pulled = AtomicInteger()
            assertEquals(listOf("a0", "b1"), Pool(1).imapFlow(listOf("a", "b"), endless(pulled)) { s, n -> "$s$n" }.toList())
            assertTrue(pulled.get() <= 3, "the endless input is read while the shorter one lasts: ${pulled.get()}")
        }
    }

    @Test
    @DisplayName("PL-28 (Kotlin): mapSuspend throws the task's error")
    fun pl28_mapSuspendThrowsTheError() {
        runGreenlet {
            assertFailsWith<ArithmeticException> { Pool(2).mapSuspend(listOf(1, 0, 2)) { 1 / it } }
            assertFailsWith<ArithmeticException> { Group().mapSuspend(listOf(1, 0, 2)) { 1 / it } }
        }
    }

    @Test
    @DisplayName("PL-29 (Kotlin): mapSuspend throws the first error at once, the same instance, without cancelling the other tasks")
    fun pl29_mapSuspendThrowsAtOnceWithoutCancelling() {
        runGreenlet {
            val boom = ExpectedError("item 0")
            val go = Event()
            val done = mutableListOf<Int>()
            val g = Group()
            val e = assertFailsWith<ExpectedError> {
                withGeventTimeout(1.seconds) {
                    g.mapSuspend(listOf(0, 1, 2)) { x ->
                        if (x == 0) throw boom
                        go.await()
                        done.add(x)
                        x
                    }
                }
            }
            assertSame(boom, e)
            assertEquals(listOf(), done, "thrown at once, before the other tasks ended")
            assertEquals(2, g.size(), "the other tasks were not cancelled")
            go.set()
            assertTrue(g.awaitJoin(1.seconds))
            assertEquals(listOf(1, 2), done.sorted())

            // the first error in input order wins, even when a later item fails first
            val first = ExpectedError("first")
            val second = ExpectedError("second")
            val late = Event()
            assertSame(first, assertFailsWith<ExpectedError> {
                Group().mapSuspend(listOf(0, 1)) { x ->
                    if (x == 0) {
                        late.await()
                        throw first
                    }
                    late.set()
                    throw second
                }
            })
        }
    }

    @Test
    @DisplayName("PL-29 (Kotlin): Pool smaller than the input: a failed head ends mapSuspend at once; a helper spawns and runs the rest")
    fun pl29_mapSuspendOnABoundedPoolGoesOnAfterAFailedHead() {
        runGreenlet {
            val boom = ExpectedError("head")
            val go = Event()
            val allDone = Event()
            val done = mutableListOf<Int>()
            val p = Pool(2)
            val e = assertFailsWith<ExpectedError> {
                withGeventTimeout(1.seconds) {
                    p.mapSuspend((0..5).toList()) { x ->
                        if (x == 0) throw boom
                        go.await()
                        done.add(x)
                        if (done.size == 5) allDone.set()
                        x
                    }
                }
            }
            assertSame(boom, e)
            assertEquals(listOf(), done)
            assertTrue(p.size() <= 2)
            go.set()
            assertTrue(allDone.await(1.seconds), "the rest of the input ran: $done")
            assertEquals(listOf(1, 2, 3, 4, 5), done.sorted())
            assertTrue(p.awaitJoin(1.seconds))
            assertEquals(2, p.freeCount())
        }
    }

    @Test
    @DisplayName("PL-30 (Kotlin): a Flow cannot go on after an error: the first failed task ends imapFlow/imapUnorderedFlow with it")
    fun pl30_imapFlowEndsAtTheFirstFailedTask() {
        runGreenlet {
            for (ordered in listOf(true, false)) {
                val err = ArithmeticException("/ by zero")
                val fn: suspend (Int) -> Double = { x -> if (x == 0) throw err else 1.0 / x }
                val flow = if (ordered) Pool(1).imapFlow(listOf(1, 0, 2), fn) else Pool(1).imapUnorderedFlow(listOf(1, 0, 2), fn)
                val got = mutableListOf<Double>()
                assertSame(err, assertFailsWith<ArithmeticException> { flow.collect { got.add(it) } })
                assertEquals(listOf(1.0), got, "ordered=$ordered")
            }
            // in input order, the results before the failed one are emitted first
            val late = ExpectedError("late")
            val got = mutableListOf<Int>()
            assertSame(late, assertFailsWith<ExpectedError> {
                Group().imapFlow(listOf(0, 1, 2)) { x ->
                    if (x == 1) throw late
                    sleep(0.01)
                    x
                }.collect { got.add(it) }
            })
            assertEquals(listOf(0), got)
        }
    }

    @Test
    @DisplayName("PL-31 (Kotlin): an input error comes after the results of the items read before it (mapSuspend and both flows)")
    fun pl31_inputErrorAfterTheEarlierResults() {
        runGreenlet {
            val boom = ExpectedError("input")
            val done = mutableListOf<Int>()
            assertSame(boom, assertFailsWith<ExpectedError> {
                Pool(3).mapSuspend(failingAfterTwo(boom)) { x ->
                    sleep(0.01)
                    done.add(x)
                    x
                }
            })
            assertEquals(listOf(1, 2), done.sorted(), "the tasks read before the error ended first")

            // an earlier task's failure wins over the input's error
            val task = ExpectedError("task 1")
            assertSame(task, assertFailsWith<ExpectedError> {
                Pool(3).mapSuspend(failingAfterTwo(boom)) { x ->
                    sleep(0.01)
                    if (x == 1) throw task
                    x
                }
            })

            val ordered = mutableListOf<Int>()
            assertSame(boom, assertFailsWith<ExpectedError> {
                Pool(3).imapFlow(failingAfterTwo(boom)) { it }.collect { ordered.add(it) }
            })
            assertEquals(listOf(1, 2), ordered)
            val unordered = mutableListOf<Int>()
            assertSame(boom, assertFailsWith<ExpectedError> {
                Pool(3).imapUnorderedFlow(failingAfterTwo(boom)) { x ->
                    sleep((3 - x) * 0.005)
                    x
                }.collect { unordered.add(it) }
            })
            assertEquals(listOf(2, 1), unordered)
        }
    }

    @Test
    @DisplayName("PL-32 (Kotlin): imapUnorderedFlow emits in completion order (input order with size 1), imapFlow in input order")
    fun pl32_imapUnorderedFlowCompletionOrder() {
        runGreenlet {
            val f: suspend (Int) -> String = { n ->
                sleep(n * 0.01)
                n.toString()
            }
            assertEquals(listOf("10", "1", "2"), Pool(1).imapUnorderedFlow(listOf(10, 1, 2), f).toList())
            assertEquals(listOf("1", "2", "10"), Pool(2).imapUnorderedFlow(listOf(10, 1, 2), f).toList())
            assertEquals(listOf("1", "2", "10"), Pool().imapUnorderedFlow(listOf(10, 1, 2), f).toList())
            assertEquals(listOf("1", "2", "10"), Group().imapUnorderedFlow(listOf(10, 1, 2), f).toList())
            assertEquals(listOf("10", "1", "2"), Pool(2).imapFlow(listOf(10, 1, 2), f).toList())
        }
    }

    @Test
    @DisplayName("PL-33 (Kotlin): imapFlow keeps input order; empty input is empty; 1000 unordered results are all there")
    fun pl33_imapFlowInputOrder() {
        runGreenlet {
            val rnd = Random(42)
            val delays = List(10) { rnd.nextDouble() * 0.01 }
            assertEquals((0 until 10).map { it * it }, Pool(4).imapFlow((0 until 10).toList()) { i ->
                sleep(delays[i])
                i * i
            }.toList())
            assertEquals(listOf(), Pool(2).imapFlow(listOf<Int>()) { it }.toList())
            assertEquals(listOf(), Pool(2).imapUnorderedFlow(listOf<Int>()) { it }.toList())
            assertEquals(listOf(), Group().imapFlow(listOf<Int>(), listOf(1)) { a, b -> a + b }.toList())
            assertEquals((0 until 1000).map { it * it }, Pool(10).imapUnorderedFlow((0 until 1000).toList()) { it * it }.toList().sorted())
        }
    }

    @Test
    @DisplayName("PL-33 (Kotlin): the flows are cold: nothing runs before collection, and each collection runs the tasks again")
    fun pl33_imapFlowIsCold() {
        runGreenlet {
            var calls = 0
            val p = Pool(2)
            val flow = p.imapFlow(listOf(1, 2, 3)) { x ->
                calls++
                x * 2
            }
            sleep(0.01)
            assertEquals(0, calls)
            assertEquals(0, p.size())
            assertEquals(listOf(2, 4, 6), flow.toList())
            assertEquals(listOf(2, 4, 6), flow.toList())
            assertEquals(6, calls)
        }
    }

    @Test
    @DisplayName("imapFlow (Kotlin): a Pool holds at most its size in flight; a Group runs all at once")
    fun imapFlowInFlightBound() {
        runGreenlet {
            for ((group, bound) in listOf(Pool(3) to 3, Group() to 12, Pool() to 12)) {
                var inFlight = 0
                var most = 0
                val out = group.imapUnorderedFlow((1..12).toList()) { x ->
                    inFlight++
                    most = maxOf(most, inFlight)
                    sleep(0.005)
                    inFlight--
                    x
                }.toList()
                assertEquals((1..12).toList(), out.sorted())
                assertEquals(bound, most, "$group")
            }
        }
    }

    @Test
    @DisplayName("imapFlow (Kotlin): take(n) of an endless input works; the input is read lazily and no more afterwards; tasks in flight run on")
    fun imapFlowOfAnEndlessInput() {
        runGreenlet {
            val pulled = AtomicInteger()
            val started = AtomicInteger()
            val finished = AtomicInteger()
            val p = Pool(2)
            assertEquals(listOf(0, 2, 4, 6, 8), p.imapFlow(endless(pulled)) {
                started.incrementAndGet()
                sleep(0.001)
                finished.incrementAndGet()
                it * 2
            }.take(5).toList())
            val read = pulled.get()
            assertTrue(read <= 5 + 2 + 1, "read $read items for 5 taken")
            assertTrue(p.awaitJoin(1.seconds))
            assertEquals(started.get(), finished.get(), "the tasks in flight ran to their end")
            sleep(0.02)
            assertEquals(read, pulled.get(), "the input is read no more once the collection ended")
            assertEquals(2, p.freeCount())

            // a slow collector: the input is read at most about the pool's size ahead of it
            val pulled2 = AtomicInteger()
            val seen = mutableListOf<Int>()
            Pool(2).imapUnorderedFlow(endless(pulled2)) { it }.take(10).collect { v ->
                seen.add(v)
                assertTrue(pulled2.get() <= seen.size + 2 + 1, "read ${pulled2.get()} with ${seen.size} emitted")
                sleep(0.002)
            }
            assertEquals((0 until 10).toList(), seen.sorted())
        }
    }

    @Test
    @DisplayName("PL-36 (Kotlin): Java mapAsync from a Kotlin greenlet returns at once a greenlet (no member) whose value is the list")
    fun pl36_mapAsyncFromKotlin() {
        runGreenlet {
            val p = Pool(2)
            val seen = syncList<List<Int>>()
            val g = p.mapAsync(GreenFunction<Int, Int> { it * 2 }, listOf(1, 2, 3), Consumer { seen.add(it) })
            assertFalse(p.contains(g))
            assertEquals(listOf(2, 4, 6), g.await())
            sleep()
            assertEquals(listOf(listOf(2, 4, 6)), seen.snapshot())
            // its Kotlin form: mapSuspend in a greenlet of its own
            val k = spawn { p.mapSuspend(listOf(1, 2)) { it + 1 } }
            assertFalse(p.contains(k))
            assertEquals(listOf(2, 3), k.await())
        }
    }

    @Test
    @DisplayName("PL-37 (Kotlin): consumer and producer members in a Pool(2) interleave as cons1, prod, cons2")
    fun pl37_consumerAndProducer() {
        runGreenlet {
            val p = Pool(2)
            val evt = Event()
            val done = p.spawnSuspend {
                expect(2) // cons1
                evt.await()
                expect(4) // cons2
            }
            p.spawnSuspend {
                sleep(0.001)
                expect(3) // prod
                evt.set()
            }
            expect(1)
            done.await()
            finish(5)
        }
        assertFinished()
    }

    // ---- Java and Kotlin members in one pool ---------------------------------------------------------

    @Test
    @DisplayName("Shared accounting (Kotlin): Java and Kotlin members of one Pool take and free the same slots")
    fun javaAndKotlinMembersShareTheSlots() {
        runGreenlet {
            val p = Pool(2)
            val gate = Event()
            val log = syncList<String>()
            val k = p.spawnSuspend { gate.await(); log.add("k") }
            val j = p.spawn(GreenCallable { gate.waitFor(); log.add("j") }) // a free slot: does not block
            assertEquals(2, p.size())
            assertTrue(p.isFull)
            assertEquals(0, p.freeCount())
            assertEquals(0, p.awaitAvailable(Duration.ZERO))

            // a Java greenlet waits through the Java API, a Kotlin one through the twin
            val jw = spawnBlocking { p.spawn(GreenCallable { log.add("jw") }).join() }
            val kw = spawn { p.spawnSuspend { log.add("kw") }.await() }
            sleep()
            assertFalse(jw.isDead)
            assertFalse(kw.isDead)
            assertEquals(listOf<Greenlet<*>>(k, j), p.toList())
            gate.set()
            jw.await(1.seconds)
            kw.await(1.seconds)
            assertTrue(p.awaitJoin(1.seconds))
            assertEquals(listOf("j", "jw", "k", "kw"), log.snapshot().sorted())
            assertEquals(2, p.freeCount())

            // the Java timeout path and the Kotlin one see the same full pool
            val hold = Event()
            p.spawnSuspend { hold.await() }
            p.spawn(GreenCallable { hold.waitFor() })
            val javaAdd = spawnBlocking {
                runCatching { p.add(Greenlet(GreenCallable { 1 }), true, java.time.Duration.ofMillis(10)) }.exceptionOrNull()
            }
            assertIs<PoolFullException>(javaAdd.await(1.seconds))
            assertFailsWith<PoolFullException> { p.awaitAdd(Greenlet(GreenCallable { 1 }), 10.milliseconds) }
            hold.set()
            assertTrue(p.awaitJoin(1.seconds))
            assertEquals(2, p.freeCount())
            assertEquals(2, p.awaitAvailable())
        }
    }

    @Test
    @DisplayName("Shared accounting (Kotlin): a Java waiter queued before Kotlin waiters starts first")
    fun javaWaiterBeforeKotlinWaitersKeepsItsPlace() {
        runGreenlet {
            val p = Pool(1)
            val gate = Event()
            p.spawnSuspend { gate.await() }
            val order = syncList<String>()
            val j = spawnBlocking { p.spawn(GreenCallable { order.add("j") }).join() }
            sleep()
            val k1 = spawn { p.spawnSuspend { order.add("k1") }.await() }
            sleep()
            val k2 = spawn { p.spawnSuspend { order.add("k2") }.await() }
            sleep()
            assertTrue(listOf(j, k1, k2).none { it.isDead })
            gate.set()
            for (w in listOf(j, k1, k2)) w.await(1.seconds)
            assertEquals(listOf("j", "k1", "k2"), order.snapshot())
        }
    }

    @Test
    @DisplayName("Shared accounting (Kotlin): Java and Kotlin waiters for a slot start in the order they began waiting")
    fun javaAndKotlinWaitersAreServedInOrder() {
        runGreenlet {
            val p = Pool(1)
            val gate = Event()
            p.spawnSuspend { gate.await() }
            val order = syncList<String>()
            val k1 = spawn { p.spawnSuspend { order.add("k1") }.await() }
            sleep()
            val k2 = spawn { p.spawnSuspend { order.add("k2") }.await() }
            sleep()
            val j = spawnBlocking { p.spawn(GreenCallable { order.add("j") }).join() }
            sleep()
            assertTrue(listOf(k1, k2, j).none { it.isDead })
            gate.set()
            for (w in listOf(k1, k2, j)) w.await(1.seconds)
            assertEquals(listOf("k1", "k2", "j"), order.snapshot())
        }
    }

    // ---- Java pool methods in a Kotlin greenlet ------------------------------------------------------

    @Test
    @DisplayName("Contexts (Kotlin): Java pool calls that would block throw BlockingSwitchOutException naming the call and its twin; nothing changes")
    fun blockingJavaPoolCallsNameTheirTwin() {
        runGreenlet {
            val never = Event()
            val full = Pool(1)
            val holder = full.spawnSuspend { never.await() }
            val extra = Greenlet(GreenCallable { 1 })
            assertRefused("Pool.add", "Pool.awaitAdd") { full.add(extra) }
            assertRefused("Pool.add", "Pool.awaitAdd") { full.add(extra, true, java.time.Duration.ofSeconds(1)) }
            assertRefused("Pool.add", "Group.spawnSuspend") { full.spawn(GreenCallable { 1 }) }
            assertRefused("Pool.add", "Pool.awaitAdd") { full.start(extra) }
            assertRefused("Pool.waitAvailable", "Pool.awaitAvailable") { full.waitAvailable(null) }
            assertRefused("Group.join", "Group.awaitJoin") { full.join() }
            assertRefused("Group.join", "Group.awaitJoin") { full.join(0.01, true) }
            assertRefused("Group.apply", "Group.awaitApply") { full.apply(GreenCallable { 1 }) }
            assertRefused("Group.map", "Group.mapSuspend") { full.map(GreenFunction<Int, Int> { it }, listOf(1)) }
            assertRefused("Group.map", "Group.mapSuspend") {
                Group().map(GreenFunction<Int, Int> { it }, generateSequence(1) { null }.asIterable())
            }
            val imap = Pool(1).imap(GreenFunction<Int, Int> { it }, listOf(1))
            assertRefused("IMap.next", "Group.imapFlow") { imap.hasNext() }
            assertRefused("IMap.next", "Group.imapFlow") { imap.next() }
            val unordered = Group().imapUnordered(GreenFunction<Int, Int> { it }, listOf(1))
            assertRefused("IMap.next", "Group.imapUnorderedFlow") { unordered.hasNext() }

            // the refused calls changed nothing
            assertEquals(listOf<Greenlet<*>>(holder), full.toList())
            assertEquals(0, full.freeCount())
            assertFalse(extra.isStarted)
            assertFalse(holder.isDead)
            full.awaitKill()
            assertEquals(1, full.awaitAvailable())
            assertTrue(holder.isDead)
        }
    }

    @Test
    @DisplayName("Contexts (Kotlin): Group.kill with block refuses in a Kotlin greenlet, naming Group.awaitKill")
    fun blockingGroupKillNamesItsTwin() {
        runGreenlet {
            val g = Group()
            val never = Event()
            g.spawnSuspend { never.await() }
            sleep()
            assertRefused("Group.kill", "Group.awaitKill") { g.kill() }
            assertRefused("Group.kill", "Group.awaitKill") { g.kill(GreenletExit(), true, java.time.Duration.ofMillis(10)) }
            g.awaitKill()
            assertEquals(0, g.size())
        }
    }

    @Test
    @DisplayName("Contexts (Kotlin): a refused Group.kill leaves the members alone, as the other refused calls do")
    fun refusedGroupKillHasNoSideEffect() {
        runGreenlet {
            val g = Group()
            val never = Event()
            val m = g.spawnSuspend { never.await() }
            sleep()
            assertRefused("Group.kill", "Group.awaitKill") { g.kill() }
            sleep(0.01)
            assertFalse(m.isDead, "the refused Group.kill killed the member: ${m.exception()}")
            g.awaitKill()
        }
    }

    @Test
    @DisplayName("Contexts (Kotlin): Java pool calls that would not block work in a Kotlin greenlet")
    fun nonBlockingJavaPoolCallsWork() {
        runGreenlet {
            val p = Pool(2)
            val a = p.spawn(GreenCallable { 5 }) // a free slot
            val b = Greenlet(GreenCallable { 6 })
            p.add(b) // a free slot
            assertTrue(p.isFull)
            b.start()
            assertFailsWith<PoolFullException> { p.add(Greenlet(GreenCallable { 7 }), false, null) }
            assertEquals(5, a.await())
            assertEquals(6, b.await())
            assertTrue(p.awaitJoin(1.seconds))
            assertEquals(2, p.waitAvailable(null)) // slots free
            assertTrue(p.join()) // empty
            assertTrue(Group().join(null, true))
            assertEquals(listOf<Int>(), p.map(GreenFunction<Int, Int> { it }, listOf())) // empty input
            Group().kill() // empty
            p.kill(GreenletExit(), false, null) // no wait
            val x = p.spawnSuspend { sleep(10.0) }
            p.kill(GreenletExit(), false, null) // no wait: the member dies later
            assertTrue(x.awaitJoin(1.seconds))
            assertTrue(p.awaitJoin(1.seconds))
        }
    }

    // ---- found in review -------------------------------------------------------------------------------

    @Test
    @DisplayName("PL-04 (Kotlin): a spawner cancelled after a freed slot woke it hands the slot on to the next in line")
    fun cancelledAfterWakeHandsTheSlotOn() {
        runGreenlet {
            val pool = Pool(1)
            val hold = Event()
            val m = pool.spawnSuspend { hold.await() }
            val a = launch { pool.spawnSuspend { "a" } } // a child coroutine: first in line for the slot
            sleep()
            val b = spawnBlocking { pool.spawn(GreenCallable { "b" }).get() } // a Java spawner: second in line
            sleep()
            sleep()
            pool.discard(m) // frees the slot: a release promises it to a
            a.cancel() // before a runs
            assertTrue(b.awaitJoin(1.seconds), "the slot promised to the cancelled spawner must go on to the next")
            assertEquals("b", b.await())
            hold.set()
        }
    }

    @Test
    @DisplayName("PL-16/PL-29 (Kotlin): a head of mapSuspend killed with GreenletExit ends the call; the rest still runs")
    fun pl16_mapSuspendHeadKilledStillSpawnsTheRest() {
        runGreenlet {
            val pool = Pool(1)
            val started = Collections.synchronizedList(ArrayList<Int>())
            val firstRuns = Event()
            spawn {
                firstRuns.await()
                pool.kill(GreenletExit(), false, null) // kills item 0 while the caller waits for a slot
            }
            assertFailsWith<GreenletExit> {
                pool.mapSuspend(listOf(0, 1, 2)) { x ->
                    started.add(x)
                    if (x == 0) {
                        firstRuns.set()
                        Event().await() // until killed
                    }
                    x
                }
            }
            withGeventTimeout(1.seconds) { while (started.size < 3) sleep() }
            assertEquals(listOf(0, 1, 2), started.toList())
            assertTrue(pool.awaitJoin(1.seconds))
        }
    }
}
