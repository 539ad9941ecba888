package io.gevent4j.kotlin.internal

import io.gevent4j.Waitable
import java.util.ArrayDeque
import java.util.concurrent.atomic.AtomicInteger
import java.util.function.Consumer

/**
 * gevent's `_AbstractLinkable` for objects that become ready once and stay ready until reset (Event, AsyncResult), safe
 * from any thread. Its links are one FIFO list under a short lock that is never held across a switch: waiters, woken
 * with `true` by [fire], and `rawlink` callbacks, posted to the hub they were registered from. [fire] takes the whole
 * list and runs it in order outside the lock; whoever fires never switches. A caller that finds the object ready while
 * woken waiters have not resumed yet yields once, so that it runs behind them (EV-06).
 */
internal abstract class Linkable(private val owner: Any) : (Wait) -> Runnable? {
    /** The registration function itself (one object fewer per suspended waiter than a lambda). */
    override fun invoke(w: Wait): Runnable? = register(w)

    /** A waiter's entry; also its cleanup (one object per wait). */
    private inner class Waiter(@JvmField val wait: Wait) : Runnable {
        override fun run() {
            // Only fire() wakes an entry with `true` (and took it off the list): count its resumption. Any other
            // outcome (a timeout, a kill) left the entry in the list: remove it.
            if (wait.result == true) unresumed.decrementAndGet() else lock.locked { links.remove(this) }
        }
    }

    private class Callback(@JvmField val hub: HubImpl, @JvmField val callback: Consumer<in Waitable>)

    /** Guards [links] and the subclass's state. */
    @JvmField protected val lock: SpinLock = SpinLock()
    private val links = ArrayDeque<Any>()
    private val unresumed = AtomicInteger()

    /** Whether the object is ready; read under [lock] by the registration. */
    protected abstract val ready: Boolean

    /**
     * Under [lock], *before* the subclass makes itself ready: takes the links to fire (or null) and counts the waiters
     * among them as woken-not-resumed, so that nobody sees the object ready without seeing them too.
     */
    protected fun takeLinks(): Array<Any>? {
        if (links.isEmpty()) return null
        val batch = links.toTypedArray()
        links.clear()
        for (l in batch) if (l is Waiter) unresumed.incrementAndGet()
        return batch
    }

    /** Outside the lock: wakes the waiters (FIFO) and posts the callbacks of [batch]. */
    protected fun fire(batch: Array<Any>?) {
        if (batch == null) return
        for (l in batch) {
            if (l is Waiter) {
                if (!l.wait.wake(true)) unresumed.decrementAndGet() // counted in takeLinks
            } else {
                post(l as Callback)
            }
        }
    }

    private fun post(c: Callback) {
        c.hub.execute {
            try {
                c.callback.accept(owner as Waitable)
            } catch (t: Throwable) {
                Reporting.callbackFailed(c.hub.name(), "rawlink callback of $owner", t)
            }
        }
    }

    /** Thread-safe registration of a wait; the cleanup unlinks it (and counts its resumption). */
    fun register(w: Wait): Runnable? {
        val entry = Waiter(w)
        lock.locked {
            if (ready) {
                w.wake(true)
                return null
            }
            links.addLast(entry)
        }
        return entry
    }

    /** Ready, and nobody woken by it is still to run (no need to queue behind them). */
    fun settled(): Boolean = ready && unresumed.get() == 0

    /** The Java blocking wait: true when ready, false on timeout. */
    fun awaitReady(op: String, twin: String, timeoutNanos: Long): Boolean {
        if (ready) {
            if (unresumed.get() > 0 && JavaGreenletCore.current() != null) KotlinGeventProvider.sleepZero()
            return true
        }
        if (timeoutNanos == 0L) return false
        return Blocking.await(op, twin, null, timeoutNanos, this) !== Wait.TIMED_OUT
    }

    /** The suspend twin of [awaitReady]. */
    suspend fun awaitReadySuspend(timeoutNanos: Long): Boolean {
        if (settled()) return true // no suspension, no continuation object
        return awaitReadySlow(timeoutNanos)
    }

    private suspend fun awaitReadySlow(timeoutNanos: Long): Boolean {
        if (ready) {
            io.gevent4j.kotlin.sleep()
            return true
        }
        if (timeoutNanos == 0L) return false
        return Blocking.awaitSuspend(null, timeoutNanos, this) !== Wait.TIMED_OUT
    }

    fun rawlink(callback: Consumer<in Waitable>) {
        val c = Callback(KotlinGeventProvider.currentHubImpl(), callback)
        lock.locked {
            if (!ready) {
                links.addLast(c)
                return
            }
        }
        post(c)
    }

    fun unlink(callback: Consumer<in Waitable>) {
        lock.locked {
            val it = links.iterator()
            while (it.hasNext()) {
                val l = it.next()
                if (l is Callback && l.callback === callback) {
                    it.remove()
                    return
                }
            }
        }
    }

    fun linkCount(): Int = lock.locked { links.size }
}
