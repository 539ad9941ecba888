package io.gevent4j.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.gevent4j.Gevent;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Deterministic waits for a condition another thread or greenlet brings about: bounded (10 s, then the test
 * fails), polling in 1 ms yields inside a greenlet and 1 ms sleeps elsewhere. Never a sleep that hopes.
 */
public final class Waiting {
    private static final long LIMIT_NANOS = TimeUnit.SECONDS.toNanos(10);

    private Waiting() {}

    /** Waits until {@code cond} holds (yielding in a greenlet, else sleeping 1 ms); fails after 10 s. */
    public static void yieldUntil(BooleanSupplier cond, String what) throws InterruptedException {
        long deadline = System.nanoTime() + LIMIT_NANOS;
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("gave up waiting for " + what);
            }
            pause();
        }
    }

    /** Spins the CPU without yielding until {@code cond} holds: no other greenlet of the hub runs meanwhile. */
    public static void spinUntil(BooleanSupplier cond) {
        long deadline = System.nanoTime() + LIMIT_NANOS;
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("spun 10 s");
            }
            Thread.onSpinWait();
        }
    }

    /** True while {@code t} is parked in LockSupport (a blocked gevent4j call on a thread of no hub). */
    public static boolean isParked(Thread t) {
        Thread.State s = t.getState();
        if (s != Thread.State.WAITING && s != Thread.State.TIMED_WAITING) {
            return false;
        }
        for (StackTraceElement e : t.getStackTrace()) {
            if (e.getClassName().equals("java.util.concurrent.locks.LockSupport")) {
                return true;
            }
        }
        return false;
    }

    /** True while {@code t} is parked inside {@code className.method} (so it has registered as a waiter). */
    public static boolean isParkedIn(Thread t, String className, String method) {
        Thread.State st = t.getState();
        if (st != Thread.State.WAITING && st != Thread.State.TIMED_WAITING) {
            return false;
        }
        for (StackTraceElement f : t.getStackTrace()) {
            if (f.getClassName().equals(className) && f.getMethodName().equals(method)) {
                return true;
            }
        }
        return false;
    }

    /** True once {@code t} is parked inside {@code className.method}, polled for at most 10 s. */
    public static boolean awaitParkedIn(Thread t, String className, String method) throws InterruptedException {
        long deadline = System.nanoTime() + LIMIT_NANOS;
        while (System.nanoTime() - deadline < 0) {
            if (isParkedIn(t, className, method)) {
                return true;
            }
            pause();
        }
        return false;
    }

    /** Waits until {@code t} is parked with a blocker (a gevent4j wait), polled for at most 10 s. */
    public static void awaitBlocked(Thread t) throws InterruptedException {
        yieldUntil(() -> LockSupport.getBlocker(t) != null, t.getName() + " to block");
    }

    /** Spins (never yields) until {@code t} is WAITING or TIMED_WAITING; fails if it ends or after 10 s. */
    public static void spinUntilWaiting(Thread t) {
        long end = System.nanoTime() + LIMIT_NANOS;
        while (t.getState() != Thread.State.WAITING && t.getState() != Thread.State.TIMED_WAITING) {
            assertTrue(t.isAlive(), "thread ended before it waited");
            assertTrue(System.nanoTime() - end < 0, "thread did not park in 10 s: " + t.getState());
            Thread.onSpinWait();
        }
    }

    private static void pause() throws InterruptedException {
        if (Gevent.getcurrent() != null) {
            Gevent.sleep(0.001);
        } else {
            Thread.sleep(1);
        }
    }
}
