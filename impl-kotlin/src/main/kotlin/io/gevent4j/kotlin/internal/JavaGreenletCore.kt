package io.gevent4j.kotlin.internal

import io.gevent4j.GreenCallable
import io.gevent4j.Greenlet

/**
 * A Java greenlet: its body runs on its own virtual thread, which the hub schedules ([JavaCarrier]). Blocking facades
 * called in it park that virtual thread; the hub runs others meanwhile.
 */
internal class JavaGreenletCore<T>(owner: Greenlet<T>, hub: HubImpl, private val body: GreenCallable<T>) :
    GreenletCore<T>(owner, hub), Runnable {
    /**
     * The virtual thread; dropped once its body has ended, so that a dead greenlet someone still holds does not keep
     * the thread and its continuation alive (about 270 bytes each).
     */
    @JvmField var thread: Thread? = hub.carrier.newThread(this)

    /** HANDOFF baton: whose turn it is. */
    @Volatile @JvmField var turn: Int = TURN_HUB
    @JvmField var threadStarted: Boolean = false

    private var turnTaskOrNull: Runnable? = null

    /** HANDOFF: the hub task that gives this greenlet a turn (made on first use: SCHEDULED mode never needs it). */
    val turnTask: Runnable
        get() =
            turnTaskOrNull ?: Runnable { (hub.carrier as HandoffCarrier).runTurn(this) }.also { turnTaskOrNull = it }

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
            thread = null
        }
    }

    companion object {
        const val TURN_HUB: Int = 0
        const val TURN_GREENLET: Int = 1
        const val TURN_FINISHED: Int = 2

        private val CURRENT = ThreadLocal<JavaGreenletCore<*>>()

        /** The Java greenlet whose virtual thread calls, or null. */
        fun current(): JavaGreenletCore<*>? = if (Thread.currentThread().isVirtual) CURRENT.get() else null
    }
}
