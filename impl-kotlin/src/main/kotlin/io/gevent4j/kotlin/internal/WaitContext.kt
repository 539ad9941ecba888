package io.gevent4j.kotlin.internal

/** A node of a hub's intrusive list of live greenlets (O(1) insert and removal, no allocation). */
internal open class LiveNode {
    @JvmField var nextLive: LiveNode? = null
    @JvmField var prevLive: LiveNode? = null

    /** Sentinel use: inserts [node] at the tail of the list headed by this. */
    fun insertBefore(node: LiveNode) {
        if (nextLive == null) {
            nextLive = this
            prevLive = this
        }
        val tail = prevLive!!
        node.prevLive = tail
        node.nextLive = this
        tail.nextLive = node
        prevLive = node
    }

    /** Removes this node; false when it was not in a list. */
    fun unlinkFromLive(): Boolean {
        val p = prevLive ?: return false
        val n = nextLive!!
        p.nextLive = n
        n.prevLive = p
        prevLive = null
        nextLive = null
        return true
    }

    /** Sentinel use: the first node, or this when empty. */
    fun first(): LiveNode = nextLive ?: this
}

/**
 * Who waits at gevent4j wait points: a greenlet (Java or Kotlin) or a thread of no hub. It holds the wait the party is
 * blocked in, if any, and an exception to raise at its next wait point (a kill or a Timeout that arrived while it was
 * not waiting). For greenlets all of this is touched in their hub's context only.
 */
internal abstract class WaitContext : LiveNode() {
    @JvmField var currentWait: Wait? = null
    @JvmField var pending: Throwable? = null

    /**
     * Raises [t] in this party: at its current wait point when it waits (even when that wait was woken a moment ago but
     * the party has not resumed yet), else at its next one.
     */
    open fun throwIn(t: Throwable) {
        val w = currentWait
        if (w == null) {
            pending = t
        } else if (!w.wakeThrow(t)) {
            if (w is ContWait) pending = t else w.overrideWithError(t)
        }
    }

    /** Throws the pending exception, if any, and forgets it. */
    open fun raisePending() {
        val p = pending
        if (p != null) {
            pending = null
            throw p
        }
    }

    /** The hub whose timers serve this party's timeouts. */
    abstract val timerHub: HubImpl
}

/**
 * The wait context of a thread that belongs to no hub: a Java service thread calling blocking facades. Its Timeouts
 * fire on the default hub's thread ([throwIn]) while the thread itself enters and leaves its waits, so the fields sit
 * behind a [SpinLock], not a monitor (the default hub's thread must never wait on a monitor: runtime.md, trap 3).
 * Nothing under it parks: waking a [ParkWait] is an unpark.
 */
internal class ForeignContext : WaitContext() {
    private val lock = SpinLock()

    override val timerHub: HubImpl
        get() = KotlinGeventProvider.defaultHubImpl()

    /**
     * Unlike a greenlet, this thread runs on its own: a wait woken already may have had its outcome read, so [t] then
     * waits for the thread's next wait point instead of replacing that outcome (where nobody would read it).
     */
    override fun throwIn(t: Throwable) {
        lock.lock()
        try {
            val w = currentWait
            if (w == null || !w.wakeThrow(t)) pending = t
        } finally {
            lock.unlock()
        }
    }

    override fun raisePending() {
        lock.lock()
        try {
            super.raisePending()
        } finally {
            lock.unlock()
        }
    }

    fun enterWait(w: Wait) {
        lock.lock()
        try {
            super.raisePending()
            currentWait = w
        } finally {
            lock.unlock()
        }
    }

    fun exitWait() {
        lock.locked { currentWait = null }
    }

    companion object {
        private val CURRENT = ThreadLocal.withInitial { ForeignContext() }

        fun current(): ForeignContext = CURRENT.get()
    }
}
