package io.gevent4j.spi;

import io.gevent4j.GreenCallable;
import org.jspecify.annotations.Nullable;

/**
 * For implementors only: the implementation side of an {@link io.gevent4j.pool.GreenPile}. Safe from any thread,
 * also with several consumers (each result goes to exactly one).
 *
 * @param <T> the result type
 */
public interface GreenPilePeer<T extends @Nullable Object> {
    /**
     * Spawns {@code fn} into the pile's pool (waiting for a slot); an interrupted wait adds nothing.
     *
     * @param fn the body
     */
    void spawn(GreenCallable<T> fn);

    /** @return whether a spawned result has not been claimed by a consumer yet */
    boolean hasNext();

    /**
     * @return the result of the oldest task not consumed yet, waiting for it
     * @throws java.util.NoSuchElementException when every spawned task has been consumed
     */
    @Nullable
    T next();
}
