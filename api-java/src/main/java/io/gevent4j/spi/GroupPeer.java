package io.gevent4j.spi;

import io.gevent4j.GreenCallable;
import io.gevent4j.GreenFunction;
import io.gevent4j.Greenlet;
import io.gevent4j.Hub;
import io.gevent4j.pool.IMap;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;

/**
 * For implementors only: the implementation side of a {@link io.gevent4j.pool.Group} or
 * {@link io.gevent4j.pool.Pool}. Every algorithm of the pools lives behind this interface; the facades check
 * their arguments and call it. Timeouts are nanoseconds, negative for none. Every method may be called from any
 * thread; the blocking ones follow the caller contexts of {@link GeventProvider#checkMayBlock} and refuse before
 * any side effect.
 */
public interface GroupPeer {
    /**
     * Adds {@code g}; in a bounded pool waits for a free slot (unless {@code blocking} is false). A member already
     * takes no second slot.
     *
     * @param g the greenlet
     * @param blocking whether to wait for a slot
     * @param timeoutNanos the longest wait
     * @return false when no slot was free in time (the caller throws {@link io.gevent4j.pool.PoolFullException})
     */
    boolean add(Greenlet<?> g, boolean blocking, long timeoutNanos);

    /**
     * Removes {@code g} at once without killing it; a non-member is ignored.
     *
     * @param g the greenlet
     */
    void discard(Greenlet<?> g);

    /**
     * @param g a greenlet, may be null
     * @return whether it is a member
     */
    boolean contains(@Nullable Greenlet<?> g);

    /** @return the number of members */
    int size();

    /** @return a snapshot of the members in insertion order */
    List<Greenlet<?>> members();

    /** @return the number of slots, -1 when unbounded */
    int poolSize();

    /** @return the free slots ({@code max(0, size - members)}), 1 when unbounded */
    int freeCount();

    /**
     * Waits for a free slot without taking it.
     *
     * @param timeoutNanos the longest wait
     * @return the free slots, 0 on timeout
     */
    int waitAvailable(long timeoutNanos);

    /**
     * gevent's {@code Group.join}.
     *
     * @param timeoutNanos the longest wait
     * @param raiseError whether to throw the first failure among the members present at the call
     * @return true when the group was empty on return
     */
    boolean join(long timeoutNanos, boolean raiseError);

    /**
     * gevent's {@code Group.kill}.
     *
     * @param exception raised in each member
     * @param block whether to wait until the group is empty
     * @param timeoutNanos the longest wait
     */
    void kill(Throwable exception, boolean block, long timeoutNanos);

    /**
     * gevent's {@code Group.killone}.
     *
     * @param g the member
     * @param exception raised in it
     * @param block whether to wait for its death
     * @param timeoutNanos the longest wait
     */
    void killone(Greenlet<?> g, Throwable exception, boolean block, long timeoutNanos);

    /**
     * gevent's {@code Group.apply}: inline when the caller is a member.
     *
     * @param fn the function
     * @param <T> the result type
     * @return its result
     */
    <T extends @Nullable Object> @Nullable T apply(GreenCallable<T> fn);

    /**
     * gevent's {@code Group.apply_async}: never blocks.
     *
     * @param fn the function
     * @param <T> the result type
     * @return the greenlet whose result is {@code fn}'s
     */
    <T extends @Nullable Object> Greenlet<T> applyAsync(GreenCallable<T> fn);

    /**
     * gevent's {@code Group.map}.
     *
     * @param fn the function
     * @param items the inputs
     * @param <A> the input type
     * @param <R> the result type
     * @return the results in input order
     */
    <A extends @Nullable Object, R extends @Nullable Object> List<@Nullable R> map(
            GreenFunction<? super A, ? extends R> fn, Iterable<? extends A> items);

    /**
     * gevent's {@code Group.imap}/{@code imap_unordered}.
     *
     * @param tasks the tasks, read lazily
     * @param ordered input order, else completion order
     * @param twin the suspend twin a Kotlin body should use instead, for the refusal's message
     * @param <R> the result type
     * @return the one-pass result iterator
     */
    <R extends @Nullable Object> IMap<R> imap(
            Iterator<? extends GreenCallable<? extends R>> tasks, boolean ordered, String twin);

    /**
     * @param hub the hub the tasks' greenlets belong to
     * @return an executor starting each task in a new Java greenlet of the group
     */
    Executor greenletExecutor(Hub hub);
}
