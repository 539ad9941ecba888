package io.gevent4j.pool;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The pools' lock: a spin lock, not a monitor, for critical sections that never block. A monitor is wrong here:
 * a Java greenlet (a virtual thread scheduled on its hub) that meets contention on a monitor unmounts and becomes
 * the monitor's next owner, and a death callback running on that hub's own thread then blocks on the monitor,
 * waiting for a greenlet only that thread can run: the hub deadlocks (the design notes' "hubmonitor" trap,
 * reproduced by GreenPoolThreadSafetyTest with spawners on several threads). A spinning greenlet stays mounted,
 * and whoever holds this lock is running, so it is released in a few instructions; a holder preempted by the OS
 * is waited for with {@link Thread#yield()} after a short spin.
 */
final class SpinLock {
    private static final int SPINS = 64;

    private final AtomicBoolean held = new AtomicBoolean();

    void lock() {
        int spins = 0;
        while (held.compareAndExchangeAcquire(false, true)) { // the witness is true while someone holds it
            if (++spins < SPINS) {
                Thread.onSpinWait();
            } else {
                spins = 0;
                Thread.yield();
            }
        }
    }

    void unlock() {
        held.setRelease(false);
    }
}
