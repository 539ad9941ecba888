package io.gevent4j.kotlin.internal

import io.gevent4j.kotlin.spi.SuspendServerSocketPeer
import io.gevent4j.spi.ServerSocketPeer
import java.io.IOException
import java.net.BindException
import java.net.InetSocketAddress
import java.net.StandardSocketOptions
import java.nio.channels.ClosedChannelException
import java.nio.channels.ServerSocketChannel
import java.nio.channels.SocketChannel

/**
 * A cooperative listener (gevent's listening `socket`): a non-blocking [ServerSocketChannel] and its [IoWatch].
 * [accept] and [awaitAccept] share one loop: try to accept; when nothing is pending, wait until the selector reports a
 * connection, and try again.
 */
internal class ServerSocketCore private constructor(private val ch: ServerSocketChannel) :
    ServerSocketPeer, SuspendServerSocketPeer {
    @JvmField val watch: IoWatch = IoWatch(ch, "listening socket")

    override fun accept(timeoutNanos: Long): SocketCore? {
        Blocking.refuseOnHub("GreenServerSocket.accept()", "GreenServerSocket.awaitAccept()")
        return acceptChannel(timeoutNanos) { left ->
                watch.await(IoWatch.READ, left, "GreenServerSocket.accept()", "GreenServerSocket.awaitAccept()")
            }
            ?.let { SocketCore.wrap(it) }
    }

    override suspend fun awaitAccept(timeoutNanos: Long): SocketCore? =
        acceptChannel(timeoutNanos) { left -> watch.awaitSuspend(IoWatch.READ, left) }?.let { SocketCore.wrap(it) }

    private inline fun acceptChannel(timeoutNanos: Long, await: (Long) -> Boolean): SocketChannel? {
        val deadline = if (timeoutNanos < 0) -1L else Blocking.deadlineOf(timeoutNanos)
        while (true) {
            val c =
                try {
                    // a close from outside the hub releases the channel later: never accept after close()
                    if (watch.isClosed) throw watch.closedError()
                    ch.accept()
                } catch (e: ClosedChannelException) {
                    throw watch.closedError().apply { initCause(e) }
                }
            if (c != null) return c
            if (!await(SocketCore.left(deadline))) return null
        }
    }

    override fun channel(): ServerSocketChannel = ch

    override fun isOpen(): Boolean = !watch.isClosed

    override fun close() {
        watch.close()
    }

    companion object {
        /** Opens, sets SO_REUSEADDR, binds; nothing stays open when binding fails. */
        fun listen(address: InetSocketAddress, backlog: Int): ServerSocketCore {
            val ch = ServerSocketChannel.open()
            try {
                ch.setOption(StandardSocketOptions.SO_REUSEADDR, true)
                ch.configureBlocking(false)
                try {
                    ch.bind(address, backlog.coerceAtLeast(0))
                } catch (e: BindException) {
                    throw BindException("${e.message ?: "cannot bind"}: $address").apply { initCause(e) }
                }
                return ServerSocketCore(ch)
            } catch (t: Throwable) {
                try {
                    ch.close()
                } catch (e: IOException) {
                    t.addSuppressed(e)
                }
                throw t
            }
        }
    }
}
