package io.gevent4j.kotlin.internal

import io.gevent4j.GreenCallable
import io.gevent4j.event.AsyncResult
import io.gevent4j.spi.Internals
import java.net.ConnectException
import java.net.InetAddress
import java.net.InetSocketAddress
import java.net.SocketTimeoutException
import java.net.UnknownHostException

/**
 * `connect(host, port)`: the name lookup runs on the caller's hub's thread pool (`Hub.threadpool()`, as gevent's
 * resolver uses the hub's pool: the resolver may block for seconds), the caller waits for it cooperatively, then each
 * address is tried in turn. A literal address is parsed where the caller is (no lookup).
 */
internal object NameLookup {
    private val IPV4 = Regex("""(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}""")

    fun connect(host: String, port: Int, timeoutNanos: Long): SocketCore =
        Blocking.refuseOnHub("GreenSocket.connect()", "awaitConnect()").let { _ ->
            connectLoop(
                host,
                port,
                timeoutNanos,
                { h -> KotlinGeventProvider.currentHubImpl().threadpool().spawn(lookup(h)) },
                { r, left -> core(r).awaitReady("GreenSocket.connect()", "awaitConnect()", left) },
            ) { a, left ->
                SocketCore.connect(a, left)
            }
        }

    suspend fun connectSuspend(host: String, port: Int, timeoutNanos: Long): SocketCore =
        connectLoop(
            host,
            port,
            timeoutNanos,
            { h ->
                (Internals.peer(KotlinGeventProvider.currentHubImpl().threadpool()) as ThreadPoolCore).awaitSpawn(
                    lookup(h)
                )
            },
            { r, left -> core(r).awaitReadySuspend(left) },
        ) { a, left ->
            SocketCore.connectSuspend(a, left)
        }

    private fun lookup(host: String) = GreenCallable<Array<InetAddress>> { InetAddress.getAllByName(host) }

    @Suppress("UNCHECKED_CAST")
    private fun core(r: AsyncResult<Array<InetAddress>>): AsyncResultCore<Array<InetAddress>> =
        Internals.peer(r) as AsyncResultCore<Array<InetAddress>>

    private inline fun connectLoop(
        host: String,
        port: Int,
        timeoutNanos: Long,
        start: (String) -> AsyncResult<Array<InetAddress>>,
        awaitLookup: (AsyncResult<Array<InetAddress>>, Long) -> Boolean,
        connectOne: (InetSocketAddress, Long) -> SocketCore,
    ): SocketCore {
        val deadline = if (timeoutNanos < 0) -1L else Blocking.deadlineOf(timeoutNanos)
        val addresses: Array<InetAddress> =
            if (isLiteral(host)) {
                arrayOf(InetAddress.getByName(host))
            } else {
                val r = start(host)
                if (!awaitLookup(r, SocketCore.left(deadline))) {
                    throw SocketTimeoutException("lookup of \"$host\" timed out after ${timeoutNanos / 1_000_000} ms")
                }
                when (val e = r.exception()) {
                    null -> r.value() ?: throw UnknownHostException("$host: no address")
                    is UnknownHostException -> throw UnknownHostException(e.message).apply { initCause(e) }
                    else -> throw UnknownHostException("$host: $e").apply { initCause(e) }
                }
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
}
