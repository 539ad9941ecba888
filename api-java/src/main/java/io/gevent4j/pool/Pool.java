package io.gevent4j.pool;

import io.gevent4j.Greenlet;
import io.gevent4j.lock.Semaphore;
import io.gevent4j.spi.Arguments;
import io.gevent4j.spi.Providers;
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
    private final int size;
    private final @Nullable Semaphore slots;

    /** Creates an unbounded pool (gevent's {@code Pool(None)}). */
    public Pool() {
        this.size = -1;
        this.slots = null;
    }

    /**
     * Creates a pool of {@code size} slots.
     *
     * @param size the number of slots, 0 allowed
     * @throws IllegalArgumentException if {@code size} is negative, naming the value
     */
    public Pool(int size) {
        if (size < 0) {
            throw new IllegalArgumentException("size must not be negative: " + size);
        }
        this.size = size;
        this.slots = new Semaphore(size);
    }

    /**
     * The number of slots, or -1 when unbounded.
     *
     * @return the size
     */
    public int poolSize() {
        return size;
    }

    /**
     * The number of free slots, {@code max(0, size - size())}; always 1 for an unbounded pool. Never blocks.
     *
     * @return the free slots
     */
    public int freeCount() {
        if (slots == null) {
            return 1;
        }
        return Math.max(0, size - size());
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
        Arguments.timeoutNanos(timeout, "timeout");
        if (slots == null) {
            return 1;
        }
        if (slots.counter() <= 0) {
            Providers.get().checkMayBlock("Pool.waitAvailable", "Pool.awaitAvailable");
        }
        if (!slots.waitFor(timeout)) {
            return 0;
        }
        return Math.max(0, slots.counter());
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
        Arguments.timeoutNanos(timeout, "timeout");
        if (slots == null || contains(g)) {
            addMember(g);
            return;
        }
        boolean got = slots.tryAcquire();
        if (!got && blocking) {
            Providers.get().checkMayBlock("Pool.add/spawn/start", "Pool.awaitAdd (Group.spawnSuspend to spawn)");
            got = slots.acquire(timeout);
        }
        if (!got) {
            throw new PoolFullException();
        }
        addHoldingSlot(g);
    }

    /** Adds {@code g} for a slot the caller took; gives the slot back when {@code g} is a member already. */
    void addHoldingSlot(Greenlet<?> g) {
        boolean added;
        try {
            added = addMember(g);
        } catch (RuntimeException | Error e) {
            slots.release();
            throw e;
        }
        if (!added) { // a member already (added by someone else meanwhile)
            slots.release();
        }
    }

    @Override
    boolean tryAdd(Greenlet<?> g) {
        if (slots == null) {
            addMember(g);
            return true;
        }
        if (!slots.tryAcquire()) {
            return false;
        }
        addHoldingSlot(g);
        return true;
    }

    @Override
    void addInLine(Greenlet<?> g) {
        if (slots == null) {
            addMember(g);
            return;
        }
        slots.acquire();
        addHoldingSlot(g);
    }

    @Nullable Semaphore slots() {
        return slots;
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

    @Override
    void memberRemoved() {
        if (slots != null) {
            slots.release();
        }
    }

    @Override
    boolean applyAsyncOutside() {
        return isFull();
    }

    @Override
    int imapWindow() {
        return size;
    }
}
