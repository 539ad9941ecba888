package io.gevent4j.kotlin.internal

import io.gevent4j.Timeout
import io.gevent4j.Waitable
import io.gevent4j.kotlin.spi.SuspendAsyncResultPeer
import io.gevent4j.spi.AsyncResultPeer
import io.gevent4j.spi.AsyncResultPeer.Failure

/**
 * gevent's `AsyncResult` (spec section 5) on a [Linkable]: ready once set; every set wakes the waiters, FIFO (AR-10).
 * The last outcome wins, value or exception (a documented deviation from AR-08).
 */
internal class AsyncResultCore<T>(owner: Waitable) : Linkable(owner), AsyncResultPeer<T>, SuspendAsyncResultPeer<T> {
    /** The outcome: a value, or [Failure]; [UNSET] before the first set. Written under the lock. */
    @Volatile private var stored: Any? = UNSET

    override val ready: Boolean
        get() = stored !== UNSET

    override fun set(value: T?) = store(value)

    override fun setException(e: Throwable) = store(Failure(e))

    private fun store(o: Any?) {
        val batch = lock.locked { takeLinks().also { stored = o } }
        fire(batch)
    }

    override fun await(timeoutNanos: Long): Boolean =
        awaitReady("AsyncResult.get()/waitFor()", "AsyncResult.await()", timeoutNanos)

    override suspend fun awaitOutcome(timeoutNanos: Long): T {
        if (!awaitReadySuspend(timeoutNanos)) throw Timeout(java.time.Duration.ofNanos(timeoutNanos))
        val o = outcome() // one read: value and exception of the same set
        if (o is Failure) throw o.error()
        @Suppress("UNCHECKED_CAST")
        return o as T
    }

    override fun isReady(): Boolean = ready

    @Suppress("UNCHECKED_CAST")
    override fun value(): T? {
        val o = stored
        return if (o === UNSET || o is Failure) null else o as T
    }

    override fun exception(): Throwable? = (stored as? Failure)?.error

    override fun outcome(): Any? = stored.takeIf { it !== UNSET }

    private companion object {
        val UNSET = Any()
    }
}
