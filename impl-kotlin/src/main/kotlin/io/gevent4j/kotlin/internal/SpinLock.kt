package io.gevent4j.kotlin.internal

import java.util.concurrent.atomic.AtomicBoolean
import kotlin.contracts.ExperimentalContracts
import kotlin.contracts.InvocationKind
import kotlin.contracts.contract

/**
 * The primitives' lock: a spin lock, not a monitor, for critical sections that never block and never re-enter.
 *
 * A monitor deadlocks a hub here. A Java greenlet (a virtual thread whose scheduler is its hub) that meets contention
 * on a monitor (from a foreign thread or another hub) unmounts and becomes the monitor's next owner; if the hub's own
 * thread then enters that monitor (a rawlink callback, a Kotlin greenlet, a wake-up), it blocks waiting for a greenlet
 * that only it can run (the design notes' "hubmonitor" trap; reproduced with a Queue, a Semaphore and an Event shared
 * by two hubs and two platform threads, which hung in the first of 100 rounds). A spinning greenlet stays mounted, and
 * a holder is always running, so the lock is released within a few instructions; a holder preempted by the OS is waited
 * for with [Thread.yield] after a short spin.
 */
internal class SpinLock {
    private val held = AtomicBoolean()

    fun lock() {
        var spins = 0
        while (held.compareAndExchangeAcquire(false, true)) { // the witness is true while someone holds it
            if (++spins < SPINS) {
                Thread.onSpinWait()
            } else {
                spins = 0
                Thread.yield()
            }
        }
    }

    fun unlock() {
        held.setRelease(false)
    }

    @OptIn(ExperimentalContracts::class)
    inline fun <T> locked(block: () -> T): T {
        contract { callsInPlace(block, InvocationKind.EXACTLY_ONCE) } // as synchronized: vals may be set inside
        lock()
        try {
            return block()
        } finally {
            unlock()
        }
    }

    private companion object {
        const val SPINS = 64
    }
}
