package io.gevent4j.lock;

import io.gevent4j.spi.Arguments;
import io.gevent4j.spi.Internals;
import io.gevent4j.spi.Providers;
import io.gevent4j.spi.RLockPeer;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * gevent's {@code RLock}: a re-entrant lock owned by a greenlet (Java or Kotlin), or by a thread of no hub.
 * The owner may acquire it again; it is free once released as often as acquired (SEM-16). Waiters are served
 * in the order they started waiting. Blocking calls behave as {@link Semaphore}'s (Kotlin:
 * {@code withLock { }}).
 */
public class RLock {
    static {
        Internals.install(RLock.class, l -> ((RLock) l).peer);
    }

    private final RLockPeer peer;

    /** A free lock. */
    public RLock() {
        this.peer = Providers.get().newRLock();
    }

    /** Acquires, waiting as long as needed; at once when the caller owns it already. */
    public void acquire() {
        peer.acquire(-1);
    }

    /**
     * Acquires, waiting at most {@code timeout}.
     *
     * @param timeout at most this long; {@code null} waits for ever
     * @return true when owned on return, false on timeout (SEM-17)
     */
    public boolean acquire(@Nullable Duration timeout) {
        return peer.acquire(Arguments.timeoutNanos(timeout, "timeout"));
    }

    /**
     * {@link #acquire(Duration)} in seconds.
     *
     * @param seconds not negative
     * @return true when owned on return, false on timeout
     */
    public boolean acquire(double seconds) {
        return peer.acquire(Arguments.secondsNanos(seconds, "seconds"));
    }

    /** @return true when owned on return; never waits */
    public boolean tryAcquire() {
        return peer.acquire(0);
    }

    /**
     * Releases once.
     *
     * @throws IllegalMonitorStateException when the caller does not own it; the message names owner and caller
     *     (SEM-15)
     */
    public void release() {
        peer.release();
    }

    /** @return whether the caller owns it (SEM-18) */
    public boolean isOwned() {
        return peer.isOwned();
    }
}
