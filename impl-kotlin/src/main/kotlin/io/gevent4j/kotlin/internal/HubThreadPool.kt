package io.gevent4j.kotlin.internal

import io.gevent4j.threadpool.ThreadPool
import java.util.concurrent.atomic.AtomicReference

/**
 * A hub's own thread pool (`Hub.threadpool()`, gevent's `hub.threadpool`): [SIZE] workers, made on first use (no thread
 * starts before the first task), closed by [close] at the end of the hub's `close()`. A pool made by a caller racing
 * with [close] is closed at once and the caller gets the closed hub's [IllegalStateException].
 */
internal class HubThreadPool(private val hub: HubImpl) {
    /** null (not made yet), the pool, or [CLOSED]. */
    private val ref = AtomicReference<Any?>(null)

    fun get(): ThreadPool {
        while (true) {
            val p = ref.get()
            if (p is ThreadPool) return p
            if (p === CLOSED) throw IllegalStateException("hub \"${hub.name()}\" is closed")
            val made = ThreadPool(SIZE, hub, "${hub.name()}-threadpool") // checks that the hub is open
            if (ref.compareAndSet(null, made)) return made
            made.close()
        }
    }

    fun close() {
        (ref.getAndSet(CLOSED) as? ThreadPool)?.close()
    }

    companion object {
        /** gevent's default `threadpool_size`. */
        const val SIZE: Int = 10
        private val CLOSED = Any()
    }
}
