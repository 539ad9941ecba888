@file:JvmMultifileClass
@file:JvmName("GeventCoroutines")

package io.gevent4j.kotlin

import io.gevent4j.kotlin.internal.NameLookup
import io.gevent4j.kotlin.internal.ServerSocketCore
import io.gevent4j.kotlin.internal.SocketCore
import io.gevent4j.socket.GreenServerSocket
import io.gevent4j.socket.GreenSocket
import io.gevent4j.spi.Internals
import java.net.InetSocketAddress
import java.nio.ByteBuffer
import kotlin.time.Duration

// Cancelling a caller suspended in any of these functions (a kill of its greenlet, a Timeout, a cancelled
// coroutine) ends its wait at once and leaves the socket open, as a kill does in gevent.

private fun core(s: GreenSocket): SocketCore =
    Internals.peer(s) as? SocketCore ?: throw IllegalStateException("$s is not a socket of gevent4j-kotlin")

private fun core(s: GreenServerSocket): ServerSocketCore =
    Internals.peer(s) as? ServerSocketCore ?: throw IllegalStateException("$s is not a listener of gevent4j-kotlin")

/**
 * Connects to [address], suspending until connected — the twin of [GreenSocket.connect].
 *
 * @param timeout at most this long; `null` for no limit
 * @throws java.net.ConnectException naming the address when refused
 * @throws java.net.SocketTimeoutException on expiry (the half-open socket is closed)
 * @throws IllegalArgumentException for a negative timeout or an unresolved address
 */
public suspend fun awaitConnect(address: InetSocketAddress, timeout: Duration? = null): GreenSocket {
    require(!address.isUnresolved) { "address must be resolved (use awaitConnect(host, port, timeout) for a name): $address" }
    val peer = SocketCore.connectSuspend(address, timeoutNanos(timeout))
    return Internals.fromPeer(GreenSocket::class.java, peer)
}

/**
 * Looks [host] up on another thread (never on the hub), then connects to its first address that accepts —
 * the twin of `GreenSocket.connect(host, port, timeout)`.
 *
 * @param timeout for the lookup and the connect together; `null` for no limit
 * @throws java.net.UnknownHostException when the name does not resolve
 * @throws java.net.ConnectException when no address accepts
 */
public suspend fun awaitConnect(host: String, port: Int, timeout: Duration? = null): GreenSocket {
    require(port in 0..0xFFFF) { "port must be within 0..65535: $port" }
    val peer = NameLookup.connectSuspend(host, port, timeoutNanos(timeout))
    return Internals.fromPeer(GreenSocket::class.java, peer)
}

/**
 * Reads what is there into [into], suspending until at least one byte is — the twin of
 * [GreenSocket.recv] (ByteBuffer). The socket's timeout ([GreenSocket.setTimeout]) applies.
 *
 * @return bytes read, -1 at end of stream, 0 only when [into] has no room
 * @throws java.net.SocketTimeoutException when nothing came within the socket's timeout
 * @throws java.net.SocketException when the socket is closed, here or in another greenlet
 */
public suspend fun GreenSocket.awaitRecv(into: ByteBuffer): Int = core(this).recvSuspend(into)

/**
 * Reads up to [max] bytes, suspending until at least one is there — the twin of [GreenSocket.recv] (int).
 *
 * @return the bytes; an empty array at end of stream
 * @throws IllegalArgumentException if [max] < 1
 */
public suspend fun GreenSocket.awaitRecv(max: Int): ByteArray {
    require(max >= 1) { "max must be at least 1: $max" }
    val b = ByteBuffer.allocate(max)
    val n = core(this).recvSuspend(b)
    return if (n <= 0) ByteArray(0) else b.array().copyOf(n)
}

/**
 * Reads into `buf[off, off + len)`, suspending until at least one byte is there — the twin of
 * [GreenSocket.recvInto] and of the input stream's `read`.
 *
 * @return bytes read, -1 at end of stream
 */
public suspend fun GreenSocket.awaitRecvInto(buf: ByteArray, off: Int = 0, len: Int = buf.size - off): Int {
    java.util.Objects.checkFromIndexSize(off, len, buf.size)
    return core(this).recvSuspend(ByteBuffer.wrap(buf, off, len))
}

/**
 * Sends what the kernel takes now, suspending until it takes at least one byte — the twin of
 * [GreenSocket.send].
 *
 * @return bytes sent (0 only when [from] is empty)
 */
public suspend fun GreenSocket.awaitSend(from: ByteBuffer): Int = core(this).sendSuspend(from)

/**
 * Sends all of [from], suspending for room as often as needed — the twin of [GreenSocket.sendAll] and of the
 * output stream's `write`. The socket's timeout applies to the whole call.
 *
 * @throws java.net.SocketTimeoutException on expiry; [from]'s position tells what was sent
 */
public suspend fun GreenSocket.awaitSendAll(from: ByteBuffer) {
    core(this).sendAllSuspend(from)
}

/** Sends all of [data] — the twin of [GreenSocket.sendAll] (ByteArray). */
public suspend fun GreenSocket.awaitSendAll(data: ByteArray) {
    core(this).sendAllSuspend(ByteBuffer.wrap(data))
}

/**
 * Suspends until the next connection — the twin of [GreenServerSocket.accept]. Several waiters are all woken by
 * a connection; one takes it and the others wait again.
 *
 * @throws java.net.SocketException when the listener is or gets closed
 */
public suspend fun GreenServerSocket.awaitAccept(): GreenSocket {
    val peer = core(this).acceptSuspend(-1)!!
    return Internals.fromPeer(GreenSocket::class.java, peer)
}

/**
 * Suspends until the next connection, at most [timeout] — the twin of [GreenServerSocket.accept] (Duration).
 *
 * @return the socket, or null on expiry
 */
public suspend fun GreenServerSocket.awaitAccept(timeout: Duration?): GreenSocket? {
    val peer = core(this).acceptSuspend(timeoutNanos(timeout)) ?: return null
    return Internals.fromPeer(GreenSocket::class.java, peer)
}
