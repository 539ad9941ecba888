package io.gevent4j.kotlin.internal

import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.atomic.AtomicInteger
import java.util.concurrent.atomic.AtomicLong

/**
 * The clock of a virtual-time hub (gevent4j-test; docs/testing.md). It stands still while the hub runs, and when the
 * hub is **idle** (nothing to run, no `idle()` waiter to wake) it jumps to the next timer's deadline at once, so timers
 * fire in the same order as on a real hub, at exact virtual times.
 *
 * Idle also needs that no wake-up can come from outside the hub. While one can, the hub sleeps as a real hub does and
 * the clock runs in real time, from that idle moment until the next idle moment that finds none. The sources it knows
 * of ([HubImpl.virtualIdle] asks for them each time the hub would jump):
 * - counted here ([raise]/[lower]): unfinished tasks of the hub's thread pools (`Hub.threadpool()`, `ThreadPool`s made
 *   on it, name lookups), child processes made in its context until their exit is delivered, their pipe-reading threads
 *   while they read, and [hold]s taken by tests;
 * - counted for every virtual hub ([foreignWaitBegin]): threads of no hub blocked in a gevent4j wait (the objects
 *   belong to no hub, so every virtual hub counts them);
 * - seen by a scan of the hub: a greenlet waiting on a channel of its selector, and a Java greenlet parked by the JDK
 *   (alive and running, but not in a gevent4j wait: `Thread.sleep`, a JDK socket or lock in SCHEDULED_ON_HUB).
 *
 * Time: [nanoTime] is `frozen` while stopped, `frozen + (System.nanoTime() - realSince)` while running in real time.
 * Only the hub thread changes the state (one immutable [State] in a volatile field: other threads read a consistent
 * pair); [advance] from another thread is posted to the hub.
 */
internal class VirtualClock(private val hub: HubImpl) : HubClock {
    private class State(@JvmField val frozen: Long, @JvmField val realSince: Long, @JvmField val running: Boolean)

    /** The virtual time of the hub's creation: [elapsed] counts from here. */
    @JvmField val origin: Long = System.nanoTime()

    @Volatile private var state = State(origin, 0L, false)
    private val sources = AtomicInteger()

    /**
     * Called on the hub thread each time the hub has no work and no timer; [sourcesOpen] says whether an outside source
     * is open then (else nothing at all is left).
     */
    @Volatile @JvmField var onQuiescent: Runnable? = null

    /** Hub-confined: set while [onQuiescent] runs with an outside source open. */
    @JvmField var sourcesOpen: Boolean = false

    /** The number of the last foreign wait begun before this hub was made. */
    private val createdAt: Long

    init {
        HubClocks.virtualInUse = true
        createdAt = foreignSeq.get()
        clocks.add(this)
    }

    override fun nanoTime(): Long {
        val s = state
        return if (s.running) saturated(s.frozen, System.nanoTime() - s.realSince) else s.frozen
    }

    /** [a] + [b] for b >= 0, stopping short of Long.MAX_VALUE (the hub's "never" deadline) instead of overflowing. */
    private fun saturated(a: Long, b: Long): Long = if (b > NEVER - 1 - a) NEVER - 1 else a + b

    /** Virtual nanoseconds since the hub was made. Any thread (exact in the hub's context). */
    fun elapsed(): Long = nanoTime() - origin

    /** True while the clock runs in real time (the hub waits for an outside wake-up). Any thread. */
    val isRunningInRealTime: Boolean
        get() = state.running

    /** Hub thread: from now on the clock runs in real time. */
    fun runReal() {
        val s = state
        if (!s.running) state = State(s.frozen, System.nanoTime(), true)
    }

    /** Hub thread: the clock stops where it is. */
    fun freeze() {
        val s = state
        if (s.running) state = State(saturated(s.frozen, System.nanoTime() - s.realSince), 0L, false)
    }

    /** Hub thread, clock stopped: jumps forward to [deadline] (never back). */
    fun jumpTo(deadline: Long) {
        val s = state
        if (deadline - s.frozen > 0) state = State(deadline, s.realSince, s.running)
    }

    /** Hub thread: moves the clock forward by [nanos], running or not. */
    fun advance(nanos: Long) {
        val s = state
        state = State(saturated(s.frozen, nanos), s.realSince, s.running)
    }

    /** Why the clock last started running in real time (for the messages of a run that timed out). */
    @Volatile @JvmField var why: String = ""

    /** Hub thread: the open outside sources, in words. */
    fun describe(parked: JavaGreenletCore<*>?, channels: Boolean): String {
        val parts = ArrayList<String>()
        val own = sources.get()
        if (own > 0) parts += "$own thread-pool task(s), child process(es) or hold(s) of this hub"
        val foreign = foreignWaiters()
        if (foreign.isNotEmpty()) parts += "thread(s) of no hub in a gevent4j wait: ${foreign.map { it.name }}"
        if (channels) parts += "a greenlet waiting on a channel"
        if (parked != null) parts += "Java greenlet ${parked.owner} parked by the JDK"
        return parts.joinToString()
    }

    /** An outside wake-up source begins (any thread). */
    fun raise() {
        sources.incrementAndGet()
    }

    /** It ended; its wake-up, if any, was posted to the hub before this call. Any thread. */
    fun lower() {
        if (sources.decrementAndGet() == 0) nudge() // a hub sleeping in real time looks again
    }

    private fun nudge() {
        if (hub.state != HubImpl.CLOSED) hub.execute(NUDGE)
    }

    /**
     * Outside sources counted for this hub: its own, and the threads of no hub that began a gevent4j wait after the hub
     * was made (one left waiting for ever by an earlier test does not keep every later hub on real time). Any thread.
     */
    fun counted(): Int = sources.get() + foreignWaiters().size

    private fun foreignWaiters(): List<Thread> = foreignWaits.entries.filter { it.value > createdAt }.map { it.key }

    /** The hub closed: it no longer counts foreign waiters. */
    fun closed() {
        clocks.remove(this)
    }

    override fun toString(): String =
        "VirtualClock(elapsed=${elapsed()}ns, running=${state.running}, sources=${counted()})"

    companion object {
        /** The hub's "never" deadline bound (HubImpl.schedule saturates at Long.MAX_VALUE - 1). */
        private const val NEVER: Long = Long.MAX_VALUE - 1

        private val NUDGE = Runnable {}
        private val clocks: MutableSet<VirtualClock> = ConcurrentHashMap.newKeySet()

        /**
         * Threads of no hub in a gevent4j wait now, each with the number of its wait (a thread waits once at a time).
         */
        private val foreignWaits = ConcurrentHashMap<Thread, Long>()
        private val foreignSeq = AtomicLong()

        /** A thread of no hub enters a gevent4j wait: true when counted (then call [foreignWaitEnd] after it). */
        fun foreignWaitBegin(): Boolean {
            if (!HubClocks.virtualInUse) return false
            foreignWaits[Thread.currentThread()] = foreignSeq.incrementAndGet()
            return true
        }

        /** The foreign wait counted by [foreignWaitBegin] ended: the virtual hubs look again. */
        fun foreignWaitEnd() {
            foreignWaits.remove(Thread.currentThread())
            for (c in clocks) c.nudge()
        }
    }
}
