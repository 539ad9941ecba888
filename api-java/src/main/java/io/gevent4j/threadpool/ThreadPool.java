package io.gevent4j.threadpool;

import io.gevent4j.GreenCallable;
import io.gevent4j.GreenFunction;
import io.gevent4j.GreenletFailedException;
import io.gevent4j.Hub;
import io.gevent4j.event.AsyncResult;
import io.gevent4j.spi.Arguments;
import io.gevent4j.spi.Internals;
import io.gevent4j.spi.Providers;
import io.gevent4j.spi.ThreadPoolPeer;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * gevent's {@code gevent.threadpool.ThreadPool}: real platform threads for calls that block natively (file I/O, a
 * JDBC driver, a hash of a big file, a JNI call), so that the hub and its greenlets keep running meanwhile.
 *
 * <p>At most {@link #maxsize()} tasks are in flight at once, from the moment {@link #spawn} hands one over until its
 * result is delivered. The workers are <b>platform daemon threads</b> named {@code <name>-<n>}, started on demand up
 * to {@code maxsize} and kept until {@link #kill()}, {@link #close()} or a smaller {@link #setMaxsize}. (Not virtual
 * threads: a virtual thread started inside a greenlet would inherit the hub as its scheduler.) A task runs outside
 * every hub: a blocking gevent4j call in it blocks its worker thread, as on any thread of no hub.
 *
 * <p>A task's result is delivered to the pool's hub (the hub of the greenlet or thread that created the pool, or
 * the one given): the {@link AsyncResult} is set, and the task's slot freed, by a callback on that hub, as gevent's
 * {@code ThreadResult} does. A task that never returns holds its worker and its slot for ever, but never the hub.
 *
 * <p>Waiting: {@link #spawn} waits for a free slot when {@code maxsize} tasks are in flight, {@link #apply} and
 * {@link #map} wait for the results, {@link #join} for every task. Each is a wait point: in a Java greenlet it yields
 * to the hub (in both hub modes); on a thread of no hub it blocks that thread; on a hub thread outside a Java greenlet
 * (a Kotlin greenlet body, a rawlink callback) it throws {@link io.gevent4j.BlockingSwitchOutException} naming the
 * suspend twin ({@code awaitSpawn}, {@code awaitApply}, {@code awaitMap}, {@code awaitJoin} in
 * {@code io.gevent4j.kotlin}). Spawners waiting for a slot are served in the order they started waiting (FIFO). A
 * kill or a {@link io.gevent4j.Timeout} landing in a wait ends it: while waiting for a slot nothing was handed over;
 * while waiting for a result the task goes on running on its worker (a thread cannot be stopped safely) and its
 * result is dropped.
 *
 * <p>{@link #kill()} drops the tasks no worker has started yet (their results fail with a
 * {@link java.util.concurrent.CancellationException}), lets the running ones finish and deliver their results, and
 * lets every worker exit once it is idle; the pool stays usable (a later task starts new workers, as in gevent).
 * {@link #close()} does the same and closes the pool: {@link #spawn}, {@link #apply} and {@link #map} then throw
 * {@link IllegalStateException}, and so do the spawners that were waiting for a slot. A hub's own pool
 * ({@link Hub#threadpool()}) is closed when its hub closes.
 *
 * <p>Every method may be called from any thread.
 */
public final class ThreadPool implements AutoCloseable {
    static {
        Internals.install(ThreadPool.class, p -> ((ThreadPool) p).peer);
    }

    private static final AtomicLong SEQUENCE = new AtomicLong();

    private final ThreadPoolPeer peer;

    /**
     * A pool of at most {@code maxsize} workers whose results are delivered to the caller's hub
     * ({@link Hub#current()}); its threads are named {@code gevent4j-threadpool-<k>-<n>}.
     *
     * @param maxsize the most tasks in flight at once
     * @throws IllegalArgumentException if {@code maxsize < 1}, naming the value
     */
    public ThreadPool(int maxsize) {
        this(checkMaxsize(maxsize), Hub.current());
    }

    /**
     * A pool of at most {@code maxsize} workers whose results are delivered to {@code hub}.
     *
     * @param maxsize the most tasks in flight at once
     * @param hub the hub the results are delivered to
     * @throws IllegalArgumentException if {@code maxsize < 1}, naming the value
     * @throws NullPointerException if {@code hub} is null
     * @throws IllegalStateException if {@code hub} is closed
     */
    public ThreadPool(int maxsize, Hub hub) {
        this(maxsize, hub, "gevent4j-threadpool-" + SEQUENCE.incrementAndGet());
    }

    /**
     * A pool of at most {@code maxsize} workers whose results are delivered to {@code hub}, with its worker threads
     * named {@code <name>-<n>}.
     *
     * @param maxsize the most tasks in flight at once
     * @param hub the hub the results are delivered to
     * @param name the prefix of the worker threads' names
     * @throws IllegalArgumentException if {@code maxsize < 1}, naming the value
     * @throws NullPointerException if {@code hub} or {@code name} is null
     * @throws IllegalStateException if {@code hub} is closed
     */
    public ThreadPool(int maxsize, Hub hub, String name) {
        checkMaxsize(maxsize);
        Objects.requireNonNull(hub, "hub must not be null");
        Objects.requireNonNull(name, "name must not be null");
        this.peer = Providers.get().newThreadPool(maxsize, hub, name);
    }

    private static int checkMaxsize(int maxsize) {
        if (maxsize < 1) {
            throw new IllegalArgumentException("maxsize must be at least 1: " + maxsize);
        }
        return maxsize;
    }

    /**
     * Hands {@code fn} to a worker, first waiting (cooperatively, FIFO) for a free slot when {@link #maxsize()} tasks
     * are in flight. Does not wait for the result.
     *
     * @param fn the task; it runs on a platform thread of the pool
     * @param <T> its result type
     * @return its result, set on the pool's hub when the task ends: the value, or what it threw
     * @throws NullPointerException if {@code fn} is null
     * @throws IllegalStateException if the pool is closed (also when it closes while the caller waits for a slot)
     * @throws io.gevent4j.BlockingSwitchOutException when no slot is free and the caller is a hub thread outside a
     *     Java greenlet (Kotlin: {@code ThreadPool.awaitSpawn { }})
     */
    public <T extends @Nullable Object> AsyncResult<T> spawn(GreenCallable<T> fn) {
        Objects.requireNonNull(fn, "fn must not be null");
        return peer.spawn(fn);
    }

    /**
     * Runs {@code fn} on a worker and waits for its result ({@link #spawn} then {@link AsyncResult#get()}). Called on
     * one of this pool's own workers it runs {@code fn} inline instead (gevent's answer: waiting there for a free
     * worker could deadlock the pool).
     *
     * @param fn the task
     * @param <T> its result type
     * @return its result
     * @throws RuntimeException what {@code fn} threw when unchecked (also an {@link Error}), the same instance
     * @throws GreenletFailedException wrapping what {@code fn} threw when checked
     * @throws NullPointerException if {@code fn} is null
     * @throws IllegalStateException if the pool is closed
     * @throws io.gevent4j.BlockingSwitchOutException on a hub thread outside a Java greenlet (Kotlin:
     *     {@code ThreadPool.awaitApply { }})
     */
    public <T extends @Nullable Object> T apply(GreenCallable<T> fn) {
        Objects.requireNonNull(fn, "fn must not be null");
        try {
            return peer.apply(fn);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new GreenletFailedException(e);
        }
    }

    /**
     * Applies {@code fn} to every item, each on a worker, and returns the results in input order. The caller hands
     * the items over one by one (waiting for a slot as {@link #spawn} does), then waits for the results in input
     * order; the first failure in input order is thrown, as {@link #apply} throws it, and the other tasks run on.
     * Called on one of this pool's own workers it runs every item inline.
     *
     * @param fn the function
     * @param items the inputs
     * @param <A> the input type
     * @param <R> the result type
     * @return the results in input order
     * @throws NullPointerException if {@code fn} or {@code items} is null
     * @throws IllegalStateException if the pool is closed
     * @throws io.gevent4j.BlockingSwitchOutException on a hub thread outside a Java greenlet (Kotlin:
     *     {@code ThreadPool.awaitMap(items) { }})
     */
    public <A extends @Nullable Object, R extends @Nullable Object> List<R> map(
            GreenFunction<? super A, ? extends R> fn, Iterable<? extends A> items) {
        Objects.requireNonNull(fn, "fn must not be null");
        Objects.requireNonNull(items, "items must not be null");
        try {
            return peer.map(fn, items);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new GreenletFailedException(e);
        }
    }

    /**
     * The number of worker threads alive (gevent's {@code size}). Never blocks.
     *
     * @return the workers
     */
    public int size() {
        return peer.size();
    }

    /**
     * The most tasks in flight at once, and the most worker threads. Never blocks.
     *
     * @return the bound
     */
    public int maxsize() {
        return peer.maxsize();
    }

    /**
     * Changes the bound. A larger one lets waiting spawners go on at once (FIFO); with a smaller one, idle workers
     * beyond it exit and no new task is handed over until fewer than {@code maxsize} are in flight. Never blocks.
     *
     * @param maxsize the new bound
     * @throws IllegalArgumentException if {@code maxsize < 1}, naming the value
     */
    public void setMaxsize(int maxsize) {
        peer.setMaxsize(checkMaxsize(maxsize));
    }

    /**
     * Tasks handed over whose result has not been delivered yet (gevent's {@code task_queue.unfinished_tasks}).
     *
     * @return the count
     */
    public int unfinishedTasks() {
        return peer.unfinishedTasks();
    }

    /**
     * Waits until every task handed over has delivered its result. Returns at once when none is unfinished.
     *
     * @throws io.gevent4j.BlockingSwitchOutException when it would wait on a hub thread outside a Java greenlet
     *     (Kotlin: {@code ThreadPool.awaitJoin()})
     */
    public void join() {
        peer.join(-1);
    }

    /**
     * As {@link #join()}, at most {@code timeout}.
     *
     * @param timeout the longest wait, null for none
     * @return true when no task was unfinished on return, false on timeout
     * @throws IllegalArgumentException if {@code timeout} is negative
     */
    public boolean join(@Nullable Duration timeout) {
        return peer.join(Arguments.timeoutNanos(timeout, "timeout"));
    }

    /**
     * Drops the tasks no worker has started yet (their results fail with a
     * {@link java.util.concurrent.CancellationException}); running tasks cannot be stopped safely, so they finish and
     * deliver their results; every worker exits once it is idle. The pool stays usable: a later task starts new
     * workers. Never blocks.
     */
    public void kill() {
        peer.kill();
    }

    /**
     * {@link #kill()}, and the pool is closed: every later {@link #spawn}, {@link #apply} and {@link #map} throws
     * {@link IllegalStateException}, as do the spawners waiting for a slot now. Running tasks finish; {@link #join()}
     * still waits for them. Idempotent; never blocks.
     */
    @Override
    public void close() {
        peer.close();
    }

    /** @return whether {@link #close()} was called (or, for a hub's own pool, its hub closed) */
    public boolean isClosed() {
        return peer.isClosed();
    }

    /** @return the pool's name, the prefix of its worker threads' names */
    public String name() {
        return peer.name();
    }

    @Override
    public String toString() {
        return "<ThreadPool \"" + peer.name() + "\" size=" + size() + " maxsize=" + maxsize() + " unfinished="
                + unfinishedTasks() + (isClosed() ? " closed" : "") + ">";
    }
}
