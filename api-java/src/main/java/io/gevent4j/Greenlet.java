package io.gevent4j;

import io.gevent4j.spi.Arguments;
import io.gevent4j.spi.GreenletPeer;
import io.gevent4j.spi.Internals;
import io.gevent4j.spi.Providers;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * A light-weight, cooperatively scheduled unit of work on a {@link Hub}, as gevent's {@code Greenlet}.
 *
 * <p>A greenlet built from Java runs as a <em>Java greenlet</em>: a virtual thread whose scheduler is the
 * hub (see {@link JavaGreenletMode}). Only one greenlet of a hub runs at a time; another runs only when the
 * running one blocks ({@link #join()}, {@link Gevent#sleep}, a queue, plain socket I/O in
 * {@link JavaGreenletMode#SCHEDULED_ON_HUB}) or ends. Greenlets start in the order they were started
 * (FIFO), and nothing runs until the caller yields (gevent SCH-01, SCH-02).
 *
 * <p>States: <b>new</b> (built, not started), <b>started</b> (scheduled or running), <b>dead</b> (finished,
 * or killed before it ran). A greenlet that returns, or ends with {@link GreenletExit}, is successful; any
 * other exception makes it failed. A failure is reported once through {@link System.Logger} (logger
 * {@code io.gevent4j.Greenlet}) and kept on the greenlet; it never reaches the spawner (SCH-15).
 *
 * <p>Blocking methods ({@code join}, {@code get}, {@code kill} with {@code block}) may be called from any
 * thread: inside a Java greenlet they yield to the hub; on a thread of no hub they block that thread; on a
 * hub thread outside a Java greenlet (a Kotlin greenlet's body, a {@code rawlink} callback) they throw
 * {@link BlockingSwitchOutException} naming the Kotlin suspend twin. Every other method never blocks.
 *
 * <p>Deviation from gevent: {@code T} cannot hold a {@link GreenletExit}, so a greenlet killed with one is
 * successful but {@link #get()} and {@link #value()} return {@code null} for it.
 *
 * @param <T> the result type
 */
public class Greenlet<T extends @Nullable Object> implements Waitable {
    static {
        Internals.install(Greenlet.class, g -> ((Greenlet<?>) g).peer);
    }

    private final GreenletPeer<T> peer;

    /**
     * A new, not yet started greenlet on {@link Hub#current()} that will run {@code run}.
     *
     * @param run the body
     * @throws NullPointerException if {@code run} is null
     */
    public Greenlet(GreenCallable<T> run) {
        this(Hub.current(), run);
    }

    /**
     * A new, not yet started greenlet on {@code hub} that will run {@code run}.
     *
     * @param hub the hub to run on
     * @param run the body
     * @throws NullPointerException if {@code hub} or {@code run} is null
     * @throws IllegalStateException if the hub is closed
     */
    @SuppressWarnings("this-escape") // the provider only keeps the reference; it calls nothing on it yet
    public Greenlet(Hub hub, GreenCallable<T> run) {
        Objects.requireNonNull(hub, "hub must not be null");
        Objects.requireNonNull(run, "run must not be null");
        this.peer = Providers.get().newGreenlet(this, hub, run);
    }

    /**
     * A new, not yet started greenlet on {@link Hub#current()} that runs {@code run} and has no result.
     *
     * @param run the body
     * @throws NullPointerException if {@code run} is null
     */
    public Greenlet(GreenRunnable run) {
        this(Hub.current(), run);
    }

    /**
     * A new, not yet started greenlet on {@code hub} that runs {@code run} and has no result.
     *
     * @param hub the hub to run on
     * @param run the body
     * @throws NullPointerException if {@code hub} or {@code run} is null
     */
    public Greenlet(Hub hub, GreenRunnable run) {
        this(hub, callable(run));
    }

    /**
     * For subclasses that override {@link #run()} (gevent's {@code _run}); runs on {@link Hub#current()}.
     *
     * @throws IllegalStateException if the subclass does not override {@code run()} (gevent GL-10)
     */
    @SuppressWarnings("this-escape") // the provider only keeps the reference; it calls nothing on it yet
    protected Greenlet() {
        Hub hub = Hub.current();
        if (!overridesRun(getClass())) {
            throw new IllegalStateException(
                    getClass().getName() + " must override run() or pass a body to the constructor");
        }
        this.peer = Providers.get().newGreenlet(this, hub, this::run);
    }

    private static boolean overridesRun(Class<?> c) {
        for (Class<?> k = c; k != null && k != Greenlet.class; k = k.getSuperclass()) {
            for (Method m : k.getDeclaredMethods()) {
                if (m.getName().equals("run") && m.getParameterCount() == 0) {
                    return true;
                }
            }
        }
        return false;
    }

    @SuppressWarnings("unchecked")
    static <T extends @Nullable Object> GreenCallable<T> callable(GreenRunnable run) {
        Objects.requireNonNull(run, "run must not be null");
        return (GreenCallable<T>) (GreenCallable<Object>) () -> {
            run.run();
            return null;
        };
    }

    /**
     * The body, for subclasses (gevent's {@code _run}). Greenlets built with a body never call it.
     *
     * @return the result
     * @throws Exception any failure
     */
    protected T run() throws Exception {
        throw new UnsupportedOperationException("run() is not overridden");
    }

    /**
     * Creates and starts a greenlet on {@link Hub#current()}. It runs once the caller yields.
     *
     * @param fn the body
     * @param <T> the result type
     * @return the started greenlet
     * @throws NullPointerException if {@code fn} is null
     */
    public static <T extends @Nullable Object> Greenlet<T> spawn(GreenCallable<T> fn) {
        Objects.requireNonNull(fn, "fn must not be null");
        return new Greenlet<>(fn).start();
    }

    /**
     * Creates a greenlet and starts it after {@code delay} (gevent's {@code spawn_later}). With a zero
     * delay it still runs after every greenlet started plainly before the caller yields (SCH-04).
     *
     * @param delay how long to wait before starting; not negative
     * @param fn the body
     * @param <T> the result type
     * @return the greenlet, started later
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code delay} is negative
     */
    public static <T extends @Nullable Object> Greenlet<T> spawnLater(Duration delay, GreenCallable<T> fn) {
        long nanos = Arguments.delayNanos(delay, "delay");
        Objects.requireNonNull(fn, "fn must not be null");
        Greenlet<T> g = new Greenlet<>(fn);
        g.peer.startLater(nanos);
        return g;
    }

    /**
     * Schedules the greenlet to run in this loop iteration, after the ones already scheduled. Never blocks.
     * A greenlet runs at most once: starting it again is refused (gevent ignores it, GL-08).
     *
     * @return this greenlet
     * @throws IllegalStateException if it was started already, or killed before it started, or its hub is
     *     closed
     */
    public Greenlet<T> start() {
        peer.start();
        return this;
    }

    /**
     * Schedules the greenlet to run after {@code delay}. Never blocks.
     *
     * @param delay not negative
     * @return this greenlet
     * @throws IllegalArgumentException if {@code delay} is negative
     * @throws IllegalStateException if it was started already, or killed before it started, or its hub is closed
     */
    public Greenlet<T> startLater(Duration delay) {
        peer.startLater(Arguments.delayNanos(delay, "delay"));
        return this;
    }

    /**
     * {@link #startLater(Duration)} in seconds.
     *
     * @param seconds not negative
     * @return this greenlet
     * @throws IllegalArgumentException if {@code seconds} is negative or NaN
     * @throws IllegalStateException as {@link #startLater(Duration)}
     */
    public Greenlet<T> startLater(double seconds) {
        peer.startLater(Arguments.secondsNanos(seconds, "seconds"));
        return this;
    }

    /**
     * Waits until the greenlet is dead. Never throws the greenlet's failure (GL-15). Links registered before
     * the call have all run when it returns (GL-21). Blocks as the class comment says.
     *
     * @throws BlockingSwitchOutException on a hub thread outside a Java greenlet
     * @throws Timeout an outer {@link Timeout} of the caller that expires meanwhile
     */
    public void join() {
        peer.join(-1);
    }

    /**
     * Waits until the greenlet is dead or {@code timeout} passes. {@code null} waits for ever.
     *
     * @param timeout how long at most; not negative
     * @return true when the greenlet is dead on return
     * @throws IllegalArgumentException if {@code timeout} is negative
     * @throws BlockingSwitchOutException on a hub thread outside a Java greenlet
     * @throws Timeout an outer {@link Timeout} of the caller that expires meanwhile
     */
    public boolean join(@Nullable Duration timeout) {
        return peer.join(Arguments.timeoutNanos(timeout, "timeout"));
    }

    /**
     * {@link #join(Duration)} in seconds.
     *
     * @param seconds not negative
     * @return true when dead on return
     */
    public boolean join(double seconds) {
        return peer.join(Arguments.secondsNanos(seconds, "seconds"));
    }

    /**
     * Waits for the result: the value on success ({@code null} after a {@link GreenletExit}); on failure,
     * re-throws the failure itself when unchecked, else a {@link GreenletFailedException} wrapping it (the
     * same instance on every call).
     *
     * @return the value
     * @throws BlockingSwitchOutException on a hub thread outside a Java greenlet
     */
    public @Nullable T get() {
        return peer.get(-1);
    }

    /**
     * As {@link #get()}, but throws a {@link Timeout} (message {@code "<seconds> seconds"}) when the
     * greenlet is not dead after {@code timeout} (GL-16); the greenlet is unaffected.
     *
     * @param timeout how long at most; {@code null} waits for ever
     * @return the value
     * @throws Timeout when not ready in time
     * @throws IllegalArgumentException if {@code timeout} is negative
     */
    public @Nullable T get(@Nullable Duration timeout) {
        return peer.get(Arguments.timeoutNanos(timeout, "timeout"));
    }

    /**
     * {@link #get(Duration)} in seconds.
     *
     * @param seconds not negative
     * @return the value
     */
    public @Nullable T get(double seconds) {
        return peer.get(Arguments.secondsNanos(seconds, "seconds"));
    }

    /**
     * The result without waiting (gevent's {@code get(block=False)}).
     *
     * @return the value, as {@link #get()}
     * @throws Timeout (without a message) when the greenlet is not dead yet (GL-17)
     */
    public @Nullable T getNowait() {
        return peer.getNowait();
    }

    /**
     * Kills with {@link GreenletExit} and waits for the death, as {@link #kill(Throwable, boolean, Duration)}.
     *
     * @throws BlockingSwitchOutException as {@link #kill(Throwable, boolean, Duration)}, before the kill is delivered
     */
    public void kill() {
        peer.kill(new GreenletExit(), true, -1);
    }

    /**
     * Kills with {@code exception} and waits for the death, as {@link #kill(Throwable, boolean, Duration)}.
     *
     * @param exception raised in the greenlet
     * @throws BlockingSwitchOutException as {@link #kill(Throwable, boolean, Duration)}, before the kill is delivered
     */
    public void kill(Throwable exception) {
        Objects.requireNonNull(exception, "exception must not be null");
        peer.kill(exception, true, -1);
    }

    /**
     * Raises {@code exception} in the greenlet at its next blocking point, as a FIFO loop callback (GL-35).
     * <ul>
     * <li>A greenlet that has not run yet never runs: it is dead at once, and its links run in the next loop
     * iteration (GL-22, GL-23).</li>
     * <li>A dead greenlet: returns at once without yielding (GL-28).</li>
     * <li>The calling greenlet itself: the exception is thrown at once (GL-33).</li>
     * <li>{@code block}: waits for the death, at most {@code timeout}; on expiry it returns quietly and the
     * greenlet may live on (GL-32). Never throws on expiry.</li>
     * </ul>
     * Ending with a {@link GreenletExit} is success; any other exception is a failure (GL-29).
     * A Kotlin greenlet's coroutine is cancelled with the exception as the cause.
     *
     * @param exception raised in the greenlet
     * @param block whether to wait for the death
     * @param timeout how long to wait at most; {@code null} for ever
     * @throws NullPointerException if {@code exception} is null
     * @throws IllegalArgumentException if {@code timeout} is negative
     * @throws BlockingSwitchOutException with {@code block}, on a hub thread outside a Java greenlet, when it would
     *     wait (the greenlet has started running): thrown before the kill is delivered, which then never happens
     *     (Kotlin: {@code awaitKill})
     */
    public void kill(Throwable exception, boolean block, @Nullable Duration timeout) {
        Objects.requireNonNull(exception, "exception must not be null");
        peer.kill(exception, block, Arguments.timeoutNanos(timeout, "timeout"));
    }

    /** @return the value after success, else null (also null after a {@link GreenletExit}) */
    public @Nullable T value() {
        return peer.value();
    }

    /** @return the original failure, or null when not failed */
    public @Nullable Throwable exception() {
        return peer.exception();
    }

    /** @return true when dead (finished, or killed before it ran) */
    @Override
    public boolean isReady() {
        return peer.isReady();
    }

    /** @return true when dead without a failure ({@link GreenletExit} counts as success) */
    public boolean isSuccessful() {
        return peer.isSuccessful();
    }

    /** @return true when scheduled or running and not dead */
    public boolean isStarted() {
        return peer.isStarted();
    }

    /** @return true when finished or killed before it ran; never true for the running greenlet (GL-07) */
    public boolean isDead() {
        return peer.isDead();
    }

    /** @return gevent's {@code bool(g)}: started and not dead */
    public boolean isAlive() {
        return peer.isStarted() && !peer.isDead();
    }

    /**
     * Calls {@code callback} with this greenlet, in a new Java greenlet, once it is dead (success or
     * failure). Links run in registration order (GL-39); a link added after death runs in the next loop
     * iteration (GL-41). A callback that throws is reported and does not stop the others (GL-48).
     *
     * @param callback the callback
     * @throws NullPointerException if {@code callback} is null
     */
    public void link(Consumer<? super Greenlet<T>> callback) {
        peer.link(Objects.requireNonNull(callback, "callback must not be null"), GreenletPeer.LINK_ALL);
    }

    /**
     * As {@link #link}, only on success ({@link GreenletExit} included).
     *
     * @param callback the callback
     */
    public void linkValue(Consumer<? super Greenlet<T>> callback) {
        peer.link(Objects.requireNonNull(callback, "callback must not be null"), GreenletPeer.LINK_VALUE);
    }

    /**
     * As {@link #link}, only on failure.
     *
     * @param callback the callback
     */
    public void linkException(Consumer<? super Greenlet<T>> callback) {
        peer.link(Objects.requireNonNull(callback, "callback must not be null"), GreenletPeer.LINK_EXCEPTION);
    }

    @Override
    public void rawlink(Consumer<? super Waitable> callback) {
        peer.rawlink(Objects.requireNonNull(callback, "callback must not be null"));
    }

    @Override
    public void unlink(Consumer<? super Waitable> callback) {
        peer.unlink(callback);
    }

    /**
     * Removes a callback registered with {@link #link}, {@link #linkValue} or {@link #linkException}
     * (gevent's {@code unlink} for those; Java's typing needs a second name). Unknown ones are ignored.
     *
     * @param callback the original callback
     */
    public void removeLink(Consumer<?> callback) {
        peer.unlink(callback);
    }

    /** Removes every link (gevent's {@code unlink_all}). */
    public void unlinkAll() {
        peer.unlinkAll();
    }

    /** @return the name, {@code Greenlet-N} unless set */
    public String name() {
        return peer.name();
    }

    /**
     * @param name the new name
     * @return this greenlet
     */
    public Greenlet<T> name(String name) {
        peer.setName(Objects.requireNonNull(name, "name must not be null"));
        return this;
    }

    /** @return the hub this greenlet runs on */
    public Hub hub() {
        return peer.hub();
    }

    /**
     * A future completed with the result when the greenlet dies: the value ({@code null} after a {@link GreenletExit}),
     * or the original failure (completing the future has no effect on the greenlet).
     *
     * @return a new future
     */
    public CompletableFuture<@Nullable T> toCompletableFuture() {
        return peer.toCompletableFuture();
    }

    @Override
    public String toString() {
        String state = peer.isDead() ? "dead" : peer.isStarted() ? "started" : "new";
        return "<Greenlet \"" + peer.name() + "\" " + state + ">";
    }
}
