package io.gevent4j.examples

import io.gevent4j.Gevent
import io.gevent4j.Hub
import io.gevent4j.kotlin.await
import io.gevent4j.kotlin.awaitJoin
import io.gevent4j.kotlin.imapFlow
import io.gevent4j.kotlin.imapUnorderedFlow
import io.gevent4j.kotlin.mapSuspend
import io.gevent4j.kotlin.sleep
import io.gevent4j.kotlin.spawnBlocking
import io.gevent4j.kotlin.spawnSuspend
import io.gevent4j.pool.Pool
import kotlin.time.Duration.Companion.milliseconds
import kotlinx.coroutines.flow.toList

/**
 * The Kotlin twin of [PoolMap]: `mapSuspend`, `imapFlow` (one input, and two zipped) and `imapUnorderedFlow` on a
 * `Pool(3)`. The driver is a Kotlin greenlet and the pool's members are Kotlin greenlets too, so the mapped functions
 * are suspend functions that wait with the suspend twins (`sleep` from io.gevent4j.kotlin). Plain blocking code goes to
 * a Java greenlet instead: the Java `map` called inside `spawnBlocking { }`.
 */
object PoolMapKotlin {
    /** Item `i` sleeps `DELAYS_MS[i]` ms, so later items may finish first. */
    private val DELAYS_MS = listOf(50, 10, 40, 20, 30)

    /** Runs the scenario as a Kotlin greenlet on the default hub; the calling thread waits for it. */
    @JvmStatic
    fun run() {
        Hub.getDefault().spawnSuspend { scenario() }.get()
    }

    private suspend fun scenario() {
        val pool = Pool(3)
        println("main: $pool, poolSize=${pool.poolSize()}, freeCount=${pool.freeCount()}")

        // results = pool.map(work, items)  -- suspends until all are done; input order
        val mapped = pool.mapSuspend(DELAYS_MS) { work(it) }
        println("main: mapSuspend -> $mapped")

        // for r in pool.imap(work, items)  -- a cold Flow, still input order
        val viaFlow = pool.imapFlow(DELAYS_MS) { work(it) }.toList()
        println("main: imapFlow -> $viaFlow")

        // for r in pool.imap(label, names, items)  -- two inputs zipped; the shorter one ends it
        val labelled =
            pool
                .imapFlow(listOf("a", "b", "c", "d"), DELAYS_MS) { name, ms ->
                    sleep(ms.milliseconds)
                    "$name=$ms"
                }
                .toList()
        println("main: imapFlow over two inputs -> $labelled")

        // for r in pool.imap_unordered(work, items)  -- completion order
        val order =
            pool
                .imapUnorderedFlow(DELAYS_MS) { ms ->
                    sleep(ms.milliseconds)
                    ms
                }
                .toList()
        println("main: imapUnorderedFlow completion order -> $order")
        // 3 slots: 50, 10, 40 start at 0 ms; 10 ends at 10 and 20 starts (ends at 30); 30 starts at 30 (ends at 60):
        // so the completion order is 10, 20, 40, 50, 30.
        check(order[0] == 10 && order != DELAYS_MS) { "unexpected completion order $order" }
        check(mapped == viaFlow) { "mapSuspend and imapFlow disagree: $mapped vs $viaFlow" }
        check(labelled == listOf("a=50", "b=10", "c=40", "d=20")) { "two-input imapFlow lost the order: $labelled" }

        // Plain blocking code (here Gevent.sleep; JDBC or a blocking client alike) runs in a Java greenlet: call the
        // Java map from spawnBlocking { } and await it. Its members are Java greenlets, in the same pool.
        val blocking = spawnBlocking { pool.map({ ms: Int -> blockingWork(ms) }, DELAYS_MS) }.await()
        println("main: Java map in spawnBlocking -> $blocking")
        check(blocking == mapped) { "the Java map disagrees: $blocking vs $mapped" }

        pool.awaitJoin()
        println("main: after awaitJoin: $pool, freeCount=${pool.freeCount()}")
        check(pool.isEmpty && pool.freeCount() == 3) { "the pool is not empty after awaitJoin: $pool" }
    }

    // Runs in a pool member, a Kotlin greenlet: it waits with the suspend sleep.
    private suspend fun work(ms: Int): String {
        sleep(ms.milliseconds)
        return "item(${ms}ms)"
    }

    // Runs in a Java greenlet (a member of the Java map): the blocking Gevent.sleep is allowed there.
    private fun blockingWork(ms: Int): String {
        Gevent.sleep(ms / 1000.0)
        return "item(${ms}ms)"
    }
}
