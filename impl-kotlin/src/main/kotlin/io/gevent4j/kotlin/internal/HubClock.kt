package io.gevent4j.kotlin.internal

/**
 * The time of a hub: what its timers' deadlines and the deadlines computed in its context are measured on. A real hub's
 * is [RealClock] (System.nanoTime, nothing else); a test hub's is a [VirtualClock] (gevent4j-test).
 */
internal interface HubClock {
    /** Now, in nanoseconds on this hub's time scale (only differences mean anything). Any thread. */
    fun nanoTime(): Long
}

/** The clock of every real hub: `System.nanoTime()`. */
internal object RealClock : HubClock {
    override fun nanoTime(): Long = System.nanoTime()
}

/**
 * Deadlines computed by code that may run in a hub's context (a timed queue `get`, `iwait`, a socket's timeout): they
 * are measured on the caller's hub's clock there, on System.nanoTime elsewhere (a thread of no hub always waits in real
 * time). Until the first virtual-time hub exists this is one static read and `System.nanoTime()`.
 */
internal object HubClocks {
    /** Set (for good) when the first [VirtualClock] is made. */
    @JvmField @Volatile var virtualInUse: Boolean = false

    /** Now on the caller's clock: its hub's when called in a hub's context, else System.nanoTime. */
    @JvmStatic fun now(): Long = if (!virtualInUse) System.nanoTime() else callerClock().nanoTime()

    /** The caller's hub's clock ([RealClock] outside any hub). */
    fun callerClock(): HubClock {
        val t = Thread.currentThread()
        if (t is HubThread) return t.hub.clock
        if (t.isVirtual)
            JavaGreenletCore.current()?.let {
                return it.hub.clock
            }
        return RealClock
    }

    /** The caller's hub's virtual clock, or null (a real hub, or no hub). */
    fun callerVirtual(): VirtualClock? = if (!virtualInUse) null else callerClock() as? VirtualClock

    /** `now() + timeoutNanos`, saturated (a huge timeout never wraps into the past). */
    fun deadlineOf(timeoutNanos: Long): Long {
        val now = now()
        return if (timeoutNanos >= Long.MAX_VALUE - now) Long.MAX_VALUE - 1 else now + timeoutNanos
    }
}
