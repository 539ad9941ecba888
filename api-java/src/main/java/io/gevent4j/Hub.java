package io.gevent4j;

import io.gevent4j.spi.Arguments;
import io.gevent4j.spi.Providers;
import java.time.Duration;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;

/**
 * One event loop on one platform thread: a FIFO run queue and a timer heap. Kotlin greenlets are coroutines
 * on it; Java greenlets are virtual threads scheduled on it (or baton-passing virtual threads, see
 * {@link JavaGreenletMode}). Exactly one greenlet of a hub runs at a time. Every method may be called from
 * any thread and never blocks, except {@link #close()}.
 */
public interface Hub extends AutoCloseable {
    /**
     * The process-wide hub, started lazily on a daemon thread. After it has been closed, the next call
     * starts a new one.
     *
     * @return the default hub
     */
    static Hub getDefault() {
        return Providers.get().defaultHub();
    }

    /**
     * The calling greenlet's hub; on a hub thread that hub; else {@link #getDefault()}.
     *
     * @return the current hub
     */
    static Hub current() {
        return Providers.get().currentHub();
    }

    /**
     * A new single-threaded hub on a daemon thread named {@code name}. Close it when done.
     *
     * @param name the hub's (and thread's) name
     * @return the new hub
     * @throws NullPointerException if {@code name} is null
     */
    static Hub create(String name) {
        if (name == null) {
            throw new NullPointerException("name must not be null");
        }
        return Providers.get().createHub(name);
    }

    /**
     * Starts a Java greenlet on this hub.
     *
     * @param fn the body
     * @param <T> the result type
     * @return the started greenlet
     * @throws NullPointerException if {@code fn} is null
     * @throws IllegalStateException if the hub is closed
     */
    default <T extends @Nullable Object> Greenlet<T> spawn(GreenCallable<T> fn) {
        java.util.Objects.requireNonNull(fn, "fn must not be null");
        return new Greenlet<>(this, fn).start();
    }

    /**
     * Starts a Java greenlet without a result on this hub.
     *
     * @param fn the body
     * @return the started greenlet
     */
    default Greenlet<Void> spawn(GreenRunnable fn) {
        java.util.Objects.requireNonNull(fn, "fn must not be null");
        return new Greenlet<Void>(this, fn).start();
    }

    /**
     * Starts a Java greenlet on this hub after {@code delay}.
     *
     * @param delay not negative
     * @param fn the body
     * @param <T> the result type
     * @return the greenlet
     */
    default <T extends @Nullable Object> Greenlet<T> spawnLater(Duration delay, GreenCallable<T> fn) {
        long nanos = Arguments.delayNanos(delay, "delay");
        java.util.Objects.requireNonNull(fn, "fn must not be null");
        Greenlet<T> g = new Greenlet<>(this, fn);
        return g.startLater(Duration.ofNanos(nanos));
    }

    /**
     * Whether the caller runs in this hub's context: on the hub's thread, or in one of its Java greenlets.
     *
     * @return true in this hub's context
     */
    boolean isHubThread();

    /** @return how this hub runs Java greenlets */
    JavaGreenletMode javaGreenletMode();

    /**
     * An executor whose tasks run on the hub thread, in FIFO order with the greenlets, as plain loop
     * callbacks (gevent's {@code loop.run_callback}). A task must not block: a blocking gevent4j call in it
     * throws {@link BlockingSwitchOutException}. It never throws {@code RejectedExecutionException}: after
     * {@link #close()} tasks run on a fallback thread. To run each task in a greenlet of its own, where it may block
     * cooperatively (a server's handler, say), use {@link io.gevent4j.pool.Group#greenletExecutor()} instead.
     *
     * @return the executor
     */
    Executor asExecutor();

    /**
     * The hub's own thread pool (gevent's {@code hub.threadpool}): 10 platform worker threads named
     * {@code <hub name>-threadpool-<n>}, for calls that block natively; it also serves gevent4j's own name lookups.
     * Created on first use (no thread starts before the first task); its results are delivered to this hub. Closed
     * at the end of {@link #close()}: tasks still running then finish on their own and deliver their results to
     * the fallback thread of the closed hub, and spawners still waiting for a worker get
     * {@link IllegalStateException}. Never blocks.
     *
     * @return the pool, the same one on every call
     * @throws IllegalStateException if the hub is closed
     */
    io.gevent4j.threadpool.ThreadPool threadpool();

    /** @return the hub's name */
    String name();

    /**
     * Calls {@code listener} each time the monitor thread reports this hub blocked: held by one greenlet (or one
     * hub callback) without a switch for longer than the maximum blocking time (system property
     * {@code gevent4j.maxBlockingTime}, seconds, default 1), repeated at most once per that period while the stall
     * lasts (gevent's {@code EventLoopBlocked} events, MON-02). The report is also logged to {@code io.gevent4j.Hub}.
     *
     * <p>Listeners run on the monitor thread (one daemon thread for every hub), in registration order, one report
     * at a time; a listener should return quickly, as the other hubs wait for their checks meanwhile. A listener
     * that throws is reported to {@code io.gevent4j.Hub} and removed; the monitor and the other listeners go on.
     * When the hub closes, it stops being watched and its listeners are dropped. With the monitor off for this hub
     * ({@code -Dgevent4j.monitor=false} when it was created), listeners are accepted and never called. From Kotlin,
     * {@code hub.onBlocked { report -> ... }} works as it is. Never blocks; any thread.
     *
     * @param listener receives each report
     * @return the registration: {@link io.gevent4j.monitor.Registration#close()} removes the listener
     * @throws NullPointerException if {@code listener} is null
     * @throws IllegalStateException if the hub is closed
     */
    io.gevent4j.monitor.Registration onBlocked(java.util.function.Consumer<io.gevent4j.monitor.HubBlocked> listener);

    /**
     * Kills every greenlet of the hub with {@link GreenletExit}, waits for them to die (at most a grace
     * period of one second for greenlets that swallow the exit), then stops the thread. Idempotent. Must be
     * called from outside the hub: from a thread of no hub, or a Java greenlet of another hub (it yields while it
     * waits).
     *
     * @throws IllegalStateException when called from this hub's own context
     * @throws BlockingSwitchOutException on another hub's thread outside a Java greenlet (a Kotlin greenlet, a
     *     rawlink callback, a hub task), before anything is closed; from Kotlin, close it in a Java greenlet:
     *     {@code spawnBlocking { hub.close() }.awaitJoin()}
     */
    @Override
    void close();
}
