package io.gevent4j.spi;

import io.gevent4j.GreenCallable;
import io.gevent4j.Greenlet;
import io.gevent4j.pool.IMap;
import java.util.Iterator;
import org.jspecify.annotations.Nullable;

/**
 * For implementors only: the implementation side of an {@link io.gevent4j.pool.GreenPool}. Every method may be
 * called from any thread; the blocking ones refuse before any side effect on a hub thread outside a Java greenlet.
 */
public interface GreenPoolPeer {
    /**
     * eventlet's {@code spawn}: waits in FIFO order for a slot; from a member of a full pool runs {@code fn} inline.
     *
     * @param fn the body
     * @param <T> the result type
     * @return the started (or, inline, finished) greenlet
     */
    <T extends @Nullable Object> Greenlet<T> spawn(GreenCallable<T> fn);

    /** @return the number of slots */
    int size();

    /** @return {@code size - running}, negative after a shrink */
    int free();

    /** @return the greenlets not finished yet */
    int running();

    /** @return the spawners waiting for a slot */
    int waiting();

    /**
     * @param newSize the new number of slots, not negative
     */
    void resize(int newSize);

    /** Waits until no greenlet of the pool runs; {@link IllegalStateException} from a member. */
    void waitall();

    /**
     * eventlet's {@code imap}: the tasks in a new pool of this one's size.
     *
     * @param tasks the tasks, read lazily
     * @param <R> the result type
     * @return the one-pass result iterator, in input order
     */
    <R extends @Nullable Object> IMap<R> imap(Iterator<? extends GreenCallable<? extends R>> tasks);
}
