package io.gevent4j.kotlin.internal

import io.gevent4j.Greenlet
import io.gevent4j.Waitable
import io.gevent4j.kotlin.spi.SuspendRLockPeer
import io.gevent4j.spi.RLockPeer
import java.util.function.Consumer

/**
 * gevent's `RLock` (SEM-15..SEM-18): a [SemaphoreCore] of one permit plus an owner and a count. The owner is the
 * calling greenlet (Java or Kotlin), or the thread for callers outside greenlets.
 */
internal class RLockCore : RLockPeer, SuspendRLockPeer {
    private val sem =
        SemaphoreCore(
            1,
            object : Waitable {
                override fun isReady(): Boolean = false

                override fun rawlink(callback: Consumer<in Waitable>) {}

                override fun unlink(callback: Consumer<in Waitable>) {}
            },
        )
    @Volatile private var owner: Any? = null
    private var depth = 0

    private fun me(): Any = KotlinGeventProvider.currentCore()?.owner ?: Thread.currentThread()

    private fun describe(o: Any?): String =
        when (o) {
            null -> "nobody"
            is Greenlet<*> -> "greenlet \"${o.name()}\""
            is Thread -> "thread \"${o.name}\""
            else -> o.toString()
        }

    override fun acquire(timeoutNanos: Long): Boolean {
        val me = me()
        if (owner === me) {
            depth++
            return true
        }
        if (!sem.acquire(timeoutNanos, "RLock.acquire()", "RLock.awaitAcquire() (or RLock.withLock { })")) return false
        owner = me
        depth = 1
        return true
    }

    /** The suspend twin of [acquire]. */
    override suspend fun awaitAcquire(timeoutNanos: Long): Boolean {
        val me = me()
        if (owner === me) {
            depth++
            return true
        }
        if (!sem.awaitAcquire(timeoutNanos)) return false
        owner = me
        depth = 1
        return true
    }

    override fun release() {
        val me = me()
        val o = owner
        if (o !== me) {
            throw IllegalMonitorStateException(
                "cannot release an RLock that the caller does not own. Owner: ${describe(o)}; caller: ${describe(me)}"
            )
        }
        if (--depth == 0) {
            owner = null
            sem.release(Int.MAX_VALUE)
        }
    }

    override fun isOwned(): Boolean = owner === me()
}
