package io.gevent4j.kotlin.internal

import io.gevent4j.monitor.HubBlocked
import java.time.Duration
import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.atomic.AtomicReference
import java.util.concurrent.locks.LockSupport

/**
 * gevent's monitor thread (spec section 12; traps 4 and 12 of runtime.md): one daemon thread, `gevent4j-monitor`,
 * samples every watched hub a few times per maximum blocking time and reports a hub that has run one task for longer
 * than that: a greenlet in a loop that never yields, a JDK blocking call in HANDOFF mode, a hub callback that blocks.
 *
 * The hub's only cost is the opaque store of its task count per task (plain on x86), as before. A sample that finds the
 * hub parked or its count moved starts a new window; a count that has not moved for [MonitorSettings.maxBlockingNanos]
 * while the hub was not parked is a stall, reported then and again at most once per that period while it lasts (MON-02;
 * gevent reports about 3 times for a 0.5 s block with 0.1 s). A cooperative hub moves its count at every switch, so it
 * is never reported (MON-03).
 *
 * A report names the greenlet that holds the hub ([GreenletStacks.holder]: Java in either mode, or Kotlin) with ITS own
 * frames ([GreenletStacks.stackOf]), how long it has held the hub, and the hub's run info read without its help
 * ([RunInfo.formatHub]); it goes to the logger `io.gevent4j.Hub` (WARNING), to a JFR event ([GeventJfr]) and to the
 * hub's `onBlocked` listeners, which run on this thread in registration order (one that throws is reported and
 * removed). A hub leaves the watch when its loop ends; its listeners are dropped.
 */
internal object HubMonitor {
    /**
     * The hubs watched (lock-free: hub threads make and end hubs; trap 3). A hub's thread keeps it reachable until it
     * leaves.
     */
    private val watched: MutableSet<HubWatch> = ConcurrentHashMap.newKeySet()
    private val thread = AtomicReference<Thread?>()

    /** A new hub (its creation path: cheap): watched when its settings say so, and made visible to JMX lazily. */
    fun register(hub: HubImpl) {
        GeventJfr.install()
        HubJmx.register(hub.watch)
        if (!hub.watch.settings.enabled) return
        watched.add(hub.watch)
        val running = thread.get()
        if (running != null) {
            LockSupport.unpark(running) // recompute the sampling interval now
            return
        }
        val t = Thread(::loop, "gevent4j-monitor")
        t.isDaemon = true
        if (thread.compareAndSet(null, t)) t.start() else LockSupport.unpark(thread.get())
    }

    /** Tests: whether [hub] is watched now. */
    fun isWatched(hub: HubImpl): Boolean = watched.contains(hub.watch)

    /** The hub's loop ended (its thread, last thing): no longer watched, listeners dropped. Never blocks. */
    fun unregister(hub: HubImpl) {
        watched.remove(hub.watch)
        hub.watch.dropListeners()
        HubJmx.unregisterLater(hub.watch)
    }

    private fun loop() {
        while (true) {
            var interval = Long.MAX_VALUE
            for (w in watched) {
                interval = minOf(interval, w.settings.sampleNanos)
                try {
                    check(w)
                } catch (e: Throwable) {
                    // a diagnostic must never stop the monitor (a thread that ended under a stack read, say)
                    try {
                        Reporting.callbackFailed(w.hub.name(), "the monitor's check", e)
                    } catch (ignored: Throwable) {
                        // the report itself failed (out of memory, a throwing log backend): the monitor goes on
                    }
                }
            }
            GeventJfr.refreshFromMonitor()
            if (interval == Long.MAX_VALUE) LockSupport.park(this) else LockSupport.parkNanos(this, interval)
            Thread.interrupted()
        }
    }

    private fun check(w: HubWatch) {
        val hub = w.hub
        val now = System.nanoTime()
        val count = HubImpl.TASK_COUNT.getOpaque(hub) as Long
        if (hub.isParked || count != w.lastCount) {
            w.lastCount = count
            w.since = now
            w.reportedAt = 0L
            return
        }
        val max = w.settings.maxBlockingNanos
        val blocked = now - w.since
        if (blocked < max || (w.reportedAt != 0L && now - w.reportedAt < max)) return
        val holder = GreenletStacks.holder(hub)
        val stack = if (holder != null) GreenletStacks.stackOf(holder, true) else hub.thread.stackTrace.asList()
        // the stall ended while we read: the frames may belong to the next task, so no report
        if (HubImpl.TASK_COUNT.getOpaque(hub) as Long != count || hub.isParked) return
        // read after the stack (it takes longer): the hub may have moved on meanwhile, which the text then shows
        // at most REPORT_GREENLETS greenlets with their stacks: a stalled hub with 50k greenlets must not flood the log
        val runInfo = RunInfo.formatHub(hub, askHub = false, limit = REPORT_GREENLETS)
        w.reportedAt = now
        w.reports++
        report(w, holder, stack, blocked, runInfo)
    }

    private fun report(
        w: HubWatch,
        holder: GreenletCore<*>?,
        stack: List<StackTraceElement>,
        blockedNanos: Long,
        runInfo: List<String>,
    ) {
        val hub = w.hub
        val who = holder?.let { RunInfo.describe(it) } ?: "a callback of the hub itself (no greenlet)"
        val text =
            StringBuilder()
                .append("gevent4j: hub \"")
                .append(hub.name())
                .append("\" blocked for ")
                .append(blockedNanos / 1_000_000)
                .append(" ms (max blocking time ")
                .append(millis(w.settings.maxBlockingNanos))
                .append(" ms) by ")
                .append(who)
                .append(": no switch meanwhile (a loop that never yields, or a call that blocks the hub thread); ")
                .append(if (holder != null) "its stack:" else "the hub thread's stack:")
        for (e in stack) text.append("\n\tat ").append(e)
        for (line in runInfo) text.append('\n').append(line)
        Reporting.warning(text.toString())
        GeventJfr.hubBlocked(hub, holder, blockedNanos, stack)
        val listeners = w.listeners()
        if (listeners.isEmpty()) return
        val event = HubBlocked(hub, holder?.owner, Duration.ofNanos(blockedNanos), stack)
        for (l in listeners) {
            try {
                l.consumer.accept(event)
            } catch (e: Throwable) {
                l.close()
                Reporting.callbackFailed(hub.name(), "$l (now removed)", e)
            }
        }
    }

    private fun millis(nanos: Long): String =
        if (nanos % 1_000_000L == 0L) (nanos / 1_000_000L).toString()
        else String.format(java.util.Locale.ROOT, "%.3f", nanos / 1e6)

    /** The greenlets a report lists with their stacks (the holder's stack comes first in any case). */
    private const val REPORT_GREENLETS = 50
}
