package io.gevent4j.kotlin.internal

import io.gevent4j.monitor.HubBlocked
import io.gevent4j.monitor.Registration
import java.util.concurrent.atomic.AtomicReference
import java.util.function.Consumer

/**
 * What the monitor keeps of one hub: its settings (read at the hub's creation), the monitor thread's samples, the
 * `onBlocked` listeners and the count of reports. The listeners are a copy-on-write array behind a CAS: a hub thread
 * may register or close one, so no monitor guards them (runtime.md, trap 3).
 */
internal class HubWatch(@JvmField val hub: HubImpl, @JvmField val settings: MonitorSettings) {
    // ---- the monitor thread's samples (that thread only) ----
    /** The hub's task count at the last sample. */
    @JvmField var lastCount: Long = -1L
    /** When the monitor first saw [lastCount] with the hub not parked. */
    @JvmField var since: Long = 0L
    /** When the current stall was last reported (0: not yet). */
    @JvmField var reportedAt: Long = 0L

    /** Reports made for this hub (JMX); written by the monitor thread only. */
    @Volatile @JvmField var reports: Long = 0L

    private val listeners = AtomicReference(NONE)

    /**
     * The hub's JMX bean ([HubJmx]): null until registered, a marker while registering, then its `ObjectName`, then
     * [HubJmx.DONE].
     */
    @JvmField val bean: AtomicReference<Any?> = AtomicReference(null)

    /** Any thread: adds [listener] last; the hub must be running. */
    fun add(listener: Consumer<HubBlocked>): Registration {
        hub.checkOpen()
        val l = Listener(this, listener)
        while (true) {
            val cur = listeners.get()
            if (listeners.compareAndSet(cur, cur + l)) return l
        }
    }

    /** Any thread: removes [l] (no effect when it is gone already). */
    fun remove(l: Listener) {
        while (true) {
            val cur = listeners.get()
            val i = cur.indexOfFirst { it === l }
            if (i < 0) return
            val next = if (cur.size == 1) NONE else cur.filterIndexed { j, _ -> j != i }.toTypedArray()
            if (listeners.compareAndSet(cur, next)) return
        }
    }

    /** The listeners now, in registration order. */
    fun listeners(): Array<Listener> = listeners.get()

    /** The hub's loop ended: every listener goes. */
    fun dropListeners() {
        listeners.set(NONE)
    }

    /** One `onBlocked` listener; it is its own registration. */
    class Listener(private val watch: HubWatch, @JvmField val consumer: Consumer<HubBlocked>) : Registration {
        override fun close() {
            watch.remove(this)
        }

        override fun toString(): String = "the onBlocked listener $consumer"
    }

    private companion object {
        val NONE: Array<Listener> = emptyArray()
    }
}
