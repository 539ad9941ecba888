package io.gevent4j.examples

import io.gevent4j.Gevent
import io.gevent4j.Hub
import io.gevent4j.kotlin.awaitJoin
import io.gevent4j.kotlin.imapFlow
import io.gevent4j.kotlin.imapUnorderedFlow
import io.gevent4j.kotlin.mapSuspend
import io.gevent4j.kotlin.spawnSuspend
import io.gevent4j.pool.Pool
import kotlinx.coroutines.flow.toList
import java.time.Duration

/**
 * The Kotlin twin of [PoolMap]: `mapSuspend`, `imapFlow` and `imapUnorderedFlow` on a `Pool(3)`. The driver is a
 * Kotlin greenlet and only suspends; the mapped functions run in the pool's members, which are Java greenlets, so
 * they may call the blocking `Gevent.sleep`.
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

        val mapped = pool.mapSuspend(DELAYS_MS) { work(it) }
        println("main: mapSuspend -> $mapped")

        val viaFlow = pool.imapFlow(DELAYS_MS) { work(it) }.toList()
        println("main: imapFlow -> $viaFlow")

        val order = pool.imapUnorderedFlow(DELAYS_MS) { ms ->
            Gevent.sleep(Duration.ofMillis(ms.toLong()))
            ms
        }.toList()
        println("main: imapUnorderedFlow completion order -> $order")
        check(order[0] == 10 && order != DELAYS_MS) { "unexpected completion order $order" }
        check(mapped == viaFlow) { "mapSuspend and imapFlow disagree: $mapped vs $viaFlow" }

        pool.awaitJoin()
        println("main: after awaitJoin: $pool, freeCount=${pool.freeCount()}")
    }

    // Runs in a pool member, a Java greenlet: the blocking Gevent.sleep is allowed here.
    private fun work(ms: Int): String {
        Gevent.sleep(Duration.ofMillis(ms.toLong()))
        return "item(${ms}ms)"
    }
}
