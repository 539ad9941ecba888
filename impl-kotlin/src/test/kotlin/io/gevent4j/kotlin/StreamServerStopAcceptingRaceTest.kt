package io.gevent4j.kotlin

import io.gevent4j.GreenCallable
import io.gevent4j.kotlin.internal.HubImpl
import io.gevent4j.kotlin.testing.KotlinTestBase
import io.gevent4j.server.StreamServer
import java.net.InetSocketAddress
import java.net.Socket
import java.time.Duration
import java.util.concurrent.CountDownLatch
import java.util.concurrent.TimeUnit
import kotlin.test.assertEquals
import kotlin.test.assertTrue
import org.junit.jupiter.api.Test

/**
 * SRV-11 under a race: the acceptor has been woken for a connection the kernel already accepted, and stopAccepting()
 * retires it before it runs. The client must be served, not dropped (it was accepted before the stop took effect). The
 * hub is held in one task while the order is set up: the poll that wakes the acceptor first, the retirement after.
 */
class StreamServerStopAcceptingRaceTest : KotlinTestBase() {
    @Test
    fun aConnectionTheAcceptorWasWokenForIsServedAfterStopAccepting() {
        val server =
            StreamServer(
                InetSocketAddress("127.0.0.1", 0),
                StreamServer.Handler { s, _ ->
                    val b = s.recv(16)
                    s.sendAll(b)
                },
            )
        hub.spawn(GreenCallable { server.start() }).get(Duration.ofSeconds(10)) // handlers on the test hub
        try {
            // a first client proves the acceptor is in its loop, back in accept
            Socket("127.0.0.1", server.serverPort()).use { first ->
                first.soTimeout = 10_000
                first.getOutputStream().write('a'.code)
                assertEquals('a'.code, first.getInputStream().read())
            }
            Socket("127.0.0.1", server.serverPort()).use { client ->
                client.soTimeout = 10_000
                val polled = CountDownLatch(1)
                val retired = CountDownLatch(1)
                hub.asExecutor().execute {
                    // on the hub thread: the connection is in the kernel's queue and the acceptor parked in accept
                    (hub as HubImpl).pollerOrNull()!!.pollNow() // wakes the acceptor: its resumption is queued here
                    polled.countDown()
                    retired.await(10, TimeUnit.SECONDS) // hold the hub while another thread retires the acceptor
                }
                assertTrue(polled.await(10, TimeUnit.SECONDS))
                server.stopAccepting() // from another thread: the kill queues behind the acceptor's resumption
                retired.countDown()
                client.getOutputStream().write('x'.code)
                assertEquals('x'.code, client.getInputStream().read(), "the accepted client was dropped")
            }
        } finally {
            server.stop()
        }
    }
}
