package io.gevent4j.kotlin.internal

import io.gevent4j.Greenlet
import io.gevent4j.kotlin.awaitAvailable
import io.gevent4j.kotlin.sleep
import io.gevent4j.pool.Group
import io.gevent4j.pool.Pool
import java.io.IOException
import java.net.InetSocketAddress
import java.net.SocketException
import java.util.function.Consumer

/**
 * The accept loop of a [StreamServerCore] (gevent's `BaseServer._do_read`), run by one Kotlin greenlet on the hub that
 * started the server. Each round: wait for a free slot of the pool **before** accepting (so that while the pool is full
 * the kernel queues new connections, SRV-05), accept, then hand the connection to a new handler greenlet on the next
 * hub of the rotation, added to the server's group with the group's own accounting.
 *
 * The loop ends when the server retires it ([StreamServerCore.isCurrent] turns false: stopAccepting, stop), usually by
 * a kill that lands in its wait, which leaves the listener open. Any other end (its hub closing kills it, the listener
 * fails) is reported to the server, which then stops itself.
 *
 * Errors, as gevent handles them: a failed accept that is not about a closed listener (too many open files) and a
 * connection that could not be handed off are reported on the `io.gevent4j.Hub` logger, and accepting pauses for a
 * delay that doubles from [MIN_DELAY] to [MAX_DELAY] and falls back after a success.
 */
internal class ServerAcceptor(
    private val server: StreamServerCore,
    private val hub: HubImpl,
    private val listener: ServerSocketCore,
    private val group: Group?,
    private val handler: ConnectionHandler,
    private val hubs: List<HubImpl>,
) {
    /** Set right after the spawn, under the server's lock; read by the server to retire this acceptor. */
    @Volatile var greenlet: Greenlet<*>? = null

    private var next = 0 // hub rotation, acceptor-confined
    private var delay = MIN_DELAY

    fun spawn(name: String): Greenlet<*> {
        val g = kotlinGreenlet(hub) { run() }.name(name)
        greenlet = g
        g.start()
        return g
    }

    private suspend fun run() {
        try {
            while (server.isCurrent(this)) {
                if (group is Pool) group.awaitAvailable()
                if (!server.isCurrent(this)) return
                val socket =
                    try {
                        listener.awaitAccept(-1)!!
                    } catch (e: SocketException) {
                        if (server.isCurrent(this) && listener.isOpen()) {
                            Reporting.callbackFailed(hub.name(), "StreamServer ${server.address()}: accept()", e)
                        }
                        return // a closed listener (or its watching hub closed): the server stops (finally)
                    } catch (e: IOException) {
                        Reporting.callbackFailed(hub.name(), "StreamServer ${server.address()}: accept()", e)
                        pause()
                        continue
                    }
                if (!server.isCurrent(this)) {
                    // retired (stopAccepting() from another thread or hub) after the kernel gave us this client: serve
                    // it rather than drop a connection that was accepted before the stop took effect
                    if (server.isStopped()) socket.close() else handOff(socket)
                    return
                }
                if (handOff(socket)) delay = MIN_DELAY else pause()
            }
        } finally {
            server.acceptorEnded(this)
        }
    }

    private suspend fun pause() {
        sleep(delay)
        delay = minOf(MAX_DELAY, delay * 2)
    }

    /** Starts a handler for [socket]; false (the socket closed, the failure reported) when that failed. */
    private suspend fun handOff(socket: SocketCore): Boolean {
        var started = false
        try {
            val address =
                socket.channel().remoteAddress as InetSocketAddress? ?: throw SocketException("the client is gone")
            val target = nextHub() ?: throw IllegalStateException("every hub of the server is closed: $hubs")
            val g = handler.greenlet(target, socket, address).name("StreamServer handler $address")
            g.rawlink(Consumer { socket.close() }) // killed before its body ran: the body's finally never runs
            if (group == null) g.start()
            else GroupCore.of(group).startSuspend(g) // suspends only if a slot was taken meanwhile
            started = true
            return true
        } catch (e: IOException) {
            return false // the client reset before we could ask its address: nothing to serve, nothing to report
        } catch (e: kotlin.coroutines.cancellation.CancellationException) {
            throw e
        } catch (e: Exception) {
            Reporting.callbackFailed(hub.name(), "StreamServer ${server.address()}: starting a handler", e)
            return false
        } finally {
            if (!started) socket.close()
        }
    }

    /** The hub for the next connection: the acceptor's own, or the next open one of [hubs] in turn. */
    private fun nextHub(): HubImpl? {
        if (hubs.isEmpty()) return hub
        for (i in hubs.indices) {
            val h = hubs[next]
            next = (next + 1) % hubs.size
            if (h.state == HubImpl.RUNNING) return h
        }
        return null
    }

    companion object {
        /** gevent's `min_delay` and `max_delay`, in seconds. */
        const val MIN_DELAY: Double = 0.01
        const val MAX_DELAY: Double = 1.0
    }
}
