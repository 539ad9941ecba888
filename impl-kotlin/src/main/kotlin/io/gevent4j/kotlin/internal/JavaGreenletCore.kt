package io.gevent4j.kotlin.internal

import io.gevent4j.GreenCallable
import io.gevent4j.Greenlet

/**
 * A Java greenlet: its body runs on its own virtual thread, which the hub schedules ([JavaCarrier]).
 * Blocking facades called in it park that virtual thread; the hub runs others meanwhile.
 */
internal class JavaGreenletCore<T>(
    owner: Greenlet<T>,
    hub: HubImpl,
    private val body: GreenCallable<T>,
) : GreenletCore<T>(owner, hub), Runnable {
    @JvmField val thread: Thread = hub.carrier.newThread(this)

    /** HANDOFF baton: whose turn it is. */
    @Volatile @JvmField var turn: Int = TURN_HUB
    @JvmField var threadStarted: Boolean = false

    /** HANDOFF: the hub task that gives this greenlet a turn. */
    val turnTask: Runnable by lazy(LazyThreadSafetyMode.PUBLICATION) {
        Runnable { (hub.carrier as HandoffCarrier).runTurn(this) }
    }

    override fun launch() {
        hub.carrier.start(this)
    }

    override fun deliverKill(exception: Throwable) {
        throwIn(exception)
    }

    /** The virtual thread's body. */
    override fun run() {
        CURRENT.set(this)
        try {
            if (!enterBody()) return
            var value: T? = null
            var error: Throwable? = null
            try {
                value = body.call()
            } catch (t: Throwable) {
                error = t
            }
            finish(value, error)
        } finally {
            hub.carrier.finished(this)
        }
    }

    companion object {
        const val TURN_HUB: Int = 0
        const val TURN_GREENLET: Int = 1
        const val TURN_FINISHED: Int = 2

        private val CURRENT = ThreadLocal<JavaGreenletCore<*>>()

        /** The Java greenlet whose virtual thread calls, or null. */
        fun current(): JavaGreenletCore<*>? =
            if (Thread.currentThread().isVirtual) CURRENT.get() else null
    }
}
