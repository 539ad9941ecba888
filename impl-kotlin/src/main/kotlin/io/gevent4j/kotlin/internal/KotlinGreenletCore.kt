package io.gevent4j.kotlin.internal

import io.gevent4j.GreenletExit
import io.gevent4j.Greenlet
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Job
import kotlinx.coroutines.ThreadContextElement
import kotlinx.coroutines.isActive
import kotlinx.coroutines.launch
import java.util.concurrent.CancellationException
import kotlin.coroutines.CoroutineContext
import kotlin.coroutines.EmptyCoroutineContext

/** The scope Kotlin greenlets are launched in: no parent, so a greenlet outlives its spawner (SCH-12). */
internal object HubScope : CoroutineScope {
    override val coroutineContext: CoroutineContext get() = EmptyCoroutineContext
}

/**
 * The failure of a greenlet's coroutine (from a failing child) is the greenlet's outcome, reported once by
 * gevent4j; this keeps kotlinx from also handing it to the hub thread's uncaught-exception handler.
 */
internal object Swallow : kotlinx.coroutines.CoroutineExceptionHandler {
    override val key: CoroutineContext.Key<*> get() = kotlinx.coroutines.CoroutineExceptionHandler

    override fun handleException(context: CoroutineContext, exception: Throwable) {}
}

/** Cancels a Kotlin greenlet's coroutine on a kill; its cause is the kill's exception. */
internal class KillCancellation(cause: Throwable) : CancellationException("greenlet killed with $cause") {
    init {
        initCause(cause)
    }
}

/**
 * A Kotlin greenlet: a coroutine on the hub's dispatcher. It is also the coroutine-context element that
 * finds it ([Key]) and keeps [HubImpl.currentKotlin] up to date while it runs on the hub thread, so that
 * `getcurrent()` and `Timeout.start()` know it.
 */
internal class KotlinGreenletCore<T>(
    owner: Greenlet<T>,
    hub: HubImpl,
    private val block: suspend CoroutineScope.() -> T,
) : GreenletCore<T>(owner, hub), ThreadContextElement<Any?> {
    @Volatile private var job: Job? = null
    private var killCause: Throwable? = null

    override val key: CoroutineContext.Key<*> get() = Key

    companion object Key : CoroutineContext.Key<KotlinGreenletCore<*>> {
        private val OFF_HUB = Any()
    }

    override fun launch() {
        // The body runs inside the launched lambda itself (no helper suspend function): one continuation
        // object fewer per suspended Kotlin greenlet.
        job = HubScope.launch(hub + this + Swallow) {
            if (!enterBody()) return@launch
            var value: T? = null
            var error: Throwable? = null
            try {
                value = block(this)
            } catch (t: Throwable) {
                error = t
            }
            finish(value, outcomeOf(error, isActive))
        }
    }

    /** The greenlet's outcome for what its body threw; a cancellation becomes the kill that caused it. */
    private fun outcomeOf(error: Throwable?, active: Boolean): Throwable? {
        if (error !is CancellationException) return error
        val k = killCause
        if (k != null) return k
        if (active) return error // a CancellationException of the body's own (kotlinx withTimeout, say): a failure
        // cancelled from outside gevent4j: by a failing child coroutine (then that failure is the greenlet's),
        // or by whoever holds its Job (a GreenletExit, as a kill)
        return rootCause(error) ?: GreenletExit("coroutine cancelled")
    }

    /** The first cause that is not a cancellation (kotlinx's debug mode wraps cancellations in copies). */
    private fun rootCause(e: Throwable): Throwable? {
        var c: Throwable? = e.cause
        var depth = 0
        while (c is CancellationException && depth++ < 16) c = c.cause
        return c
    }

    override fun deliverKill(exception: Throwable) {
        killCause = exception
        job?.cancel(KillCancellation(exception))
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
