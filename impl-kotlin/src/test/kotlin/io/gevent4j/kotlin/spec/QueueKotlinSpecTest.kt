package io.gevent4j.kotlin.spec

import io.gevent4j.BlockingSwitchOutException
import io.gevent4j.Gevent
import io.gevent4j.GreenCallable
import io.gevent4j.GreenRunnable
import io.gevent4j.Greenlet
import io.gevent4j.Hub
import io.gevent4j.Timeout
import io.gevent4j.kotlin.await
import io.gevent4j.kotlin.awaitJoin
import io.gevent4j.kotlin.awaitKill
import io.gevent4j.kotlin.awaitPeek
import io.gevent4j.kotlin.receive
import io.gevent4j.kotlin.receiveAsFlow
import io.gevent4j.kotlin.send
import io.gevent4j.kotlin.sleep
import io.gevent4j.kotlin.spawn
import io.gevent4j.kotlin.spawnSuspend
import io.gevent4j.kotlin.testing.GreenletKind
import io.gevent4j.kotlin.testing.KotlinTestBase
import io.gevent4j.kotlin.testing.awaitFailure
import io.gevent4j.kotlin.testing.awaitValue
import io.gevent4j.kotlin.testing.foreign
import io.gevent4j.kotlin.testing.recorder
import io.gevent4j.kotlin.testing.snapshot
import io.gevent4j.kotlin.testing.spinUntil
import io.gevent4j.kotlin.testing.suspendUntil
import io.gevent4j.kotlin.testing.suspendUntilParked
import io.gevent4j.kotlin.withGeventTimeout
import io.gevent4j.queue.Channel
import io.gevent4j.queue.JoinableQueue
import io.gevent4j.queue.LifoQueue
import io.gevent4j.queue.PriorityQueue
import io.gevent4j.queue.Queue
import io.gevent4j.queue.QueueEmptyException
import io.gevent4j.queue.QueueFullException
import io.gevent4j.queue.QueueShutDownException
import io.gevent4j.queue.SimpleQueue
import io.gevent4j.testing.Foreign
import java.util.concurrent.CountDownLatch
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertFalse
import kotlin.test.assertIs
import kotlin.test.assertTrue
import kotlin.time.Duration
import kotlin.time.Duration.Companion.milliseconds
import kotlin.time.Duration.Companion.seconds
import kotlinx.coroutines.flow.toList
import org.junit.jupiter.api.BeforeAll
import org.junit.jupiter.api.DisplayName
import org.junit.jupiter.api.Test
import org.junit.jupiter.params.ParameterizedTest
import org.junit.jupiter.params.provider.EnumSource

/** Runs the queue twins once, untimed, on a throw-away hub (see warmUpKotlinPaths). */
internal fun warmUpKotlinQueues() {
    Hub.create("kotlin-queue-warm-up").use { h ->
        val g =
            h.spawnSuspend {
                val q = Queue<Int>(1)
                try {
                    q.receive(1.milliseconds)
                } catch (expected: QueueEmptyException) {
                    // warm-up
                }
                q.send(1)
                try {
                    q.send(2, 1.milliseconds)
                } catch (expected: QueueFullException) {
                    // warm-up
                }
                val p = spawn { q.send(3) }
                sleep()
                q.receive()
                q.receive()
                p.awaitJoin()
                q.awaitJoin(1.milliseconds)
                val ch = Channel<Int>()
                val r = spawn { ch.receive() }
                ch.send(1)
                r.await()
                q.shutdown()
                q.receiveAsFlow().toList()
                try {
                    withGeventTimeout(1.milliseconds) { Queue<Int>().receive() }
                } catch (expected: Timeout) {
                    // warm-up
                }
            }
        g.join(java.time.Duration.ofSeconds(10))
    }
}

/**
 * Spec section 6 with Kotlin greenlets and the suspend twins (`send`, `receive`, `awaitPeek`, `receiveAsFlow`,
 * `Queue.awaitJoin`), and the cases that mix Java greenlets, Kotlin greenlets and service threads (platform threads of
 * no hub) in one queue. Skipped cases: see the comment at the top of `QueueSpecTest.java`.
 */
class QueueKotlinSpecTest : KotlinTestBase() {
    companion object {
        @JvmStatic
        @BeforeAll
        fun warmUpOnce() {
            warmUpKotlinPaths()
            warmUpKotlinQueues()
        }
    }

    private fun <T> javaGreenlet(body: () -> T): Greenlet<T> = Gevent.spawn(GreenCallable { body() })

    private fun everyKind(): List<SimpleQueue<String>> =
        listOf(SimpleQueue(), Queue(), JoinableQueue(), LifoQueue(), PriorityQueue(), Channel())

    // ---- 6.1 ---------------------------------------------------------------------------------------------

    @Test
    @DisplayName(
        "Q-03 (Kotlin): send on a full Queue(2): Full at once with a zero timeout, in [0.009, 0.12] s with 0.01 s"
    )
    fun q03_sendOnAFullQueueRaisesFull() {
        runGreenlet {
            val q = Queue(2, listOf(1, 2))
            assertFailsWith<QueueFullException> { q.send(3, Duration.ZERO) }
            val start = System.nanoTime()
            assertFailsWith<QueueFullException> { q.send(3, GET_TIMEOUT.seconds) }
            assertWithin(GET_MIN, GET_MAX, since(start))
            assertEquals(2, q.qsize())
            assertFailsWith<Timeout>("an outer Timeout is not lost") {
                withGeventTimeout(1.milliseconds) { q.send(3, 1.seconds) }
            }
            assertEquals(2, q.unfinishedTasks())
        }
    }

    @Test
    @DisplayName("Q-04 (Kotlin): receive / awaitPeek on an empty queue of every kind: Empty in [0.009, 0.12] s")
    fun q04_receiveOnAnEmptyQueueRaisesEmpty() {
        runGreenlet {
            for (q in everyKind()) {
                assertFailsWith<QueueEmptyException>(q.toString()) { q.receive(Duration.ZERO) }
                var start = System.nanoTime()
                assertFailsWith<QueueEmptyException>(q.toString()) { q.receive(GET_TIMEOUT.seconds) }
                assertWithin(GET_MIN, GET_MAX, since(start))
                start = System.nanoTime()
                assertFailsWith<QueueEmptyException>(q.toString()) { q.awaitPeek(GET_TIMEOUT.seconds) }
                assertWithin(GET_MIN, GET_MAX, since(start))
                assertFailsWith<Timeout>("an outer Timeout is not lost") {
                    withGeventTimeout(1.milliseconds) { q.receive(1.seconds) }
                }
            }
        }
    }

    @Test
    @DisplayName("Q-06 (Kotlin): a negative timeout of a twin is an IllegalArgumentException, with no side effect")
    fun q06_negativeTimeoutIsIllegalArgument() {
        runGreenlet {
            val q = Queue(5, listOf("a"))
            assertFailsWith<IllegalArgumentException> { q.receive((-1).seconds) }
            assertFailsWith<IllegalArgumentException> { q.awaitPeek((-1).seconds) }
            assertFailsWith<IllegalArgumentException> { q.send("b", (-1).seconds) }
            assertFailsWith<IllegalArgumentException> { q.awaitJoin((-1).seconds) }
            assertEquals(1, q.qsize())
            assertEquals(1, q.unfinishedTasks())
        }
    }

    @Test
    @DisplayName(
        "Blocking Java calls in a Kotlin greenlet throw BlockingSwitchOutException naming the twin; non-blocking ones work"
    )
    fun javaBlockingCallsInAKotlinGreenletThrow() {
        runGreenlet {
            val q = Queue<Int>(1)
            val e = assertFailsWith<BlockingSwitchOutException> { q.get() }
            assertTrue(e.message!!.contains("receive"), e.message)
            q.putNowait(1)
            assertFailsWith<BlockingSwitchOutException> { q.put(2) }
            assertEquals(1, q.get(), "a get that can succeed at once does not block")
            q.put(3)
            assertEquals(1, q.qsize())
        }
    }

    @Test
    @DisplayName("Q-07 (Kotlin): send(1); send(2) -> receive() == 1, then 2")
    fun q07_fifo() {
        runGreenlet {
            val q = Queue<Int>()
            q.send(1)
            q.send(2)
            assertEquals(1, q.receive())
            assertEquals(2, q.receive())
        }
    }

    @Test
    @DisplayName(
        "Q-07 (Kotlin): a service thread puts into a bounded queue that a Kotlin greenlet receives from, and the reverse"
    )
    fun q07_serviceThreadAndKotlinGreenlet() {
        val q = Queue<Int>(2)
        val consumer: Greenlet<List<Int>> =
            hub.spawnSuspend {
                val got = ArrayList<Int>()
                repeat(20) {
                    got += q.receive()
                    q.taskDone()
                }
                got
            }
        for (i in 0 until 20) q.put(i)
        q.join()
        assertTrue(consumer.join(java.time.Duration.ofSeconds(10)))
        assertEquals<List<Int>?>((0 until 20).toList(), consumer.get())

        val q2 = Queue<Int>(1)
        val reader = foreign("reader") { List(20) { q2.get() } }
        runGreenlet { for (i in 0 until 20) q2.send(i) }
        assertEquals((0 until 20).toList(), reader.value())
    }

    @Test
    @DisplayName("Q-08 (Kotlin): Queue(2): a Kotlin putter of a, b, c is blocked at c until main takes a")
    fun q08_maxSize() {
        val log = recorder()
        runGreenlet {
            val q = Queue<String>(2)
            val p = spawn {
                for (s in listOf("a", "b", "c")) {
                    q.send(s)
                    log += s
                }
                "OK"
            }
            sleep()
            assertEquals(listOf("a", "b"), log.snapshot())
            assertEquals("a", q.receive())
            sleep()
            assertEquals(listOf("a", "b", "c"), log.snapshot())
            assertEquals("b", q.receive())
            assertEquals("c", q.receive())
            assertEquals("OK", p.get(java.time.Duration.ZERO))
        }
    }

    // ---- 6.2 ---------------------------------------------------------------------------------------------

    @Test
    @DisplayName("Q-10 (Kotlin): 4 Kotlin getters blocked in order 0..3; send a..d; sleep() -> 0a 1b 2c 3d")
    fun q10_kotlinGettersAreServedFifo() {
        val out = recorder()
        runGreenlet {
            val q = Queue<String>()
            for (n in 0 until 4) spawn { out += "$n" + q.receive() }
            sleep()
            for (s in listOf("a", "b", "c", "d")) q.send(s)
            assertEquals(emptyList(), out.snapshot(), "send never switches")
            sleep()
            assertEquals(listOf("0a", "1b", "2c", "3d"), out.snapshot())
        }
    }

    @Test
    @DisplayName(
        "Q-10 (mixed): Java and Kotlin greenlets blocked alternately get a..d in the order they started waiting"
    )
    fun q10_javaAndKotlinGettersAreServedFifo() {
        val out = recorder()
        runGreenlet {
            val q = Queue<String>()
            for (n in 0 until 4) {
                if (n % 2 == 0) javaGreenlet { out += "$n" + q.get() } else spawn { out += "$n" + q.receive() }
            }
            sleep()
            for (s in listOf("a", "b", "c", "d")) q.put(s)
            sleep()
            assertEquals(listOf("0a", "1b", "2c", "3d"), out.snapshot())
        }
    }

    @Test
    @DisplayName(
        "Q-10 (mixed with a service thread): Kotlin, Java, service thread, Kotlin waiters are served in order, one put at a time"
    )
    fun q10_kotlinJavaAndServiceThreadGettersAreServedFifo() {
        val out = recorder()
        val q = Queue<String>()
        lateinit var f: Foreign<String>
        runGreenlet {
            spawn { out += "0" + q.receive() }
            javaGreenlet { out += "1" + q.get() }
            sleep()
            f = foreign("getter-2") { q.get().also { out += "2$it" } }
            f.suspendUntilParked()
            spawn { out += "3" + q.receive() }
            sleep()
            for ((i, s) in listOf("a", "b", "c", "d").withIndex()) {
                q.send(s) // one at a time: no two woken waiters race
                suspendUntil("${i + 1} results") { out.size > i }
            }
        }
        f.value()
        assertEquals(listOf("0a", "1b", "2c", "3d"), out.snapshot())
    }

    @Test
    @DisplayName(
        "Q-11 (mixed): Queue(1) holding x; putters Kotlin 0, service thread 1, Java 2 -> gets x, 0, 1, 2; all complete"
    )
    fun q11_mixedPuttersAreServedFifo() {
        val q = Queue<Any>(1, listOf("x"))
        lateinit var f: Foreign<Unit>
        val got = runGreenlet {
            val p0 = spawn { q.send(0) }
            sleep()
            f = foreign("putter-1") { q.put(1) }
            f.suspendUntilParked()
            val p2 = javaGreenlet { q.put(2) }
            sleep()
            val got = List(4) { q.receive() }
            p0.awaitJoin()
            p2.awaitJoin()
            assertTrue(p0.isSuccessful && p2.isSuccessful)
            f.awaitValue()
            got
        }
        assertEquals(listOf<Any>("x", 0, 1, 2), got)
    }

    @Test
    @DisplayName("Q-12 (Kotlin): send never switches: the item stays queued until the woken Kotlin getter runs")
    fun q12_sendNeverSwitches() {
        runGreenlet {
            val q = Queue<Int>()
            expect(1)
            spawn {
                expect(2)
                assertEquals(1, q.receive())
                expect(5)
            }
            sleep()
            q.send(1)
            expect(3)
            assertEquals(1, q.qsize())
            expect(4)
            sleep()
            assertEquals(0, q.qsize())
            finish(6)
        }
        assertFinished()
    }

    @Test
    @DisplayName(
        "Q-13 (Kotlin): barging: main's send then receive(0) takes the item; the blocked Kotlin getter ends with Empty"
    )
    fun q13_aCallerThatIsNotWaitingMayTakeTheItem() {
        runGreenlet {
            val q = Queue<String>()
            val getter = spawn { q.receive(50.milliseconds) }
            sleep()
            q.send("a")
            assertEquals("a", q.receive(Duration.ZERO))
            getter.awaitJoin()
            assertIs<QueueEmptyException>(getter.exception())
        }
    }

    @Test
    @DisplayName(
        "Q-13 (service thread): a service thread's put then getNowait takes the item from a woken Kotlin getter"
    )
    fun q13_aServiceThreadMayTakeTheItemFromAWokenKotlinGreenlet() {
        val q = Queue<String>()
        val go = CountDownLatch(1)
        val barger =
            foreign("barger") {
                go.await()
                q.put("a")
                q.getNowait()
            }
        runGreenlet {
            val getter = spawn { q.receive(50.milliseconds) }
            sleep()
            go.countDown()
            spinUntil { barger.result.isDone } // hold the hub: the woken getter cannot run meanwhile
            getter.awaitJoin()
            assertIs<QueueEmptyException>(getter.exception())
        }
        assertEquals("a", barger.value())
    }

    @Test
    @DisplayName(
        "Q-14 (Kotlin): Queue(1) holding 1, a Kotlin putter blocked: getNowait() == 1, qsize 0; after sleep() qsize 1, putter dead"
    )
    fun q14_blockedSendIsCompletedLater() {
        runGreenlet {
            val q = Queue(1, listOf(1))
            val p = spawn { q.send(2) }
            sleep()
            assertEquals(1, q.qsize())
            assertEquals(1, q.getNowait())
            assertEquals(0, q.qsize())
            sleep()
            assertEquals(1, q.qsize())
            assertTrue(p.isDead)
        }
    }

    @Test
    @DisplayName("Q-15 (Kotlin): a Kotlin getter under withGeventTimeout(0.1 s) gets the item sent 0.01 s later")
    fun q15_getterUnderTimeoutGetsTheItem() {
        runGreenlet {
            val q = Queue<String>()
            val p = spawn {
                assertEquals("hi2", withGeventTimeout(100.milliseconds) { q.receive() })
                "OK"
            }
            sleep(0.01)
            q.send("hi2")
            sleep(0.01)
            assertEquals("OK", p.get(java.time.Duration.ZERO))
        }
    }

    @Test
    @DisplayName(
        "Q-16 (mixed): 2 Java and 2 Kotlin waiters set(q.get()); one put at a time -> 1, then 2, then 4 results"
    )
    fun q16_multipleWaiters() {
        runGreenlet {
            val q = Queue<String>()
            val evts = List(4) { io.gevent4j.event.AsyncResult<String>() }
            for ((i, e) in evts.withIndex()) {
                if (i % 2 == 0) javaGreenlet { e.set(q.get()) } else spawn { e.set(q.receive()) }
            }
            sleep(0.01)
            val results = LinkedHashSet<String>()
            suspend fun collect(): Int {
                for (e in evts) {
                    try {
                        results += e.await(1.milliseconds)
                    } catch (notYet: Timeout) {
                        // gevent: with Timeout(0.001, False)
                    }
                }
                return results.size
            }
            q.send("1")
            assertEquals(1, collect())
            q.send("2")
            assertEquals(2, collect())
            q.send("3")
            q.send("4")
            assertEquals(4, collect())
        }
    }

    @Test
    @DisplayName("Q-17 (Kotlin): a Kotlin getter under a zero timeout ends 'timed out'; the next item is not swallowed")
    fun q17_aCancelledKotlinWaiterDoesNotSwallowAnItem() {
        runGreenlet {
            val q = Queue<String>()
            val g = spawn {
                try {
                    withGeventTimeout(Duration.ZERO) { q.receive() }
                } catch (t: Timeout) {
                    "timed out"
                }
            }
            assertEquals("timed out", g.await())
            q.send("hi")
            assertEquals("hi", q.receive(Duration.ZERO))
            val killed = spawn { q.receive() }
            sleep()
            killed.awaitKill()
            q.send("again")
            assertEquals("again", q.receive(Duration.ZERO))
        }
    }

    @Test
    @DisplayName(
        "Q-18 (Kotlin): a dying and a normal Kotlin getter: 'timed out' and 'hi'; two dying ones: both 'timed out', q gets 'sent'"
    )
    fun q18_dyingKotlinWaiters() {
        runGreenlet {
            val q = Queue<String>()
            val bail: suspend () -> String = {
                try {
                    withGeventTimeout(Duration.ZERO) { q.receive() }
                } catch (t: Timeout) {
                    "timed out"
                }
            }
            val dying = spawn { bail() }
            val waiting = spawn { q.receive() }
            sleep(0.1)
            q.send("hi")
            assertEquals("timed out", dying.await())
            assertEquals("hi", waiting.await())
            val g1 = spawn { bail() }
            val g2 = spawn { bail() }
            sleep(0.1)
            q.send("sent")
            assertEquals("timed out", g1.await())
            assertEquals("timed out", g2.await())
            assertEquals("sent", q.receive())
        }
    }

    /** Q-18, woken then killed: `first` (blocked before `second`) is killed after its wake-up, before it ran. */
    private fun wokenThenKilledGetterHandsOn(
        first: (Queue<String>) -> Greenlet<String>,
        second: (Queue<String>) -> Greenlet<String>,
    ) {
        runGreenlet {
            val q = Queue<String>()
            val g1 = first(q)
            val g2 = second(q)
            sleep()
            // the kill is a hub task queued now; the send wakes g1 before that task runs, so the kill reaches
            // g1 after its wake-up and before it took the item (gevent: g2 gets the item as well)
            Gevent.kill(g1)
            q.send("x") // one item: wakes g1 only
            assertTrue(
                g2.awaitJoin(5.seconds),
                "the item was swallowed by the dead getter: g1=${g1.value()}/${g1.exception()}, qsize=${q.qsize()}",
            )
            assertEquals("x", g2.get())
            assertTrue(g1.isDead)
        }
    }

    @Test
    @DisplayName(
        "Q-18 (Kotlin, woken then killed): a Kotlin getter killed after its wake-up hands the item on to a Kotlin getter"
    )
    fun q18_aWokenKotlinGetterThatDiesHandsTheItemOn() {
        wokenThenKilledGetterHandsOn({ q -> spawn { q.receive() } }, { q -> spawn { q.receive() } })
    }

    @Test
    @DisplayName(
        "Q-18 (mixed, woken then killed): a Kotlin getter killed after its wake-up hands the item on to a Java getter"
    )
    fun q18_aWokenKotlinGetterThatDiesHandsTheItemOnToAJavaGetter() {
        wokenThenKilledGetterHandsOn({ q -> spawn { q.receive() } }, { q -> javaGreenlet { q.get() } })
    }

    @Test
    @DisplayName(
        "Q-18 (mixed, woken then killed): a Java getter killed after its wake-up hands the item on to a Kotlin getter"
    )
    fun q18_aWokenJavaGetterThatDiesHandsTheItemOnToAKotlinGetter() {
        wokenThenKilledGetterHandsOn({ q -> javaGreenlet { q.get() } }, { q -> spawn { q.receive() } })
    }

    @Test
    @DisplayName("Q-18 (Kotlin putters, woken then killed): a Kotlin putter killed after its wake-up hands the room on")
    fun q18_aWokenKotlinPutterThatDiesHandsTheRoomOn() {
        runGreenlet {
            val q = Queue(1, listOf("x"))
            val first = spawn { q.send("first") }
            val second = spawn { q.send("second") }
            sleep()
            Gevent.kill(first) // delivered after the wake-up below, before `first` runs
            assertEquals("x", q.getNowait()) // room for one: wakes `first` only
            assertTrue(
                second.awaitJoin(5.seconds),
                "the room was swallowed by the dead putter: first=${first.exception()}, qsize=${q.qsize()}",
            )
            assertTrue(second.isSuccessful)
            assertEquals("second", q.getNowait())
        }
    }

    @Test
    @DisplayName("Q-19 (Kotlin): spawn { send('sent') }; receive() == 'sent'")
    fun q19_senderThatDies() {
        runGreenlet {
            val q = Queue<String>()
            spawn { q.send("sent") }
            assertEquals("sent", q.receive())
        }
    }

    // ---- 6.3 ---------------------------------------------------------------------------------------------

    @Test
    @DisplayName("Q-20/Q-21 (Kotlin): awaitPeek returns the head without taking it, and waits for an item")
    fun q21_awaitPeek() {
        runGreenlet {
            val q = Queue<Int>()
            val g = spawn { q.awaitPeek() }
            sleep()
            assertFalse(g.isDead)
            q.send(1)
            assertEquals(1, g.await())
            assertEquals(1, q.awaitPeek())
            assertEquals(1, q.qsize())
        }
    }

    @Test
    @DisplayName("Q-22 (Kotlin): receiveAsFlow ends once the queue is shut down and drained")
    fun q22_receiveAsFlowEndsAtShutdown() {
        runGreenlet {
            val q = Queue<Int>()
            q.send(1)
            q.send(2)
            q.shutdown()
            assertEquals(listOf(1, 2), q.receiveAsFlow().toList())
            assertEquals(emptyList(), q.receiveAsFlow().toList())

            val q2 = Queue<Int>(1)
            val consumer = spawn { q2.receiveAsFlow().toList() }
            for (i in 0 until 5) q2.send(i)
            sleep()
            assertFalse(consumer.isDead, "the flow ended before shutdown")
            q2.shutdown()
            assertEquals((0 until 5).toList(), consumer.await(5.seconds))
        }
    }

    @Test
    @DisplayName(
        "Q-22 (Kotlin, service thread): a Kotlin greenlet's receiveAsFlow ends when a service thread shuts the queue down"
    )
    fun q22_receiveAsFlowEndsAtAServiceThreadsShutdown() {
        val q = Queue<Int>()
        val consumer = hub.spawnSuspend { q.receiveAsFlow().toList() }
        for (i in 0 until 5) q.put(i)
        q.shutdown()
        assertTrue(consumer.join(java.time.Duration.ofSeconds(10)), "the flow did not end at shutdown")
        assertEquals((0 until 5).toList(), consumer.get())
    }

    // ---- 6.4 ---------------------------------------------------------------------------------------------

    @Test
    @DisplayName("Q-27 (Kotlin): awaitJoin() on a fresh queue returns true at once, without switching")
    fun q27_awaitJoinOnAFreshQueue() {
        runGreenlet {
            val q = JoinableQueue<Int>()
            expect(1)
            spawn { expect(3) }
            assertTrue(q.awaitJoin())
            assertTrue(q.awaitJoin(Duration.ZERO))
            expect(2)
            sleep()
            finish(4)
        }
        assertFinished()
    }

    @Test
    @DisplayName(
        "Q-28/Q-29 (Kotlin): awaitJoin(0.2 s) is false in [0.1, 0.31] s; the last taskDone 0.01 s later makes awaitJoin() true"
    )
    fun q29_awaitJoinWaitsForTheLastTaskDone() {
        runGreenlet {
            val q = Queue<Int>()
            spawn { q.send(1) }
            assertEquals(1, q.receive())
            assertEquals(1, q.unfinishedTasks())
            q.send(2)
            var start = System.nanoTime()
            assertFalse(q.awaitJoin(WAIT_TIMEOUT.seconds))
            assertWithin(WAIT_MIN, WAIT_MAX, since(start))
            q.taskDone()
            q.receive()
            spawn {
                sleep(GET_TIMEOUT)
                q.taskDone()
            }
            start = System.nanoTime()
            assertTrue(q.awaitJoin())
            assertWithin(GET_MIN, GET_MAX, since(start))
            assertFailsWith<IllegalStateException> { q.taskDone() }
        }
    }

    // ---- Q-32 shutdown -----------------------------------------------------------------------------------

    @Test
    @DisplayName(
        "Q-32 (mixed): shutdown() wakes blocked Kotlin receivers, peekers and flows, Java getters and a service thread with ShutDown"
    )
    fun q32_shutdownWakesBlockedGetters() {
        val q = Queue<String>()
        val f = foreign("getter") { q.get() }
        runGreenlet {
            val k1 = spawn { q.receive() }
            val k2 = spawn { q.receive(10.seconds) }
            val kp = spawn { q.awaitPeek() }
            val flow = spawn { q.receiveAsFlow().toList() }
            val j = javaGreenlet { q.get() }
            sleep()
            f.suspendUntilParked()
            q.shutdown()
            for (g in listOf(k1, k2, kp, j)) {
                assertTrue(g.awaitJoin(5.seconds))
                assertIs<QueueShutDownException>(g.exception(), g.toString())
            }
            assertEquals(emptyList(), flow.await(5.seconds))
            assertIs<QueueShutDownException>(f.awaitFailure())
        }
    }

    @Test
    @DisplayName(
        "Q-32 (mixed): shutdown() wakes blocked Kotlin senders, a Java putter and a service thread with ShutDown"
    )
    fun q32_shutdownWakesBlockedPutters() {
        val q = Queue(1, listOf("x"))
        val f = foreign("putter") { q.put("f") }
        runGreenlet {
            val k1 = spawn { q.send("k1") }
            val k2 = spawn { q.send("k2", 10.seconds) }
            val j = javaGreenlet { q.put("j") }
            sleep()
            f.suspendUntilParked()
            q.shutdown()
            for (g in listOf(k1, k2, j)) {
                assertTrue(g.awaitJoin(5.seconds))
                assertIs<QueueShutDownException>(g.exception(), g.toString())
            }
            assertIs<QueueShutDownException>(f.awaitFailure())
            assertFailsWith<QueueShutDownException> { q.send("late") }
            assertEquals("x", q.receive())
            assertFailsWith<QueueShutDownException> { q.receive() }
        }
    }

    @Test
    @DisplayName("Q-32 (Kotlin): shutdown(true) wakes awaitJoin() and makes receive() raise ShutDown at once")
    fun q32_immediateShutdownWakesAwaitJoin() {
        runGreenlet {
            val q = Queue(0, listOf("a", "b"))
            val j = spawn { q.awaitJoin(10.seconds) }
            sleep()
            assertFalse(j.isDead)
            q.shutdown(true)
            assertTrue(j.await(5.seconds))
            assertFailsWith<QueueShutDownException> { q.receive() }
            assertFailsWith<IllegalStateException> { q.taskDone() }
        }
    }

    // ---- 6.5 Channel -------------------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(GreenletKind::class)
    @DisplayName(
        "Q-34: a Kotlin sender's send blocks until the receiver (a Kotlin or a Java greenlet) took the item: sending, hello, sent hello, world, sent world"
    )
    fun q34_sendBlocksUntilTaken(receiver: GreenletKind) {
        val log = recorder()
        runGreenlet {
            val ch = Channel<String>()
            val consumer =
                when (receiver) {
                    GreenletKind.KOTLIN -> spawn { repeat(2) { log += ch.receive() } }
                    GreenletKind.JAVA -> javaGreenlet { repeat(2) { log += ch.get() } }
                }
            log += "sending"
            ch.send("hello")
            log += "sent hello"
            ch.send("world")
            log += "sent world"
            consumer.awaitJoin()
            assertTrue(consumer.isSuccessful)
        }
        assertEquals(listOf("sending", "hello", "sent hello", "world", "sent world"), log.snapshot())
    }

    @Test
    @DisplayName("Q-35 (mixed): a Java producer and a Kotlin main: 'sent world' only after main's next sleep()")
    fun q35_javaProducerKotlinMain() {
        val log = recorder()
        runGreenlet {
            val ch = Channel<String>()
            val producer =
                Gevent.spawn(
                    GreenRunnable {
                        log += "sending hello"
                        ch.put("hello")
                        log += "sending world"
                        ch.put("world")
                        log += "sent world"
                    }
                )
            log += "waiting"
            log += ch.receive()
            log += ch.receive()
            assertEquals(listOf("waiting", "sending hello", "hello", "sending world", "world"), log.snapshot())
            sleep()
            assertEquals("sent world", log.snapshot().last())
            assertTrue(producer.isDead)
        }
    }

    @Test
    @DisplayName("Q-36 (Kotlin): a Kotlin sender waits until a receiver comes (Kotlin, then a service thread)")
    fun q36_kotlinSenderWaitsForAReceiver() {
        val ch = Channel<String>()
        lateinit var f: Foreign<String>
        runGreenlet {
            val sender = spawn {
                ch.send("hi")
                "done"
            }
            sleep(0.001)
            assertFalse(sender.isDead)
            assertEquals("hi", spawn { ch.receive() }.await())
            assertEquals("done", sender.await())

            val sender2 = spawn {
                ch.send("hey")
                "done"
            }
            sleep(0.001)
            assertFalse(sender2.isDead)
            f = foreign("receiver") { ch.get() }
            assertEquals("done", sender2.await(5.seconds))
        }
        assertEquals("hey", f.value())
    }

    @Test
    @DisplayName(
        "Q-37/Q-38 (Kotlin): send(x, 0) needs a waiting receiver; receive(0) takes from a blocked Kotlin sender; a blocked Kotlin receiver gets putNowait's item"
    )
    fun q38_channelNowaitWithKotlinWaiters() {
        runGreenlet {
            val ch = Channel<String>()
            assertFailsWith<QueueFullException> { ch.send("x", Duration.ZERO) }
            assertFailsWith<QueueEmptyException> { ch.receive(Duration.ZERO) }
            val start = System.nanoTime()
            assertFailsWith<QueueFullException> { ch.send("x", GET_TIMEOUT.seconds) }
            assertWithin(GET_MIN, GET_MAX, since(start))
            val p = spawn { ch.send("x") }
            sleep()
            assertEquals("x", ch.receive(Duration.ZERO))
            p.awaitJoin()
            assertTrue(p.isSuccessful)
            val g = spawn { ch.receive() }
            sleep()
            ch.send("y", Duration.ZERO)
            assertEquals(0, ch.qsize())
            assertEquals("y", g.await(5.seconds))
        }
    }
}
