package io.gevent4j.pool;

import io.gevent4j.GreenCallable;
import io.gevent4j.Greenlet;
import io.gevent4j.queue.SimpleQueue;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import java.util.concurrent.atomic.AtomicInteger;
import io.gevent4j.spi.Providers;

/**
 * eventlet's {@code eventlet.GreenPile}: spawns tasks into a {@link GreenPool} and hands back their results in
 * <em>spawn order</em> (not completion order, EL-16). The iteration ends once every spawned task has been
 * consumed; a pile can be fed again after that. Meant for one consumer.
 *
 * <p>Blocking calls follow the caller contexts of {@link GreenPool}; from a Kotlin greenlet use the suspend twins
 * {@code GreenPile.spawnSuspend}, {@code GreenPile.awaitNext} and {@code GreenPile.consumeAsFlow}. Safe from any
 * thread; with several consumers each result still goes to exactly one of them.
 *
 * @param <T> the result type
 */
public class GreenPile<T> implements Iterator<T>, Iterable<T> {
    private final GreenPool pool;
    private final SimpleQueue<Greenlet<T>> spawned = new SimpleQueue<>();
    private final AtomicInteger counter = new AtomicInteger(); // spawned (or being spawned) and not consumed

    /** Creates a pile over a new {@link GreenPool} of the default size (1000). */
    public GreenPile() {
        this(new GreenPool());
    }

    /**
     * Creates a pile over a new {@link GreenPool} of {@code size} slots.
     *
     * @param size the number of slots
     * @throws IllegalArgumentException if {@code size} is negative, naming the value
     */
    public GreenPile(int size) {
        this(new GreenPool(size));
    }

    /**
     * Creates a pile that spawns into {@code pool}, which it may share with other piles and spawners (EL-19).
     *
     * @param pool the pool
     * @throws NullPointerException if {@code pool} is null
     */
    public GreenPile(GreenPool pool) {
        this.pool = Objects.requireNonNull(pool, "pool must not be null");
    }

    /**
     * Spawns {@code fn} in the pool, waiting as {@link GreenPool#spawn(GreenCallable)} does for a free slot. If
     * that wait is interrupted (for instance by a {@link io.gevent4j.Timeout}) nothing is added to the pile (EL-17).
     *
     * @param fn the body
     * @throws NullPointerException if {@code fn} is null
     * @throws io.gevent4j.Timeout if a timeout interrupts the wait for a slot
     */
    public void spawn(GreenCallable<T> fn) {
        Objects.requireNonNull(fn, "fn must not be null");
        counter.incrementAndGet();
        Greenlet<T> g;
        try {
            g = pool.spawn(fn);
        } catch (RuntimeException | Error e) {
            counter.decrementAndGet();
            throw e;
        }
        spawned.putNowait(g);
    }

    /**
     * Tells whether a spawned result has not been consumed yet. Never blocks.
     *
     * @return true while {@link #next()} has a result to give
     */
    @Override
    public boolean hasNext() {
        return counter.get() > 0;
    }

    /**
     * The result of the oldest task not consumed yet, waiting for it to finish. A failed task throws here
     * (unchecked errors as the same instance, checked ones wrapped in {@link io.gevent4j.GreenletFailedException})
     * and counts as consumed, so the iteration goes on with the next task (EL-18).
     *
     * @return the result, null for a task killed with {@link io.gevent4j.GreenletExit}
     * @throws NoSuchElementException when every spawned task has been consumed
     */
    @Override
    public T next() {
        if (counter.get() <= 0) {
            throw new NoSuchElementException("every spawned task of this GreenPile has been consumed");
        }
        if (spawned.isEmpty() || !spawned.peekNowait().isDead()) {
            Providers.get().checkMayBlock("GreenPile.next", "GreenPile.awaitNext");
        }
        Greenlet<T> g = spawned.get();
        counter.decrementAndGet();
        return g.get();
    }

    /**
     * Returns this object itself: the pile is its own iterator.
     *
     * @return this
     */
    @Override
    public Iterator<T> iterator() {
        return this;
    }

    GreenPool pool() {
        return pool;
    }

    /** Counts a spawn that is about to wait for its slot (so {@link #hasNext} is true meanwhile). */
    void spawning() {
        counter.incrementAndGet();
    }

    /** Ends what {@link #spawning} began: queues {@code g}, or uncounts the spawn when it failed (null). */
    @SuppressWarnings("unchecked")
    void spawned(@Nullable Greenlet<?> g) {
        if (g == null) {
            counter.decrementAndGet();
        } else {
            spawned.putNowait((Greenlet<T>) g);
        }
    }

    SimpleQueue<Greenlet<T>> results() {
        return spawned;
    }

    /** Counts one result as consumed, after it was taken from {@link #results}. */
    void taken() {
        counter.decrementAndGet();
    }
}
