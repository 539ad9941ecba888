package io.gevent4j.kotlin.internal

import io.gevent4j.GreenCallable
import io.gevent4j.Greenlet
import io.gevent4j.server.StreamServer
import io.gevent4j.socket.GreenSocket
import io.gevent4j.spi.Internals
import java.net.InetSocketAddress

/**
 * How a [StreamServerCore] serves one accepted connection: a new greenlet, not started, on the hub chosen for the
 * connection, whose body runs the user's handler and closes the socket as its last act, whether the handler returns or
 * throws (SRV-04; gevent's `_handle_and_close_when_done`). The server also closes the socket when the greenlet dies
 * without running (killed before it started), so no descriptor outlives its handler.
 */
internal sealed class ConnectionHandler {
    abstract fun greenlet(hub: HubImpl, socket: SocketCore, address: InetSocketAddress): Greenlet<*>

    protected fun facade(socket: SocketCore): GreenSocket = Internals.fromPeer(GreenSocket::class.java, socket)

    /** The Java form: a Java greenlet per connection. */
    class Java(private val handle: StreamServer.Handler) : ConnectionHandler() {
        override fun greenlet(hub: HubImpl, socket: SocketCore, address: InetSocketAddress): Greenlet<*> {
            val s = facade(socket)
            return Greenlet<Void?>(
                hub,
                GreenCallable {
                    try {
                        handle.handle(s, address)
                    } finally {
                        s.close()
                    }
                    null
                },
            )
        }
    }

    /** The Kotlin form (`streamServer { socket, address -> }`): a Kotlin greenlet per connection. */
    class Kotlin(private val handle: suspend (GreenSocket, InetSocketAddress) -> Unit) : ConnectionHandler() {
        override fun greenlet(hub: HubImpl, socket: SocketCore, address: InetSocketAddress): Greenlet<*> {
            val s = facade(socket)
            return kotlinGreenlet(hub) {
                try {
                    handle(s, address)
                } finally {
                    awaitBodyChildren() // the greenlet is a scope: its children may still use the socket
                    s.close()
                }
            }
        }
    }
}
