package io.gevent4j.examples

import io.gevent4j.Hub
import io.gevent4j.kotlin.awaitWaitall
import io.gevent4j.kotlin.consumeAsFlow
import io.gevent4j.kotlin.imapFlow
import io.gevent4j.kotlin.sleep
import io.gevent4j.kotlin.spawnSuspend
import io.gevent4j.kotlin.starmapFlow
import io.gevent4j.pool.GreenPile
import io.gevent4j.pool.GreenPool
import java.nio.charset.StandardCharsets
import java.nio.file.Files
import kotlin.time.Duration.Companion.milliseconds
import kotlinx.coroutines.flow.toList

/**
 * The Kotlin twin of [GreenPoolPile]: eventlet's `GreenPool.imap` over the lines of a file (read lazily: the pool pulls
 * the next line only as a slot frees up) as `imapFlow`, eventlet's `starmap` as `starmapFlow`, and a `GreenPile` of
 * "fetches" whose results come back in spawn order, whatever order they finish in (`spawnSuspend`, `consumeAsFlow`).
 * The pools' greenlets are Kotlin greenlets running suspend functions.
 */
object GreenPoolPileKotlin {
    /** Runs the scenario as a Kotlin greenlet on the default hub (it plays the main greenthread). */
    @JvmStatic
    fun run() {
        Hub.getDefault().spawnSuspend { scenario() }.get()
    }

    private suspend fun scenario() {
        val file = Files.createTempFile("gevent4j-lines", ".txt")
        try {
            Files.write(file, listOf("alpha", "beta", "gamma", "delta", "epsilon", "zeta"), StandardCharsets.UTF_8)
            val pool = GreenPool(2)
            // for n in pool.imap(count_letters, open(file)):   -- two at a time, results in input order
            var linesRead = 0
            var mostAhead = 0 // lines read beyond the results already collected
            val counted = ArrayList<String>()
            Files.lines(file, StandardCharsets.UTF_8).use { lines ->
                val it = lines.iterator()
                val lazily = Iterable {
                    object : Iterator<String> {
                        override fun hasNext(): Boolean = it.hasNext()

                        override fun next(): String = it.next().also { linesRead++ }
                    }
                }
                pool
                    .imapFlow(lazily) { countLetters(it) }
                    .collect { r ->
                        mostAhead = maxOf(mostAhead, linesRead - counted.size)
                        counted.add(r)
                    }
            }
            println("main: imapFlow over the file's lines -> $counted")
            println("main: lines read ahead of the consumer: at most $mostAhead")
            check(counted == listOf("alpha=5", "beta=4", "gamma=5", "delta=5", "epsilon=7", "zeta=4")) {
                "imapFlow lost the input order: $counted"
            }
            check(mostAhead <= pool.size()) { "imapFlow read $mostAhead lines ahead, more than the pool's size" }

            // for s in pool.starmap(repeat, [("ab", 3), ("c", 2), ("de", 1)]):   -- each tuple spread over the args
            val tuples = listOf(arrayOf<Any?>("ab", 3), arrayOf<Any?>("c", 2), arrayOf<Any?>("de", 1))
            val repeated =
                pool
                    .starmapFlow(tuples) { (text, times) ->
                        sleep((times as Int).milliseconds) // the longest first: still input order
                        (text as String).repeat(times)
                    }
                    .toList()
            println("main: starmapFlow -> $repeated")
            check(repeated == listOf("ababab", "cc", "de")) { "starmapFlow lost the input order: $repeated" }

            pool.awaitWaitall()
            println("main: pool free=${pool.free()}, running=${pool.running()}")
            check(pool.free() == 2 && pool.running() == 0) { "the pool is not idle after awaitWaitall: $pool" }

            // pile = GreenPile(3); for url in urls: pile.spawn(fetch, url); for body in pile: ...
            val pile = GreenPile<String>(3)
            val delaysMs = listOf(30, 5, 20, 10)
            for ((page, delayMs) in delaysMs.withIndex()) {
                pile.spawnSuspend { fetch(page, delayMs) } // the fourth waits for a free slot
            }
            val bodies = pile.consumeAsFlow().toList()
            println("main: pile results in spawn order -> $bodies")
            check(bodies == listOf("page-0", "page-1", "page-2", "page-3")) {
                "GreenPile lost the spawn order: $bodies"
            }
        } finally {
            Files.deleteIfExists(file)
        }
    }

    private suspend fun countLetters(line: String): String {
        sleep() // let the other greenthread run
        return "$line=${line.length}"
    }

    private suspend fun fetch(page: Int, delayMs: Int): String {
        sleep(delayMs.milliseconds) // stands in for network I/O
        println("  fetched page-$page after $delayMs ms")
        return "page-$page"
    }
}
