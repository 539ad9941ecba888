package io.gevent4j.kotlin.internal

import io.gevent4j.Waitable
import io.gevent4j.kotlin.spi.SuspendSemaphorePeer
import io.gevent4j.spi.SemaphorePeer
import java.util.ArrayDeque
import java.util.function.Consumer

/**
 * gevent's `Semaphore` (spec section 8), safe from any thread. State and the FIFO of waiters are under one short lock,
 * never held across a switch.
 * - A caller that is not waiting takes a free permit at once, even with waiters queued (SEM-10, barging).
 * - `release` wakes as many queued acquirers as there are free permits not yet promised to a woken one ([promised]); a
 *   woken acquirer takes a permit itself when it runs, or, when a barger took it, waits again in its old place (the
 *   ticket it drew when it first waited: [addInTicketOrder]). `waitFor` waiters are all woken while a permit is free;
 *   they take nothing.
 * - A woken acquirer whose wait ends otherwise (a timeout, a kill) passes its wake-up on.
 */
internal class SemaphoreCore(initial: Int, private val owner: Waitable) : SemaphorePeer, SuspendSemaphorePeer {
    private inner class Entry(@JvmField val wait: Wait, @JvmField val acquiring: Boolean, override val ticket: Long) :
        Runnable, Ticketed {
        @JvmField var woken = false

        /** The cleanup after the wait. */
        override fun run() {
            val batch: List<Any>?
            lock.locked {
                if (!woken) {
                    waiters.remove(this)
                    return
                }
                if (!acquiring) return
                promised--
                // woken, but it will not take the permit (it timed out or was killed): hand the wake-up on
                batch = if (wait.error != null || wait.result !== WOKEN) collectWakes() else null
            }
            wakeAll(batch)
        }
    }

    private class Callback(@JvmField val hub: HubImpl, @JvmField val callback: Consumer<in Waitable>)

    private val lock = SpinLock()
    @Volatile private var count = initial
    private var promised = 0
    private val waiters = ArrayDeque<Entry>()
    private val tickets = java.util.concurrent.atomic.AtomicLong()
    private val callbacks = ArrayList<Callback>(0)

    override fun counter(): Int = count

    /** Under the lock: takes a permit if one is free. */
    private fun tryTake(): Boolean {
        if (count <= 0) return false
        count--
        return true
    }

    /**
     * Under the lock: the waits to wake now that permits may be free, and the rawlink callbacks to post (taken off the
     * list). [wakeAll] does both after the lock is released: posting may meet a closed hub's fallback queue, which can
     * block.
     */
    private fun collectWakes(): List<Any>? {
        if (count <= 0) return null
        var out: ArrayList<Any>? = null
        val it = waiters.iterator()
        while (it.hasNext()) {
            val e = it.next()
            if (e.acquiring) {
                if (promised >= count) continue
                promised++
            }
            e.woken = true
            it.remove()
            if (out == null) out = ArrayList(2)
            out.add(e.wait)
        }
        if (callbacks.isNotEmpty()) {
            if (out == null) out = ArrayList(callbacks.size)
            out.addAll(callbacks)
            callbacks.clear()
        }
        return out
    }

    /** Outside the lock: wakes the waits and posts the callbacks that [collectWakes] took. */
    private fun wakeAll(batch: List<Any>?) {
        if (batch == null) return
        for (x in batch) if (x is Wait) x.wake(WOKEN) else post(x as Callback)
    }

    private fun post(c: Callback) {
        c.hub.execute {
            try {
                c.callback.accept(owner)
            } catch (t: Throwable) {
                Reporting.callbackFailed(c.hub.name(), "rawlink callback of $owner", t)
            }
        }
    }

    /**
     * Thread-safe registration; [ticket] keeps the place of a woken acquirer that lost its permit. A permit free by now
     * only wakes the waiter, which takes it itself once its wait is over: taken here, it would be lost when the wait
     * ends by a cancellation after all.
     */
    fun register(w: Wait, acquiring: Boolean, ticket: Long): Runnable? {
        lock.locked {
            if (count > 0) {
                w.wake(WOKEN)
                return null
            }
            val e = Entry(w, acquiring, ticket)
            waiters.addInTicketOrder(e)
            return e
        }
    }

    fun tryAcquireNow(): Boolean = lock.locked { tryTake() }

    override fun acquire(timeoutNanos: Long): Boolean =
        acquire(timeoutNanos, "Semaphore.acquire()", "Semaphore.awaitAcquire()")

    /** [acquire], naming [op] and its suspend [twin] when it would block a hub thread outside a Java greenlet. */
    fun acquire(timeoutNanos: Long, op: String, twin: String): Boolean =
        acquireLoop(timeoutNanos) { left, ticket ->
            Blocking.await(op, twin, null, left) { w -> register(w, true, ticket) }
        }

    /** The suspend twin of [acquire]. */
    override suspend fun awaitAcquire(timeoutNanos: Long): Boolean =
        acquireLoop(timeoutNanos) { left, ticket ->
            Blocking.awaitSuspend(null, left) { w -> register(w, true, ticket) }
        }

    /** The acquire loop, shared by the blocking and the suspending form ([await] waits once, at most `left`). */
    private inline fun acquireLoop(timeoutNanos: Long, await: (left: Long, ticket: Long) -> Any?): Boolean {
        if (tryAcquireNow()) return true
        if (timeoutNanos == 0L) return false
        val deadline = if (timeoutNanos < 0) -1L else Blocking.deadlineOf(timeoutNanos)
        val ticket = tickets.incrementAndGet() // our place in the line, kept when a barger takes our permit
        while (true) {
            val left = if (deadline < 0) -1L else deadline - HubClocks.now()
            if (deadline >= 0 && left <= 0) return tryAcquireNow()
            val r =
                try {
                    await(left, ticket)
                } catch (t: Throwable) {
                    // a wait ended by a kill, a Timeout or a coroutine's cancellation after a release had woken it:
                    // its cleanup dropped the promise, so wake whoever the free permit now belongs to
                    wakeAll(lock.locked { collectWakes() })
                    throw t
                }
            if (r === Wait.TIMED_OUT) return false
            if (tryAcquireNow()) return true
            // woken, but a caller that was not waiting took the permit: wait again, in our place
        }
    }

    override fun release(bound: Int): Int {
        val after: Int
        val batch: List<Any>?
        lock.locked {
            check(count < bound) { "Semaphore released too many times: the counter is at its initial value $bound" }
            count++
            after = count
            batch = collectWakes()
        }
        wakeAll(batch)
        return after
    }

    override fun waitFor(timeoutNanos: Long): Int {
        if (count > 0) return count
        if (timeoutNanos == 0L) return 0
        val r =
            Blocking.await("Semaphore.waitFor()", "Semaphore.awaitReady()", null, timeoutNanos) { w ->
                register(w, false, tickets.incrementAndGet())
            }
        return if (r === Wait.TIMED_OUT) 0 else maxOf(count, 0)
    }

    /** The suspend twin of [waitFor]: whether a permit is free. */
    override suspend fun awaitReady(timeoutNanos: Long): Boolean = waitForSuspend(timeoutNanos) > 0

    suspend fun waitForSuspend(timeoutNanos: Long): Int {
        if (count > 0) return count
        if (timeoutNanos == 0L) return 0
        val r = Blocking.awaitSuspend(null, timeoutNanos) { w -> register(w, false, tickets.incrementAndGet()) }
        return if (r === Wait.TIMED_OUT) 0 else maxOf(count, 0)
    }

    override fun rawlink(callback: Consumer<in Waitable>) {
        val c = Callback(KotlinGeventProvider.currentHubImpl(), callback)
        lock.locked {
            if (count <= 0) {
                callbacks.add(c)
                return
            }
        }
        post(c)
    }

    override fun unlink(callback: Consumer<in Waitable>) {
        lock.locked { callbacks.removeIf { it.callback === callback } }
    }

    companion object {
        /** A release woke the waiter; it takes a permit itself. */
        @JvmField val WOKEN: Any = Any()
    }
}
