package io.gevent4j.kotlin.internal

import io.gevent4j.Waitable

/**
 * A child's exit as a [Linkable] (like [AsyncResultCore]): set once, from the JDK thread that completes
 * `Process.onExit()`; waiters wake FIFO and rawlink callbacks run on the hubs they were registered from.
 */
internal class ChildExit(owner: Waitable) : Linkable(owner) {
    /** The return code once known; written under the lock. */
    @Volatile
    var code: Int? = null
        private set

    override val ready: Boolean
        get() = code != null

    fun set(returncode: Int) {
        val batch =
            lock.locked {
                if (code != null) return
                takeLinks().also { code = returncode }
            }
        fire(batch)
    }
}
