package io.gevent4j.kotlin

import io.gevent4j.BlockingSwitchOutException
import io.gevent4j.Gevent
import io.gevent4j.GreenCallable
import io.gevent4j.GreenRunnable
import io.gevent4j.Greenlet
import io.gevent4j.GreenletExit
import io.gevent4j.Timeout
import io.gevent4j.event.Event
import io.gevent4j.kotlin.internal.HubImpl
import io.gevent4j.kotlin.testing.KotlinTestBase
import io.gevent4j.socket.GreenServerSocket
import io.gevent4j.socket.GreenSocket
import io.gevent4j.socket.ProbeResolverProvider
import java.net.InetSocketAddress
import java.net.SocketException
import java.net.SocketTimeoutException
import java.nio.ByteBuffer
import java.util.concurrent.atomic.AtomicInteger
import kotlin.test.assertContentEquals
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertFalse
import kotlin.test.assertNotNull
import kotlin.test.assertNull
import kotlin.test.assertSame
import kotlin.test.assertTrue
import kotlin.time.Duration.Companion.milliseconds
import kotlin.time.Duration.Companion.seconds
import kotlinx.coroutines.launch
import kotlinx.coroutines.withTimeoutOrNull
import org.junit.jupiter.api.DisplayName
import org.junit.jupiter.api.Test

/**
 * The socket twins from Kotlin greenlets (in both hub modes, through surefire's two runs): every twin, their timeouts
 * and cancellation, the Java calls refused in a Kotlin body, Java and Kotlin greenlets sharing sockets, and what the
 * hub's selector does.
 */
class SocketKotlinTest : KotlinTestBase() {
    private val hello = "hello".toByteArray()

    private fun listener(): GreenServerSocket = GreenServerSocket.listen(InetSocketAddress("127.0.0.1", 0))

    private fun GreenServerSocket.address() = InetSocketAddress("127.0.0.1", port())

    private suspend fun GreenSocket.recvExactly(n: Int): ByteArray {
        val b = ByteArray(n)
        var got = 0
        while (got < n) {
            val r = awaitRecvInto(b, got, n - got)
            assertTrue(r > 0, "end of stream after $got of $n bytes")
            got += r
        }
        return b
    }

    @Test
    @DisplayName(
        "every twin: awaitConnect, awaitAccept, awaitRecv (3 forms), awaitRecvInto, awaitSend, awaitSendAll (2 forms)"
    )
    fun everyTwin() = runGreenlet {
        listener().use { l ->
            val c = awaitConnect(l.address())
            val s = l.awaitAccept()
            c.use {
                s.use {
                    c.awaitSendAll(hello)
                    assertContentEquals(hello, s.recvExactly(5))
                    c.awaitSendAll(ByteBuffer.wrap("abc".toByteArray()))
                    val into = ByteBuffer.allocate(3)
                    while (into.hasRemaining()) assertTrue(s.awaitRecv(into) > 0)
                    assertContentEquals("abc".toByteArray(), into.array())
                    val from = ByteBuffer.wrap("xyz".toByteArray())
                    while (from.hasRemaining()) assertTrue(s.awaitSend(from) > 0)
                    assertContentEquals("xyz".toByteArray(), c.recvExactly(3))
                    assertEquals(0, s.awaitSend(ByteBuffer.allocate(0)))
                    assertEquals(0, s.awaitRecv(ByteBuffer.allocate(0)))
                    c.awaitSendAll("q".toByteArray())
                    assertContentEquals("q".toByteArray(), s.awaitRecv(10))
                    c.shutdownOutput()
                    assertEquals(0, s.awaitRecv(10).size)
                    assertEquals(-1, s.awaitRecv(ByteBuffer.allocate(4)))
                    assertEquals(-1, s.awaitRecvInto(ByteArray(4)))
                }
            }
        }
    }

    @Test
    @DisplayName(
        "awaitConnect by host name: \"localhost\" works; a probed name is looked up on the hub's thread pool, not the hub thread"
    )
    fun awaitConnectByName() = runGreenlet {
        listener().use { l ->
            awaitConnect("localhost", l.port(), 5.seconds).use { c ->
                l.awaitAccept().use { s ->
                    c.awaitSendAll(hello)
                    assertContentEquals(hello, s.recvExactly(5))
                }
            }
            val host = "kotlin-${System.nanoTime()}${ProbeResolverProvider.SUFFIX}"
            awaitConnect(host, l.port()).use { c ->
                l.awaitAccept().use { s ->
                    s.awaitSendAll(hello)
                    assertContentEquals(hello, c.recvExactly(5))
                }
            }
            val on = ProbeResolverProvider.LOOKED_UP_ON[host]
            assertTrue(
                on != null && on.startsWith("${hub.name()}-threadpool-"),
                "looked up on $on, not on the hub's thread pool",
            )
        }
    }

    @Test
    @DisplayName("awaitAccept(timeout): null on expiry within gevent's wait-style bounds; a socket when one connects")
    fun awaitAcceptWithTimeout() = runGreenlet {
        listener().use { l ->
            val t0 = System.nanoTime()
            assertNull(l.awaitAccept(200.milliseconds))
            assertWithin(WAIT_MIN, WAIT_MAX, since(t0))
            val connecting = spawn { awaitConnect(l.address()) }
            val s = assertNotNull(l.awaitAccept(5.seconds))
            s.close()
            connecting.await().close()
        }
    }

    @Test
    @DisplayName(
        "cancelling a suspended awaitRecv (withTimeoutOrNull, Job.cancel) ends the wait and leaves the socket usable"
    )
    fun cancellationLeavesSocketUsable() = runGreenlet {
        listener().use { l ->
            val c = awaitConnect(l.address())
            val s = l.awaitAccept()
            assertNull(withTimeoutOrNull(20.milliseconds) { s.awaitRecv(10) })
            val job = launch { s.awaitRecv(10) }
            sleep()
            assertTrue(job.isActive)
            job.cancel()
            job.join()
            assertTrue(s.isOpen)
            c.awaitSendAll(hello)
            assertContentEquals(hello, s.recvExactly(5))
            c.close()
            s.close()
        }
    }

    @Test
    @DisplayName(
        "a Kotlin greenlet of hub B suspends on a socket hub A watches; cancelled, it leaves the socket usable"
    )
    fun twinOnASocketOfAnotherHub() {
        val b = io.gevent4j.Hub.create("kotlin-hub-b")
        try {
            listener().use { l ->
                val (c, s) =
                    runGreenlet {
                        val c = awaitConnect(l.address())
                        val s = l.awaitAccept()
                        s.setTimeout(0.001)
                        assertFailsWith<SocketTimeoutException> { s.awaitRecv(1) } // watched by the test hub
                        s.setTimeout(null as java.time.Duration?)
                        c to s
                    }
                val cancelled = Event()
                val onB =
                    b.spawnSuspend {
                        assertNull(withTimeoutOrNull(20.milliseconds) { s.awaitRecv(10) })
                        cancelled.set()
                        val got = s.recvExactly(5)
                        s.awaitSendAll("from-b".toByteArray())
                        got
                    }
                runGreenlet {
                    cancelled.await()
                    c.awaitSendAll(hello)
                    assertContentEquals("from-b".toByteArray(), c.recvExactly(6))
                }
                assertContentEquals(hello, onB.get(java.time.Duration.ofSeconds(10)))
                c.close()
                s.close()
            }
        } finally {
            b.close()
        }
    }

    @Test
    @DisplayName(
        "a kill and a gevent Timeout landing in awaitRecv: GreenletExit / that very Timeout; the socket stays open"
    )
    fun killAndTimeoutLandInAwaitRecv() = runGreenlet {
        listener().use { l ->
            val c = awaitConnect(l.address())
            val s = l.awaitAccept()
            var seen: Throwable? = null
            val g = spawn {
                try {
                    s.awaitRecv(10)
                } catch (e: Throwable) {
                    seen = e
                    throw e
                }
            }
            sleep()
            val exit = GreenletExit()
            g.awaitKill(exit)
            // a Kotlin greenlet sees its kill as a CancellationException whose cause is the kill's exception
            assertTrue(seen is kotlinx.coroutines.CancellationException, "seen: $seen")
            assertSame(exit, seen?.cause)
            val t = Timeout.startNew(java.time.Duration.ofMillis(1))
            try {
                assertSame(t, assertFailsWith<Timeout> { s.awaitRecv(10) })
            } finally {
                t.cancel()
            }
            assertTrue(s.isOpen)
            c.awaitSendAll(hello)
            assertContentEquals(hello, s.recvExactly(5))
            c.close()
            s.close()
        }
    }

    @Test
    @DisplayName("the per-call timeout applies to the twins: SocketTimeoutException within gevent's get-style bounds")
    fun perCallTimeout() = runGreenlet {
        listener().use { l ->
            val c = awaitConnect(l.address())
            val s = l.awaitAccept()
            s.setTimeout(GET_TIMEOUT)
            val t0 = System.nanoTime()
            assertFailsWith<SocketTimeoutException> { s.awaitRecv(10) }
            assertWithin(GET_MIN, GET_MAX, since(t0))
            c.awaitSendAll(hello)
            assertContentEquals(hello, s.recvExactly(5))
            c.close()
            s.close()
        }
    }

    @Test
    @DisplayName("close() in another greenlet fails a suspended awaitRecv and awaitAccept with SocketException")
    fun closeFailsSuspendedWaits() = runGreenlet {
        val l = listener()
        val c = awaitConnect(l.address())
        val s = l.awaitAccept()
        val reader = spawn { assertFailsWith<SocketException> { s.awaitRecv(10) } }
        val acceptor = spawn { assertFailsWith<SocketException> { l.awaitAccept() } }
        sleep()
        assertFalse(reader.isReady || acceptor.isReady)
        s.close()
        l.close()
        sleep()
        assertTrue(reader.isReady && acceptor.isReady)
        reader.await()
        acceptor.await()
        assertFailsWith<SocketException> { s.awaitRecv(10) }
        assertFailsWith<SocketException> { s.awaitSendAll(hello) }
        c.close()
    }

    @Test
    @DisplayName("Java blocking socket calls in a Kotlin body throw BlockingSwitchOutException naming the twin")
    fun javaCallsInAKotlinBodyNameTheTwin() = runGreenlet {
        listener().use { l ->
            val e1 = assertFailsWith<BlockingSwitchOutException> { l.accept() }
            assertTrue(e1.message!!.contains("awaitAccept"), e1.message)
            val e2 = assertFailsWith<BlockingSwitchOutException> { l.accept(java.time.Duration.ofSeconds(1)) }
            assertTrue(e2.message!!.contains("awaitAccept"), e2.message)
            val c = awaitConnect(l.address())
            val s = l.awaitAccept()
            val e3 = assertFailsWith<BlockingSwitchOutException> { s.recv(10) }
            assertTrue(e3.message!!.contains("awaitRecv"), e3.message)
            val e4 = assertFailsWith<BlockingSwitchOutException> { s.inputStream.read() }
            assertTrue(e4.message!!.contains("awaitRecv"), e4.message)
            // refused before any side effect, even where nothing would have to wait: not a byte is sent
            val small = ByteBuffer.wrap(hello)
            val e5 = assertFailsWith<BlockingSwitchOutException> { c.sendAll(small) }
            assertTrue(e5.message!!.contains("awaitSendAll"), e5.message)
            assertEquals(0, small.position())
            val e6 = assertFailsWith<BlockingSwitchOutException> { c.send(small) }
            assertTrue(e6.message!!.contains("awaitSend()"), e6.message)
            assertEquals(0, small.position())
            val e7 = assertFailsWith<BlockingSwitchOutException> { GreenSocket.connect(l.address()) }
            assertTrue(e7.message!!.contains("awaitConnect"), e7.message)
            c.awaitSendAll(hello)
            assertContentEquals(hello, s.recvExactly(5)) // only what the twin sent arrives
            // the refused calls changed nothing: the socket still works through the twins
            assertTrue(s.isOpen && c.isOpen)
            c.close()
            s.close()
        }
    }

    @Test
    @DisplayName("bad input to the twins is refused naming the argument and the value")
    fun badInput() = runGreenlet {
        listener().use { l ->
            val e1 =
                assertFailsWith<IllegalArgumentException> {
                    awaitConnect(InetSocketAddress.createUnresolved("localhost", l.port()))
                }
            assertTrue(e1.message!!.contains("localhost"), e1.message)
            val e2 = assertFailsWith<IllegalArgumentException> { awaitConnect("localhost", -1) }
            assertTrue(e2.message!!.contains("port") && e2.message!!.contains("-1"), e2.message)
            val e3 = assertFailsWith<IllegalArgumentException> { l.awaitAccept((-1).seconds) }
            assertTrue(e3.message!!.contains("timeout") && e3.message!!.contains("-1"), e3.message)
            val e4 = assertFailsWith<IllegalArgumentException> { awaitConnect(l.address(), (-5).milliseconds) }
            assertTrue(e4.message!!.contains("timeout"), e4.message)
            val c = awaitConnect(l.address())
            val s = l.awaitAccept()
            val e5 = assertFailsWith<IllegalArgumentException> { s.awaitRecv(0) }
            assertTrue(e5.message!!.contains("max") && e5.message!!.contains("0"), e5.message)
            assertFailsWith<IndexOutOfBoundsException> { s.awaitRecvInto(ByteArray(4), 3, 2) }
            c.close()
            s.close()
        }
    }

    @Test
    @DisplayName("Java and Kotlin greenlets share one listener and one socket on one hub")
    fun javaAndKotlinShareSockets() = runGreenlet {
        listener().use { l ->
            // one Java and one Kotlin acceptor on the same listener
            val javaAcceptor: Greenlet<GreenSocket> = hub.spawn(GreenCallable { l.accept() })
            val kotlinAcceptor = spawn { l.awaitAccept() }
            sleep()
            val c1 = awaitConnect(l.address())
            val c2 = awaitConnect(l.address())
            val s1 = javaAcceptor.await()
            val s2 = kotlinAcceptor.await()
            assertEquals(
                setOf(c1.localAddress().port, c2.localAddress().port),
                setOf(s1.remoteAddress().port, s2.remoteAddress().port),
            )
            // one socket: a Java greenlet writes requests, a Kotlin greenlet reads them, on s1
            val n = 50
            val writer =
                hub.spawn(
                    GreenRunnable {
                        for (i in 0 until n) s1.sendAll(byteArrayOf(i.toByte()))
                        s1.shutdownOutput()
                    }
                )
            val peer = if (s1.remoteAddress().port == c1.localAddress().port) c1 else c2
            var got = 0
            while (true) {
                val b = peer.awaitRecv(100)
                if (b.isEmpty()) break
                for (x in b) assertEquals(got++.toByte(), x)
            }
            assertEquals(n, got)
            writer.await()
            // and the Kotlin side answers on the same socket a Java greenlet reads
            val javaReader: Greenlet<ByteArray> = hub.spawn(GreenCallable { s1.recv(10) })
            sleep()
            peer.awaitSendAll(hello)
            assertContentEquals(hello, javaReader.await())
            listOf(c1, c2, s1, s2).forEach { it.close() }
        }
    }

    @Test
    @DisplayName("4 MiB each way at once through the twins, every byte checked")
    fun largeTransferBothWays() = runGreenlet {
        val size = 4 shl 20
        listener().use { l ->
            val c = awaitConnect(l.address())
            val s = l.awaitAccept()
            fun pat(seed: Int, i: Int) = (i * 31 + seed * 7 + (i ushr 8)).toByte()
            suspend fun send(sock: GreenSocket, seed: Int) {
                val chunk = ByteArray(65_536)
                var off = 0
                while (off < size) {
                    val n = minOf(chunk.size, size - off)
                    for (i in 0 until n) chunk[i] = pat(seed, off + i)
                    sock.awaitSendAll(ByteBuffer.wrap(chunk, 0, n))
                    off += n
                }
            }
            suspend fun receive(sock: GreenSocket, seed: Int): Int {
                val b = ByteArray(50_000)
                var off = 0
                while (off < size) {
                    val n = sock.awaitRecvInto(b)
                    assertTrue(n > 0)
                    for (i in 0 until n) if (b[i] != pat(seed, off + i))
                        error("byte ${off + i} of stream $seed is wrong")
                    off += n
                }
                return off
            }
            val gs =
                listOf(
                    spawn {
                        send(c, 1)
                        0
                    },
                    spawn {
                        send(s, 2)
                        0
                    },
                    spawn { receive(s, 1) },
                    spawn { receive(c, 2) },
                )
            assertEquals(listOf(0, 0, size, size), gs.map { it.await() })
            c.close()
            s.close()
        }
    }

    // ---- the hub's selector ----------------------------------------------------------------------------

    @Test
    @DisplayName("a hub that never waits on a socket never makes a selector; the first wait makes one")
    fun noSocketNoSelector() {
        val impl = hub as HubImpl
        runGreenlet {
            val e = Event()
            spawn {
                sleep(0.001)
                e.set()
            }
            e.await()
            hub.spawn(GreenRunnable { Gevent.sleep(0.001) }).await()
        }
        assertFalse(impl.hasPoller)
        listener().use { l -> runGreenlet { assertNull(l.awaitAccept(1.milliseconds)) } }
        assertTrue(impl.hasPoller)
    }

    @Test
    @DisplayName(
        "execute() from another thread wakes a hub asleep in its selector: an Event set from a thread wakes its waiter promptly"
    )
    fun foreignExecuteWakesTheSelector() {
        val impl = hub as HubImpl
        listener().use { l ->
            val e = Event()
            val woke = AtomicInteger()
            val reader =
                hub.spawnSuspend {
                    val c = awaitConnect(l.address())
                    val s = l.awaitAccept()
                    c.use { s.use { s.awaitRecv(10) } } // waits for ever: the socket keeps the hub in its selector
                }
            val waiter =
                hub.spawnSuspend {
                    e.await()
                    woke.incrementAndGet()
                }
            val end = System.nanoTime() + 10_000_000_000L
            while (!impl.isParked || !impl.hasPoller) {
                assertTrue(System.nanoTime() < end, "the hub never went to sleep")
                Thread.onSpinWait()
            }
            val t0 = System.nanoTime()
            e.set()
            assertTrue(waiter.join(java.time.Duration.ofSeconds(10)), "the hub did not wake")
            assertWithin(0.0, GET_MAX, since(t0))
            assertEquals(1, woke.get())
            reader.kill()
        }
    }

    @Test
    @DisplayName("timers keep their time while the hub sleeps in its selector (Kotlin sleep with a socket waiting)")
    fun timersWhileSelecting() = runGreenlet {
        listener().use { l ->
            val acceptor = spawn { l.awaitAccept() }
            sleep()
            val t0 = System.nanoTime()
            sleep(WAIT_TIMEOUT)
            assertWithin(WAIT_TIMEOUT, WAIT_MAX, since(t0))
            assertFalse(acceptor.isReady)
            acceptor.awaitKill()
        }
    }
}
