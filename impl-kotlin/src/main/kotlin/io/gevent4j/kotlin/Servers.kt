@file:JvmMultifileClass
@file:JvmName("GeventCoroutines")

package io.gevent4j.kotlin

import io.gevent4j.kotlin.internal.SuspendAccess
import io.gevent4j.kotlin.spi.SuspendStreamServerPeer
import io.gevent4j.pool.Group
import io.gevent4j.pool.Pool
import io.gevent4j.server.StreamServer
import io.gevent4j.socket.GreenServerSocket
import io.gevent4j.socket.GreenSocket
import io.gevent4j.spi.Internals
import io.gevent4j.spi.ServerSocketPeer
import io.gevent4j.spi.StreamServerPeer
import java.net.InetSocketAddress
import kotlin.time.Duration

// gevent's StreamServer with Kotlin handlers: the same StreamServer type (start, stop, stopAccepting, hubs, pool
// work as in Java), whose handler greenlets are Kotlin greenlets running a suspend handler that waits with the
// suspend twins (awaitRecv, awaitSendAll, sleep, ...). awaitServeForever and awaitStop are the twins of the two
// calls that wait.

/**
 * A server that will listen on [address] once started and runs [handle] in a new Kotlin greenlet for each connection —
 * gevent's `StreamServer(address, handle, spawn=...)`, with suspend handlers. The socket is closed when [handle]
 * returns or throws (SRV-04); a handler that throws is reported once and the server goes on (SRV-12). Handlers run on
 * the hub that calls `start()` (or on the hubs set with `StreamServer.hubs`). Never waits.
 *
 * @param spawn the group the handler greenlets join; a [Pool] bounds them (accepting pauses while it is full, SRV-05)
 *   and makes [awaitStop] wait for and kill them (SRV-08); `null` for no bound (SRV-09)
 * @throws IllegalArgumentException if [address] is unresolved
 */
public fun streamServer(
    address: InetSocketAddress,
    spawn: Group? = null,
    handle: suspend (socket: GreenSocket, address: InetSocketAddress) -> Unit,
): StreamServer {
    require(!address.isUnresolved) { "address must be resolved: $address" }
    return wrap(SuspendAccess.provider("streamServer()").newKotlinStreamServer(address, null, spawn, handle))
}

/**
 * As [streamServer] with a new `Pool(poolSize)` (gevent's `spawn=<int>`).
 *
 * @throws IllegalArgumentException if [poolSize] is negative or [address] unresolved
 */
public fun streamServer(
    address: InetSocketAddress,
    poolSize: Int,
    handle: suspend (socket: GreenSocket, address: InetSocketAddress) -> Unit,
): StreamServer {
    require(poolSize >= 0) { "poolSize must not be negative: $poolSize" }
    return streamServer(address, Pool(poolSize), handle)
}

/**
 * A server that accepts from [listener], a socket listening already, and runs [handle] in a new Kotlin greenlet for
 * each connection. The server owns the listener from now on: stopping closes it.
 *
 * @param spawn as in the address form
 * @throws IllegalArgumentException if [listener] is closed, or belongs to another gevent4j provider
 */
public fun streamServer(
    listener: GreenServerSocket,
    spawn: Group? = null,
    handle: suspend (socket: GreenSocket, address: InetSocketAddress) -> Unit,
): StreamServer {
    require(listener.isOpen) { "listener must be open: $listener" }
    val l = Internals.peer(listener) as ServerSocketPeer // a GreenServerSocket's peer always is one
    return wrap(SuspendAccess.provider("streamServer()").newKotlinStreamServer(null, l, spawn, handle))
}

private fun wrap(peer: StreamServerPeer): StreamServer = Internals.fromPeer(StreamServer::class.java, peer)

private fun peer(s: StreamServer, op: String): SuspendStreamServerPeer = SuspendAccess.peer(s, op)

/**
 * Starts the server if it is not started, suspends until `stop` is called, then stops as [awaitStop] does (with a
 * group: waits up to 1 s for the handlers, then kills the rest) — the twin of [StreamServer.serveForever] (SRV-10).
 * Returns at once for a server stopped already. Cancelling the caller (a kill, a Timeout) stops the server before the
 * cancellation goes on (gevent's `finally`); that stop is not cancellable.
 *
 * @throws java.io.IOException from `start()` (a [java.net.BindException] naming the address)
 */
public suspend fun StreamServer.awaitServeForever() {
    peer(this, "StreamServer.awaitServeForever()").awaitServeForever()
}

/**
 * Stops the server — the twin of [StreamServer.stop]: closes the listener (SRV-07); with a group, suspends until its
 * members are done, at most [timeout], then kills those left with `GreenletExit` and suspends at most 1 s more for them
 * to die (SRV-08); without a group, returns at once and the handlers run on (SRV-09). Harmless when called again.
 * Cancelling the caller while it waits leaves the server stopped (the listener is closed at once) and ends the wait;
 * the handlers are then neither waited for nor killed.
 *
 * @param timeout the wait for the handlers; `null` for the default, 1 s; [Duration.INFINITE] for no limit
 * @throws IllegalArgumentException if [timeout] is negative
 */
public suspend fun StreamServer.awaitStop(timeout: Duration? = null) {
    val nanos = if (timeout == Duration.INFINITE) Long.MAX_VALUE else timeoutNanos(timeout)
    peer(this, "StreamServer.awaitStop()").awaitStop(nanos)
}
