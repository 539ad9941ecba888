package io.gevent4j.kotlin.internal

import io.gevent4j.JavaGreenletMode
import java.lang.invoke.MethodHandles
import java.lang.invoke.VarHandle
import kotlin.coroutines.jvm.internal.CoroutineStackFrame

/**
 * Which greenlet holds a hub, and a greenlet's own stack, read from any thread (the monitor, the run info). The hub
 * thread's stack says little: in SCHEDULED_ON_HUB it ends in the JDK's `Continuation.run`, in HANDOFF in
 * `HandoffCarrier.runTurn`; the greenlet's own frames name the culprit (issue 10).
 * - A Kotlin greenlet running now: the hub thread's frames above the hub loop (its coroutine runs there).
 * - A Kotlin greenlet suspended in a gevent4j wait: the chain of its continuation frames from the suspension point
 *   (Kotlin's debug metadata, `CoroutineStackFrame`); suspended elsewhere (a kotlinx `Channel`, another dispatcher):
 *   nothing is known of it without kotlinx-coroutines-debug's probes.
 * - A Java greenlet, running or parked, in either mode: its virtual thread's stack.
 */
internal object GreenletStacks {
    /**
     * `java.lang.VirtualThread.carrierThread`, readable in SCHEDULED_ON_HUB mode (that mode needs `java.lang` open to
     * gevent4j); null when it cannot be read (then a Java greenlet holding the hub in that mode is not named).
     */
    private val CARRIER: VarHandle? =
        try {
            val vt = Class.forName("java.lang.VirtualThread")
            MethodHandles.privateLookupIn(vt, MethodHandles.lookup())
                .findVarHandle(vt, "carrierThread", Thread::class.java)
        } catch (e: Throwable) {
            null
        }

    /**
     * Any thread: the greenlet that holds [hub] now (its code runs on the hub's turn), or null when the hub runs a
     * callback of its own or waits. A racy read: exact enough for a hub that has been in one task for a while.
     */
    fun holder(hub: HubImpl): GreenletCore<*>? {
        hub.currentKotlin?.let {
            return it
        }
        hub.currentTurn?.let {
            return it
        }
        if (hub.carrier.mode != JavaGreenletMode.SCHEDULED_ON_HUB) return null
        val carrier = CARRIER ?: return null
        for (g in hub.liveSnapshot(LIVE_SCAN_LIMIT)) {
            if (g is JavaGreenletCore<*>) {
                val t = g.thread ?: continue
                if (carrier.getOpaque(t) === hub.thread) return g
            }
        }
        return null
    }

    /**
     * Any thread: the frames of [g], innermost first, without gevent4j's and the JDK's own parking frames on top (so
     * that the first frame is the user's call into gevent4j, or the user's code that holds the hub). Empty when nothing
     * can be known (a Kotlin greenlet suspended outside gevent4j, a greenlet not started or dead). [running] says that
     * [g] holds its hub now ([holder]).
     */
    fun stackOf(g: GreenletCore<*>, running: Boolean): List<StackTraceElement> =
        when (g) {
            is JavaGreenletCore<*> -> {
                val t = g.thread
                if (t == null || !g.isStarted() || g.isDead()) emptyList() else trimTop(t.stackTrace.asList())
            }
            is KotlinGreenletCore<*> -> if (running) runningKotlin(g.hub) else suspendedKotlin(g)
            else -> emptyList()
        }

    /** The hub thread's frames above its loop: the running coroutine's, innermost first. */
    private fun runningKotlin(hub: HubImpl): List<StackTraceElement> {
        val all = hub.thread.stackTrace.asList()
        val loop = all.indexOfFirst { it.className == HubImpl::class.java.name && it.methodName == "runTask" }
        var end = if (loop < 0) all.size else loop
        // the dispatch frames under the coroutine (kotlinx's DispatchedTask, the stdlib's resumeWith) say nothing
        while (end > 0 && isDispatchFrame(all[end - 1])) end--
        return all.subList(0, end).toList()
    }

    private fun isDispatchFrame(e: StackTraceElement): Boolean =
        e.className.startsWith("kotlinx.coroutines.") ||
            e.className == "kotlin.coroutines.jvm.internal.BaseContinuationImpl"

    /**
     * The suspension point of a Kotlin greenlet waiting in a gevent4j wait, and its callers; suspended elsewhere, what
     * kotlinx's debug probes last saw of it when a user installed them (kotlinx-coroutines-debug), else nothing.
     */
    private fun suspendedKotlin(g: KotlinGreenletCore<*>): List<StackTraceElement> {
        val w =
            g.currentWait as? ContWait
                ?: return g.coroutineJob?.let { DebugProbesAccess.lastObservedStack(it) }.orEmpty()
        var frame: CoroutineStackFrame? = w.cont as? CoroutineStackFrame
        val out = ArrayList<StackTraceElement>()
        var depth = 0
        while (frame != null && depth++ < MAX_FRAMES) {
            frame.getStackTraceElement()?.let { out.add(it) }
            frame = frame.callerFrame
        }
        return trimTop(out)
    }

    /** Drops the parking frames on top: the JDK's and gevent4j's internal ones. */
    private fun trimTop(frames: List<StackTraceElement>): List<StackTraceElement> {
        var i = 0
        while (i < frames.size - 1 && isParkingFrame(frames[i])) i++
        return frames.subList(i, frames.size).toList()
    }

    private fun isParkingFrame(e: StackTraceElement): Boolean {
        val c = e.className
        return c.startsWith("java.lang.VirtualThread") ||
            c.startsWith("jdk.internal.") ||
            c.startsWith(
                "java.lang.System$"
            ) || // JDK 25: a parked virtual thread's top frame, System$1.parkVirtualThread
            c == "java.util.concurrent.locks.LockSupport" ||
            (c == "java.lang.Thread" && e.methodName.endsWith("StackTrace")) ||
            c.startsWith("io.gevent4j.kotlin.internal.") ||
            c.startsWith("kotlinx.coroutines.")
    }

    private const val LIVE_SCAN_LIMIT = 1_000_000
    private const val MAX_FRAMES = 1024
}
