package io.gevent4j.kotlin.internal

import io.gevent4j.GreenletExit
import io.gevent4j.Hub
import io.gevent4j.JavaGreenletMode
import io.gevent4j.monitor.HubBlocked
import io.gevent4j.monitor.Registration
import java.util.concurrent.ConcurrentLinkedQueue
import java.util.concurrent.CountDownLatch
import java.util.concurrent.Executor
import java.util.concurrent.TimeUnit
import java.util.concurrent.locks.LockSupport
import java.util.function.Consumer
import kotlin.coroutines.CoroutineContext
import kotlinx.coroutines.CancellableContinuation
import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.Delay
import kotlinx.coroutines.DisposableHandle
import kotlinx.coroutines.ExperimentalCoroutinesApi
import kotlinx.coroutines.InternalCoroutinesApi

/** The platform thread of one hub. */
internal class HubThread(@JvmField val hub: HubImpl, name: String) : Thread(null, null, name, 0, false) {
    init {
        isDaemon = true
    }

    override fun run() {
        hub.runLoop()
    }
}

/**
 * One hub: a platform thread running a FIFO multi-producer run queue and a hub-confined timer heap. It is the kotlinx
 * [CoroutineDispatcher] (with [Delay]) of Kotlin greenlets and the scheduler of Java greenlets' virtual threads
 * ([JavaCarrier]).
 *
 * Loop iteration: run the due timers; run queued tasks until the queue is empty (checking the clock every 64 tasks:
 * after 1 ms with timers waiting or channels watched, it goes back to the timers and polls the channels, so that a
 * `sleep(0)` loop cannot starve them, SCH-06); when nothing is queued, wake the `idle()` waiters; else sleep until the
 * next deadline: parked, or, once a channel has waited on this hub, in the selector of its [IoPoller] (under 1 ms
 * before a deadline: one non-blocking poll, then parked, so that timers keep their precision). [execute] never throws:
 * after the hub closed, tasks go to a fallback thread (trap 2).
 *
 * States: RUNNING -> CLOSING (close() killing greenlets) -> CLOSED (loop ended).
 */
@OptIn(InternalCoroutinesApi::class)
internal class HubImpl(
    private val hubName: String,
    clockFactory: ((HubImpl) -> HubClock)? = null,
    carrierFactory: (HubImpl) -> JavaCarrier,
) : CoroutineDispatcher(), Delay, Hub, Executor {

    /** The monitor's settings, read first: a bad value fails the creation before anything registers the hub. */
    private val monitorSettings: MonitorSettings = MonitorSettings.read()

    /** The time of the timers and of deadlines computed in this hub's context (HubClock.kt). */
    @JvmField val clock: HubClock = clockFactory?.invoke(this) ?: RealClock
    /** The same clock when it is a virtual one (a gevent4j-test hub), else null. */
    @JvmField val virtualClock: VirtualClock? = clock as? VirtualClock

    @JvmField val thread: HubThread = HubThread(this, hubName)
    private val queue = ConcurrentLinkedQueue<Runnable>()
    /** Tasks the hub thread queues inside [runFirst]: they run before the rest of [queue]. Hub-confined. */
    private val urgent = java.util.ArrayDeque<Runnable>()
    /**
     * Tasks submitted from the hub's own context (its thread, or one of its Java greenlets, which run exclusively): a
     * plain deque, no CAS, no node per task. Foreign submissions go through [queue] and join this deque's tail as the
     * loop runs, so both keep their FIFO order.
     */
    private val local = java.util.ArrayDeque<Runnable>(256)
    private var urgentDepth = 0
    @Volatile private var sleeping = false
    /** How the loop sleeps while [sleeping]: [SLEEP_PARK] or [SLEEP_SELECT]; written before [sleeping]. */
    @Volatile private var sleepMode = SLEEP_PARK
    /** The selector side of the loop, made by the first channel that waits here. */
    @Volatile private var io: IoPoller? = null
    private val timers = TimerHeap()
    private var timerSeq = 0L
    private val idlers = ArrayList<Wait>()

    @Volatile @JvmField var state: Int = RUNNING
    private var stopRequested = false
    private val terminated = CountDownLatch(1)

    /** Live greenlets (started and not dead), an intrusive list; hub-confined. */
    private val live = LiveNode()
    private var liveCount = 0
    private var closeLatch: CountDownLatch? = null

    /**
     * The Kotlin greenlet whose coroutine is running on this thread now; written by the hub thread only, read racily by
     * the monitor and the run info ([GreenletStacks.holder]).
     */
    @JvmField var currentKotlin: KotlinGreenletCore<*>? = null

    /**
     * HANDOFF: the Java greenlet that holds the baton now (set around [HandoffCarrier.runTurn]); read like
     * [currentKotlin].
     */
    @JvmField var currentTurn: JavaGreenletCore<*>? = null

    @JvmField val carrier: JavaCarrier = carrierFactory(this)

    /** Tasks run so far; written with opaque stores (plain on x86), sampled by [HubMonitor] (and read by JMX). */
    @JvmField var taskCount: Long = 0L
    /**
     * The monitor's state for this hub: settings read now (a bad value fails the creation), samples, `onBlocked`
     * listeners, the JMX bean ([HubMonitor], [HubJmx]).
     */
    @JvmField val watch: HubWatch = HubWatch(this, monitorSettings)

    init {
        thread.start()
        Hubs.add(this) // once it runs: a hub that failed to start is never listed
        HubMonitor.register(this)
    }

    override fun onBlocked(listener: Consumer<HubBlocked>): Registration = watch.add(listener)

    // ---- context -------------------------------------------------------------------------------------

    /**
     * True on this hub's thread, or in one of its Java greenlets while it runs (they run exclusively: mounted on the
     * hub thread, or holding the HANDOFF baton — a HANDOFF greenlet's thread that waits for its turn is not in
     * context).
     */
    fun inContext(): Boolean {
        val t = Thread.currentThread()
        if (t === thread) return true
        if (!t.isVirtual) return false
        val jg = JavaGreenletCore.current() ?: return false
        return jg.hub === this &&
            (jg.turn == JavaGreenletCore.TURN_GREENLET || carrier.mode == JavaGreenletMode.SCHEDULED_ON_HUB)
    }

    override fun isHubThread(): Boolean = inContext()

    override fun javaGreenletMode(): JavaGreenletMode = carrier.mode

    override fun asExecutor(): Executor = this

    /** Hub.threadpool(): made on first use, closed at the end of [close] (HubThreadPool.kt). */
    private val ownPool = HubThreadPool(this)

    override fun threadpool(): io.gevent4j.threadpool.ThreadPool = ownPool.get()

    override fun name(): String = hubName

    /** True while the loop is parked waiting for work (not stalled). */
    val isParked: Boolean
        get() = sleeping

    fun checkOpen() {
        check(state == RUNNING) { "hub \"$hubName\" is closed" }
    }

    // ---- run queue -----------------------------------------------------------------------------------

    override fun execute(command: Runnable) {
        val t = Thread.currentThread()
        if (t === thread) {
            if (urgentDepth > 0) {
                urgent.addLast(command)
                return
            }
            if (state != CLOSED) {
                // the loop is running (this is it): no wake-up needed. What other threads queued before this
                // call goes first, so that arrival order holds (EV-06 with a set() from another thread)
                while (true) local.addLast(queue.poll() ?: break)
                local.addLast(command)
                return
            }
        } else if (t.isVirtual && state != CLOSED && inContext()) {
            while (true) local.addLast(queue.poll() ?: break)
            local.addLast(command)
            return
        }
        if (state == CLOSED) {
            Fallback.execute(command)
            return
        }
        queue.offer(command)
        if (sleeping) wakeLoop()
        if (state == CLOSED) drainToFallback()
    }

    private fun wakeLoop() {
        if (sleepMode == SLEEP_SELECT) io?.wakeup() else LockSupport.unpark(thread)
    }

    /** True once a channel has waited here (the selector exists); for tests and diagnostics. Any thread. */
    val hasPoller: Boolean
        get() = io != null

    /**
     * The hub's selector side, made on first use (also while the hub is closing: greenlets being killed may still close
     * or use their sockets). Hub context only, and never after the loop ended.
     */
    fun poller(): IoPoller {
        io?.let {
            return it
        }
        check(state != CLOSED) { "hub \"$hubName\" is closed" }
        val p = IoPoller(hubName)
        io = p
        return p
    }

    /** The selector side if one was made (null otherwise). */
    fun pollerOrNull(): IoPoller? = io

    /**
     * Hub thread: runs [action]; whatever it makes runnable (a greenlet it wakes or cancels) runs next, before the rest
     * of the queue, as gevent's loop callbacks switch into the greenlet at once (`glet.throw` in `kill`: the target is
     * dead after the killer's next `sleep(0)`, MOD-24, MOD-27).
     */
    fun runFirst(action: Runnable) {
        urgentDepth++
        try {
            action.run()
        } finally {
            urgentDepth--
        }
    }

    /**
     * For a Java greenlet scheduled on this hub (its virtual thread runs on the hub's thread): runs [action] on the
     * hub's own thread, before anything else queued, and resumes the caller right after it. The caller parks for that
     * turn, so [action] may take monitors the JDK could park a virtual thread in (the selector's: trap 5d) without the
     * greenlet ever holding them. No other greenlet runs in between, except what [runFirst] had queued before (a kill's
     * target). Interrupts do not end the wait; the flag is kept.
     */
    fun runOnOwnThread(action: Runnable) {
        val me = Thread.currentThread()
        check(me.isVirtual && carrier.mode == JavaGreenletMode.SCHEDULED_ON_HUB) {
            "runOnOwnThread: only a Java greenlet scheduled on the hub may wait for the hub's thread"
        }
        if (state == CLOSED) return // the loop ended: nobody would run the action (and the selector is closed)
        val done = java.util.concurrent.atomic.AtomicBoolean()
        urgent.addFirst {
            runFirst {
                try {
                    action.run()
                } finally {
                    done.set(true)
                    LockSupport.unpark(me) // urgentDepth > 0 here: the greenlet is queued first
                }
            }
        }
        var interrupted = false
        while (!done.get()) {
            LockSupport.park(this)
            if (Thread.interrupted()) interrupted = true // a set flag would make park return at once, for ever
        }
        if (interrupted) me.interrupt()
    }

    override fun dispatch(context: CoroutineContext, block: Runnable) {
        execute(block)
    }

    // ---- timers --------------------------------------------------------------------------------------

    /**
     * Arms a timer from any thread; [action] runs on the hub thread. From outside the hub's context the timer is placed
     * in the heap by a task on the hub (the heap is hub-confined); it gets its [Timer.seq] there.
     */
    fun schedule(delayNanos: Long, action: Runnable): Timer {
        val now = clock.nanoTime()
        val deadline = if (delayNanos >= Long.MAX_VALUE - now) Long.MAX_VALUE - 1 else now + delayNanos
        if (inContext()) {
            val t = Timer(deadline, timerSeq++, action)
            timers.add(t)
            return t
        }
        val t = Timer(deadline, -1, action)
        execute { placeTimer(t) }
        return t
    }

    /** Hub thread: places a timer armed from outside, unless it was cancelled meanwhile (or the loop ended). */
    private fun placeTimer(t: Timer) {
        if (t.cancelled || Thread.currentThread() !== thread) return
        t.seq = timerSeq++
        timers.add(t)
    }

    /**
     * Disarms a timer from any thread: it never runs, and its heap entry goes at once in the hub's context, else within
     * the hub's next iteration (a removal task), so that cancelled timers never pile up whoever cancels them (issue 9,
     * defect 1). A timer not placed yet is never placed: [placeTimer] sees the flag.
     */
    fun cancelTimer(t: Timer) {
        t.cancelled = true
        if (inContext()) timers.remove(t) else execute { removeTimer(t) }
    }

    /** Hub thread: drops the heap entry of a timer cancelled from outside (no effect when it is not there). */
    private fun removeTimer(t: Timer) {
        if (Thread.currentThread() === thread) timers.remove(t)
    }

    /**
     * The entries in the timer heap (armed, neither fired nor removed): exact in the hub's context, a racy read
     * elsewhere (diagnostics).
     */
    fun armedTimerCount(): Int = timers.size

    @OptIn(ExperimentalCoroutinesApi::class)
    override fun scheduleResumeAfterDelay(timeMillis: Long, continuation: CancellableContinuation<Unit>) {
        val t =
            schedule(TimeUnit.MILLISECONDS.toNanos(timeMillis.coerceAtLeast(0))) {
                with(continuation) { resumeUndispatched(Unit) }
            }
        continuation.invokeOnCancellation { cancelTimer(t) }
    }

    override fun invokeOnTimeout(timeMillis: Long, block: Runnable, context: CoroutineContext): DisposableHandle {
        val t = schedule(TimeUnit.MILLISECONDS.toNanos(timeMillis.coerceAtLeast(0)), block)
        return DisposableHandle { cancelTimer(t) }
    }

    // ---- idle ----------------------------------------------------------------------------------------

    /** Hub context: [w] is woken once the hub has nothing else to run (SCH-11). */
    fun addIdler(w: Wait) {
        idlers.add(w)
    }

    fun removeIdler(w: Wait) {
        idlers.remove(w)
    }

    // ---- live greenlets ------------------------------------------------------------------------------

    fun registerLive(g: GreenletCore<*>) {
        live.insertBefore(g)
        liveCount++
    }

    /** Live greenlets (started, not dead), in the order they started; exact in the hub's context. */
    fun liveGreenlets(): List<GreenletCore<*>> = liveSnapshot(Int.MAX_VALUE)

    /**
     * Any thread: the live greenlets as far as a walk of the hub-confined list can see them, at most [limit]. From
     * another thread it is a racy read (diagnostics only: the monitor, the run info of a hub that does not answer): a
     * greenlet that starts or dies during the walk may be missed, and the walk stops at a node unlinked under it.
     */
    fun liveSnapshot(limit: Int): List<GreenletCore<*>> {
        val out = ArrayList<GreenletCore<*>>(minOf(liveCount, 1024).coerceAtLeast(0))
        var n = live.nextLive
        while (n != null && n !== live && out.size < limit) {
            if (n is GreenletCore<*>) out.add(n)
            n = n.nextLive
        }
        return out
    }

    /** How many greenlets live on this hub; exact in the hub's context, a racy read elsewhere. */
    fun liveCount(): Int = liveCount

    /** Tasks queued and not run yet (a racy read from other threads: diagnostics only). */
    fun runQueueLength(): Int = urgent.size + local.size + queue.size

    fun unregisterLive(g: GreenletCore<*>) {
        if (g.unlinkFromLive()) {
            liveCount--
            if (liveCount == 0) closeLatch?.countDown()
        }
    }

    // ---- the loop ------------------------------------------------------------------------------------

    fun runLoop() {
        try {
            while (!stopRequested) {
                Thread.interrupted() // an interrupt of the hub thread must never make its parks spin (trap 8)
                runDueTimers()
                drain()
                val p = io
                if (queue.isEmpty() && urgent.isEmpty() && local.isEmpty() && !stopRequested) {
                    if (idlers.isNotEmpty() && !timerDue()) {
                        val ready = ArrayList(idlers)
                        idlers.clear()
                        for (w in ready) w.wake(Unit)
                        continue
                    }
                    val vc = virtualClock
                    if (vc != null && virtualIdle(vc)) continue
                    if (p == null) parkUntilWork() else selectUntilWork(p)
                } else if (p != null && p.registered > 0) {
                    p.pollNow() // busy: the channels still get their turn once per iteration
                }
            }
        } finally {
            state = CLOSED
            Hubs.remove(this)
            virtualClock?.closed()
            HubMonitor.unregister(this)
            io?.close()
            drainToFallback()
            terminated.countDown()
        }
    }

    private fun timerDue(): Boolean {
        val t = timers.peek() ?: return false
        return t.deadline - clock.nanoTime() <= 0
    }

    private fun runDueTimers() {
        if (timers.size == 0) return
        val now = clock.nanoTime()
        while (true) {
            val t = timers.peek() ?: return
            if (t.deadline - now > 0) return
            timers.poll()
            if (!t.cancelled) runTask(t.action, "timer")
        }
    }

    private fun drain() {
        var n = 0
        var start = 0L
        while (true) {
            while (true) local.addLast(queue.poll() ?: break)
            val task = urgent.pollFirst() ?: local.pollFirst() ?: return
            runTask(task, "callback")
            n++
            if (n and 63 == 0 && (timers.size > 0 || io != null)) {
                val now = System.nanoTime()
                if (start == 0L) start = now else if (now - start > MAX_DRAIN_NANOS) return
            }
        }
    }

    private fun runTask(task: Runnable, what: String) {
        TASK_COUNT.setOpaque(this, taskCount + 1)
        if (GeventJfr.turnsOn) {
            GeventJfr.runTimed(this, task, what) // a JFR recording wants long turns
            return
        }
        try {
            task.run()
        } catch (t: Throwable) {
            Reporting.callbackFailed(hubName, what, t)
        }
    }

    private fun parkUntilWork() {
        sleeping = true
        try {
            if (!queue.isEmpty() || !urgent.isEmpty() || !local.isEmpty()) return
            val next = timers.peek()
            if (next == null) {
                LockSupport.park(this)
            } else {
                val left = next.deadline - clock.nanoTime()
                if (left > 0) LockSupport.parkNanos(this, left)
            }
        } finally {
            sleeping = false
        }
    }

    /** [parkUntilWork] for a hub that watches channels: waits in the selector. */
    private fun selectUntilWork(p: IoPoller) {
        val next = timers.peek()
        val left = if (next == null) -1L else next.deadline - clock.nanoTime()
        if (next != null && left <= 0) return
        if (left in 0 until SELECT_MIN_NANOS) {
            p.pollNow() // the selector counts whole milliseconds: park for the rest
            parkUntilWork()
            return
        }
        sleepMode = SLEEP_SELECT
        sleeping = true
        try {
            if (!queue.isEmpty() || !urgent.isEmpty() || !local.isEmpty()) {
                p.pollNow()
                return
            }
            p.poll(if (left < 0) 0L else left / 1_000_000L)
        } finally {
            sleeping = false
            sleepMode = SLEEP_PARK
        }
    }

    // ---- virtual time (VirtualClock.kt) -----------------------------------------------------------------

    /**
     * Hub thread, a virtual-time hub with nothing to run and no idle waiter to wake: true when the loop goes on at once
     * (the clock jumped to the next timer, or work arrived), false when it sleeps as a real hub does: while a wake-up
     * can come from outside (the clock then runs in real time), or when nothing at all is left (after telling
     * [VirtualClock.onQuiescent]).
     */
    private fun virtualIdle(vc: VirtualClock): Boolean {
        val counted = vc.counted()
        val parked = javaGreenletParkedByJdk()
        val channels = io?.hasWaiters() == true
        if (counted > 0 || parked != null || channels) {
            if (!vc.isRunningInRealTime) vc.why = vc.describe(parked, channels)
            vc.runReal()
            if (timers.size == 0) { // no timer, no work: a run whose greenlets have all ended is over
                vc.sourcesOpen = true
                vc.onQuiescent?.let { runTask(it, "virtual time") }
                vc.sourcesOpen = false
            }
            return false
        }
        // a source lowers its count after it posted its wake-up: looked at after the count, the queue shows it
        if (hasQueued()) return true
        vc.freeze()
        while (true) {
            val next = timers.peek() ?: break
            if (next.cancelled) { // cancelled from outside, its removal not run yet: no time passes for it
                timers.poll()
                continue
            }
            // a saturated deadline (an infinite timeout: kotlinx's withTimeout(Duration.INFINITE)) is "never": no jump
            // 292 years ahead, the run is quiescent instead (and reports who is left blocked)
            if (next.deadline >= Long.MAX_VALUE - 1) break
            vc.jumpTo(next.deadline)
            return true
        }
        vc.onQuiescent?.let { runTask(it, "virtual time") }
        return hasQueued()
    }

    private fun hasQueued(): Boolean = !queue.isEmpty() || !urgent.isEmpty() || !local.isEmpty()

    /** A live Java greenlet that is running but not in a gevent4j wait: parked by the JDK (a sleep, a JDK socket). */
    private fun javaGreenletParkedByJdk(): JavaGreenletCore<*>? {
        var g = live.first()
        while (g !== live) {
            if (g is JavaGreenletCore<*> && g.currentWait == null && g.state == GreenletCore.RUNNING) return g
            g = g.nextLive!!
        }
        return null
    }

    private fun drainToFallback() {
        if (Thread.currentThread() === thread) {
            while (true) Fallback.execute(urgent.pollFirst() ?: break)
            while (true) Fallback.execute(local.pollFirst() ?: break)
        }
        while (true) {
            val task = queue.poll() ?: return
            Fallback.execute(task)
        }
    }

    // ---- close ---------------------------------------------------------------------------------------

    override fun close() {
        check(!inContext()) { "close() of hub \"$hubName\" must be called from outside the hub" }
        Blocking.refuseOnHub("Hub.close()", CLOSE_TWIN) // another hub's thread: it waits for the greenlets to die
        // a CAS, not a monitor: another hub's thread may call this (runtime.md, trap 3)
        if (!STATE.compareAndSet(this, RUNNING, CLOSING)) {
            awaitTermination()
            return
        }
        val latch = CountDownLatch(1)
        execute {
            closeLatch = latch
            if (liveCount == 0) latch.countDown()
            var g = live.first()
            while (g !== live) {
                val next = g.nextLive!!
                (g as GreenletCore<*>).killAsync(GreenletExit())
                g = next
            }
        }
        latch.await(CLOSE_GRACE_MILLIS, TimeUnit.MILLISECONDS)
        execute { stopRequested = true }
        awaitTermination()
        HubJmx.unregisterNow(watch) // the bean is gone when close() returns
        ownPool.close()
    }

    /**
     * Stops a hub that nobody has used (the loser of a race to make the default hub) without waiting for its loop to
     * end; any thread.
     */
    fun closeUnused() {
        if (STATE.compareAndSet(this, RUNNING, CLOSING)) execute { stopRequested = true }
    }

    private fun awaitTermination() {
        terminated.await()
    }

    override fun toString(): String = "Hub(\"$hubName\", ${carrier.mode})"

    companion object {
        const val RUNNING: Int = 0
        const val CLOSING: Int = 1
        const val CLOSED: Int = 2
        private const val MAX_DRAIN_NANOS = 1_000_000L
        private const val CLOSE_GRACE_MILLIS = 1000L
        private const val CLOSE_TWIN = "spawnBlocking { hub.close() }.awaitJoin() (a Java greenlet closes it)"
        private const val SELECT_MIN_NANOS = 1_000_000L
        private const val SLEEP_PARK = 0
        private const val SLEEP_SELECT = 1

        private val STATE: java.lang.invoke.VarHandle =
            java.lang.invoke.MethodHandles.lookup()
                .findVarHandle(HubImpl::class.java, "state", Int::class.javaPrimitiveType)

        @JvmField
        val TASK_COUNT: java.lang.invoke.VarHandle =
            java.lang.invoke.MethodHandles.lookup()
                .findVarHandle(HubImpl::class.java, "taskCount", Long::class.javaPrimitiveType)
    }
}

/**
 * Runs what reaches a hub after it closed: late continuations of virtual threads it scheduled, late callbacks. One
 * daemon thread for the JVM; it never rejects.
 */
internal object Fallback : Executor {
    private val queue = java.util.concurrent.LinkedBlockingQueue<Runnable>()

    /** How many tasks reached a closed hub (a test hook: the socket pollers must never be among them). */
    @JvmField val received: java.util.concurrent.atomic.AtomicLong = java.util.concurrent.atomic.AtomicLong()

    init {
        val t =
            Thread(
                {
                    while (true) {
                        val task = queue.take()
                        try {
                            task.run()
                        } catch (e: Throwable) {
                            Reporting.callbackFailed("(closed)", "late task", e)
                        }
                    }
                },
                "gevent4j-closed-hub",
            )
        t.isDaemon = true
        t.start()
    }

    override fun execute(command: Runnable) {
        received.incrementAndGet()
        queue.offer(command)
    }
}
