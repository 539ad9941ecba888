package io.gevent4j.kotlin.internal

import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.atomic.AtomicReference
import java.util.concurrent.locks.LockSupport

/**
 * gevent's monitor thread, reduced to what traps 4 and 12 need: a daemon thread that notices a hub stuck in
 * one task (a CPU loop that never yields, a blocking call that pins the hub thread, a JDK blocking call in
 * HANDOFF mode) for longer than `gevent4j.hub.watchdog.millis` (default 1000; 0 turns it off) and logs one
 * warning per stall, with the hub thread's stack, to logger `io.gevent4j.Hub`.
 *
 * The hub counts its tasks with opaque stores (plain on x86), so the hot path pays nothing measurable; a
 * hub whose count has not moved while it was not parked has been in one task since the first such sample.
 */
internal object Watchdog {
    /**
     * The hubs watched: lock-free, as a hub's thread unregisters its hub when its loop ends and hub threads may make
     * hubs (no monitor on a hub thread's path: runtime.md, trap 3). A hub's own thread keeps it reachable until it
     * unregisters, so the set need not be weak.
     */
    private val hubs: MutableSet<HubImpl> = ConcurrentHashMap.newKeySet()
    private val thread = AtomicReference<Thread?>()

    fun register(hub: HubImpl) {
        if (hub.watchdogNanos <= 0) return
        hubs.add(hub)
        val running = thread.get()
        if (running != null) {
            LockSupport.unpark(running) // recompute the sampling period now
            return
        }
        val t = Thread(::loop, "gevent4j-watchdog")
        t.isDaemon = true
        if (thread.compareAndSet(null, t)) t.start() else LockSupport.unpark(thread.get())
    }

    fun unregister(hub: HubImpl) {
        hubs.remove(hub)
    }

    private fun loop() {
        while (true) {
            var period = 500L
            for (hub in hubs) {
                period = minOf(period, maxOf(10L, hub.watchdogNanos / 2_000_000))
                check(hub)
            }
            LockSupport.parkNanos(this, period * 1_000_000)
            Thread.interrupted()
        }
    }

    private fun check(hub: HubImpl) {
        val now = System.nanoTime()
        val count = HubImpl.TASK_COUNT.getOpaque(hub) as Long
        if (hub.isParked || count != hub.wdLastCount) {
            hub.wdLastCount = count
            hub.wdSince = now
            return
        }
        val blocked = now - hub.wdSince
        if (blocked < hub.watchdogNanos || hub.wdReported == count) return
        hub.wdReported = count
        val stack = hub.thread.stackTrace.joinToString("\n") { "\tat $it" }
        Reporting.warning(
            "gevent4j: hub \"${hub.name()}\" has been running one task for ${blocked / 1_000_000} ms without " +
                "switching (a loop that never yields, or a call that blocks the hub thread); hub thread stack:\n$stack",
        )
    }
}
