@file:JvmName("SocketKotlinSide")

package io.gevent4j.interop

import io.gevent4j.Greenlet
import io.gevent4j.Hub
import io.gevent4j.kotlin.await
import io.gevent4j.kotlin.awaitAccept
import io.gevent4j.kotlin.awaitConnect
import io.gevent4j.kotlin.awaitRecv
import io.gevent4j.kotlin.awaitRecvInto
import io.gevent4j.kotlin.awaitSendAll
import io.gevent4j.kotlin.spawn
import io.gevent4j.kotlin.spawnSuspend
import io.gevent4j.socket.GreenServerSocket
import io.gevent4j.socket.GreenSocket
import java.net.InetSocketAddress

/** Kotlin greenlets on the socket twins, started by the Java socket interop test. */

/**
 * A Kotlin echo server: accepts [connections] clients with `awaitAccept`, echoes each in a Kotlin greenlet of its own
 * (`awaitRecv`/`awaitSendAll`) until the client half-closes, and returns the bytes echoed in all.
 */
fun kotlinEchoServer(hub: Hub, listener: GreenServerSocket, connections: Int): Greenlet<Long> =
    hub.spawnSuspend {
        val handlers =
            (0 until connections).map {
                val s = listener.awaitAccept()
                spawn {
                    s.use {
                        var n = 0L
                        while (true) {
                            val b = s.awaitRecv(4096)
                            if (b.isEmpty()) break
                            s.awaitSendAll(b)
                            n += b.size
                        }
                        n
                    }
                }
            }
        handlers.sumOf { it.await() }
    }

/**
 * A Kotlin client: connects with `awaitConnect`, sends [messages] numbered lines tagged [id], reads each echo back and
 * checks it, half-closes, and returns the number of lines that came back right.
 */
fun kotlinEchoClient(hub: Hub, address: InetSocketAddress, id: Int, messages: Int): Greenlet<Int> =
    hub.spawnSuspend {
        awaitConnect(address).use { c ->
            var ok = 0
            for (i in 0 until messages) {
                val line = "k$id:$i\n".toByteArray()
                c.awaitSendAll(line)
                val back = ByteArray(line.size)
                var got = 0
                while (got < back.size) {
                    val n = c.awaitRecvInto(back, got, back.size - got)
                    check(n > 0) { "end of stream" }
                    got += n
                }
                if (back.contentEquals(line)) ok++
            }
            c.shutdownOutput()
            check(c.awaitRecv(16).isEmpty()) { "the server sent more than the echoes" }
            ok
        }
    }

/** Reads from [socket] in a Kotlin greenlet until end of stream; returns what came. */
fun kotlinReadAll(hub: Hub, socket: GreenSocket): Greenlet<ByteArray> =
    hub.spawnSuspend {
        val out = java.io.ByteArrayOutputStream()
        while (true) {
            val b = socket.awaitRecv(4096)
            if (b.isEmpty()) break
            out.write(b)
        }
        out.toByteArray()
    }
