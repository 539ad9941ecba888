package io.gevent4j.lock;

import io.gevent4j.Waitable;
import io.gevent4j.spi.Arguments;
import io.gevent4j.spi.Internals;
import io.gevent4j.spi.Providers;
import io.gevent4j.spi.SemaphorePeer;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * gevent's {@code Semaphore}: a counter of permits, safe from any thread. {@code acquire} takes one, waiting
 * while none is free; {@code release} gives one back and never switches (SEM-09). Waiters are served in the
 * order they started waiting (SEM-08); a caller that is not waiting may take a released permit first
 * (SEM-10, barging). Ready (for {@link io.gevent4j.Gevent#wait}) while a permit is free.
 *
 * <p>Blocking calls yield inside a Java greenlet, block a thread of no hub, and throw
 * {@link io.gevent4j.BlockingSwitchOutException} on a hub thread outside a Java greenlet (Kotlin:
 * {@code withPermit { }}, {@code awaitAcquire()}).
 */
public class Semaphore implements Waitable {
    static {
        Internals.install(Semaphore.class, s -> ((Semaphore) s).peer);
    }

    final SemaphorePeer peer;

    /** A semaphore with one permit. */
    public Semaphore() {
        this(1);
    }

    /**
     * @param value the initial number of permits
     * @throws IllegalArgumentException if {@code value} is negative (SEM-01)
     */
    @SuppressWarnings("this-escape") // the provider only keeps the reference
    public Semaphore(int value) {
        if (value < 0) {
            throw new IllegalArgumentException("value must be >= 0: " + value);
        }
        this.peer = Providers.get().newSemaphore(this, value);
    }

    /** Takes a permit, waiting as long as needed. */
    public void acquire() {
        peer.acquire(-1);
    }

    /**
     * Takes a permit, waiting at most {@code timeout}.
     *
     * @param timeout at most this long; {@code null} waits for ever
     * @return true when taken, false on timeout (SEM-02)
     * @throws IllegalArgumentException if {@code timeout} is negative
     */
    public boolean acquire(@Nullable Duration timeout) {
        return peer.acquire(Arguments.timeoutNanos(timeout, "timeout"));
    }

    /**
     * {@link #acquire(Duration)} in seconds.
     *
     * @param seconds not negative
     * @return true when taken, false on timeout
     */
    public boolean acquire(double seconds) {
        return peer.acquire(Arguments.secondsNanos(seconds, "seconds"));
    }

    /** @return true when a permit was free and is now taken; never waits (gevent's {@code acquire(False)}) */
    public boolean tryAcquire() {
        return peer.acquire(0);
    }

    /**
     * Gives a permit back and wakes the first waiter (it runs later). Never blocks.
     *
     * @return the new counter (SEM-03)
     */
    public int release() {
        return peer.release(Integer.MAX_VALUE);
    }

    /** @return the number of free permits */
    public int counter() {
        return peer.counter();
    }

    /** @return true when no permit is free */
    public boolean isLocked() {
        return peer.counter() == 0;
    }

    /** @return true while a permit is free */
    @Override
    public boolean isReady() {
        return peer.counter() > 0;
    }

    /**
     * Waits until a permit is free, taking none.
     *
     * @return true
     */
    public boolean waitFor() {
        return peer.waitFor(-1) > 0;
    }

    /**
     * Waits at most {@code timeout} until a permit is free, taking none.
     *
     * @param timeout at most this long; {@code null} waits for ever
     * @return true when one is free, false on timeout (SEM-05)
     */
    public boolean waitFor(@Nullable Duration timeout) {
        return peer.waitFor(Arguments.timeoutNanos(timeout, "timeout")) > 0;
    }

    /**
     * {@link #waitFor(Duration)} in seconds.
     *
     * @param seconds not negative
     * @return true when one is free, false on timeout
     */
    public boolean waitFor(double seconds) {
        return peer.waitFor(Arguments.secondsNanos(seconds, "seconds")) > 0;
    }

    /**
     * Takes a permit, waiting as {@link #acquire()} does, and gives it back on {@code close()}: gevent's
     * {@code with sem:} (SEM-11).
     *
     * <pre>{@code try (var p = sem.permit()) { ... } }</pre>
     *
     * @return the permit
     * @throws io.gevent4j.BlockingSwitchOutException when it would wait, on a hub thread outside a Java greenlet
     *     (Kotlin: {@code withPermit { }}); nothing is taken then
     */
    public Permit permit() {
        if (!peer.acquire(0)) {
            // it will wait: a Kotlin body is told the twin of this call, not of acquire()
            Providers.get().checkMayBlock("Semaphore.permit()", "Semaphore.withPermit { }");
            peer.acquire(-1);
        }
        return new Permit(this);
    }

    /** A taken permit; {@link #close()} gives it back once. */
    public static final class Permit implements AutoCloseable {
        private final Semaphore owner;
        private boolean closed;

        Permit(Semaphore owner) {
            this.owner = owner;
        }

        /** Gives the permit back; no effect the second time. */
        @Override
        public void close() {
            if (!closed) {
                closed = true;
                owner.release();
            }
        }
    }

    @Override
    public void rawlink(Consumer<? super Waitable> callback) {
        peer.rawlink(Objects.requireNonNull(callback, "callback must not be null"));
    }

    @Override
    public void unlink(Consumer<? super Waitable> callback) {
        if (callback != null) {
            peer.unlink(callback);
        }
    }

    @Override
    public String toString() {
        return "<" + getClass().getSimpleName() + " counter=" + counter() + ">";
    }
}
