package io.gevent4j.examples.kv

import io.gevent4j.Greenlet
import io.gevent4j.Hub
import io.gevent4j.examples.EchoServerKotlin
import io.gevent4j.kotlin.await
import io.gevent4j.kotlin.awaitJoin
import io.gevent4j.kotlin.awaitSendAll
import io.gevent4j.kotlin.awaitStop
import io.gevent4j.kotlin.receiveAsFlow
import io.gevent4j.kotlin.spawn
import io.gevent4j.kotlin.spawnSuspend
import io.gevent4j.kotlin.streamServer
import io.gevent4j.kotlin.withGeventTimeout
import io.gevent4j.pool.Pool
import io.gevent4j.socket.GreenSocket
import java.net.InetSocketAddress
import kotlin.time.toKotlinDuration
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.NonCancellable
import kotlinx.coroutines.withContext

/**
 * Stage 3 of the migration: the key-value service all in Kotlin. Kotlin greenlets and the suspend twins: a
 * `streamServer` with a `Pool` runs [handle] for each connection, an auditor greenlet collects the events queue's
 * `receiveAsFlow()`, the main greenlet awaits the shutdown `Event`. The state ([KvStore]) and the protocol
 * ([KvProtocol]) are the Java ones, used as they are. See docs/migrating.md.
 */
object KvServiceKotlin {
    private val requestTimeout = KvProtocol.REQUEST_TIMEOUT.toKotlinDuration()
    private val stopTimeout = KvProtocol.STOP_TIMEOUT.toKotlinDuration()

    /** Starts the service on the default hub; the greenlet ends after `SHUTDOWN`, with a summary. */
    @JvmStatic fun start(store: KvStore): Greenlet<String> = Hub.getDefault().spawnSuspend { serve(store) }

    private suspend fun serve(store: KvStore): String {
        val auditor = spawn { audit(store) }
        var served = 0
        val server =
            streamServer(InetSocketAddress("127.0.0.1", 0), Pool(KvProtocol.MAX_CONNECTIONS)) { socket, _ ->
                    served++
                    handle(store, socket)
                }
                .start()
        try {
            store.port().set(server.serverPort())
            store.shutdown().await()
        } finally {
            withContext(NonCancellable) { // a killed Kotlin greenlet may wait in its cleanup only so
                server.awaitStop(stopTimeout) // waits for the handlers, then kills those left
                store.events().shutdown() // the auditor's flow completes once the queue is drained
                auditor.awaitJoin()
            }
        }
        return "served $served connections in Kotlin"
    }

    /** The auditor: takes every event from the queue, in order, and marks it done (`AUDIT` joins the queue). */
    suspend fun audit(store: KvStore) {
        store.events().receiveAsFlow().collect { event ->
            store.audit().add(event)
            store.events().taskDone()
        }
    }

    /** Serves one connection until `QUIT`, `SHUTDOWN` or the end of the stream. */
    suspend fun handle(store: KvStore, socket: GreenSocket) {
        store.servedBy().add("kotlin")
        val lines = EchoServerKotlin.Lines(socket)
        try {
            while (true) {
                val request = KvProtocol.parse(lines.next() ?: return)
                when (request.verb) {
                    "QUIT" -> {
                        socket.send(KvProtocol.bye(store))
                        return
                    }
                    "SHUTDOWN" -> {
                        socket.send(KvProtocol.bye(store) + ", shutting down")
                        store.shutdown().set()
                        return
                    }
                    else ->
                        socket.send(
                            withGeventTimeout(requestTimeout, KvProtocol.timedOut(request)) { answer(store, request) }
                        )
                }
            }
        } catch (e: CancellationException) { // killed: the server stopped while the client was still connected
            KvProtocol.dropped(store)
            throw e
        }
    }

    private suspend fun answer(store: KvStore, request: KvProtocol.Request): String {
        KvProtocol.answerNow(store, request)?.let {
            return it
        }
        if (request.verb == "WAIT") {
            store.keySet(request.key).await()
            return KvProtocol.value(request.key, store.get(request.key))
        }
        store.events().awaitJoin() // AUDIT: until the auditor has taken every event so far
        return KvProtocol.audit(store)
    }

    private suspend fun GreenSocket.send(reply: String) = awaitSendAll("$reply\n".toByteArray())
}
