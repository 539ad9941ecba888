package io.gevent4j.kotlin.internal

import io.gevent4j.monitor.HubMXBean
import java.lang.management.ManagementFactory
import java.util.concurrent.ConcurrentLinkedQueue
import java.util.concurrent.atomic.AtomicReference
import java.util.concurrent.locks.LockSupport
import javax.management.InstanceAlreadyExistsException
import javax.management.ObjectName

/**
 * One [HubMXBean] per hub in the platform MBean server, `io.gevent4j:type=Hub,name=<name>` (the name quoted when it
 * holds a character ObjectName reserves; `,id=<n>` added when another hub of that name is registered already).
 *
 * Lazily, off the hub's creation path: the platform MBean server takes a while to start, so a hub's creation only
 * queues its registration, done by one daemon thread, `gevent4j-jmx`. A hub's bean goes when its loop ends (queued to
 * that thread: the hub thread never waits for JMX) or at once in [HubImpl.close], whichever comes first, so that the
 * bean is gone when `close()` returns.
 */
internal object HubJmx {
    private val jobs = ConcurrentLinkedQueue<Runnable>()
    private val thread = AtomicReference<Thread?>()

    fun register(w: HubWatch) {
        post { registerNow(w) }
    }

    fun unregisterLater(w: HubWatch) {
        if (w.bean.get() !== DONE) post { unregisterNow(w) }
    }

    /** Any thread but a hub's: the bean of [w] is gone when this returns (or will never be registered). */
    fun unregisterNow(w: HubWatch) {
        var prev: Any?
        while (true) {
            prev = w.bean.get()
            // a registration under way ends soon (with its name set): wait for it, else its bean would outlive close()
            if (prev === REGISTERING) {
                Thread.onSpinWait()
                Thread.yield()
                continue
            }
            if (w.bean.compareAndSet(prev, DONE)) break
        }
        if (prev is ObjectName) {
            try {
                ManagementFactory.getPlatformMBeanServer().unregisterMBean(prev)
            } catch (e: Exception) {
                // unregistered by someone else (a JMX client may do it): nothing left to do
            }
        }
    }

    private fun registerNow(w: HubWatch) {
        if (!w.bean.compareAndSet(null, REGISTERING)) return // closed before we got to it
        try {
            registerBean(w)
        } finally {
            w.bean.compareAndSet(REGISTERING, null) // registration failed: nothing to undo
        }
    }

    private fun registerBean(w: HubWatch) {
        val server = ManagementFactory.getPlatformMBeanServer()
        val base = "io.gevent4j:type=Hub,name=" + quoteIfNeeded(w.hub.name())
        var n = 1
        while (true) {
            val name = ObjectName(if (n == 1) base else "$base,id=$n")
            try {
                server.registerMBean(HubBean(w), name)
            } catch (e: InstanceAlreadyExistsException) {
                n++
                continue
            }
            w.bean.set(name) // a close meanwhile waits for this (REGISTERING), then unregisters it
            return
        }
    }

    /** The name as an ObjectName value: as it is when safe, else quoted. */
    fun quoteIfNeeded(name: String): String =
        if (name.isNotEmpty() && name.all { it.isLetterOrDigit() || it in SAFE }) name else ObjectName.quote(name)

    private const val SAFE = "-_.#@+/ ()[]{}"

    private fun post(job: Runnable) {
        jobs.add(job)
        val running = thread.get()
        if (running != null) {
            LockSupport.unpark(running)
            return
        }
        val t = Thread(::loop, "gevent4j-jmx")
        t.isDaemon = true
        if (thread.compareAndSet(null, t)) t.start() else LockSupport.unpark(thread.get())
    }

    private fun loop() {
        while (true) {
            val job = jobs.poll()
            if (job == null) {
                LockSupport.park(this)
                Thread.interrupted()
                continue
            }
            try {
                job.run()
            } catch (e: Throwable) {
                Reporting.warning("gevent4j: a JMX registration failed: $e")
            }
        }
    }

    /** The bean of [w]'s hub: null until registered, [REGISTERING] meanwhile, its name, then [DONE]. */
    @JvmField val DONE: Any = Any()
    private val REGISTERING: Any = Any()

    /** The MXBean: reads the hub's counts without its help (racy, diagnostics). */
    private class HubBean(private val w: HubWatch) : HubMXBean {
        private val hub
            get() = w.hub

        override fun getName(): String = hub.name()

        override fun getMode(): String = hub.carrier.mode.name

        override fun getLiveGreenlets(): Int = hub.liveCount()

        override fun getRunQueueLength(): Int = hub.runQueueLength()

        override fun getArmedTimers(): Int = hub.armedTimerCount()

        override fun getTasksRun(): Long = HubImpl.TASK_COUNT.getOpaque(hub) as Long

        override fun getBlockedReports(): Long = w.reports

        override fun getMaxBlockingTimeSeconds(): Double =
            if (w.settings.enabled) w.settings.maxBlockingNanos / 1e9 else 0.0

        override fun formatRunInfo(): Array<String> = RunInfo.formatHub(hub, askHub = true).toTypedArray()
    }
}
