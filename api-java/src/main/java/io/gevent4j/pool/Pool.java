package io.gevent4j.pool;

import io.gevent4j.Greenlet;
import io.gevent4j.spi.Arguments;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * gevent's {@code gevent.pool.Pool}: a {@link Group} that holds at most {@code size} members. Adding to a full pool
 * waits for a member to leave; a slot is freed one loop iteration after its member dies (PL-02).
 *
 * <p>{@code Pool()} is unbounded ({@code freeCount()} is always 1, gevent's {@code Pool(None)}); {@code Pool(0)} is
 * valid and always full, so spawning into it waits for ever (PL-01). Blocking calls follow the three caller
 * contexts described on {@link Group}.
 */
public class Pool extends Group {
    /** Creates an unbounded pool (gevent's {@code Pool(None)}). */
    public Pool() {
        super(-1);
    }

    /**
     * Creates a pool of {@code size} slots.
     *
     * @param size the number of slots, 0 allowed
     * @throws IllegalArgumentException if {@code size} is negative, naming the value
     */
    public Pool(int size) {
        super(checkSize(size));
    }

    private static int checkSize(int size) {
        if (size < 0) {
            throw new IllegalArgumentException("size must not be negative: " + size);
        }
        return size;
    }

    /**
     * The number of slots, or -1 when unbounded.
     *
     * @return the size
     */
    public int poolSize() {
        return peer.poolSize();
    }

    /**
     * The number of free slots, {@code max(0, size - size())}; always 1 for an unbounded pool. Never blocks.
     *
     * @return the free slots
     */
    public int freeCount() {
        return peer.freeCount();
    }

    /**
     * Tells whether no slot is free ({@code freeCount() <= 0}); never for an unbounded pool.
     *
     * @return true when full
     */
    public boolean isFull() {
        return freeCount() <= 0;
    }

    /**
     * Waits until a slot is free or the timeout expires, without taking it (PL-10).
     *
     * @param timeout the longest wait, null for none
     * @return the number of free slots, 0 on timeout; 1 at once for an unbounded pool
     * @throws IllegalArgumentException if {@code timeout} is negative
     */
    public int waitAvailable(@Nullable Duration timeout) {
        return peer.waitAvailable(Arguments.timeoutNanos(timeout, "timeout"));
    }

    /**
     * Same as {@link #waitAvailable(Duration)} with the timeout in seconds.
     *
     * @param seconds the longest wait
     * @return the number of free slots, 0 on timeout
     * @throws IllegalArgumentException if {@code seconds} is negative or NaN
     */
    public int waitAvailable(double seconds) {
        return waitAvailable(Arguments.ofSeconds(seconds, "seconds"));
    }

    /**
     * Adds {@code g}, waiting as long as needed for a free slot (PL-04, PL-07).
     *
     * @param g the greenlet
     * @throws NullPointerException if {@code g} is null
     */
    @Override
    public void add(Greenlet<?> g) {
        add(g, true, null);
    }

    /**
     * Adds {@code g} once a slot is free. Adding a member again takes no second slot.
     *
     * @param g the greenlet
     * @param blocking false to fail at once when full (the timeout is then ignored)
     * @param timeout the longest wait when blocking, null for none
     * @throws PoolFullException when no slot was free in time (PL-08)
     * @throws NullPointerException if {@code g} is null
     * @throws IllegalArgumentException if {@code timeout} is negative
     */
    public void add(Greenlet<?> g, boolean blocking, @Nullable Duration timeout) {
        Objects.requireNonNull(g, "g must not be null");
        if (!peer.add(g, blocking, Arguments.timeoutNanos(timeout, "timeout"))) {
            throw new PoolFullException();
        }
    }

    /**
     * Adds {@code g} as {@link #add(Greenlet, boolean, Duration)} does, then starts it.
     *
     * @param g a greenlet that was not started
     * @param blocking false to fail at once when full
     * @param timeout the longest wait when blocking, null for none
     * @throws PoolFullException when no slot was free in time (PL-08); {@code g} is then not started
     * @throws NullPointerException if {@code g} is null
     * @throws IllegalArgumentException if {@code timeout} is negative
     */
    public void start(Greenlet<?> g, boolean blocking, @Nullable Duration timeout) {
        add(g, blocking, timeout);
        g.start();
    }
}
