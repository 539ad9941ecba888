package io.gevent4j.benchmarks

import io.gevent4j.Greenlet
import io.gevent4j.Hub
import io.gevent4j.Waitable
import io.gevent4j.event.Event
import io.gevent4j.kotlin.await
import io.gevent4j.kotlin.awaitAccept
import io.gevent4j.kotlin.awaitConnect
import io.gevent4j.kotlin.awaitJoin
import io.gevent4j.kotlin.awaitRecv
import io.gevent4j.kotlin.awaitSendAll
import io.gevent4j.kotlin.joinAll
import io.gevent4j.kotlin.spawnSuspend
import io.gevent4j.kotlin.waitAll
import io.gevent4j.socket.GreenServerSocket
import io.gevent4j.socket.GreenSocket
import java.io.EOFException
import java.net.SocketException
import java.net.StandardSocketOptions
import java.nio.ByteBuffer
import java.util.concurrent.ConcurrentLinkedQueue
import java.util.concurrent.atomic.AtomicInteger
import kotlin.time.Duration.Companion.seconds
import kotlin.time.toKotlinDuration

/**
 * W8, W8 on several hubs, and L8's server, with Kotlin greenlets on the suspend twins of gevent4j's sockets
 * (`awaitAccept`, `awaitConnect`, `awaitRecv`, `awaitSendAll`), the same shape as [JavaGreenletEcho]: an acceptor
 * greenlet spawns a handler greenlet per connection (round-robin over the handler hubs); each client greenlet connects,
 * waits for "go", then makes [Workload.W8_ROUNDS] round trips, each reply checked. Every byte count is checked. Each
 * repetition makes its hubs and closes them, and every socket, at its end.
 */
internal object KotlinGreenEcho {
    private val REP_TIMEOUT = EchoLoad.REP_TIMEOUT_S.seconds
    private val CONNECT_TIMEOUT = EchoLoad.CONNECT_TIMEOUT.toKotlinDuration()

    /** The echo server: a listener, its acceptor greenlet on `acceptorHub`, a handler greenlet per connection. */
    class Server(acceptorHub: Hub, private val handlerHubs: Array<Hub>) {
        private val listener: GreenServerSocket = GreenServerSocket.listen(EchoLoad.loopback(0), Workload.W8_BACKLOG)
        private val handlers = ConcurrentLinkedQueue<Greenlet<Long>>()
        private val acceptor: Greenlet<Unit> = acceptorHub.spawnSuspend { acceptLoop() }

        val port: Int
            get() = listener.port()

        private suspend fun acceptLoop() {
            var next = 0
            while (true) {
                val c =
                    try {
                        listener.awaitAccept()
                    } catch (e: SocketException) {
                        if (!listener.isOpen) return // stop() closed it
                        throw e
                    }
                val h = handlerHubs[next++ % handlerHubs.size]
                try {
                    handlers.add(h.spawnSuspend { handle(c) })
                } catch (e: RuntimeException) {
                    c.close()
                    throw e
                }
            }
        }

        /** Closes the listener (idempotent); the acceptor ends. */
        fun closeListener() {
            listener.close()
        }

        /** [closeListener], then waits (suspending) for the acceptor and every handler; checks the bytes echoed. */
        suspend fun stop(expectedBytes: Long) {
            closeListener()
            awaitDone(acceptor, "acceptor")
            var echoed = 0L
            for (h in handlers) echoed += awaitDone(h, "handler")
            EchoLoad.checkBytes("echo server", echoed, expectedBytes)
        }

        /** [stop] for a thread of no hub (L8's main thread): blocks it. */
        fun stopBlocking(expectedBytes: Long) {
            closeListener()
            val t = java.time.Duration.ofSeconds(EchoLoad.REP_TIMEOUT_S.toLong())
            acceptor.get(t)
            var echoed = 0L
            for (h in handlers) echoed += h.get(t) ?: error("handler $h returned null")
            EchoLoad.checkBytes("echo server", echoed, expectedBytes)
        }
    }

    private suspend fun <T> awaitDone(g: Greenlet<T>, what: String): T {
        check(g.awaitJoin(REP_TIMEOUT)) { "$what $g still running after $REP_TIMEOUT" }
        return g.await() // rethrows its failure
    }

    /** @return the bytes echoed */
    private suspend fun handle(c: GreenSocket): Long =
        c.use {
            c.setOption(StandardSocketOptions.TCP_NODELAY, true)
            val buf = ByteBuffer.allocate(EchoLoad.SERVER_BUF)
            var echoed = 0L
            while (true) {
                buf.clear()
                val n = c.awaitRecv(buf)
                if (n <= 0) break
                buf.flip()
                c.awaitSendAll(buf)
                echoed += n
            }
            echoed
        }

    /**
     * One W8 repetition: the server and [Workload.W8_CLIENTS] clients, client `i` on `hubs[i % hubCount]`, the acceptor
     * and the driver (which holds the clock) on `hubs[0]`. Makes `hubCount` hubs and closes them.
     */
    fun w8(hubCount: Int): Map<String, Double> {
        val hubs = ArrayList<Hub>(hubCount)
        try {
            repeat(hubCount) { hubs.add(Hub.create("w8-$it")) }
            val arr = hubs.toTypedArray()
            return arr[0].spawnSuspend { w8Body(arr) }.get(java.time.Duration.ofSeconds(EchoLoad.REP_TIMEOUT_S + 30L))
                ?: error("driver greenlet returned null")
        } finally {
            for (h in hubs) h.close()
        }
    }

    private suspend fun w8Body(hubs: Array<Hub>): Map<String, Double> {
        val clients = Workload.W8_CLIENTS
        val server = Server(hubs[0], hubs)
        try {
            val port = server.port
            val allConnected = Event()
            val go = Event()
            val connected = AtomicInteger()
            val cs =
                List(clients) { i -> hubs[i % hubs.size].spawnSuspend { client(port, i, connected, allConnected, go) } }
            awaitConnected(allConnected, cs)
            val cpu0 = EchoLoad.processCpuNanos()
            val t0 = System.nanoTime()
            go.set()
            joinAll(cs, REP_TIMEOUT)
            val t1 = System.nanoTime()
            val cpu1 = EchoLoad.processCpuNanos()
            var received = 0L
            for (g in cs) received += awaitDone(g, "client")
            EchoLoad.checkBytes("W8 clients", received, EchoLoad.w8Bytes(clients))
            server.stop(EchoLoad.w8Bytes(clients))
            return EchoLoad.w8Result(t1 - t0, cpu1 - cpu0, clients)
        } finally {
            server.closeListener()
        }
    }

    /** Suspends until every client is connected, failing at once (with its error) when one fails first. */
    private suspend fun awaitConnected(allConnected: Event, cs: List<Greenlet<Long>>) {
        waitAll(listOf<Waitable>(allConnected) + cs, CONNECT_TIMEOUT, 1)
        if (allConnected.isSet) return
        cs.firstOrNull { it.isReady }
            ?.let {
                it.await() // a client ended before "go": rethrows why
                error("client $it ended before go")
            }
        error("clients not connected after $CONNECT_TIMEOUT")
    }

    /** @return the bytes received (checked reply by reply) */
    private suspend fun client(port: Int, idx: Int, connected: AtomicInteger, allConnected: Event, go: Event): Long {
        val msg = EchoLoad.message(idx)
        val out = ByteBuffer.wrap(msg)
        val reply = ByteArray(msg.size)
        val input = ByteBuffer.wrap(reply)
        var received = 0L
        awaitConnect(EchoLoad.loopback(port), CONNECT_TIMEOUT).use { s ->
            s.setOption(StandardSocketOptions.TCP_NODELAY, true)
            if (connected.incrementAndGet() == Workload.W8_CLIENTS) allConnected.set()
            go.await()
            for (r in 0 until Workload.W8_ROUNDS) {
                out.clear()
                s.awaitSendAll(out)
                input.clear()
                while (input.hasRemaining()) {
                    if (s.awaitRecv(input) < 0)
                        throw EOFException("client $idx round $r: end of stream after ${input.position()} bytes")
                }
                EchoLoad.checkReply(idx, r, msg, reply)
                received += msg.size
            }
        }
        EchoLoad.checkBytes("client $idx", received, Workload.W8_ROUNDS.toLong() * msg.size)
        return received
    }

    /** One L8 repetition: the server on a hub of its own, [EchoLoad.latencyClient] on the calling thread. */
    fun l8(): Map<String, Double> {
        val hub = Hub.create("l8")
        try {
            val server = Server(hub, arrayOf(hub))
            try {
                val m = EchoLoad.latencyClient(server.port)
                server.stopBlocking(Workload.L8_ROUNDS.toLong() * Workload.W8_SIZE)
                return m
            } finally {
                server.closeListener()
            }
        } finally {
            hub.close()
        }
    }
}
