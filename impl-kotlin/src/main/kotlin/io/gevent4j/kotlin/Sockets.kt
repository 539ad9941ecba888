@file:JvmMultifileClass
@file:JvmName("GeventCoroutines")

package io.gevent4j.kotlin

import io.gevent4j.kotlin.internal.SuspendAccess
import io.gevent4j.kotlin.spi.SuspendServerSocketPeer
import io.gevent4j.kotlin.spi.SuspendSocketPeer
import io.gevent4j.socket.GreenServerSocket
import io.gevent4j.socket.GreenSocket
import io.gevent4j.spi.Internals
import java.net.InetSocketAddress
import java.nio.ByteBuffer
import kotlin.time.Duration

// Cancelling a caller suspended in any of these functions (a kill of its greenlet, a Timeout, a cancelled
// coroutine) ends its wait at once and leaves the socket open, as a kill does in gevent. Nothing is lost: a read
// or an accept happens only once the wait is over, in the same step as the return.

private fun peer(s: GreenSocket, op: String): SuspendSocketPeer = SuspendAccess.peer(s, op)

private fun peer(s: GreenServerSocket, op: String): SuspendServerSocketPeer = SuspendAccess.peer(s, op)

/**
 * Connects to [address], suspending until connected — the twin of [GreenSocket.connect]. Cancelling the caller ends the
 * wait at once and closes the half-open socket.
 *
 * @param timeout at most this long; `null` for no limit
 * @throws java.net.ConnectException naming the address when refused
 * @throws java.net.SocketTimeoutException on expiry (the half-open socket is closed)
 * @throws IllegalArgumentException for a negative timeout or an unresolved address
 */
public suspend fun awaitConnect(address: InetSocketAddress, timeout: Duration? = null): GreenSocket {
    require(!address.isUnresolved) {
        "address must be resolved (use awaitConnect(host, port, timeout) for a name): $address"
    }
    val peer = SuspendAccess.provider("awaitConnect()").awaitConnect(address, timeoutNanos(timeout))
    return Internals.fromPeer(GreenSocket::class.java, peer)
}

/**
 * Looks [host] up on another thread (never on the hub), then connects to its first address that accepts — the twin of
 * `GreenSocket.connect(host, port, timeout)`. Cancelling the caller ends the wait at once (a lookup in progress runs on
 * to its end on its thread, its result dropped) and closes a half-open socket.
 *
 * @param timeout for the lookup and the connect together; `null` for no limit
 * @throws java.net.UnknownHostException when the name does not resolve
 * @throws java.net.ConnectException when no address accepts
 */
public suspend fun awaitConnect(host: String, port: Int, timeout: Duration? = null): GreenSocket {
    require(port in 0..0xFFFF) { "port must be within 0..65535: $port" }
    val peer = SuspendAccess.provider("awaitConnect()").awaitConnect(host, port, timeoutNanos(timeout))
    return Internals.fromPeer(GreenSocket::class.java, peer)
}

/**
 * Reads what is there into [into], suspending until at least one byte is — the twin of [GreenSocket.recv] (ByteBuffer).
 * The socket's timeout ([GreenSocket.setTimeout]) applies. Cancelling the caller ends the wait at once and reads
 * nothing; the socket stays open.
 *
 * @return bytes read, -1 at end of stream, 0 only when [into] has no room
 * @throws java.net.SocketTimeoutException when nothing came within the socket's timeout
 * @throws java.net.SocketException when the socket is closed, here or in another greenlet
 */
public suspend fun GreenSocket.awaitRecv(into: ByteBuffer): Int = peer(this, "GreenSocket.awaitRecv()").awaitRecv(into)

/**
 * Reads up to [max] bytes, suspending until at least one is there — the twin of [GreenSocket.recv] (int). Cancelling
 * the caller reads nothing, as [awaitRecv] (ByteBuffer).
 *
 * @return the bytes; an empty array at end of stream
 * @throws IllegalArgumentException if [max] < 1
 */
public suspend fun GreenSocket.awaitRecv(max: Int): ByteArray {
    require(max >= 1) { "max must be at least 1: $max" }
    val b = ByteBuffer.allocate(max)
    val n = peer(this, "GreenSocket.awaitRecv()").awaitRecv(b)
    return if (n <= 0) ByteArray(0) else b.array().copyOf(n)
}

/**
 * Reads into `buf[off, off + len)`, suspending until at least one byte is there — the twin of [GreenSocket.recvInto]
 * and of the input stream's `read`. Cancelling the caller reads nothing.
 *
 * @return bytes read, -1 at end of stream
 */
public suspend fun GreenSocket.awaitRecvInto(buf: ByteArray, off: Int = 0, len: Int = buf.size - off): Int {
    java.util.Objects.checkFromIndexSize(off, len, buf.size)
    return peer(this, "GreenSocket.awaitRecvInto()").awaitRecv(ByteBuffer.wrap(buf, off, len))
}

/**
 * Sends what the kernel takes now, suspending until it takes at least one byte — the twin of [GreenSocket.send].
 * Cancelling the caller while it waits for room ends the wait at once; nothing was sent then.
 *
 * @return bytes sent (0 only when [from] is empty)
 */
public suspend fun GreenSocket.awaitSend(from: ByteBuffer): Int = peer(this, "GreenSocket.awaitSend()").awaitSend(from)

/**
 * Sends all of [from], suspending for room as often as needed — the twin of [GreenSocket.sendAll] and of the output
 * stream's `write`. The socket's timeout applies to the whole call. A cancelled caller may have sent part of it:
 * [from]'s position tells what was sent.
 *
 * @throws java.net.SocketTimeoutException on expiry; [from]'s position tells what was sent
 */
public suspend fun GreenSocket.awaitSendAll(from: ByteBuffer) {
    return peer(this, "GreenSocket.awaitSendAll()").awaitSendAll(from)
}

/** Sends all of [data] — the twin of [GreenSocket.sendAll] (ByteArray). A cancelled caller may have sent part of it. */
public suspend fun GreenSocket.awaitSendAll(data: ByteArray) {
    return peer(this, "GreenSocket.awaitSendAll()").awaitSendAll(ByteBuffer.wrap(data))
}

/**
 * Suspends until the next connection — the twin of [GreenServerSocket.accept]. Several waiters are all woken by a
 * connection; one takes it and the others wait again. Cancelling the caller ends the wait at once and accepts nothing:
 * the connection waits for the next accept.
 *
 * @throws java.net.SocketException when the listener is or gets closed
 */
public suspend fun GreenServerSocket.awaitAccept(): GreenSocket {
    val peer = peer(this, "GreenServerSocket.awaitAccept()").awaitAccept(-1)!!
    return Internals.fromPeer(GreenSocket::class.java, peer)
}

/**
 * Suspends until the next connection, at most [timeout] — the twin of [GreenServerSocket.accept] (Duration). Cancelling
 * the caller accepts nothing, as the other [awaitAccept].
 *
 * @return the socket, or null on expiry
 */
public suspend fun GreenServerSocket.awaitAccept(timeout: Duration?): GreenSocket? {
    val peer = peer(this, "GreenServerSocket.awaitAccept()").awaitAccept(timeoutNanos(timeout)) ?: return null
    return Internals.fromPeer(GreenSocket::class.java, peer)
}
