package io.gevent4j.examples

import io.gevent4j.Hub
import io.gevent4j.kotlin.await
import io.gevent4j.kotlin.awaitConnect
import io.gevent4j.kotlin.awaitRecv
import io.gevent4j.kotlin.awaitSendAll
import io.gevent4j.kotlin.spawn
import io.gevent4j.kotlin.spawnSuspend
import java.io.ByteArrayOutputStream
import java.net.InetSocketAddress
import java.time.Duration
import java.util.concurrent.Executors
import java.util.concurrent.atomic.AtomicInteger
import kotlin.time.Duration.Companion.seconds

/**
 * [ConcurrentFetches] with Kotlin greenlets on the socket twins: each fetch suspends in `awaitConnect` and `awaitRecv`
 * while the others run, against the same loopback server.
 */
object ConcurrentFetchesKotlin {
    @JvmStatic
    fun main(args: Array<String>) {
        run()
    }

    @JvmStatic
    fun run() {
        val executor = Executors.newFixedThreadPool(ConcurrentFetches.PAGES.size)
        val inFlight = AtomicInteger()
        val peak = AtomicInteger()
        val server = ConcurrentFetches.startServer(executor, inFlight, peak)
        try {
            val address = InetSocketAddress("127.0.0.1", server.address.port)
            Hub.getDefault().spawnSuspend { fetchAll(address, peak) }.get(Duration.ofSeconds(20))
        } finally {
            server.stop(0)
            executor.shutdownNow()
        }
    }

    private suspend fun fetchAll(address: InetSocketAddress, peak: AtomicInteger) {
        val t0 = System.nanoTime()
        val fetches = ConcurrentFetches.PAGES.map { page -> spawn { fetch(address, page) } }
        for (g in fetches) println("  ${g.await()}")
        val ms = (System.nanoTime() - t0) / 1_000_000
        println(
            "fetched ${ConcurrentFetches.PAGES.size} pages in $ms ms (one after another: at least " +
                "${ConcurrentFetches.PAGES.size * ConcurrentFetches.DELAY_MS} ms); the server held ${peak.get()} " +
                "requests at once: " +
                if (peak.get() > 1) "they overlapped" else "they did NOT overlap"
        )
    }

    private suspend fun fetch(address: InetSocketAddress, path: String): String =
        awaitConnect(address, 5.seconds).use { s ->
            s.setTimeout(Duration.ofSeconds(5))
            s.awaitSendAll("GET $path HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n".toByteArray(Charsets.US_ASCII))
            val response = ByteArrayOutputStream()
            while (true) {
                val chunk = s.awaitRecv(8192)
                if (chunk.isEmpty()) break
                response.write(chunk)
            }
            ConcurrentFetches.describe(path, response.toByteArray())
        }
}
