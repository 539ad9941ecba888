package io.gevent4j.kotlin.internal

import io.gevent4j.Waitable
import io.gevent4j.event.Event
import io.gevent4j.spi.EventPeer
import java.util.ArrayDeque
import java.util.concurrent.atomic.AtomicInteger
import java.util.function.Consumer

/**
 * gevent's `Event`, safe from any thread. Its links are one FIFO list (under a short lock that is never
 * held across a switch): waiters, woken with `true` by [set], and `rawlink` callbacks, posted to the hub
 * they were registered from. [set] takes the whole list and fires it in order, outside the lock; the setter
 * never switches (EV-03). A caller that finds the event set while woken waiters have not resumed yet yields
 * once, so that it runs behind them (EV-06).
 */
internal class EventCore(private val owner: Event) : EventPeer {
    /** A waiter's entry; also its cleanup (one object per wait). */
    private inner class Waiter(@JvmField val wait: Wait) : Runnable {
        override fun run() {
            // Only set() wakes an entry with `true` (and took it off the list): count its resumption. Any other
            // outcome (a timeout, a kill) left the entry in the list: remove it.
            if (wait.result == true) unresumed.decrementAndGet() else synchronized(links) { links.remove(this) }
        }
    }

    private class Callback(@JvmField val hub: HubImpl, @JvmField val callback: Consumer<in Waitable>)

    @Volatile private var flag = false
    private val links = ArrayDeque<Any>()
    private val unresumed = AtomicInteger()

    override fun set() {
        val batch: Array<Any>
        synchronized(links) {
            flag = true
            if (links.isEmpty()) return
            batch = links.toTypedArray()
            links.clear()
        }
        for (l in batch) {
            if (l is Waiter) {
                unresumed.incrementAndGet() // before the wake: the woken waiter may resume at once
                if (!l.wait.wake(true)) unresumed.decrementAndGet()
            } else {
                post(l as Callback)
            }
        }
    }

    private fun post(c: Callback) {
        c.hub.execute {
            try {
                c.callback.accept(owner)
            } catch (t: Throwable) {
                Reporting.callbackFailed(c.hub.name(), "Event rawlink callback", t)
            }
        }
    }

    override fun clear() {
        synchronized(links) { flag = false }
    }

    override fun isSet(): Boolean = flag

    /** Thread-safe registration of a wait; the cleanup unlinks it (and counts its resumption). */
    fun register(w: Wait): Runnable? {
        val entry = Waiter(w)
        synchronized(links) {
            if (flag) {
                w.wake(true)
                return null
            }
            links.addLast(entry)
        }
        return entry
    }

    /** True when the event is set and nobody woken by it is still to run (no need to queue behind them). */
    fun setAndSettled(): Boolean = flag && unresumed.get() == 0

    override fun waitFor(timeoutNanos: Long): Boolean {
        if (flag) {
            if (unresumed.get() > 0 && JavaGreenletCore.current() != null) KotlinGeventProvider.sleepZero()
            return true
        }
        if (timeoutNanos == 0L) return false
        val r = Blocking.await("Event.waitFor()", "Event.await()", null, timeoutNanos) { w -> register(w) }
        return r !== Wait.TIMED_OUT
    }

    override fun rawlink(callback: Consumer<in Waitable>) {
        val c = Callback(KotlinGeventProvider.currentHubImpl(), callback)
        synchronized(links) {
            if (!flag) {
                links.addLast(c)
                return
            }
        }
        post(c)
    }

    override fun unlink(callback: Consumer<in Waitable>) {
        synchronized(links) {
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

    override fun linkCount(): Int = synchronized(links) { links.size }
}
