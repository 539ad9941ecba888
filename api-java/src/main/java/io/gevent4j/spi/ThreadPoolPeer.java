package io.gevent4j.spi;

import io.gevent4j.GreenCallable;
import io.gevent4j.GreenFunction;
import io.gevent4j.event.AsyncResult;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * For implementors only: the implementation side of an {@link io.gevent4j.threadpool.ThreadPool}. The facade has
 * checked every argument; the peer decides how its caller waits (the three caller contexts of the API).
 */
public interface ThreadPoolPeer {
    /**
     * Waits (FIFO) for a free worker, then hands {@code fn} to one.
     *
     * @param fn the task
     * @param <T> its result type
     * @return the result, set on the pool's hub when the task ends
     * @throws IllegalStateException when the pool is closed
     */
    <T extends @Nullable Object> AsyncResult<T> spawn(GreenCallable<T> fn);

    /**
     * Runs {@code fn} on a worker and waits for its result; inline when the caller is one of this pool's workers.
     *
     * @param fn the task
     * @param <T> its result type
     * @return its result
     * @throws Exception what {@code fn} threw, the same instance
     */
    <T extends @Nullable Object> T apply(GreenCallable<T> fn) throws Exception;

    /**
     * Applies {@code fn} to every item on the workers; the results in input order.
     *
     * @param fn the function
     * @param items the inputs
     * @param <A> the input type
     * @param <R> the result type
     * @return the results in input order
     * @throws Exception the first failure in input order, the same instance
     */
    <A extends @Nullable Object, R extends @Nullable Object> List<R> map(
            GreenFunction<? super A, ? extends R> fn, Iterable<? extends A> items) throws Exception;

    /** @return the number of worker threads alive */
    int size();

    /** @return the most tasks in flight at once (and the most worker threads) */
    int maxsize();

    /** @param maxsize the new bound, {@code >= 1} */
    void setMaxsize(int maxsize);

    /** @return tasks handed to the pool whose result is not delivered yet */
    int unfinishedTasks();

    /**
     * @param timeoutNanos negative for none
     * @return true when no task is unfinished on return
     */
    boolean join(long timeoutNanos);

    /** Drops the tasks no worker has started (their results fail); running ones finish; the workers then exit. */
    void kill();

    /** {@link #kill()}, and the pool refuses every later task. Idempotent. */
    void close();

    /** @return whether {@link #close()} was called */
    boolean isClosed();

    /** @return the pool's name, the prefix of its worker threads' names */
    String name();
}
