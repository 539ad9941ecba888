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
        job = HubScope.launch(hub + this) { runBody(this) }
    }

    private suspend fun runBody(scope: CoroutineScope) {
        if (!enterBody()) return
        var value: T? = null
        var error: Throwable? = null
        try {
            value = block(scope)
        } catch (t: Throwable) {
            error = t
        }
        if (error is CancellationException) {
            val k = killCause
            if (k != null) {
                error = k
            } else if (!scope.isActive) {
                error = GreenletExit("coroutine cancelled")
            }
        }
        finish(value, error)
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
