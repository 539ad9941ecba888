package io.gevent4j.kotlin.spec

import io.gevent4j.BlockingSwitchOutException
import io.gevent4j.Gevent
import io.gevent4j.GreenCallable
import io.gevent4j.GreenRunnable
import io.gevent4j.Greenlet
import io.gevent4j.Hub
import io.gevent4j.kotlin.awaitAdd
import io.gevent4j.kotlin.awaitApply
import io.gevent4j.kotlin.awaitAvailable
import io.gevent4j.kotlin.awaitJoin
import io.gevent4j.kotlin.awaitKill
import io.gevent4j.kotlin.imapFlow
import io.gevent4j.kotlin.imapUnorderedFlow
import io.gevent4j.kotlin.mapSuspend
import io.gevent4j.kotlin.sleep
import io.gevent4j.kotlin.spawn
import io.gevent4j.kotlin.spawnSuspend
import io.gevent4j.pool.Pool
import java.util.concurrent.atomic.AtomicInteger
import kotlin.test.assertFailsWith
import kotlin.test.assertTrue
import kotlin.time.Duration
import kotlin.time.Duration.Companion.milliseconds
import kotlinx.coroutines.flow.toList

// Helpers of the Pool Kotlin spec tests (PoolKotlinSpecTest and the files split from it).

/** Runs the pool paths the timed cases measure once, untimed. */
internal fun warmUpKotlinPools() {
    Hub.create("kotlin-pool-warm-up").use { h ->
        val g =
            h.spawnSuspend {
                val p = Pool(2)
                p.spawnSuspend { sleep(0.001) }
                p.spawn(GreenRunnable { Gevent.sleep(0.001) })
                p.awaitJoin(1.milliseconds)
                p.mapSuspend(listOf(1, 2, 3)) { it }
                p.imapFlow(listOf(1, 2)) { it }.toList()
                p.imapFlow(listOf(1, 2), listOf(3, 4)) { a, b -> a + b }.toList()
                p.imapUnorderedFlow(listOf(1, 2)) { it }.toList()
                p.awaitApply { 1 }
                p.awaitAvailable(1.milliseconds)
                p.awaitAdd(Greenlet(GreenCallable { 1 }), 1.milliseconds)
                p.awaitKill()
                p.awaitJoin()
            }
        g.join(java.time.Duration.ofSeconds(10))
    }
}

/** An input that yields 1 and 2, then throws [boom] (gevent's TestErrorInIterator). */
internal fun failingAfterTwo(boom: Throwable): Iterable<Int> = Iterable {
    object : Iterator<Int> {
        var n = 0

        override fun hasNext(): Boolean = true

        override fun next(): Int {
            if (n == 2) throw boom
            return ++n
        }
    }
}

/** An endless input counting the items read in [pulled]. */
internal fun endless(pulled: AtomicInteger): Iterable<Int> = Iterable {
    object : Iterator<Int> {
        override fun hasNext(): Boolean = true

        override fun next(): Int = pulled.getAndIncrement()
    }
}

/** A call refused in a Kotlin greenlet: BlockingSwitchOutException naming the operation and its suspend twin. */
internal inline fun assertRefused(op: String, twin: String, call: () -> Unit) {
    val e = assertFailsWith<BlockingSwitchOutException>("$op must refuse to block") { call() }
    val m = e.message ?: ""
    assertTrue(m.startsWith(op), m) // "Pool.add/spawn/start would block ..." names the call first
    assertTrue(m.contains(" would block "), m)
    assertTrue(m.contains(twin), m)
}
