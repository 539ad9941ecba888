package io.gevent4j.kotlin.internal

import io.gevent4j.event.AsyncResult
import io.gevent4j.spi.Internals
import java.net.ConnectException
import java.net.InetAddress
import java.net.InetSocketAddress
import java.net.SocketTimeoutException
import java.net.UnknownHostException
import java.util.concurrent.Executor
import java.util.concurrent.Executors

/**
 * `connect(host, port)`: the name lookup runs on another thread (it may block for seconds in the resolver),
 * the caller waits for it cooperatively, then each address is tried in turn. A literal address is parsed
 * where the caller is (no lookup).
 */
internal object NameLookup {
    private val resolvers: Executor = Executors.newCachedThreadPool { r ->
        Thread(r, "gevent4j-resolver").apply { isDaemon = true }
    }

    private val IPV4 = Regex("""\d{1,3}(\.\d{1,3}){3}""")

    fun connect(host: String, port: Int, timeoutNanos: Long): SocketCore =
        connectLoop(host, port, timeoutNanos, { addrs, left -> lookup(addrs, left, "GreenSocket.connect()", "awaitConnect()") }) { a, left ->
            SocketCore.connect(a, left)
        }

    suspend fun connectSuspend(host: String, port: Int, timeoutNanos: Long): SocketCore =
        connectLoop(host, port, timeoutNanos, { r, left -> r.awaitReadySuspend(left) }) { a, left -> SocketCore.connectSuspend(a, left) }

    private fun lookup(r: AsyncResultCore<*>, left: Long, op: String, twin: String): Boolean = r.awaitReady(op, twin, left)

    private inline fun connectLoop(
        host: String,
        port: Int,
        timeoutNanos: Long,
        awaitLookup: (AsyncResultCore<Array<InetAddress>>, Long) -> Boolean,
        connectOne: (InetSocketAddress, Long) -> SocketCore,
    ): SocketCore {
        val deadline = if (timeoutNanos < 0) -1L else Blocking.deadlineOf(timeoutNanos)
        val addresses: Array<InetAddress> = if (isLiteral(host)) {
            arrayOf(InetAddress.getByName(host))
        } else {
            val r = start(host)
            if (!awaitLookup(r, SocketCore.left(deadline))) {
                throw SocketTimeoutException("lookup of \"$host\" timed out after ${timeoutNanos / 1_000_000} ms")
            }
            r.exception()?.let { throw it }
            r.value()!!
        }
        var last: ConnectException? = null
        for (a in addresses) {
            try {
                return connectOne(InetSocketAddress(a, port), SocketCore.left(deadline))
            } catch (e: ConnectException) {
                if (last != null) e.addSuppressed(last)
                last = e
            }
        }
        throw last ?: UnknownHostException("$host: no address")
    }

    private fun isLiteral(host: String): Boolean = host.contains(':') || IPV4.matches(host)

    private fun start(host: String): AsyncResultCore<Array<InetAddress>> {
        @Suppress("UNCHECKED_CAST")
        val r = Internals.peer(AsyncResult<Array<InetAddress>>()) as AsyncResultCore<Array<InetAddress>>
        resolvers.execute {
            try {
                r.set(InetAddress.getAllByName(host))
            } catch (e: UnknownHostException) {
                r.setException(e)
            } catch (e: Throwable) {
                r.setException(UnknownHostException("$host: $e").apply { initCause(e) })
            }
        }
        return r
    }
}
