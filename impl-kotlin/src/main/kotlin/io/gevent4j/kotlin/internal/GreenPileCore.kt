package io.gevent4j.kotlin.internal

import io.gevent4j.GreenCallable
import io.gevent4j.Greenlet
import io.gevent4j.kotlin.await
import io.gevent4j.kotlin.spi.SuspendGreenPilePeer
import io.gevent4j.spi.GreenPilePeer
import io.gevent4j.spi.QueueKind
import java.util.concurrent.atomic.AtomicInteger
import kotlinx.coroutines.CoroutineScope

/**
 * eventlet's `GreenPile` (EL-15..EL-19), safe from any thread and with any number of consumers: [unclaimed] counts the
 * tasks spawned (or being spawned) that no consumer has claimed; a consumer claims one in a single CAS step (so of two
 * consumers racing for the last result, one gets it and the other a [NoSuchElementException] at once), then takes the
 * oldest spawned greenlet from a FIFO queue and waits for its outcome. A spawn whose wait for a slot ends otherwise (a
 * kill, a Timeout) withdraws its count, or, when a consumer already claimed it, queues a [WITHDRAWN] mark that sends
 * that consumer back to claiming.
 */
internal class GreenPileCore<T>(private val pool: GreenPoolCore) : GreenPilePeer<T>, SuspendGreenPilePeer<T> {
    private val spawned = QueueCore<Any>(QueueKind.SIMPLE, 0, null)
    private val unclaimed = AtomicInteger()

    private inline fun spawnLoop(spawn: () -> Greenlet<*>) {
        unclaimed.incrementAndGet() // hasNext() is true while the spawn waits for its slot
        val g =
            try {
                spawn()
            } catch (t: Throwable) {
                withdraw()
                throw t
            }
        spawned.putNow(g, -1)
    }

    private fun withdraw() {
        while (true) {
            val n = unclaimed.get()
            if (n <= 0) {
                spawned.putNow(WITHDRAWN, -1) // a consumer claimed this spawn: release it
                return
            }
            if (unclaimed.compareAndSet(n, n - 1)) return
        }
    }

    override fun spawn(fn: GreenCallable<T>) = spawnLoop { pool.spawn(fn) }

    override suspend fun spawnSuspend(block: suspend CoroutineScope.() -> T) = spawnLoop { pool.spawnSuspend(block) }

    private fun claim(): Boolean {
        while (true) {
            val n = unclaimed.get()
            if (n <= 0) return false
            if (unclaimed.compareAndSet(n, n - 1)) return true
        }
    }

    override fun hasNext(): Boolean = unclaimed.get() > 0

    /**
     * The consumer's step: claims a result, [take]s the oldest spawned greenlet (a wait while its spawner waits for a
     * slot), then waits with [outcome] for its value. A wait for the greenlet that ends otherwise gives the claim back;
     * one for the outcome (the task is taken) leaves the task consumed.
     */
    private inline fun <R> nextLoop(take: () -> Any, none: () -> R, outcome: (Greenlet<T>) -> R): R {
        while (true) {
            if (!claim()) return none()
            val o =
                try {
                    take()
                } catch (t: Throwable) {
                    unclaimed.incrementAndGet()
                    throw t
                }
            if (o === WITHDRAWN) continue
            @Suppress("UNCHECKED_CAST")
            return outcome(o as Greenlet<T>)
        }
    }

    override fun next(): T? {
        if (Thread.currentThread() is HubThread) return nextOnHub()
        return nextLoop({ spawned.get(-1, true) }, { throw consumed() }) { g -> g.get() }
    }

    /**
     * The blocking `next()` on a hub thread outside a Java greenlet, where nothing may wait: it takes the oldest task
     * only when that task has finished, the look and the take in one step, so a consumer racing on another thread
     * cannot hand it a running task; otherwise it is refused, its claim given back, nothing consumed.
     */
    @Suppress("UNCHECKED_CAST")
    private fun nextOnHub(): T? {
        while (true) {
            if (!claim()) throw consumed()
            val o = spawned.takeIf { it === WITHDRAWN || (it as Greenlet<*>).isDead }
            if (o === QueueCore.NONE) {
                unclaimed.incrementAndGet()
                throw Blocking.onHub("GreenPile.next", "GreenPile.awaitNext", Thread.currentThread() as HubThread)
            }
            if (o === WITHDRAWN) continue
            return (o as Greenlet<T>).get() // finished: no wait
        }
    }

    override suspend fun nextSuspend(): T = nextLoop({ spawned.receive(-1) }, { throw consumed() }) { g -> g.await() }

    override suspend fun nextOrElse(none: Any?): Any? = nextLoop({ spawned.receive(-1) }, { none }) { g -> g.await() }

    private fun consumed() = NoSuchElementException("every spawned task of this GreenPile has been consumed")

    companion object {
        /** Queued by a spawn that failed after its count was claimed. */
        private val WITHDRAWN = Any()
    }
}
