package io.gevent4j.kotlin.internal

import io.gevent4j.BlockingSwitchOutException
import kotlin.coroutines.coroutineContext
import kotlinx.coroutines.suspendCancellableCoroutine

/**
 * The one way gevent4j blocks. A facade describes its wait with `register(w)`: it arranges for `w` to be woken (from
 * the target hub's context) and returns the cleanup to run after the wait, in that same context. `target == null` means
 * `register` is thread-safe and runs right where the caller is.
 *
 * The caller decides how to wait (the three contexts of API.md's conventions):
 * 1. a Java greenlet parks its virtual thread (or passes the baton) and the hub runs others;
 * 2. a thread of no hub parks itself;
 * 3. a hub thread outside a Java greenlet gets [BlockingSwitchOutException] at once, naming the suspend twin.
 *
 * A timeout (`timeoutNanos >= 0`) wakes the wait with [Wait.TIMED_OUT]. A kill or a Timeout of the caller arrives
 * through its [WaitContext] and ends the wait with that exception.
 */
internal object Blocking {
    fun await(op: String, twin: String, target: HubImpl?, timeoutNanos: Long, register: (Wait) -> Runnable?): Any? {
        val jg = JavaGreenletCore.current()
        if (jg != null) return awaitInGreenlet(jg, target, timeoutNanos, register)
        val t = Thread.currentThread()
        if (t is HubThread) throw onHub(op, twin, t)
        return awaitForeign(target, timeoutNanos, register)
    }

    /**
     * Refuses [op] at once on a hub thread outside a Java greenlet, even when it would not have to wait this time:
     * whether it fails must not depend on timing, and it must fail before any side effect (a part of a buffer sent). (A
     * Java greenlet never runs as the [HubThread] itself: its code sees its own virtual thread.)
     */
    fun refuseOnHub(op: String, twin: String) {
        val t = Thread.currentThread()
        if (t is HubThread) throw onHub(op, twin, t)
    }

    fun onHub(op: String, twin: String, t: HubThread): BlockingSwitchOutException =
        BlockingSwitchOutException(
            "$op would block hub \"${t.hub.name()}\": it was called on the hub thread outside a Java greenlet " +
                "(in a Kotlin greenlet, a rawlink callback or a hub task). Use the suspend twin $twin " +
                "from io.gevent4j.kotlin, or run the blocking code in a Java greenlet."
        )

    private fun awaitInGreenlet(
        jg: JavaGreenletCore<*>,
        target: HubImpl?,
        timeoutNanos: Long,
        register: (Wait) -> Runnable?,
    ): Any? {
        jg.raisePending()
        val hub = jg.hub
        val carrier = hub.carrier
        val w = carrier.newWait(jg)
        jg.currentWait = w
        val inline = target == null || target === hub
        val remote = if (inline) null else RemoteRegistration(target, w, register)
        val cleanup =
            if (inline) {
                try {
                    register(w)
                } catch (t: Throwable) {
                    // the wait never happens: forget it, or a later kill or Timeout would land in it and be lost; one
                    // that landed meanwhile is raised at the greenlet's next wait point
                    jg.currentWait = null
                    val landed = if (w.isDone) w.error else null
                    if (landed != null && landed !== t) jg.pending = landed
                    throw t
                }
            } else {
                null
            }
        val timer = if (timeoutNanos >= 0 && !w.isDone) hub.schedule(timeoutNanos) { w.wake(Wait.TIMED_OUT) } else null
        try {
            return carrier.await(jg, w)
        } finally {
            jg.currentWait = null
            if (timer != null) hub.cancelTimer(timer)
            if (remote != null) remote.cleanup() else cleanup?.run()
        }
    }

    private fun awaitForeign(target: HubImpl?, timeoutNanos: Long, register: (Wait) -> Runnable?): Any? {
        val ctx = ForeignContext.current()
        val w = ParkWait(Thread.currentThread())
        ctx.enterWait(w)
        // virtual-time hubs run in real time while a thread of no hub waits (VirtualClock.kt)
        val counted = VirtualClock.foreignWaitBegin()
        try {
            val remote = if (target != null) RemoteRegistration(target, w, register) else null
            val cleanup = if (target == null) register(w) else null
            val deadline = if (timeoutNanos < 0) Long.MAX_VALUE else deadlineOf(timeoutNanos)
            try {
                return w.await(deadline)
            } finally {
                if (remote != null) remote.cleanup() else cleanup?.run()
            }
        } finally {
            if (counted) VirtualClock.foreignWaitEnd()
            ctx.exitWait()
        }
    }

    /** The suspend form, for Kotlin greenlets and for any coroutine. */
    suspend fun awaitSuspend(target: HubImpl?, timeoutNanos: Long, register: (Wait) -> Runnable?): Any? {
        val core = coroutineContext[KotlinGreenletCore]
        core?.raisePending()
        // one object carries the wait's bookkeeping: no captured vars (each would be a heap Ref)
        val w = ContWait()
        try {
            val r = suspendCancellableCoroutine { cont ->
                w.cont = cont
                core?.currentWait = w
                if (target == null || Thread.currentThread() === target.thread) {
                    w.cleanup = register(w)
                } else {
                    w.remote = RemoteRegistration(target, w, register)
                }
                if (timeoutNanos >= 0 && !w.isDone) {
                    val h = core?.hub ?: target ?: KotlinGeventProvider.defaultHubImpl()
                    w.timerHub = h
                    w.timer = h.schedule(timeoutNanos) { w.wake(Wait.TIMED_OUT) }
                }
            }
            if (r is Thrown) throw r.error
            core?.raisePending()
            return r
        } finally {
            if (core != null && core.currentWait === w) core.currentWait = null
            w.timer?.let { w.timerHub!!.cancelTimer(it) }
            val rr = w.remote
            if (rr != null) {
                rr.cleanup()
            } else {
                val c = w.cleanup
                if (c != null) {
                    if (target == null || target.inContext()) c.run() else target.execute(c)
                }
            }
        }
    }

    /** A deadline on the caller's clock (its hub's in a hub's context: HubClocks). */
    fun deadlineOf(timeoutNanos: Long): Long = HubClocks.deadlineOf(timeoutNanos)
}

/** A registration that must run in another hub's context: queued there, and so is its cleanup (FIFO after it). */
internal class RemoteRegistration(private val hub: HubImpl, w: Wait, register: (Wait) -> Runnable?) {
    private var cleanup: Runnable? = null

    init {
        hub.execute {
            try {
                cleanup = register(w)
            } catch (t: Throwable) {
                // the waiter is on another thread or hub: it must hear of the failure, or it waits for ever
                w.wakeThrow(t)
            }
        }
    }

    fun cleanup() {
        hub.execute { cleanup?.run() }
    }
}
