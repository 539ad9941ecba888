package io.gevent4j.kotlin.spec

import io.gevent4j.BlockingSwitchOutException
import io.gevent4j.Gevent
import io.gevent4j.Greenlet
import io.gevent4j.GreenletExit
import io.gevent4j.Hub
import io.gevent4j.event.Event
import io.gevent4j.kotlin.await
import io.gevent4j.kotlin.awaitConnect
import io.gevent4j.kotlin.awaitJoin
import io.gevent4j.kotlin.awaitKill
import io.gevent4j.kotlin.awaitRecv
import io.gevent4j.kotlin.awaitSendAll
import io.gevent4j.kotlin.awaitServeForever
import io.gevent4j.kotlin.awaitStop
import io.gevent4j.kotlin.joinAll
import io.gevent4j.kotlin.sleep
import io.gevent4j.kotlin.spawn
import io.gevent4j.kotlin.streamServer
import io.gevent4j.kotlin.testing.KotlinTestBase
import io.gevent4j.pool.Pool
import io.gevent4j.server.StreamServer
import io.gevent4j.socket.GreenServerSocket
import io.gevent4j.socket.GreenSocket
import java.io.ByteArrayOutputStream
import java.net.ConnectException
import java.net.InetSocketAddress
import java.net.SocketTimeoutException
import java.util.Collections
import java.util.concurrent.CopyOnWriteArrayList
import java.util.concurrent.atomic.AtomicInteger
import java.util.logging.Handler
import java.util.logging.LogRecord
import java.util.logging.Logger
import kotlin.coroutines.cancellation.CancellationException
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertFalse
import kotlin.test.assertIs
import kotlin.test.assertNotNull
import kotlin.test.assertSame
import kotlin.test.assertTrue
import kotlin.time.Duration.Companion.milliseconds
import kotlin.time.Duration.Companion.seconds
import org.junit.jupiter.api.DisplayName
import org.junit.jupiter.api.Test

/**
 * Spec section 11 (StreamServer) for the Kotlin server: `streamServer { socket, address -> }` whose handlers are Kotlin
 * greenlets (suspend handlers using awaitRecv/awaitSendAll), and the twins awaitServeForever/awaitStop. Skipped cases
 * and their reasons are listed in io.gevent4j.spec.StreamServerSpecTest.
 */
class StreamServerKotlinSpecTest : KotlinTestBase() {
    private val anyPort = InetSocketAddress("127.0.0.1", 0)

    private fun at(s: StreamServer) = InetSocketAddress("127.0.0.1", s.serverPort())

    private suspend fun readAll(c: GreenSocket): String {
        val out = ByteArrayOutputStream()
        while (true) {
            val b = c.awaitRecv(4096)
            if (b.isEmpty()) return out.toString(Charsets.UTF_8)
            out.write(b)
        }
    }

    private suspend fun request(s: StreamServer, msg: String): String =
        awaitConnect(at(s)).use { c ->
            c.awaitSendAll(msg.toByteArray())
            readAll(c)
        }

    private val reply: suspend (GreenSocket, InetSocketAddress) -> Unit = { socket, _ ->
        val b = socket.awaitRecv(4096)
        socket.awaitSendAll("ok:${String(b)}".toByteArray())
    }

    @Test
    @DisplayName(
        "SRV-03 (Kotlin): 5 concurrent clients of a 0.05 s suspend handler take ~0.05 s, each in its own Kotlin greenlet"
    )
    fun srv03_concurrentKotlinHandlers() {
        runGreenlet {
            val handlers: MutableList<Greenlet<*>?> = CopyOnWriteArrayList()
            val inside = AtomicInteger()
            val insideAtFirstExit = AtomicInteger(-1)
            val s =
                streamServer(anyPort) { socket, address ->
                        handlers.add(Gevent.getcurrent())
                        // a Kotlin greenlet: a Java blocking facade is refused here
                        assertFailsWith<BlockingSwitchOutException> { Event().waitFor() }
                        inside.incrementAndGet()
                        sleep(0.05)
                        insideAtFirstExit.compareAndSet(-1, inside.get())
                        reply(socket, address)
                    }
                    .start()
            assertTrue(s.isStarted)
            assertTrue(s.serverPort() > 0)
            assertEquals("ok:w", request(s, "w")) // warm-up: the first connection pays for class loading
            handlers.clear()
            insideAtFirstExit.set(-1)
            inside.set(0)
            val t0 = System.nanoTime()
            val clients = (0 until 5).map { i -> spawn { request(s, "c$i") } }
            joinAll(clients)
            val elapsed = since(t0)
            clients.forEachIndexed { i, g -> assertEquals("ok:c$i", g.await()) }
            assertEquals(5, insideAtFirstExit.get())
            assertWithin(0.05, 0.05 + GET_MAX, elapsed)
            assertEquals(5, handlers.distinct().size)
            for (g in handlers) assertSame(hub, assertNotNull(g).hub())
            s.awaitStop()
        }
    }

    @Test
    @DisplayName("SRV-04 (Kotlin): the socket is closed when the suspend handler returns")
    fun srv04_socketClosedWhenHandlerReturns() {
        runGreenlet {
            var seen: GreenSocket? = null
            val s =
                streamServer(anyPort) { socket, _ ->
                        seen = socket
                        socket.awaitSendAll("hi".toByteArray())
                    }
                    .start()
            assertEquals("hi", awaitConnect(at(s)).use { readAll(it) })
            assertFalse(assertNotNull(seen).isOpen)
            s.awaitStop()
        }
    }

    @Test
    @DisplayName("SRV-05 (Kotlin): streamServer(address, 1) serves one at a time; Pool(2) full stops the accepting")
    fun srv05_poolBoundsKotlinHandlers() {
        runGreenlet {
            val events: MutableList<String> = CopyOnWriteArrayList()
            val s =
                streamServer(anyPort, 1) { socket, _ ->
                        val id = String(socket.awaitRecv(10))
                        events.add("in $id")
                        sleep(0.05)
                        events.add("out $id")
                        socket.awaitSendAll(id.toByteArray())
                    }
                    .start()
            assertEquals(1, assertIs<Pool>(s.pool()).poolSize())
            assertEquals("w", request(s, "w")) // warm-up: the first connection pays for class loading
            events.clear()
            val t0 = System.nanoTime()
            val clients = (0 until 3).map { i -> spawn { request(s, "$i") } }
            joinAll(clients)
            assertWithin(0.15, 0.15 + GET_MAX, since(t0))
            for (i in 0 until 6 step 2) {
                assertEquals(events[i].replace("in", "out"), events[i + 1])
            }
            s.awaitStop()

            val release = Event()
            val entered = AtomicInteger()
            val full =
                streamServer(anyPort, Pool(2)) { socket, _ ->
                        entered.incrementAndGet()
                        val b = socket.awaitRecv(10)
                        if (b[0] == 'L'.code.toByte()) release.await()
                        socket.awaitSendAll("ok:${String(b)}".toByteArray())
                    }
                    .start()
            val a = awaitConnect(at(full)).apply { awaitSendAll("L1".toByteArray()) }
            val b = awaitConnect(at(full)).apply { awaitSendAll("L2".toByteArray()) }
            while (entered.get() < 2) sleep(0.001)
            awaitConnect(at(full)).use { third ->
                third.awaitSendAll("S".toByteArray())
                third.setTimeout(java.time.Duration.ofMillis(10))
                assertFailsWith<SocketTimeoutException> { third.awaitRecv(10) }
                assertEquals(2, entered.get())
                third.setTimeout(null as java.time.Duration?)
                release.set()
                assertEquals("ok:L1", readAll(a))
                assertEquals("ok:L2", readAll(b))
                assertEquals("ok:S", readAll(third))
            }
            a.close()
            b.close()
            full.awaitStop()
        }
    }

    @Test
    @DisplayName(
        "SRV-07/SRV-08 (Kotlin): awaitStop(timeout) with a pool closes the listener, waits up to timeout, then kills"
    )
    fun srv08_awaitStopWithPoolWaitsThenKills() {
        runGreenlet {
            val got: MutableList<Throwable> = CopyOnWriteArrayList()
            val entered = Event()
            val s =
                streamServer(anyPort, 10) { _, _ ->
                        entered.set()
                        try {
                            sleep(5.0)
                        } catch (e: CancellationException) {
                            got.add(e)
                            throw e
                        }
                    }
                    .start()
            val where = at(s)
            val c = awaitConnect(where)
            assertTrue(entered.await(5.seconds))
            val t0 = System.nanoTime()
            s.awaitStop((WAIT_TIMEOUT * 1000).toLong().milliseconds)
            assertWithin(WAIT_MIN, WAIT_MAX, since(t0))
            assertEquals(1, got.size)
            assertIs<GreenletExit>(got[0].cause, "killed with GreenletExit")
            assertTrue(s.isClosed)
            assertFalse(s.isStarted)
            assertEquals("", readAll(c))
            c.close()
            assertFailsWith<ConnectException> { awaitConnect(where) }
            s.awaitStop() // harmless again
            assertFailsWith<IllegalArgumentException> { s.awaitStop((-1).seconds) }
        }
    }

    @Test
    @DisplayName(
        "SRV-09 (Kotlin): without a pool awaitStop (and Java stop) return at once; the handler runs to its end"
    )
    fun srv09_stopWithoutPoolReturnsAtOnce() {
        runGreenlet {
            val entered = Event()
            val s =
                streamServer(anyPort) { socket, _ ->
                        entered.set()
                        sleep(0.1)
                        expect(2)
                        socket.awaitSendAll("late".toByteArray())
                    }
                    .start()
            val c = awaitConnect(at(s))
            entered.await()
            val t0 = System.nanoTime()
            s.stop() // never waits without a pool: allowed in a Kotlin body
            assertTrue(since(t0) < AT_ONCE_MAX)
            expect(1)
            assertEquals("late", readAll(c))
            finish(3)
            c.close()
        }
        assertFinished()
    }

    @Test
    @DisplayName(
        "SRV-10 (Kotlin): awaitServeForever starts, suspends, returns ~0.05 s after stop; cancelled, it stops the server"
    )
    fun srv10_awaitServeForever() {
        runGreenlet {
            val s = streamServer(anyPort, handle = reply)
            val g = spawn { s.awaitServeForever() }
            sleep()
            assertTrue(s.isStarted)
            assertEquals("ok:y", request(s, "y"))
            val t0 = System.nanoTime()
            spawn {
                sleep(0.05)
                s.awaitStop()
            }
            assertTrue(g.awaitJoin(5.seconds))
            assertWithin(0.05, 0.05 + GET_MAX, since(t0))
            assertTrue(g.isSuccessful)
            s.awaitServeForever() // stopped already: returns at once

            val pooled = streamServer(anyPort, 3, reply).start()
            val h = spawn { pooled.awaitServeForever() }
            sleep(0.01)
            assertEquals("ok:z", request(pooled, "z"))
            h.awaitKill()
            assertTrue(h.isDead)
            assertTrue(pooled.isClosed, "the cancelled awaitServeForever stopped the server")
        }
    }

    @Test
    @DisplayName("SRV-11 (Kotlin): stopAccepting / startAccepting on a Kotlin server")
    fun srv11_stopAndStartAccepting() {
        runGreenlet {
            val s = streamServer(anyPort, handle = reply).start()
            s.stopAccepting()
            sleep()
            awaitConnect(at(s)).use { c ->
                c.awaitSendAll("q".toByteArray())
                c.setTimeout(java.time.Duration.ofMillis(10))
                assertFailsWith<SocketTimeoutException> { c.awaitRecv(10) }
                c.setTimeout(null as java.time.Duration?)
                s.startAccepting()
                assertEquals("ok:q", readAll(c))
            }
            s.awaitStop()
        }
    }

    @Test
    @DisplayName("SRV-12 (Kotlin): a suspend handler that throws is reported once; the server goes on")
    fun srv12_failingHandlerReportedOnce() {
        val boom = IllegalStateException("kotlin handler failed")
        val records: MutableList<LogRecord> = Collections.synchronizedList(ArrayList())
        val logger = Logger.getLogger("io.gevent4j.Greenlet")
        val capture =
            object : Handler() {
                override fun publish(record: LogRecord) {
                    records.add(record)
                }

                override fun flush() {}

                override fun close() {}
            }
        logger.addHandler(capture)
        logger.useParentHandlers = false
        try {
            runGreenlet {
                val s =
                    streamServer(anyPort) { socket, _ ->
                            val b = socket.awaitRecv(10)
                            if (b[0] == 'x'.code.toByte()) throw boom
                            socket.awaitSendAll(b)
                        }
                        .start()
                assertEquals("", request(s, "x"))
                assertEquals("fine", request(s, "fine"))
                s.awaitStop()
            }
            assertEquals(1, records.count { it.thrown === boom }, "reported once: $records")
        } finally {
            logger.removeHandler(capture)
            logger.useParentHandlers = true
        }
    }

    @Test
    @DisplayName(
        "Java serveForever()/stop() with a pool in a Kotlin body: BlockingSwitchOutException naming the twins, nothing changed"
    )
    fun javaWaitsInAKotlinBodyNameTheTwins() {
        runGreenlet {
            val s = streamServer(anyPort, 2, reply)
            val e1 = assertFailsWith<BlockingSwitchOutException> { s.serveForever() }
            assertTrue(e1.message!!.contains("StreamServer.awaitServeForever"), e1.message)
            assertFalse(s.isStarted, "refused before starting")
            s.start()
            val e2 = assertFailsWith<BlockingSwitchOutException> { s.stop() }
            assertTrue(e2.message!!.contains("StreamServer.awaitStop"), e2.message)
            val e3 = assertFailsWith<BlockingSwitchOutException> { s.close() }
            assertTrue(e3.message!!.contains("StreamServer.awaitStop"), e3.message)
            assertTrue(s.isStarted, "the refused stop changed nothing")
            assertEquals("ok:r", request(s, "r"))
            s.awaitStop()
        }
    }

    @Test
    @DisplayName("streamServer from a listening socket; SRV-13's backlog refusal; a bad poolSize")
    fun listenerFormAndBadArguments() {
        runGreenlet {
            val l = GreenServerSocket.listen(anyPort)
            val s = streamServer(l, handle = reply)
            assertFailsWith<IllegalStateException> { s.backlog(5) }
            assertEquals(l.port(), s.serverPort())
            s.start()
            assertEquals("ok:l", request(s, "l"))
            s.awaitStop()
            assertFalse(l.isOpen)
            val e = assertFailsWith<IllegalArgumentException> { streamServer(anyPort, -2, reply) }
            assertTrue(e.message!!.contains("poolSize") && e.message!!.contains("-2"), e.message)
            assertFailsWith<IllegalArgumentException> { streamServer(l, handle = reply) } // closed
        }
    }

    @Test
    @DisplayName("A Kotlin server on two hubs: each connection's suspend handler runs on its hub, in turn")
    fun kotlinServerOnSeveralHubs() {
        val h1 = Hub.create("ksrv-h1")
        val h2 = Hub.create("ksrv-h2")
        try {
            runGreenlet {
                val seen: MutableList<Hub> = CopyOnWriteArrayList()
                val s =
                    streamServer(anyPort) { socket, address ->
                            seen.add(Hub.current())
                            reply(socket, address)
                        }
                        .hubs(h1, h2)
                        .start()
                for (i in 0 until 4) assertEquals("ok:$i", request(s, "$i"))
                assertEquals(listOf(h1, h2, h1, h2), seen)
                s.awaitStop()
            }
        } finally {
            h1.close()
            h2.close()
        }
    }
}
