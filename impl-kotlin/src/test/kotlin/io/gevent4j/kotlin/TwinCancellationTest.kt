package io.gevent4j.kotlin

import io.gevent4j.Gevent
import io.gevent4j.Greenlet
import io.gevent4j.GreenletExit
import io.gevent4j.Waitable
import io.gevent4j.event.AsyncResult
import io.gevent4j.event.Event
import io.gevent4j.kotlin.internal.AsyncResultCore
import io.gevent4j.kotlin.internal.SemaphoreCore
import io.gevent4j.kotlin.testing.KotlinTestBase
import io.gevent4j.lock.RLock
import io.gevent4j.lock.Semaphore
import io.gevent4j.queue.Channel
import io.gevent4j.queue.Queue
import io.gevent4j.queue.QueueEmptyException
import io.gevent4j.socket.GreenServerSocket
import io.gevent4j.spi.Internals
import io.gevent4j.subprocess.Popen
import io.mockk.every
import io.mockk.mockk
import io.mockk.spyk
import java.lang.ProcessBuilder.Redirect
import java.net.InetSocketAddress
import java.nio.ByteBuffer
import java.util.concurrent.CompletableFuture
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicBoolean
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertFalse
import kotlin.test.assertNull
import kotlin.test.assertTrue
import kotlin.time.Duration.Companion.seconds
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.flow.first
import kotlinx.coroutines.job
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.yield
import org.junit.jupiter.api.DisplayName
import org.junit.jupiter.api.Test

/**
 * What cancelling the caller of a suspend twin does, as each twin's KDoc says (issue 9, defect 8): the wait ends at
 * once (the victim ends without what it waited for ever happening), and the object is as if the wait had not been made
 * (no link left, nothing put or taken, a permit or the lock left to the next, the greenlet waited for not killed, no
 * byte lost). awaitRecv's is in SocketKotlinTest, awaitExit/awaitCommunicate/awaitRun/awaitReadStdout's in
 * SubprocessKotlinSpecTest, the thread pool twins' in ThreadPoolKotlinTest, the server's in StreamServerKotlinSpecTest,
 * a woken getter's in QueueKotlinSpecTest.
 */
class TwinCancellationTest : KotlinTestBase() {
    /**
     * Spawns a Kotlin greenlet suspended in [twin], kills it, and checks that the kill ended it there: it is dead and
     * the code after the twin never ran.
     */
    private suspend fun killedIn(twin: suspend () -> Any?) {
        val after = AtomicBoolean()
        val victim = spawn {
            twin()
            after.set(true)
        }
        sleep()
        assertFalse(victim.isDead, "the victim waits in the twin")
        victim.kill(GreenletExit(), false, null)
        assertTrue(victim.awaitJoin(5.seconds), "the kill ended the wait")
        assertTrue(victim.isSuccessful, "ended by the GreenletExit: ${victim.exception()}")
        assertFalse(after.get(), "the code after the twin never ran")
    }

    private fun linkCount(ar: AsyncResult<*>): Int = (Internals.peer(ar) as AsyncResultCore<*>).linkCount()

    @Test
    @DisplayName(
        "Event.await, AsyncResult.await, waitAll/iwait/joinAll: a cancelled waiter leaves no link; the objects are unaffected"
    )
    fun cancelledEventWaitsUnlink() {
        runGreenlet {
            val e = Event()
            val ar = AsyncResult<String>()
            killedIn { e.await() }
            killedIn { ar.await() }
            killedIn { waitAll(listOf(e, ar)) }
            killedIn { iwait(listOf(e)).first() }
            assertEquals(0, e.linkCount())
            assertEquals(0, linkCount(ar))
            val g = spawn { e.await() }
            sleep()
            killedIn { joinAll(listOf(g)) }
            killedIn { g.await() }
            killedIn { g.awaitJoin() }
            assertTrue(g.isAlive, "awaiting a greenlet never kills it")
            assertFalse(e.isSet || ar.isReady)
            e.set()
            assertTrue(g.await())
        }
    }

    @Test
    @DisplayName("awaitKill: cancelling the caller while it waits for the death does not take the kill back")
    fun aCancelledAwaitKillKeepsTheKill() {
        val gotExit = AtomicBoolean()
        val gate = Event()
        runGreenlet {
            // a Java greenlet that takes a while to die: it catches the exit, then waits for the gate
            val target = spawnBlocking {
                try {
                    Event().waitFor()
                } catch (e: GreenletExit) {
                    gotExit.set(true)
                    gate.waitFor()
                }
            }
            sleep()
            killedIn { target.awaitKill() }
            assertTrue(gotExit.get(), "the kill was delivered")
            assertTrue(target.isAlive)
            gate.set()
            assertTrue(target.awaitJoin(5.seconds))
        }
    }

    @Test
    @DisplayName("send/receive/awaitPeek/receiveAsFlow/Queue.awaitJoin: a cancelled caller puts and takes nothing")
    fun cancelledQueueCallsPutAndTakeNothing() {
        runGreenlet {
            val full = Queue(1, listOf("a"))
            killedIn { full.send("b") }
            assertEquals("a", full.receive())
            sleep()
            assertEquals(0, full.qsize(), "the cancelled put never went in")
            val empty = Queue<String>()
            killedIn { empty.receive() }
            killedIn { empty.awaitPeek() }
            killedIn { empty.receiveAsFlow().first() }
            empty.send("x")
            sleep()
            assertEquals(1, empty.qsize(), "no cancelled getter took the item")
            killedIn { empty.awaitJoin() }
            assertEquals(1, empty.unfinishedTasks())
            val ch = Channel<String>()
            killedIn { ch.send("c") }
            assertFailsWith<QueueEmptyException> { ch.getNowait() } // the item was withdrawn
        }
    }

    @Test
    @DisplayName(
        "Channel.send cancelled after a getter took its item: the getter keeps it, send throws the cancellation"
    )
    fun aChannelItemTakenBeforeTheCancellationStaysTaken() {
        val ch = Channel<String>()
        val outcome = CompletableFuture<String>()
        runBlocking {
            val putter = launch {
                try {
                    ch.send("x")
                    outcome.complete("sent")
                } catch (e: CancellationException) {
                    outcome.complete("cancelled")
                    throw e
                }
            }
            yield() // the putter waits in send() with its item
            // a thread of no hub takes the item: the putter's resumption is queued on this thread's event loop
            val got = CompletableFuture.supplyAsync { ch.get() }.get(10, TimeUnit.SECONDS)
            assertEquals("x", got)
            putter.cancel() // before the putter resumed
            putter.join()
        }
        assertEquals("cancelled", outcome.get(1, TimeUnit.SECONDS))
    }

    @Test
    @DisplayName(
        "awaitAcquire/withPermit and RLock.awaitAcquire/withLock: a cancelled caller takes nothing, a cancelled holder gives back"
    )
    fun cancelledLockCallsGiveBack() {
        runGreenlet {
            val s = Semaphore(0)
            killedIn { s.awaitAcquire() }
            killedIn { s.awaitReady() }
            killedIn { s.withPermit {} }
            s.release()
            sleep()
            assertEquals(1, s.counter(), "no cancelled waiter took the permit")
            killedIn { s.withPermit { Event().await() } } // cancelled while it holds the permit
            assertEquals(1, s.counter(), "released when cancelled")
            val r = RLock()
            val holding = Event()
            val release = Event()
            val holder = spawnBlocking {
                r.acquire()
                holding.set()
                release.waitFor()
                r.release()
            }
            holding.await()
            killedIn { r.awaitAcquire() }
            killedIn { r.withLock {} }
            release.set()
            holder.awaitJoin()
            killedIn { r.withLock { Event().await() } }
            assertTrue(r.tryAcquire(), "free: the cancelled callers left the lock to the next")
            r.release()
        }
    }

    @Test
    @DisplayName("awaitAcquire woken by a release, then cancelled before it ran: the permit goes to the next waiter")
    fun aWokenCancelledAcquirerHandsThePermitOn() {
        runGreenlet {
            val s = Semaphore(0)
            val first = spawn { s.awaitAcquire() }
            val second = spawn { s.awaitAcquire() }
            sleep()
            Gevent.kill(first) // a hub task queued now; the release below wakes `first` before it runs
            s.release()
            assertTrue(second.awaitJoin(5.seconds), "the permit was swallowed by the cancelled waiter")
            assertTrue(second.get()!!)
            assertTrue(first.isDead)
            assertEquals(0, s.counter())
        }
    }

    @Test
    @DisplayName("awaitAcquire cancelled after its registration found a permit free: the permit is not lost")
    fun aPermitFoundAtRegistrationByACancelledCallerIsNotLost() {
        val core = spyk(SemaphoreCore(0, mockk<Waitable>(relaxed = true)))
        var first = true
        // between the caller's first try and its registration, a permit is released (as another thread could)
        every { core.tryAcquireNow() } answers
            {
                val took = callOriginal()
                if (first) {
                    first = false
                    core.release(Int.MAX_VALUE)
                }
                took
            }
        runBlocking {
            val job = launch {
                coroutineContext.job.cancel() // cancelled: the wait ends with a CancellationException
                core.awaitAcquire(-1)
            }
            job.join()
        }
        assertEquals(1, core.counter(), "the permit released before the registration is still free")
    }

    @Test
    @DisplayName(
        "sleep(), sleep(d), idle(), withGeventTimeout, Greenlet.await of a Deferred's greenlet: a kill ends them at once"
    )
    fun cancelledSchedulingTwinsEndAtOnce() {
        runGreenlet {
            killedIn { sleep(60.seconds) }
            killedIn { sleep(60.0) }
            killedIn { withGeventTimeout(60.seconds) { Event().await() } }
            killedIn { idle() } // the killer keeps the hub busy until the kill is queued: idle() cannot return first
            val never = Event()
            val g: Greenlet<Boolean> = spawn { never.await() }
            killedIn { g.asDeferred().await() }
            assertTrue(g.isAlive, "cancelling the Deferred's waiter does not kill the greenlet")
            never.set()
            assertTrue(g.await())
        }
    }

    @Test
    @DisplayName(
        "awaitAccept and awaitSendAll cancelled: no connection is taken; exactly the bytes the buffer's position counts were sent"
    )
    fun cancelledSocketTwinsLoseNothing() {
        runGreenlet {
            GreenServerSocket.listen(InetSocketAddress("127.0.0.1", 0)).use { l ->
                val address = InetSocketAddress("127.0.0.1", l.port())
                killedIn { l.awaitAccept() }
                val c = awaitConnect(address)
                val s = l.awaitAccept() // the cancelled accept took nothing
                val big = ByteBuffer.allocate(32 shl 20) // far more than the kernel buffers while s reads nothing
                killedIn { c.awaitSendAll(big) }
                val sent = big.position()
                assertTrue(sent in 1 until big.capacity(), "part of it was sent: $sent")
                c.close()
                var got = 0L
                val b = ByteBuffer.allocate(1 shl 16)
                while (true) {
                    b.clear()
                    val n = s.awaitRecv(b)
                    if (n < 0) break
                    got += n
                }
                assertEquals(sent.toLong(), got, "the peer got exactly what the position counts")
                s.close()
            }
        }
    }

    @Test
    @DisplayName(
        "awaitWriteStdin cancelled: its bytes are still written, in order; awaitClose cancelled: the child is not killed"
    )
    fun cancelledPopenTwinsKeepTheirEffects() {
        runGreenlet {
            val p = Popen(ProcessBuilder("cat").redirectError(Redirect.DISCARD))
            val data = ByteArray(1 shl 20) { (it % 251).toByte() } // more than the two pipes hold while nobody reads
            killedIn { p.awaitWriteStdin(data) }
            val out = p.awaitCommunicate().stdout()!! // closes stdin after the write, reads to the end
            assertTrue(out.contentEquals(data), "all ${data.size} bytes written in order; got ${out.size}")
            val q = Popen(ProcessBuilder("sleep", "30").redirectOutput(Redirect.PIPE))
            killedIn { q.awaitClose() }
            assertNull(q.poll(), "the child runs on")
            q.kill()
            assertEquals(-9, q.awaitExit(10.seconds))
        }
    }
}
