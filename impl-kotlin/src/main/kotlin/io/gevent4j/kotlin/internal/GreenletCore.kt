package io.gevent4j.kotlin.internal

import io.gevent4j.GreenCallable
import io.gevent4j.Greenlet
import io.gevent4j.GreenletExit
import io.gevent4j.GreenletFailedException
import io.gevent4j.Hub
import io.gevent4j.Timeout
import io.gevent4j.Waitable
import io.gevent4j.kotlin.spi.SuspendGreenletPeer
import io.gevent4j.spi.GreenletPeer
import java.time.Duration
import java.util.ArrayDeque
import java.util.concurrent.CompletableFuture
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater
import java.util.concurrent.atomic.AtomicLong
import java.util.function.Consumer

/** An internal link: runs in hub context when the source is ready; must not block. */
internal fun interface HubCallback {
    fun onReady(source: Any)
}

/** A `rawlink` callback of a user: runs on the hub. */
internal class RawLink(@JvmField val callback: Consumer<in Waitable>) : HubCallback {
    override fun onReady(source: Any) {
        callback.accept(source as Waitable)
    }
}

/** A `link`/`linkValue`/`linkException` callback of a user: runs in a new Java greenlet. */
internal class SpawnLink(@JvmField val callback: Consumer<Any?>, @JvmField val kind: Int) {
    fun wanted(successful: Boolean): Boolean =
        when (kind) {
            GreenletPeer.LINK_VALUE -> successful
            GreenletPeer.LINK_EXCEPTION -> !successful
            else -> true
        }
}

/**
 * The state shared by Java and Kotlin greenlets.
 *
 * ```
 *   NEW --start--> SCHEDULED --body entered--> RUNNING --body ended--> FINISHING --> DEAD
 *    \______________/ \__ kill before the body ran (any thread, CAS) --> FINISHING --> DEAD
 * ```
 *
 * A Kotlin greenlet's body has ended when its child coroutines have ended too (it is a scope). Outcome fields are
 * written before the volatile write of DEAD, so any thread that sees DEAD sees them. Links are hub-confined; they are
 * notified by a loop callback after death (gevent's `_notify_links`).
 */
internal abstract class GreenletCore<T>(@JvmField val owner: Greenlet<T>, @JvmField val hub: HubImpl) :
    WaitContext(), GreenletPeer<T>, SuspendGreenletPeer<T> {
    @Volatile @JvmField var state: Int = NEW
    @JvmField var outcomeValue: T? = null
    @JvmField var outcomeError: Throwable? = null
    /**
     * The rarely needed part of the outcome, in one field (the two never coexist): the GreenletExit a successful
     * greenlet ended with (Kotlin's await() re-throws it), or the GreenletFailedException that get() wraps a checked
     * failure in (the same instance every time).
     */
    @JvmField internal var outcomeExtra: Any? = null

    /** The GreenletExit this greenlet ended with, if any. */
    val outcomeExit: GreenletExit?
        get() = outcomeExtra as? GreenletExit

    /**
     * The identity hash of the greenlet that spawned this one (0: made outside every greenlet), for the run info's
     * spawn tree: a number, not a reference, so that a child never keeps its dead parent alive.
     */
    @JvmField val parentId: Int = KotlinGeventProvider.currentCore()?.let { System.identityHashCode(it) } ?: 0
    @Volatile private var greenletName: String? = null
    @Volatile private var startTimer: Timer? = null

    private var links: ArrayDeque<Any>? = null

    /** GreenletLocal values; only the greenlet itself touches them. Weak keys: a dropped local goes (LOC-08). */
    private var localValues: java.util.WeakHashMap<Any, Any>? = null

    fun locals(): MutableMap<Any, Any> = localValues ?: java.util.WeakHashMap<Any, Any>().also { localValues = it }

    private var notifyScheduled = false

    override val timerHub: HubImpl
        get() = hub

    // ---- starting ------------------------------------------------------------------------------------

    /** Arranges for the body to run once (FIFO on the hub). */
    protected abstract fun launch()

    /** Hub context: raise [exception] in the running body. */
    protected abstract fun deliverKill(exception: Throwable)

    /** Called after a kill before start made the greenlet dead. */
    protected open fun onKilledBeforeStart() {}

    override fun start() {
        checkNew("start()")
        hub.checkOpen()
        if (STATE.compareAndSet(this, NEW, SCHEDULED)) launch() else checkNew("start()")
    }

    /** API.md: `start()` twice is a call in the wrong state (gevent ignores it, GL-08). */
    private fun checkNew(op: String) {
        val s = state
        check(s == NEW) { "$op of ${name()}: it was started already" + if (s == DEAD) " and is dead" else "" }
    }

    override fun startLater(nanos: Long) {
        checkNew("startLater()")
        hub.checkOpen()
        if (!STATE.compareAndSet(this, NEW, SCHEDULED)) {
            checkNew("startLater()")
        } else {
            startTimer =
                hub.schedule(nanos) {
                    startTimer = null
                    if (state == SCHEDULED) launch()
                }
        }
    }

    /** Hub context, first thing of the body: false when it must not run (killed before, hub closing). */
    protected fun enterBody(): Boolean {
        if (hub.state != HubImpl.RUNNING) {
            killBeforeStart(GreenletExit())
            return false
        }
        if (!STATE.compareAndSet(this, SCHEDULED, RUNNING)) return false
        hub.registerLive(this)
        return true
    }

    /** Makes a greenlet that has not run dead with [exception]; false when it has started running already. */
    private fun killBeforeStart(exception: Throwable): Boolean {
        while (true) {
            val s = state
            if (s != NEW && s != SCHEDULED) return false
            if (STATE.compareAndSet(this, s, FINISHING)) break
        }
        startTimer?.let { hub.cancelTimer(it) }
        record(exception, report = exception !is GreenletExit)
        state = DEAD
        onKilledBeforeStart()
        hub.execute { scheduleNotify() }
        return true
    }

    /** Hub context, once: the body (and a Kotlin body's children) ended with [value] or [error]. */
    protected fun finish(value: T?, error: Throwable?) {
        localValues = null // a dead greenlet's locals go (LOC-07)
        state = FINISHING
        if (error == null) outcomeValue = value else record(error, report = error !is GreenletExit)
        state = DEAD
        hub.unregisterLive(this)
        val l = links
        if (l != null && l.isNotEmpty()) scheduleNotify()
    }

    private fun record(error: Throwable, report: Boolean) {
        if (error is GreenletExit) {
            outcomeValue = null
            outcomeExtra = error
        } else {
            outcomeError = error
            if (report) Reporting.greenletFailed(this, error)
        }
    }

    // ---- flags ---------------------------------------------------------------------------------------

    override fun value(): T? = if (state == DEAD) outcomeValue else null

    override fun exception(): Throwable? = if (state == DEAD) outcomeError else null

    override fun isReady(): Boolean = state == DEAD

    override fun isDead(): Boolean = state == DEAD

    override fun isSuccessful(): Boolean = state == DEAD && outcomeError == null

    override fun isStarted(): Boolean {
        val s = state
        return s == SCHEDULED || s == RUNNING || s == FINISHING
    }

    override fun hub(): Hub = hub

    override fun name(): String {
        var n = greenletName
        if (n == null) {
            n = "Greenlet-" + COUNTER.incrementAndGet()
            greenletName = n
        }
        return n
    }

    override fun setName(name: String) {
        greenletName = name
    }

    // ---- join / get ----------------------------------------------------------------------------------

    /** Hub context: registers [w] to be woken with `true` at death; returns the cleanup. */
    fun registerJoin(w: Wait): Runnable? {
        if (state == DEAD) {
            w.wake(true)
            return null
        }
        val cb = HubCallback { w.wake(true) }
        addLink(cb)
        return Runnable { removeLink(cb) }
    }

    override fun join(timeoutNanos: Long): Boolean = join(timeoutNanos, "Greenlet.join()", "Greenlet.awaitJoin()")

    private fun join(timeoutNanos: Long, op: String, twin: String): Boolean {
        if (state == DEAD) return true
        val r = Blocking.await(op, twin, hub, timeoutNanos) { w -> registerJoin(w) }
        return r !== Wait.TIMED_OUT
    }

    override fun get(timeoutNanos: Long): T? {
        if (state != DEAD && !join(timeoutNanos, "Greenlet.get()", "Greenlet.await()"))
            throw Timeout(Duration.ofNanos(timeoutNanos))
        return result()
    }

    override suspend fun awaitDeath(timeoutNanos: Long): Boolean {
        if (state == DEAD) return true // no suspension, no continuation object
        return awaitDeathSlow(timeoutNanos)
    }

    private suspend fun awaitDeathSlow(timeoutNanos: Long): Boolean =
        Blocking.awaitSuspend(hub, timeoutNanos) { w -> registerJoin(w) } !== Wait.TIMED_OUT

    override suspend fun awaitOutcome(timeoutNanos: Long): T {
        if (state == DEAD) return outcomeOrThrow() // no suspension, no continuation object
        return awaitOutcomeSlow(timeoutNanos)
    }

    private suspend fun awaitOutcomeSlow(timeoutNanos: Long): T {
        if (Blocking.awaitSuspend(hub, timeoutNanos) { w -> registerJoin(w) } === Wait.TIMED_OUT) {
            throw Timeout(Duration.ofNanos(timeoutNanos))
        }
        return outcomeOrThrow()
    }

    /**
     * The outcome of a dead greenlet as the Kotlin twin gives it: the failure or the GreenletExit thrown as they are.
     */
    private fun outcomeOrThrow(): T {
        outcomeError?.let { throw it }
        outcomeExit?.let { throw it }
        @Suppress("UNCHECKED_CAST")
        return outcomeValue as T
    }

    override fun getNowait(): T? {
        if (state != DEAD) throw Timeout()
        return result()
    }

    /** The outcome of a dead greenlet, as `get()` returns or throws it. */
    fun result(): T? {
        val e = outcomeError ?: return outcomeValue
        if (e is RuntimeException || e is Error) throw e
        // one wrapper for every call, made once by CAS: a monitor here could be entered by a hub thread (a
        // rawlink callback calling getNowait) while a greenlet waits for it, the hubmonitor trap
        (EXTRA.getVolatile(this) as GreenletFailedException?)?.let { throw it }
        val made = GreenletFailedException(e)
        if (EXTRA.compareAndSet(this, null, made)) throw made
        throw EXTRA.getVolatile(this) as GreenletFailedException
    }

    // ---- kill ----------------------------------------------------------------------------------------

    override fun kill(exception: Throwable, block: Boolean, timeoutNanos: Long) {
        if (state == DEAD) return
        if (KotlinGeventProvider.currentCore() === this) throw exception
        if (killBeforeStart(exception)) return
        // a kill that will wait is refused before it is delivered: a refused call has no effect
        if (block) Blocking.refuseOnHub(KILL, KILL_TWIN)
        hub.execute { hub.runFirst { killNow(exception) } }
        if (block) join(timeoutNanos, KILL, KILL_TWIN)
    }

    /** Any thread: requests the kill without waiting (used by killAll and Hub.close). */
    fun killAsync(exception: Throwable) {
        if (state == DEAD) return
        if (killBeforeStart(exception)) return
        hub.execute { hub.runFirst { killNow(exception) } }
    }

    private fun killNow(exception: Throwable) {
        when (state) {
            NEW,
            SCHEDULED -> killBeforeStart(exception)
            RUNNING -> deliverKill(exception)
            else -> {}
        }
    }

    // ---- links ---------------------------------------------------------------------------------------

    override fun link(callback: Consumer<in Greenlet<T>>, kind: Int) {
        @Suppress("UNCHECKED_CAST") val l = SpawnLink(callback as Consumer<Any?>, kind)
        inHub { addLink(l) }
    }

    override fun rawlink(callback: Consumer<in Waitable>) {
        val l = RawLink(callback)
        inHub { addLink(l) }
    }

    override fun unlink(callback: Any) {
        inHub { removeLink(callback) }
    }

    override fun unlinkAll() {
        inHub { links?.clear() }
    }

    private inline fun inHub(crossinline action: () -> Unit) {
        if (hub.inContext()) action() else hub.execute { action() }
    }

    /** Hub context. */
    fun addLink(l: Any) {
        var q = links
        if (q == null) {
            q = ArrayDeque(4)
            links = q
        }
        q.addLast(l)
        if (state == DEAD) scheduleNotify()
    }

    /** Hub context: removes a link by identity, or by its user callback. */
    fun removeLink(callback: Any) {
        val q = links ?: return
        val it = q.iterator()
        while (it.hasNext()) {
            val l = it.next()
            if (
                l === callback ||
                    (l is RawLink && l.callback === callback) ||
                    (l is SpawnLink && l.callback === callback)
            ) {
                it.remove()
                return
            }
        }
    }

    /**
     * A notification task is made per notification, not cached in a field: a greenlet is notified about once, so a
     * cache would cost a field on every greenlet for nothing (the field went to [parentId]; W7).
     */
    private fun scheduleNotify() {
        if (notifyScheduled) return
        notifyScheduled = true
        hub.execute { notifyLinks() }
    }

    /**
     * Hub context: calls the links in registration order, each removed before it is called (so that a callback may
     * unlink a later one, GL-49). A `link` callback gets its own Java greenlet; the rest of the notification is queued
     * behind that greenlet, so that callbacks run in registration order (GL-21).
     */
    private fun notifyLinks() {
        notifyScheduled = false
        val q = links ?: return
        val successful = outcomeError == null
        while (true) {
            val l = q.pollFirst() ?: return
            if (l is SpawnLink) {
                if (!l.wanted(successful)) continue
                // gevent switches from the notifier into the link's greenlet at once: here it runs next, and
                // the rest of the notification right after it (both ahead of the queue)
                hub.runFirst {
                    spawnLinkGreenlet(l)
                    if (q.isNotEmpty()) scheduleNotify()
                }
                return
            }
            try {
                (l as HubCallback).onReady(owner)
            } catch (t: Throwable) {
                Reporting.callbackFailed(hub.name(), "link callback of ${name()}", t)
            }
        }
    }

    private fun spawnLinkGreenlet(l: SpawnLink) {
        val src = owner
        if (hub.state != HubImpl.RUNNING) {
            // the hub is closing: no new greenlets; the callback still runs, on the hub thread
            try {
                l.callback.accept(src)
            } catch (t: Throwable) {
                Reporting.callbackFailed(hub.name(), "link callback of ${name()} (hub closing)", t)
            }
            return
        }
        Greenlet<Any?>(
                hub,
                GreenCallable<Any?> {
                    l.callback.accept(src)
                    null
                },
            )
            .start()
    }

    override fun toCompletableFuture(): CompletableFuture<T?> {
        val f = CompletableFuture<T?>()
        val complete = HubCallback {
            val e = outcomeError
            if (e != null) f.completeExceptionally(e) else f.complete(outcomeValue)
        }
        if (state == DEAD) complete.onReady(owner) else inHub { addLink(complete) }
        return f
    }

    companion object {
        private val EXTRA: java.lang.invoke.VarHandle =
            java.lang.invoke.MethodHandles.lookup()
                .findVarHandle(GreenletCore::class.java, "outcomeExtra", Any::class.java)

        private const val KILL = "Greenlet.kill()"
        private const val KILL_TWIN = "Greenlet.awaitKill()"

        const val NEW: Int = 0
        const val SCHEDULED: Int = 1
        const val RUNNING: Int = 2
        const val FINISHING: Int = 3
        const val DEAD: Int = 4

        private val COUNTER = AtomicLong()

        @Suppress("UNCHECKED_CAST")
        private val STATE: AtomicIntegerFieldUpdater<GreenletCore<*>> =
            AtomicIntegerFieldUpdater.newUpdater(GreenletCore::class.java, "state")
                as AtomicIntegerFieldUpdater<GreenletCore<*>>
    }
}
