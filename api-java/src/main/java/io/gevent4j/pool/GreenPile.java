package io.gevent4j.pool;

import io.gevent4j.GreenCallable;
import io.gevent4j.spi.GreenPilePeer;
import io.gevent4j.spi.Internals;
import io.gevent4j.spi.Providers;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

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
public class GreenPile<T extends @Nullable Object> implements Iterator<@Nullable T>, Iterable<@Nullable T> {
    static {
        Internals.install(GreenPile.class, p -> ((GreenPile<?>) p).peer);
    }

    private final GreenPilePeer<T> peer;

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
        Objects.requireNonNull(pool, "pool must not be null");
        this.peer = Providers.get().newGreenPile(pool);
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
        peer.spawn(fn);
    }

    /**
     * Tells whether a spawned result has not been consumed yet. Never blocks.
     *
     * @return true while {@link #next()} has a result to give
     */
    @Override
    public boolean hasNext() {
        return peer.hasNext();
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
    public @Nullable T next() {
        return peer.next();
    }

    /**
     * Returns this object itself: the pile is its own iterator.
     *
     * @return this
     */
    @Override
    public Iterator<@Nullable T> iterator() {
        return this;
    }
}
