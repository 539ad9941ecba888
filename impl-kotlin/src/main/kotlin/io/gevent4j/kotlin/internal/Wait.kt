package io.gevent4j.kotlin.internal

import java.util.concurrent.CancellationException
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater
import java.util.concurrent.locks.LockSupport
import kotlin.coroutines.Continuation
import kotlin.coroutines.resume

/**
 * One blocked party at one gevent4j wait point: a one-shot wake-up. The first [wake] or [wakeThrow] wins (from any
 * thread); later ones return false and change nothing. States (the AtomicInteger value):
 * ```
 * WAITING --CAS--> CLAIMED --(result written)--> DONE
 * ```
 *
 * The waiter reads the result only after seeing DONE.
 */
internal abstract class Wait {
    @Volatile @JvmField var waitState: Int = WAITING
    @JvmField var result: Any? = null
    @JvmField var error: Throwable? = null

    val isDone: Boolean
        get() = waitState == DONE

    protected fun get(): Int = waitState

    private fun compareAndSet(expect: Int, update: Int): Boolean = STATE.compareAndSet(this, expect, update)

    fun wake(value: Any?): Boolean = complete(value, null)

    fun wakeThrow(t: Throwable): Boolean = complete(null, t)

    private fun complete(value: Any?, t: Throwable?): Boolean {
        if (!compareAndSet(WAITING, CLAIMED)) return false
        result = value
        error = t
        waitState = DONE
        signal()
        return true
    }

    /**
     * Replaces the outcome of a wait that was woken but whose waiter has not resumed yet, so that a Timeout or a kill
     * that arrives in that window is raised at this very wait point, as in gevent. Only from the waiter's own hub
     * context, while the waiter is still parked in this wait.
     */
    fun overrideWithError(t: Throwable) {
        while (get() != DONE) Thread.onSpinWait()
        error = t
    }

    /** Makes the waiter runnable again. */
    protected abstract fun signal()

    /** The result of a finished wait: the value, or the error thrown. */
    fun outcome(): Any? {
        val e = error
        if (e != null) throw e
        return result
    }

    companion object {
        const val WAITING: Int = 0
        const val CLAIMED: Int = 1
        const val DONE: Int = 2

        /** The value a timer wakes a wait with when its timeout expires. */
        @JvmField val TIMED_OUT: Any = Any()

        private val STATE: AtomicIntegerFieldUpdater<Wait> =
            AtomicIntegerFieldUpdater.newUpdater(Wait::class.java, "waitState")
    }
}

/**
 * A wait of a thread that parks: a Java greenlet in SCHEDULED_ON_HUB mode (unpark re-submits its continuation to the
 * hub) or a thread of no hub.
 */
internal class ParkWait(@JvmField val thread: Thread) : Wait() {
    override fun signal() {
        LockSupport.unpark(thread)
    }

    /**
     * Parks until done, at most until [deadline] (System.nanoTime) when [deadline] != Long.MAX_VALUE: then the wait
     * wakes itself with [Wait.TIMED_OUT]. An interrupt ends the wait with a [CancellationException] (cause:
     * InterruptedException) and leaves the interrupt flag set: a park loop must never spin on a set interrupt flag.
     */
    fun await(deadline: Long): Any? {
        while (get() != DONE) {
            if (Thread.interrupted()) {
                if (wakeThrow(interrupted())) {
                    Thread.currentThread().interrupt()
                    break
                }
                // somebody else won the race: wait for DONE without re-checking the flag
                while (get() != DONE) Thread.onSpinWait()
                Thread.currentThread().interrupt()
                break
            }
            if (deadline == Long.MAX_VALUE) {
                LockSupport.park(this)
            } else {
                val left = deadline - System.nanoTime()
                if (left <= 0) {
                    wake(TIMED_OUT)
                } else {
                    LockSupport.parkNanos(this, left)
                }
            }
        }
        return outcome()
    }
}

/**
 * A wait of a Java greenlet in HANDOFF mode: waking it hands it a turn on its hub. A wake that happens before the
 * greenlet gave the baton back (say, a registration that found its object ready) hands out no turn: the greenlet sees
 * DONE and goes on. (`blocked` and the DONE state are a Dekker pair of volatiles.)
 */
internal class HandoffWait(@JvmField val core: JavaGreenletCore<*>) : Wait() {
    @Volatile private var blocked = false

    override fun signal() {
        if (blocked) core.hub.carrier.resume(core)
    }

    fun await(): Any? {
        if (get() != DONE) {
            blocked = true
            while (get() != DONE) {
                core.hub.carrier.block(core, this)
            }
        }
        return outcome()
    }
}

/** A wait of a coroutine (a Kotlin greenlet or any coroutine calling a suspend twin), with its bookkeeping. */
internal class ContWait : Wait() {
    @JvmField var cont: Continuation<Any?>? = null
    @JvmField var cleanup: Runnable? = null
    @JvmField var remote: RemoteRegistration? = null
    @JvmField var timer: Timer? = null
    @JvmField var timerHub: HubImpl? = null

    override fun signal() {
        val e = error
        // resumeWithException would let kotlinx's stack-trace recovery (on with -ea / debug mode) throw a
        // COPY of e at the suspension point; the raiser must get the very instance (TO-05, GL-15).
        cont!!.resume(if (e != null) Thrown(e) else result)
    }
}

/** The outcome of a [ContWait] woken with an error; [Blocking.awaitSuspend] throws [error] itself. */
internal class Thrown(@JvmField val error: Throwable)

internal fun interrupted(): CancellationException =
    CancellationException("interrupted while blocked in a gevent4j call").apply { initCause(InterruptedException()) }
