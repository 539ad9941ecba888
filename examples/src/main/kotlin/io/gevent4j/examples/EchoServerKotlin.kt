package io.gevent4j.examples

import io.gevent4j.Hub
import io.gevent4j.kotlin.awaitConnect
import io.gevent4j.kotlin.awaitRecv
import io.gevent4j.kotlin.awaitSendAll
import io.gevent4j.kotlin.awaitStop
import io.gevent4j.kotlin.joinAll
import io.gevent4j.kotlin.spawn
import io.gevent4j.kotlin.spawnSuspend
import io.gevent4j.kotlin.streamServer
import io.gevent4j.socket.GreenSocket
import java.io.ByteArrayOutputStream
import java.net.InetSocketAddress

/**
 * The Kotlin twin of [EchoServer]: `streamServer { socket, address -> }` runs a suspend handler in a new Kotlin
 * greenlet for every client, reading with `awaitRecv` and writing with `awaitSendAll`; three Kotlin client greenlets
 * talk to it at once, then `awaitStop()`.
 */
object EchoServerKotlin {
    /** Runs the scenario as a Kotlin greenlet on the default hub. */
    @JvmStatic
    fun run() {
        Hub.getDefault().spawnSuspend { scenario() }.get()
    }

    private suspend fun scenario() {
        val server = streamServer(InetSocketAddress("127.0.0.1", 0)) { socket, _ -> echo(socket) }.start()
        println("server: listening on 127.0.0.1 (port ${server.serverPort()})")
        val clients =
            listOf("alice", "bob", "carol").map { name -> spawn { client(name, server.serverPort()) }.name(name) }
        joinAll(clients, raiseError = true)
        server.awaitStop()
        println("server: stopped (closed=${server.isClosed})")
    }

    private suspend fun echo(socket: GreenSocket) {
        println("server: new connection, served in a greenlet of its own")
        val lines = Lines(socket)
        socket.awaitSendAll("Welcome to the echo server! Type quit to exit.\n".toByteArray())
        while (true) {
            val line = lines.next() ?: return // the client closed
            if (line == "quit") {
                socket.awaitSendAll("bye\n".toByteArray())
                return
            }
            socket.awaitSendAll("echo: $line\n".toByteArray())
        }
    }

    private suspend fun client(name: String, port: Int) {
        awaitConnect(InetSocketAddress("127.0.0.1", port)).use { s ->
            val lines = Lines(s)
            println("  $name <- ${lines.next()}")
            for (line in listOf("hello from $name", "how are you?", "quit")) {
                s.awaitSendAll("$line\n".toByteArray())
                println("  $name -> $line")
                println("  $name <- ${lines.next()}")
            }
            println("  $name sees the end of the stream: ${lines.next() == null}")
        }
    }

    /** Reads lines with `awaitRecv`: the suspend counterpart of a BufferedReader on the socket's stream. */
    internal class Lines(private val socket: GreenSocket) {
        private val pending = ByteArrayOutputStream()
        private var buf = ByteArray(0)
        private var pos = 0

        suspend fun next(): String? {
            while (true) {
                while (pos < buf.size) {
                    val b = buf[pos++]
                    if (b == '\n'.code.toByte()) {
                        // a line ends with \n or \r\n, as BufferedReader.readLine has it on the Java side
                        val line = pending.toString(Charsets.UTF_8).removeSuffix("\r")
                        pending.reset()
                        return line
                    }
                    pending.write(b.toInt())
                }
                buf = socket.awaitRecv(4096)
                pos = 0
                if (buf.isEmpty())
                    return if (pending.size() > 0) pending.toString(Charsets.UTF_8).also { pending.reset() } else null
            }
        }
    }
}
