package io.gevent4j.examples.kv

import io.gevent4j.Greenlet
import io.gevent4j.Hub
import io.gevent4j.kotlin.await
import io.gevent4j.kotlin.awaitJoin
import io.gevent4j.kotlin.awaitKill
import io.gevent4j.kotlin.awaitStop
import io.gevent4j.kotlin.spawnBlocking
import io.gevent4j.kotlin.spawnSuspend
import io.gevent4j.kotlin.streamServer
import io.gevent4j.pool.Pool
import java.net.InetSocketAddress
import kotlin.time.toKotlinDuration
import kotlinx.coroutines.NonCancellable
import kotlinx.coroutines.withContext

/**
 * Stage 2 of the migration: half migrated. The acceptor and the main greenlet are Kotlin (`streamServer`,
 * `Event.await`); each odd connection runs the Kotlin handler ([KvServiceKotlin.handle]) in the server's Kotlin
 * greenlet, each even one goes to the unchanged Java handler ([KvServiceJava.handle]) in a Java greenlet started with
 * `spawnBlocking { }`, which the Kotlin greenlet awaits. The auditor is still the Java one. One hub, one [KvStore]: the
 * same Queue, Event, GreenletLocal and Pool serve both languages. See docs/migrating.md.
 */
object KvServiceHalfMigrated {
    private val stopTimeout = KvProtocol.STOP_TIMEOUT.toKotlinDuration()

    /** Starts the service on the default hub; the greenlet ends after `SHUTDOWN`, with a summary. */
    @JvmStatic fun start(store: KvStore): Greenlet<String> = Hub.getDefault().spawnSuspend { serve(store) }

    private suspend fun serve(store: KvStore): String {
        val auditor = spawnBlocking { KvServiceJava.audit(store) } // not migrated yet
        var connections = 0
        var handedToJava = 0
        val server =
            streamServer(InetSocketAddress("127.0.0.1", 0), Pool(KvProtocol.MAX_CONNECTIONS)) { socket, _ ->
                    if (++connections % 2 == 1) {
                        KvServiceKotlin.handle(store, socket)
                    } else {
                        handedToJava++
                        val java = spawnBlocking { KvServiceJava.handle(store, socket) }
                        try {
                            java.await() // its failure is this handler's failure
                        } finally {
                            // Killed while it waits (the server stopping): a kill does not travel to the greenlet it
                            // awaits, so pass it on, and wait for its death before the server closes the socket.
                            if (!java.isDead) withContext(NonCancellable) { java.awaitKill() }
                        }
                    }
                }
                .start()
        try {
            store.port().set(server.serverPort())
            store.shutdown().await()
        } finally {
            withContext(NonCancellable) {
                server.awaitStop(stopTimeout)
                store.events().shutdown()
                auditor.awaitJoin()
            }
        }
        return "served $connections connections: ${connections - handedToJava} in Kotlin, $handedToJava handed to Java"
    }
}
