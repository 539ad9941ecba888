package io.gevent4j.kotlin.internal

import io.gevent4j.kotlin.spi.SuspendSocketPeer
import io.gevent4j.spi.SocketPeer
import java.io.IOException
import java.net.ConnectException
import java.net.InetSocketAddress
import java.net.SocketException
import java.net.SocketTimeoutException
import java.nio.ByteBuffer
import java.nio.channels.ClosedChannelException
import java.nio.channels.SocketChannel

/**
 * A cooperative TCP stream (gevent's `socket`): a non-blocking [SocketChannel] and its [IoWatch]. Each operation is
 * written once, as an inline loop that takes the readiness wait as a parameter, and serves the blocking facade ([recv],
 * [send], [sendAll]) and the suspend twins ([awaitRecv], ...): try the channel first; when it would block, wait until
 * the selector reports it ready, and try again.
 */
internal class SocketCore(private val ch: SocketChannel) : SocketPeer, SuspendSocketPeer {
    @JvmField val watch: IoWatch = IoWatch(ch, "socket")
    @Volatile private var timeout = -1L
    /**
     * The last read left room in its buffer, so the kernel had no more: the next recv waits for readiness before
     * reading. Plain field: racing readers at worst read once more or wait once more (a ready socket is reported at the
     * next poll either way).
     */
    private var drained = false

    override fun recv(into: ByteBuffer): Int {
        Blocking.refuseOnHub("GreenSocket.recv()", "GreenSocket.awaitRecv()")
        return recvLoop(into) { left ->
            watch.await(IoWatch.READ, left, "GreenSocket.recv()", "GreenSocket.awaitRecv()")
        }
    }

    override suspend fun awaitRecv(into: ByteBuffer): Int =
        recvLoop(into) { left -> watch.awaitSuspend(IoWatch.READ, left) }

    override fun send(from: ByteBuffer): Int {
        Blocking.refuseOnHub("GreenSocket.send()", "GreenSocket.awaitSend()")
        return sendLoop(from, false) { left ->
            watch.await(IoWatch.WRITE, left, "GreenSocket.send()", "GreenSocket.awaitSend()")
        }
    }

    override suspend fun awaitSend(from: ByteBuffer): Int =
        sendLoop(from, false) { left -> watch.awaitSuspend(IoWatch.WRITE, left) }

    override fun sendAll(from: ByteBuffer) {
        Blocking.refuseOnHub("GreenSocket.sendAll()", "GreenSocket.awaitSendAll()")
        sendLoop(from, true) { left ->
            watch.await(IoWatch.WRITE, left, "GreenSocket.sendAll()", "GreenSocket.awaitSendAll()")
        }
    }

    override suspend fun awaitSendAll(from: ByteBuffer) {
        sendLoop(from, true) { left -> watch.awaitSuspend(IoWatch.WRITE, left) }
    }

    private inline fun recvLoop(into: ByteBuffer, await: (Long) -> Boolean): Int {
        if (!into.hasRemaining()) return 0
        val deadline = deadline()
        if (drained && timeout != 0L) {
            // the last read emptied the kernel's buffer: wait for readiness first instead of a read that would
            // find nothing (a request/response loop saves a system call per message; data that came meanwhile is
            // reported by the selector at once)
            drained = false
            if (!await(left(deadline))) throw SocketTimeoutException("recv timed out after ${timeout / 1_000_000} ms")
        }
        while (true) {
            val n = io { ch.read(into) }
            if (n != 0) {
                drained = n > 0 && into.hasRemaining()
                return n
            }
            if (!await(left(deadline))) throw SocketTimeoutException("recv timed out after ${timeout / 1_000_000} ms")
        }
    }

    private inline fun sendLoop(from: ByteBuffer, all: Boolean, await: (Long) -> Boolean): Int {
        if (!from.hasRemaining()) return 0
        val deadline = deadline()
        var sent = 0
        while (true) {
            val n = io { ch.write(from) }
            sent += n
            if (!from.hasRemaining() || (n > 0 && !all)) return sent
            if (!await(left(deadline))) {
                throw SocketTimeoutException("send timed out after ${timeout / 1_000_000} ms ($sent bytes sent)")
            }
        }
    }

    private fun deadline(): Long {
        val t = timeout
        return if (t < 0) -1L else Blocking.deadlineOf(t)
    }

    /**
     * One channel operation. A close from outside the hub's context releases the channel only in the hub's next
     * iteration, so the closed flag is checked first: a closed socket never reads or writes again.
     */
    private inline fun <R> io(op: () -> R): R =
        try {
            if (watch.isClosed) throw watch.closedError()
            op()
        } catch (e: ClosedChannelException) {
            throw watch.closedError().apply { initCause(e) }
        }

    override fun setTimeoutNanos(nanos: Long) {
        timeout = nanos
    }

    override fun timeoutNanos(): Long = timeout

    override fun shutdownOutput() {
        io { ch.shutdownOutput() }
    }

    override fun channel(): SocketChannel = ch

    override fun isOpen(): Boolean = !watch.isClosed

    override fun close() {
        watch.close()
    }

    companion object {
        /** Time left until [deadline] (`< 0`: none), never negative. */
        fun left(deadline: Long): Long = if (deadline < 0) -1L else maxOf(0L, deadline - HubClocks.now())

        fun wrap(ch: SocketChannel): SocketCore {
            ch.configureBlocking(false)
            return SocketCore(ch)
        }

        /** Blocking connect (a wait point); on any failure, a kill or a Timeout, the channel is closed. */
        fun connect(address: InetSocketAddress, timeoutNanos: Long): SocketCore {
            Blocking.refuseOnHub("GreenSocket.connect()", "awaitConnect()")
            return connectLoop(address, timeoutNanos) { core, left ->
                core.watch.await(IoWatch.CONNECT, left, "GreenSocket.connect()", "awaitConnect()")
            }
        }

        suspend fun connectSuspend(address: InetSocketAddress, timeoutNanos: Long): SocketCore =
            connectLoop(address, timeoutNanos) { core, left -> core.watch.awaitSuspend(IoWatch.CONNECT, left) }

        private inline fun connectLoop(
            address: InetSocketAddress,
            timeoutNanos: Long,
            await: (SocketCore, Long) -> Boolean,
        ): SocketCore {
            val deadline = if (timeoutNanos < 0) -1L else Blocking.deadlineOf(timeoutNanos)
            val ch = SocketChannel.open()
            val core = SocketCore(ch)
            try {
                ch.configureBlocking(false)
                var done = refused(address) { ch.connect(address) }
                while (!done) {
                    if (!await(core, left(deadline))) {
                        throw SocketTimeoutException(
                            "connect to $address timed out after ${timeoutNanos / 1_000_000} ms"
                        )
                    }
                    done = refused(address) { ch.finishConnect() }
                }
                return core
            } catch (t: Throwable) {
                core.close()
                throw t
            }
        }

        private inline fun refused(address: InetSocketAddress, op: () -> Boolean): Boolean =
            try {
                op()
            } catch (e: ConnectException) {
                throw ConnectException("${e.message ?: "connect failed"}: $address").apply { initCause(e) }
            } catch (e: SocketException) {
                throw e
            } catch (e: IOException) {
                throw ConnectException("connect to $address failed: $e").apply { initCause(e) }
            }
    }
}
