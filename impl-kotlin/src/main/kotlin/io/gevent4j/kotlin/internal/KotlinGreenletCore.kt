package io.gevent4j.kotlin.internal

import io.gevent4j.Greenlet
import io.gevent4j.GreenletExit
import java.util.concurrent.CancellationException
import kotlin.coroutines.CoroutineContext
import kotlin.coroutines.EmptyCoroutineContext
import kotlinx.coroutines.AbstractCoroutine
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.ExperimentalCoroutinesApi
import kotlinx.coroutines.InternalCoroutinesApi
import kotlinx.coroutines.Job
import kotlinx.coroutines.ThreadContextElement
import kotlinx.coroutines.newCoroutineContext

/** The scope Kotlin greenlets are launched in: no parent, so a greenlet outlives its spawner (SCH-12). */
internal object HubScope : CoroutineScope {
    override val coroutineContext: CoroutineContext
        get() = EmptyCoroutineContext
}

/** Cancels a Kotlin greenlet's coroutine on a kill; its cause is the kill's exception. */
internal class KillCancellation(cause: Throwable) : CancellationException("greenlet killed with $cause") {
    init {
        initCause(cause)
    }
}

/**
 * The coroutine of a Kotlin greenlet, in place of `launch`'s: kotlinx calls [onCompleted] / [onCancelled] once the body
 * **and every child coroutine of its scope** have ended (`coroutineScope { }` semantics), with the first failure of
 * them all; that is when the greenlet ends. It reports no failure to any exception handler: the greenlet's outcome is
 * the report. No field of its own: the greenlet is found in the context, so the object is the size of `launch`'s.
 */
@OptIn(InternalCoroutinesApi::class)
private class GreenletCoroutine<T>(context: CoroutineContext) : AbstractCoroutine<T>(context, true, true) {
    @Suppress("UNCHECKED_CAST")
    private val core: KotlinGreenletCore<T>
        get() = context[KotlinGreenletCore] as KotlinGreenletCore<T>

    override fun onCompleted(value: T) {
        core.ended(value, null)
    }

    override fun onCancelled(cause: Throwable, handled: Boolean) {
        core.ended(null, cause)
    }
}

/**
 * A Kotlin greenlet: a coroutine on the hub's dispatcher. It is also the coroutine-context element that finds it
 * ([Key]) and keeps [HubImpl.currentKotlin] up to date while it runs on the hub thread, so that `getcurrent()` and
 * `Timeout.start()` know it (child coroutines inherit the element: they are the greenlet too).
 *
 * The greenlet is a scope: it ends when its body and all the children launched in the body's scope have ended (on any
 * dispatcher); the first failure among them is its outcome, and a kill cancels them all.
 */
internal class KotlinGreenletCore<T>(
    owner: Greenlet<T>,
    hub: HubImpl,
    private val block: suspend CoroutineScope.() -> T,
) : GreenletCore<T>(owner, hub), ThreadContextElement<Any?> {
    @Volatile private var job: Job? = null

    /** The greenlet's coroutine once launched (the run info finds it among kotlinx's debug probes' coroutines). */
    val coroutineJob: Job?
        get() = job

    /**
     * Hub-confined; what gevent4j knows of why the coroutine ends, set by the first of: a kill (its exception), a
     * CancellationException the body threw of its own while nothing cancelled it (kotlinx's `withTimeout`: a failure),
     * or [RETURNED] (the body returned normally although it was cancelled: its value is the outcome). One field for the
     * three keeps a greenlet's size.
     */
    private var ending: Any? = null

    override val key: CoroutineContext.Key<*>
        get() = Key

    companion object Key : CoroutineContext.Key<KotlinGreenletCore<*>> {
        private val OFF_HUB = Any()
        private val RETURNED = Any()
    }

    @OptIn(ExperimentalCoroutinesApi::class)
    override fun launch() {
        val c = GreenletCoroutine<T>(HubScope.newCoroutineContext(hub + this))
        job = c // before the body can run: a kill delivered on the hub finds it
        // The body runs inside this lambda itself (no helper suspend function): one continuation object fewer
        // per suspended Kotlin greenlet.
        c.start(CoroutineStart.DEFAULT, c) {
            if (!enterBody()) {
                @Suppress("UNCHECKED_CAST")
                return@start null as T // dead already (killed before it ran, or its hub closing): ended() ignores it
            }
            val v =
                try {
                    block(this)
                } catch (e: CancellationException) {
                    if (isActive && ending == null) ending = e // nothing cancelled it: the body's own, a failure
                    throw e
                }
            if (!isActive && ending !== RETURNED) {
                // cancelled (a kill, or someone holding the Job), yet the body returned: its value is the outcome,
                // as a gevent function that catches GreenletExit and returns (a failing child still wins)
                outcomeValue = v // read only once dead (GreenletCore's outcome fields)
                ending = RETURNED
            }
            v
        }
    }

    /** Any thread, once: the body and its children have ended with [value] or the job's final [cause]. */
    internal fun ended(value: T?, cause: Throwable?) {
        // the last child may end on another dispatcher: the greenlet dies in its hub's context
        if (hub.inContext()) end(value, cause) else hub.execute { end(value, cause) }
    }

    private fun end(value: T?, cause: Throwable?) {
        if (state != RUNNING) return // never entered: already dead
        if (cause == null) {
            finish(value, null)
        } else {
            val e = outcomeOf(cause)
            if (e == null) finish(outcomeValue, null) else finish(null, e)
        }
    }

    /**
     * The greenlet's outcome for the coroutine's final [cause] (the first failure of the body and its children,
     * kotlinx's rule): null for a success with the body's value.
     */
    private fun outcomeOf(cause: Throwable): Throwable? {
        if (cause !is CancellationException) return cause // the body's or a child's failure, the same instance
        val e = ending
        if (e === RETURNED) return null
        if (e != null) return e as Throwable // the kill, or the body's own CancellationException
        // cancelled from outside gevent4j, by whoever holds its Job: a kill with GreenletExit (or the cause given)
        return rootCause(cause) ?: GreenletExit("coroutine cancelled")
    }

    /** The first cause that is not a cancellation (kotlinx's debug mode wraps cancellations in copies). */
    private fun rootCause(e: Throwable): Throwable? {
        var c: Throwable? = e.cause
        var depth = 0
        while (c is CancellationException && depth++ < 16) c = c.cause
        return c
    }

    override fun deliverKill(exception: Throwable) {
        val j = job ?: return
        // a coroutine that is ending already (failed, killed, cancelled) keeps its first cause, as a dead gevent
        // greenlet ignores a kill; one whose body returned while children run is still active: they are cancelled
        if (!j.isActive) return
        ending = exception
        j.cancel(KillCancellation(exception))
    }

    override fun onKilledBeforeStart() {
        job?.cancel(KillCancellation(GreenletExit()))
    }

    override fun updateThreadContext(context: CoroutineContext): Any? {
        if (Thread.currentThread() !== hub.thread) return OFF_HUB
        val prev = hub.currentKotlin
        hub.currentKotlin = this
        return prev
    }

    override fun restoreThreadContext(context: CoroutineContext, oldState: Any?) {
        if (oldState === OFF_HUB) return
        hub.currentKotlin = oldState as KotlinGreenletCore<*>?
    }

    override fun toString(): String = "KotlinGreenlet(${name()})"
}
