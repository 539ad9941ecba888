package io.gevent4j;

import io.gevent4j.spi.Arguments;
import io.gevent4j.spi.Providers;
import java.time.Duration;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * gevent's module functions. Blocking ones ({@code sleep}, {@code idle}, {@code joinAll}, {@code wait},
 * {@code iwait}, {@code killAll} with {@code block}) yield inside a Java greenlet, block a thread of no hub,
 * and throw {@link BlockingSwitchOutException} on a hub thread outside a Java greenlet.
 */
public final class Gevent {
    private Gevent() {}

    /**
     * Starts a Java greenlet on {@link Hub#current()}; it runs once the caller yields, after the greenlets
     * started before it (SCH-01, SCH-02).
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
     * Starts a Java greenlet without a result.
     *
     * @param fn the body
     * @return the started greenlet
     */
    public static Greenlet<Void> spawn(GreenRunnable fn) {
        Objects.requireNonNull(fn, "fn must not be null");
        return new Greenlet<Void>(fn).start();
    }

    /**
     * Starts a greenlet after {@code delay} (SCH-04: with zero delay, after the plain spawns).
     *
     * @param delay not negative
     * @param fn the body
     * @param <T> the result type
     * @return the greenlet
     */
    public static <T extends @Nullable Object> Greenlet<T> spawnLater(Duration delay, GreenCallable<T> fn) {
        return Greenlet.spawnLater(delay, fn);
    }

    /**
     * @param delay not negative
     * @param fn the body
     * @return the greenlet
     */
    public static Greenlet<Void> spawnLater(Duration delay, GreenRunnable fn) {
        Objects.requireNonNull(fn, "fn must not be null");
        return Greenlet.spawnLater(delay, Greenlet.callable(fn));
    }

    /**
     * @param seconds not negative
     * @param fn the body
     * @param <T> the result type
     * @return the greenlet
     */
    public static <T extends @Nullable Object> Greenlet<T> spawnLater(double seconds, GreenCallable<T> fn) {
        return Greenlet.spawnLater(Arguments.ofSeconds(seconds, "seconds"), fn);
    }

    /**
     * @param seconds not negative
     * @param fn the body
     * @return the greenlet
     */
    public static Greenlet<Void> spawnLater(double seconds, GreenRunnable fn) {
        Objects.requireNonNull(fn, "fn must not be null");
        return Greenlet.spawnLater(Arguments.ofSeconds(seconds, "seconds"), Greenlet.callable(fn));
    }

    /**
     * {@code sleep(0)}: yields once, behind every greenlet that is runnable already (SCH-02). It may return
     * before expired timers are processed (SCH-07). On a thread of no hub it is {@link Thread#yield()}.
     */
    public static void sleep() {
        Providers.get().sleep(0);
    }

    /**
     * Sleeps at least {@code d} from the call (SCH-10); a zero duration is {@link #sleep()}.
     *
     * @param d not null; a negative duration behaves as zero (SCH-09)
     */
    public static void sleep(Duration d) {
        Objects.requireNonNull(d, "d must not be null");
        Providers.get().sleep(d.isNegative() ? 0 : Arguments.timeoutNanos(d, "d"));
    }

    /**
     * @param seconds how long; {@code <= 0} is {@link #sleep()} (SCH-09)
     */
    public static void sleep(double seconds) {
        if (Double.isNaN(seconds)) {
            throw new IllegalArgumentException("seconds must be a number: " + seconds);
        }
        Providers.get().sleep(seconds <= 0 ? 0 : Arguments.secondsNanos(seconds, "seconds"));
    }

    /** Waits until the hub has nothing else to run (SCH-11). */
    public static void idle() {
        Providers.get().idle();
    }

    /** @return the calling greenlet (Java or Kotlin), or null outside every greenlet (SCH-14) */
    public static @Nullable Greenlet<?> getcurrent() {
        return Providers.get().getcurrent();
    }

    /**
     * gevent's {@code gevent.util.format_run_info()}: a report of every running hub, as lines of text. Per hub: its
     * mode, live greenlets, queued tasks, armed timers, tasks run and the greenlet that holds it now; then its live
     * greenlets as a spawn tree (a greenlet under the one that created it; one whose creator is dead or on another
     * hub at the top, saying so), each with its name, kind (Java or Kotlin), state and its own stack: a Java
     * greenlet's virtual-thread stack, a Kotlin greenlet's suspension point in a gevent4j wait and its callers (the
     * hub thread's frames while it runs).
     *
     * <p>Callable from any thread; it does not switch. A hub is read in its own context: from outside, a task is
     * posted to it and the caller waits up to 100 ms for it (a hub that does not answer in time, being blocked, and
     * any hub asked from another hub's thread, which never waits, are read without their cooperation, and the text
     * says that some greenlets may be missing).
     *
     * @return the lines, never empty
     */
    public static List<String> formatRunInfo() {
        return Providers.get().formatRunInfo();
    }

    /**
     * Kills with {@link GreenletExit} without waiting (MOD-24).
     *
     * @param g the greenlet
     */
    public static void kill(Greenlet<?> g) {
        Objects.requireNonNull(g, "g must not be null").kill(new GreenletExit(), false, null);
    }

    /**
     * Kills with {@code exception} without waiting.
     *
     * @param g the greenlet
     * @param exception raised in it
     */
    public static void kill(Greenlet<?> g, Throwable exception) {
        Objects.requireNonNull(g, "g must not be null").kill(exception, false, null);
    }

    /**
     * Kills every greenlet with {@link GreenletExit} and waits for all to die; unstarted ones never run
     * (MOD-26).
     *
     * @param gs the greenlets
     */
    public static void killAll(Collection<? extends Greenlet<?>> gs) {
        killAll(gs, new GreenletExit(), true, null);
    }

    /**
     * gevent's {@code killall}.
     *
     * @param gs the greenlets
     * @param exception raised in each (the same instance)
     * @param block whether to wait for all deaths
     * @param timeout how long to wait; {@code null} for ever
     * @throws Timeout when {@code block} and they are not all dead in time (MOD-28; unlike
     *     {@link Greenlet#kill(Throwable, boolean, Duration)})
     * @throws BlockingSwitchOutException with {@code block}, on a hub thread outside a Java greenlet, while any of
     *     them is alive: thrown before any kill is delivered (Kotlin: {@code killAll(gs, e, false, null)}, then
     *     {@code joinAll(gs)}); when all are dead already it returns at once, anywhere
     */
    public static void killAll(
            Collection<? extends Greenlet<?>> gs, Throwable exception, boolean block, @Nullable Duration timeout) {
        Objects.requireNonNull(gs, "gs must not be null");
        Objects.requireNonNull(exception, "exception must not be null");
        long t = Arguments.timeoutNanos(timeout, "timeout");
        Providers.get().killAll(gs, exception, block, t);
    }

    /**
     * Waits for every greenlet; returns them in completion order (MOD-13).
     *
     * @param gs the greenlets
     * @return the finished greenlets, in completion order
     */
    public static List<Greenlet<?>> joinAll(Collection<? extends Greenlet<?>> gs) {
        return joinAll(gs, null, false, 0);
    }

    /**
     * gevent's {@code joinall}.
     *
     * @param gs the greenlets
     * @param timeout how long at most; {@code null} for ever
     * @param raiseError re-throw the first failure, in completion order (MOD-16, MOD-17), as
     *     {@link Greenlet#get()} would
     * @param count how many to wait for; {@code <= 0} for all
     * @return the greenlets that finished, in completion order (already finished ones first, in input order)
     */
    public static List<Greenlet<?>> joinAll(
            Collection<? extends Greenlet<?>> gs, @Nullable Duration timeout, boolean raiseError, int count) {
        Objects.requireNonNull(gs, "gs must not be null");
        return Providers.get().joinAll(gs, Arguments.timeoutNanos(timeout, "timeout"), raiseError, count);
    }

    /**
     * Waits until every object is ready.
     *
     * @param objects the objects
     * @param <W> the element type
     * @return the ready objects, in the order they became ready (MOD-03: already ready ones in input order)
     */
    public static <W extends Waitable> List<W> wait(Collection<W> objects) {
        return wait(objects, null, 0);
    }

    /**
     * gevent's {@code wait(objects, timeout, count)}.
     *
     * @param objects the objects
     * @param timeout how long at most; {@code null} for ever
     * @param count how many to wait for; {@code <= 0} for all
     * @param <W> the element type
     * @return the objects that became ready, in that order
     */
    public static <W extends Waitable> List<W> wait(Collection<W> objects, @Nullable Duration timeout, int count) {
        Objects.requireNonNull(objects, "objects must not be null");
        return Providers.get().wait(objects, Arguments.timeoutNanos(timeout, "timeout"), count);
    }

    /**
     * Yields the objects one by one as they become ready.
     *
     * @param objects the objects
     * @param <W> the element type
     * @return a one-pass iterable; its iterator blocks in {@code hasNext}
     */
    public static <W extends Waitable> Iterable<W> iwait(Collection<W> objects) {
        return iwait(objects, null, 0);
    }

    /**
     * gevent's {@code iwait}: yields the objects as they become ready, at most {@code count}, and stops
     * quietly when {@code timeout} expires (MOD-05).
     *
     * @param objects the objects
     * @param timeout overall limit; {@code null} for none
     * @param count how many; {@code <= 0} for all
     * @param <W> the element type
     * @return a one-pass iterable; its iterator blocks in {@code hasNext}
     * @throws BlockingSwitchOutException on a hub thread outside a Java greenlet, at this call, before anything is
     *     linked (Kotlin: {@code iwait}, a {@code Flow}); not for an empty collection
     */
    public static <W extends Waitable> Iterable<W> iwait(Collection<W> objects, @Nullable Duration timeout, int count) {
        Objects.requireNonNull(objects, "objects must not be null");
        long t = Arguments.timeoutNanos(timeout, "timeout");
        Iterator<W> it = Providers.get().iwait(objects, t, count);
        return () -> it;
    }

    /**
     * Runs {@code fn} under a timeout.
     *
     * @param d the limit
     * @param fn the work
     * @param <T> the result type
     * @return its result
     * @throws Timeout when it does not finish in time (TO-19)
     */
    public static <T extends @Nullable Object> T withTimeout(Duration d, GreenCallable<T> fn) {
        Objects.requireNonNull(d, "d must not be null");
        Objects.requireNonNull(fn, "fn must not be null");
        Arguments.timeoutNanos(d, "d");
        return Timeout.withTimeout(d, fn, false, null);
    }

    /**
     * Runs {@code fn} under a timeout and returns {@code timeoutValue} if that very timeout expires; other
     * timeouts pass through (TO-20).
     *
     * @param d the limit
     * @param fn the work
     * @param timeoutValue returned on expiry
     * @param <T> the result type
     * @return the result, or {@code timeoutValue}
     */
    public static <T extends @Nullable Object> T withTimeout(Duration d, GreenCallable<T> fn, T timeoutValue) {
        Objects.requireNonNull(d, "d must not be null");
        Objects.requireNonNull(fn, "fn must not be null");
        Arguments.timeoutNanos(d, "d");
        return Timeout.withTimeout(d, fn, true, timeoutValue);
    }
}
