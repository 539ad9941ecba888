package io.gevent4j;

import io.gevent4j.spi.Arguments;
import io.gevent4j.spi.Providers;
import io.gevent4j.spi.TimeoutHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.math.BigDecimal;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * gevent's {@code Timeout}: once started, it raises itself (or the given exception) in the greenlet that
 * started it, at that greenlet's next blocking point after the delay expires (TO-01, TO-22). It never
 * interrupts code that does not block (TO-14). Started on a thread of no hub, it interrupts that thread's
 * next (or current) gevent4j blocking call. In a Kotlin greenlet it is raised at the next suspension in a
 * gevent4j function.
 *
 * <pre>{@code
 * try (Timeout t = Timeout.startNew(Duration.ofSeconds(1))) {
 *     work();
 * } catch (Timeout t) {
 *     if (t != mine) throw t;     // an outer timeout is never swallowed (TO-15..TO-17)
 * }
 * }</pre>
 *
 * <p>It extends {@link Error} so that {@code catch (Exception e)} cannot swallow it (TO-21). A
 * {@code null} duration never fires (TO-10). Deviation: a negative duration is refused with
 * {@link IllegalArgumentException} (gevent calls it "poorly defined" and fires it like zero, TO-12).
 * {@code start}, {@code cancel} and {@code close} never block.
 */
public class Timeout extends Error implements AutoCloseable {
    private static final long serialVersionUID = 1L;

    private final transient @Nullable Duration duration;
    private final transient @Nullable Throwable exception;
    /** null (never started), the started timer, or one of {@link #STARTING} and {@link #CANCELLED_WHILE_STARTING}. */
    private transient volatile @Nullable TimeoutHandle handle;

    /**
     * The handle while {@link #start()} arms the timer: pending, so that a second {@code start()} meanwhile is
     * refused. A CAS, not a monitor: {@code start()} runs on hub threads ({@code withGeventTimeout} in a Kotlin
     * greenlet), where a monitor may wait for a greenlet only that thread can run (docs/design/runtime.md, trap 3).
     */
    private static final TimeoutHandle STARTING = new Placeholder(true);

    /** What {@link #cancel()} leaves when it meets {@link #STARTING}: the timer being armed is cancelled at once. */
    private static final TimeoutHandle CANCELLED_WHILE_STARTING = new Placeholder(false);

    private static final VarHandle HANDLE;

    static {
        try {
            HANDLE = MethodHandles.lookup().findVarHandle(Timeout.class, "handle", TimeoutHandle.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * A timeout that is not started yet.
     *
     * @param duration the delay; {@code null} never fires
     * @throws IllegalArgumentException if {@code duration} is negative
     */
    public Timeout(@Nullable Duration duration) {
        this(duration, null);
    }

    /**
     * A timeout that raises {@code exception} instead of itself (TO-05).
     *
     * @param duration the delay; {@code null} never fires
     * @param exception what to raise; {@code null} raises this Timeout
     * @throws IllegalArgumentException if {@code duration} is negative
     */
    public Timeout(@Nullable Duration duration, @Nullable Throwable exception) {
        super(message(duration, exception));
        if (duration != null) {
            Arguments.timeoutNanos(duration, "duration");
        }
        this.duration = duration;
        this.exception = exception;
    }

    /**
     * @param seconds the delay in seconds; not negative
     */
    public Timeout(double seconds) {
        this(Arguments.ofSeconds(seconds, "seconds"), null);
    }

    /**
     * @param seconds the delay in seconds; not negative
     * @param exception what to raise; {@code null} raises this Timeout
     */
    public Timeout(double seconds, @Nullable Throwable exception) {
        this(Arguments.ofSeconds(seconds, "seconds"), exception);
    }

    /** A Timeout that never fires and has no message: what {@code getNowait()} throws (GL-17). */
    public Timeout() {
        this((Duration) null, null);
    }

    /**
     * Creates and starts a timeout for the caller.
     *
     * @param duration the delay; {@code null} never fires
     * @return the started timeout
     */
    public static Timeout startNew(@Nullable Duration duration) {
        return new Timeout(duration).start();
    }

    /**
     * Creates and starts a timeout that raises {@code exception}.
     *
     * @param duration the delay; {@code null} never fires
     * @param exception what to raise; {@code null} raises the Timeout
     * @return the started timeout
     */
    public static Timeout startNew(@Nullable Duration duration, @Nullable Throwable exception) {
        return new Timeout(duration, exception).start();
    }

    /**
     * Arms the timer for the calling greenlet (or thread). No effect for a {@code null} duration.
     *
     * @return this timeout
     * @throws IllegalStateException if it is pending already (TO-02); cancel it first to restart it
     */
    public Timeout start() {
        if (duration == null) {
            return this;
        }
        long nanos = Arguments.timeoutNanos(duration, "duration");
        TimeoutHandle before;
        do {
            before = handle;
            if (before != null && before.isPending()) {
                throw new IllegalStateException(this + " is already started; to restart it, cancel it first");
            }
        } while (!HANDLE.compareAndSet(this, before, STARTING));
        TimeoutHandle made;
        try {
            made = Providers.get().startTimeout(this, exception != null ? exception : this, nanos);
        } catch (RuntimeException | Error e) {
            handle = before; // not started: as it was (a cancel meanwhile had nothing to cancel)
            throw e;
        }
        if (!HANDLE.compareAndSet(this, STARTING, made)) {
            made.cancel(); // cancel() ran meanwhile: it takes effect now
        }
        return this;
    }

    /**
     * Disarms the timer; no effect when not pending. Never blocks. A cancel that meets a {@link #start()} in progress
     * on another thread disarms the timer that start arms.
     */
    public void cancel() {
        TimeoutHandle h = handle;
        if (h == STARTING) {
            if (HANDLE.compareAndSet(this, STARTING, CANCELLED_WHILE_STARTING)) {
                return; // start() cancels the timer it is arming
            }
            h = handle;
        }
        if (h != null) {
            h.cancel();
        }
    }

    /** The same as {@link #cancel()}, for try-with-resources. */
    @Override
    public void close() {
        cancel();
    }

    /** @return true while started and neither fired nor cancelled */
    public boolean isPending() {
        TimeoutHandle h = handle;
        return h != null && h.isPending();
    }

    /** @return the delay, or null for a timeout that never fires */
    public @Nullable Duration duration() {
        return duration;
    }

    /** @return the exception raised instead of this Timeout, or null */
    public @Nullable Throwable exceptionToRaise() {
        return exception;
    }

    /**
     * gevent's message: {@code "0.05 seconds"}, {@code "1 second"}, {@code ""} without a duration, and
     * {@code "1 second: XX"} for an exception (TO-23).
     */
    private static String message(@Nullable Duration d, @Nullable Throwable exception) {
        if (d == null) {
            return "";
        }
        BigDecimal s = BigDecimal.valueOf(d.getSeconds())
                .add(BigDecimal.valueOf(d.getNano(), 9))
                .stripTrailingZeros();
        String text = s.toPlainString() + (s.compareTo(BigDecimal.ONE) == 0 ? " second" : " seconds");
        return exception == null ? text : text + ": " + exception;
    }

    /** {@link #STARTING} and {@link #CANCELLED_WHILE_STARTING}: no timer behind them. */
    private static final class Placeholder implements TimeoutHandle {
        private final boolean pending;

        Placeholder(boolean pending) {
            this.pending = pending;
        }

        @Override
        public void cancel() {
            // nothing is armed yet: see Timeout.cancel()
        }

        @Override
        public boolean isPending() {
            return pending;
        }
    }

    @Override
    public String toString() {
        return "Timeout(" + getMessage() + (isPending() ? ", pending" : "") + ")";
    }

    /**
     * Runs {@code fn} under a timeout: returns its result, or throws a {@link Timeout} when it does not
     * finish in time (TO-19). Blocks as {@code fn} does.
     */
    static <T extends @Nullable Object> T withTimeout(
            Duration d, GreenCallable<T> fn, boolean hasValue, @Nullable T timeoutValue) {
        Timeout t = new Timeout(d);
        t.start();
        try {
            return fn.call();
        } catch (Timeout caught) {
            if (caught == t && hasValue) {
                return timeoutValue;
            }
            throw caught;
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Exception e) {
            throw new GreenletFailedException(e);
        } finally {
            t.cancel();
        }
    }
}
