package io.gevent4j.examples

import io.gevent4j.Hub
import io.gevent4j.kotlin.awaitConnect
import io.gevent4j.kotlin.awaitJoin
import io.gevent4j.kotlin.awaitSendAll
import io.gevent4j.kotlin.awaitStop
import io.gevent4j.kotlin.receiveAsFlow
import io.gevent4j.kotlin.spawn
import io.gevent4j.kotlin.spawnSuspend
import io.gevent4j.kotlin.streamServer
import io.gevent4j.queue.Queue
import io.gevent4j.socket.GreenSocket
import java.net.InetSocketAddress

/**
 * The Kotlin twin of [ChatServer]: `streamServer { socket, address -> }` with a suspend handler per client; each
 * client's mailbox is a [Queue] whose writer greenlet collects `receiveAsFlow()` and sends with `awaitSendAll`.
 */
object ChatServerKotlin {
    /** The members' mailboxes; only greenlets of one hub touch it, one at a time. */
    private val room = LinkedHashMap<String, Queue<String>>()

    /** Runs the scenario as a Kotlin greenlet on the default hub. */
    @JvmStatic
    fun run() {
        Hub.getDefault().spawnSuspend { scenario() }.get()
    }

    private suspend fun handle(socket: GreenSocket) {
        val lines = EchoServerKotlin.Lines(socket)
        val name = lines.next() ?: return
        val mailbox = Queue<String>()
        room[name] = mailbox
        mailbox.putNowait("welcome, $name (${room.size} online)")
        val writer = spawn {
            mailbox.receiveAsFlow().collect { socket.awaitSendAll("$it\n".toByteArray()) } // ends at shutdown
        }
        try {
            while (true) {
                val line = lines.next() ?: break
                if (line == "/quit") break
                for ((member, box) in room) if (member != name) box.putNowait("$name: $line")
            }
        } finally {
            room.remove(name)
            mailbox.shutdown()
            writer.awaitJoin() // the socket must outlive its writer
            println("server: $name left (${room.size} online)")
        }
    }

    private class Client private constructor(val name: String, val socket: GreenSocket) {
        val lines = EchoServerKotlin.Lines(socket)

        suspend fun say(line: String) = socket.awaitSendAll("$line\n".toByteArray())

        suspend fun hear() = println("  $name <- ${lines.next()}")

        companion object {
            suspend fun join(name: String, port: Int): Client =
                Client(name, awaitConnect(InetSocketAddress("127.0.0.1", port))).apply {
                    say(name)
                    hear()
                }
        }
    }

    private suspend fun scenario() {
        val server = streamServer(InetSocketAddress("127.0.0.1", 0)) { socket, _ -> handle(socket) }.start()
        val port = server.serverPort()
        val alice = Client.join("alice", port)
        val bob = Client.join("bob", port)
        val carol = Client.join("carol", port)
        alice.say("hi everyone")
        bob.hear()
        carol.hear()
        bob.say("hi alice!")
        alice.hear()
        carol.hear()
        carol.say("/quit")
        println("  carol sees the end of the stream: ${carol.lines.next() == null}")
        alice.say("carol is gone, bob")
        bob.hear()
        alice.say("/quit")
        bob.say("/quit")
        println("  alice and bob see the end: ${alice.lines.next() == null}, ${bob.lines.next() == null}")
        for (c in listOf(alice, bob, carol)) c.socket.close()
        server.awaitStop()
        println("server: stopped; ${room.size} left in the room")
    }
}
