package io.gevent4j.kotlin

import io.gevent4j.BlockingSwitchOutException
import io.gevent4j.Gevent
import io.gevent4j.GreenRunnable
import io.gevent4j.Greenlet
import io.gevent4j.GreenletExit
import io.gevent4j.Hub
import io.gevent4j.event.AsyncResult
import io.gevent4j.event.Event
import io.gevent4j.kotlin.internal.AsyncResultCore
import io.gevent4j.kotlin.testing.KotlinTestBase
import io.gevent4j.lock.RLock
import io.gevent4j.lock.Semaphore
import io.gevent4j.queue.Channel
import io.gevent4j.queue.Queue
import io.gevent4j.queue.QueueEmptyException
import io.gevent4j.socket.GreenServerSocket
import io.gevent4j.socket.GreenSocket
import io.gevent4j.spi.Internals
import io.gevent4j.threadpool.ThreadPool
import java.net.InetSocketAddress
import java.nio.ByteBuffer
import java.time.Duration as JDuration
import java.util.concurrent.CountDownLatch
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicBoolean
import kotlin.test.assertContentEquals
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertFalse
import kotlin.test.assertNotNull
import kotlin.test.assertNull
import kotlin.test.assertTrue
import kotlin.time.Duration.Companion.seconds
import org.junit.jupiter.api.DisplayName
import org.junit.jupiter.api.Test

/**
 * Issue 9, defect 11: a blocking Java facade called in a Kotlin greenlet's body throws BlockingSwitchOutException
 * naming its documented suspend twin, and the refused call has had no effect: no kill delivered, nothing put, taken,
 * acquired, linked, queued, sent or closed. Each case then checks that the object still works as if the refused call
 * had never been made.
 */
class RefusedCallsHaveNoEffectTest : KotlinTestBase() {
    /** Asserts that [call] is refused at once, naming [twin]. */
    private fun refused(twin: String, call: () -> Any?) {
        val e = assertFailsWith<BlockingSwitchOutException> { call() }
        assertTrue(e.message.orEmpty().contains(twin), "the message must name $twin: ${e.message}")
    }

    private fun blocked(never: Event): Greenlet<Boolean> = hub.spawnSuspend { never.await() }

    @Test
    @DisplayName("Greenlet.kill() with block, refused in a Kotlin body, names awaitKill and delivers no kill")
    fun aRefusedKillKillsNothing() {
        val never = Event()
        runGreenlet {
            val kotlinTarget = blocked(never)
            val javaTarget = spawnBlocking { never.waitFor() }
            sleep() // both are running, blocked in their waits
            for (t in listOf(kotlinTarget, javaTarget)) {
                refused("Greenlet.awaitKill()") { t.kill() }
                refused("Greenlet.awaitKill()") { t.kill(IllegalStateException("no")) }
                refused("Greenlet.awaitKill()") { t.kill(GreenletExit(), true, JDuration.ofSeconds(1)) }
                refused("Greenlet.awaitJoin()") { t.join() }
                refused("Greenlet.await()") { t.get() }
            }
            sleep()
            sleep()
            assertTrue(kotlinTarget.isAlive && javaTarget.isAlive, "no kill was delivered")
            // a kill that does not wait is not refused, nor one of a greenlet that has not run (it is dead at once)
            val unstarted = hub.spawnSuspend { never.await() }
            unstarted.kill()
            assertTrue(unstarted.isDead)
            kotlinTarget.awaitKill()
            javaTarget.kill(GreenletExit(), false, null)
            assertTrue(javaTarget.awaitJoin(5.seconds))
            assertTrue(kotlinTarget.isDead && javaTarget.isSuccessful)
        }
    }

    @Test
    @DisplayName(
        "Gevent.killAll with block, refused in a Kotlin body, names its Kotlin form and kills none; all dead already is not refused"
    )
    fun aRefusedKillAllKillsNothing() {
        val never = Event()
        runGreenlet {
            val gs = listOf(blocked(never), blocked(never))
            sleep()
            refused("Gevent.killAll(gs, e, false, null) then joinAll(gs)") { Gevent.killAll(gs) }
            refused("joinAll(gs)") { Gevent.killAll(gs, GreenletExit(), true, JDuration.ofSeconds(1)) }
            sleep()
            sleep()
            assertTrue(gs.all { it.isAlive }, "no kill was delivered")
            Gevent.killAll(gs, GreenletExit(), false, null)
            assertEquals(gs, joinAll(gs, 5.seconds).sortedBy { gs.indexOf(it) })
            Gevent.killAll(gs) // every one is dead: nothing to wait for, not refused
        }
    }

    @Test
    @DisplayName("Gevent.sleep/idle/joinAll/wait/iwait, refused in a Kotlin body, name their twins and link nothing")
    fun refusedModuleFunctionsLinkNothing() {
        val never = Event()
        runGreenlet {
            val g = blocked(never)
            sleep()
            refused("sleep()") { Gevent.sleep() }
            refused("sleep()") { Gevent.sleep(0.01) }
            refused("idle()") { Gevent.idle() }
            refused("joinAll()") { Gevent.joinAll(listOf(g)) }
            refused("waitAll()") { Gevent.wait(listOf(never)) }
            refused("iwait() (a Flow)") { Gevent.iwait(listOf(never)) }
            assertEquals(1, never.linkCount(), "only g's own wait is linked")
            assertTrue(Gevent.iwait(listOf<Event>()).none(), "nothing to wait for: not refused")
            never.set()
            assertTrue(g.await())
        }
    }

    @Test
    @DisplayName(
        "Event.waitFor and AsyncResult.get/waitFor, refused in a Kotlin body, name Event.await/AsyncResult.await and link nothing"
    )
    fun refusedEventWaitsLinkNothing() {
        runGreenlet {
            val e = Event()
            val ar = AsyncResult<String>()
            refused("Event.await()") { e.waitFor() }
            refused("Event.await()") { e.waitFor(JDuration.ofSeconds(1)) }
            refused("AsyncResult.await()") { ar.get() }
            refused("AsyncResult.await()") { ar.get(JDuration.ofSeconds(1)) }
            refused("AsyncResult.await()") { ar.waitFor() }
            assertEquals(0, e.linkCount())
            assertEquals(0, (Internals.peer(ar) as AsyncResultCore<*>).linkCount())
            assertFalse(e.isSet || ar.isReady)
            ar.set("v")
            e.set()
            assertEquals("v", ar.get(), "ready: no wait, not refused")
            assertTrue(e.waitFor())
        }
    }

    @Test
    @DisplayName(
        "queue put/get/peek/iteration/join, refused in a Kotlin body, name send/receive/awaitPeek/receiveAsFlow/Queue.awaitJoin; nothing put or taken"
    )
    fun refusedQueueCallsPutAndTakeNothing() {
        runGreenlet {
            val full = Queue<String>(1)
            full.put("a") // room: no wait, not refused
            refused("send()") { full.put("b") }
            refused("send()") { full.put("b", JDuration.ofSeconds(1)) }
            refused("Queue.awaitJoin()") { full.join() }
            assertEquals(1, full.qsize())
            assertEquals("a", full.get(), "an item there: no wait, not refused")
            val empty = Queue<String>()
            refused("receive()") { empty.get() }
            refused("receive()") { empty.get(JDuration.ofSeconds(1)) }
            refused("awaitPeek()") { empty.peek() }
            refused("receiveAsFlow()") { empty.iterator().hasNext() }
            empty.putNowait("x")
            sleep()
            assertEquals(1, empty.qsize(), "no refused getter took the item")
            val ch = Channel<String>()
            refused("send()") { ch.put("c") }
            val getter = spawnBlocking { ch.get(JDuration.ofMillis(50)) }
            assertFailsWith<QueueEmptyException> { getter.await() } // the refused item was never offered
            full.taskDone()
            assertTrue(full.join(JDuration.ofSeconds(1)), "nothing unfinished: no wait, not refused")
        }
    }

    @Test
    @DisplayName(
        "Semaphore.acquire/permit/waitFor and RLock.acquire, refused in a Kotlin body, name awaitAcquire/withPermit/awaitReady/RLock.awaitAcquire; nothing taken"
    )
    fun refusedLockCallsTakeNothing() {
        val released = CountDownLatch(1)
        runGreenlet {
            val s = Semaphore(0)
            refused("Semaphore.awaitAcquire()") { s.acquire() }
            refused("Semaphore.awaitAcquire()") { s.acquire(JDuration.ofSeconds(1)) }
            refused("Semaphore.withPermit { }") { s.permit() }
            refused("Semaphore.awaitReady()") { s.waitFor() }
            assertEquals(0, s.counter())
            s.release()
            sleep()
            assertEquals(1, s.counter(), "no refused waiter took the permit")
            s.permit().use { assertEquals(0, s.counter(), "a free permit: no wait, not refused") }
            assertEquals(1, s.counter())
            val r = RLock()
            val holder = spawnBlocking {
                r.acquire()
                while (released.count > 0) Gevent.sleep(0.001)
                r.release()
            }
            sleep()
            refused("RLock.awaitAcquire()") { r.acquire() }
            refused("RLock.awaitAcquire()") { r.acquire(JDuration.ofSeconds(1)) }
            assertFalse(r.isOwned)
            released.countDown()
            holder.awaitJoin()
            assertTrue(r.tryAcquire(), "the refused acquire left no waiter in line")
            r.release()
        }
    }

    @Test
    @DisplayName("ThreadPool.spawn (no free worker), apply, map and join, refused in a Kotlin body, hand nothing over")
    fun refusedThreadPoolCallsHandNothingOver() {
        val gate = CountDownLatch(1)
        val ran = AtomicBoolean()
        ThreadPool(1, hub).use { pool ->
            try {
                runGreenlet {
                    val busy =
                        pool.spawn {
                            gate.await(10, TimeUnit.SECONDS)
                            1
                        } // a free worker: not refused
                    refused("ThreadPool.awaitSpawn { }") { pool.spawn { ran.set(true) } }
                    refused("ThreadPool.awaitApply { }") { pool.apply { ran.set(true) } }
                    refused("ThreadPool.awaitMap(items) { }") { pool.map({ _: Int -> ran.set(true) }, listOf(1)) }
                    refused("ThreadPool.awaitJoin()") { pool.join() }
                    assertEquals(1, pool.unfinishedTasks())
                    gate.countDown()
                    assertEquals(1, busy.await())
                    assertTrue(pool.awaitJoin(5.seconds))
                    assertFalse(ran.get(), "no refused task ran")
                    assertEquals(0, pool.unfinishedTasks())
                    assertTrue(pool.join(JDuration.ofSeconds(1)), "nothing unfinished: no wait, not refused")
                }
            } finally {
                gate.countDown()
            }
        }
    }

    @Test
    @DisplayName(
        "GreenSocket.recv and GreenServerSocket.accept, refused in a Kotlin body with data and a client waiting, read and accept nothing"
    )
    fun refusedSocketCallsReadAndAcceptNothing() {
        runGreenlet {
            GreenServerSocket.listen(InetSocketAddress("127.0.0.1", 0)).use { l ->
                val c = awaitConnect(InetSocketAddress("127.0.0.1", l.port()))
                val s = l.awaitAccept()
                c.awaitSendAll("hello".toByteArray()) // on loopback the bytes are in s's receive buffer now
                refused("GreenSocket.awaitRecv()") { s.recv(ByteBuffer.allocate(16)) }
                refused("GreenSocket.awaitRecv()") { s.recv(16) }
                assertContentEquals("hello".toByteArray(), s.awaitRecv(16), "the refused reads consumed nothing")
                val waiting = awaitConnect(InetSocketAddress("127.0.0.1", l.port())) // connected: in l's accept queue
                refused("GreenServerSocket.awaitAccept()") { l.accept() }
                refused("awaitConnect()") { GreenSocket.connect(InetSocketAddress("127.0.0.1", l.port())) }
                val accepted = assertNotNull(l.awaitAccept(1.seconds), "the waiting client is still there")
                assertNull(l.awaitAccept(kotlin.time.Duration.ZERO), "the refused connect made no connection")
                for (x in listOf(c, s, waiting, accepted)) x.close()
            }
        }
    }

    @Test
    @DisplayName("Hub.close() of another hub, refused in a Kotlin body, closes nothing")
    fun aRefusedHubCloseClosesNothing() {
        val other = Hub.create("refused-close")
        try {
            runGreenlet {
                refused("spawnBlocking { hub.close() }.awaitJoin()") { other.close() }
                assertEquals(3, other.spawnSuspend { 3 }.await(5.seconds), "the other hub still runs greenlets")
                spawnBlocking { other.close() }.awaitJoin()
            }
            assertFailsWith<IllegalStateException> { other.spawn(GreenRunnable {}) }
        } finally {
            other.close()
        }
    }
}
