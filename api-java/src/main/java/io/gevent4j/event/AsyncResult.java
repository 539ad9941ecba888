package io.gevent4j.event;

import io.gevent4j.GreenletFailedException;
import io.gevent4j.Timeout;
import io.gevent4j.Waitable;
import io.gevent4j.spi.Arguments;
import io.gevent4j.spi.AsyncResultPeer;
import io.gevent4j.spi.Internals;
import io.gevent4j.spi.Providers;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * gevent's {@code AsyncResult}: a one-value mailbox that greenlets (and threads) wait on; safe from any thread.
 * {@link #set} or {@link #setException} wake every waiter, in the order they started waiting (AR-10); the
 * setter never switches. It may be set again: <b>the last outcome wins</b>, whether value or exception
 * (deviation: gevent lets a stored value beat a later exception, AR-08).
 *
 * <p>{@code get} and {@code waitFor} block: in a Java greenlet they yield, on a thread of no hub they block
 * the thread, on a hub thread outside a Java greenlet they throw
 * {@link io.gevent4j.BlockingSwitchOutException} (Kotlin: {@code AsyncResult.await()}).
 *
 * @param <T> the value type; nullable ({@code AsyncResult<@Nullable Void>}, Kotlin {@code AsyncResult<String?>}) when
 *     null is a value (see the {@linkplain io.gevent4j package documentation})
 */
public class AsyncResult<T extends @Nullable Object> implements Waitable {
    static {
        Internals.install(AsyncResult.class, a -> ((AsyncResult<?>) a).peer);
    }

    private final AsyncResultPeer<T> peer;
    private final AtomicReference<@Nullable GreenletFailedException> wrapper = new AtomicReference<>();

    /** A new, empty AsyncResult. */
    @SuppressWarnings("this-escape") // the provider only keeps the reference
    public AsyncResult() {
        this.peer = Providers.get().newAsyncResult(this);
    }

    /**
     * An AsyncResult that takes the outcome of {@code stage} when it completes, from whatever thread completes it:
     * any {@link java.util.concurrent.CompletableFuture} (an {@code HttpClient.sendAsync}, a driver's async API,
     * {@link io.gevent4j.Greenlet#toCompletableFuture()}) becomes something greenlets wait on cooperatively: a Java
     * greenlet in either hub mode with {@link #get()}, a thread of no hub, a Kotlin greenlet with
     * {@code AsyncResult.await()}, or {@link io.gevent4j.Gevent#wait} among other objects.
     *
     * <p>A value is set as it is; a failure is stored unwrapped from {@link CompletionException} (so {@link #get()}
     * throws what the future's own code threw, following its rule for checked exceptions); a cancelled stage makes
     * it fail with the {@link java.util.concurrent.CancellationException}. When the stage is complete already, the
     * result is ready on return. Waiting on the AsyncResult never cancels the stage, and a kill or a Timeout of a
     * waiter leaves the stage running. Never blocks.
     *
     * @param stage the stage to follow
     * @param <T> the value type
     * @return a new AsyncResult, set when {@code stage} completes
     * @throws NullPointerException if {@code stage} is null
     */
    public static <T extends @Nullable Object> AsyncResult<T> of(CompletionStage<T> stage) {
        Objects.requireNonNull(stage, "stage must not be null");
        AsyncResult<T> result = new AsyncResult<>();
        stage.whenComplete((value, failure) -> {
            if (failure == null) {
                result.set(value);
            } else {
                result.setException(unwrap(failure));
            }
        });
        return result;
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable t = failure;
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /**
     * Stores {@code value} and wakes every waiter. Never blocks.
     *
     * @param value the value; null (AR-05) when {@code T} is nullable: {@code AsyncResult<@Nullable String>},
     *     Kotlin {@code AsyncResult<String?>}
     */
    public void set(T value) {
        peer.set(value);
    }

    /**
     * Stores {@code e} as the outcome and wakes every waiter. Never blocks.
     *
     * @param e the failure
     * @throws NullPointerException if {@code e} is null
     */
    public void setException(Throwable e) {
        peer.setException(Objects.requireNonNull(e, "e must not be null"));
    }

    /**
     * Waits for the outcome: returns the value, or re-throws the exception (the same instance when unchecked,
     * else a {@link GreenletFailedException} wrapping it, the same wrapper each time).
     *
     * @return the value
     */
    public T get() {
        peer.await(-1);
        return outcome();
    }

    /**
     * As {@link #get()}, at most {@code timeout}.
     *
     * @param timeout at most this long; {@code null} waits for ever
     * @return the value
     * @throws Timeout when not ready in time (AR-03)
     * @throws IllegalArgumentException if {@code timeout} is negative
     */
    public T get(@Nullable Duration timeout) {
        long n = Arguments.timeoutNanos(timeout, "timeout");
        if (!peer.await(n)) {
            throw new Timeout(timeout);
        }
        return outcome();
    }

    /**
     * {@link #get(Duration)} in seconds.
     *
     * @param seconds not negative
     * @return the value
     * @throws Timeout when not ready in time
     */
    public T get(double seconds) {
        if (!peer.await(Arguments.secondsNanos(seconds, "seconds"))) {
            throw new Timeout(seconds);
        }
        return outcome();
    }

    /**
     * The outcome without waiting.
     *
     * @return the value
     * @throws Timeout (without a message) when not ready (AR-02)
     */
    public T getNowait() {
        if (!peer.isReady()) {
            throw new Timeout();
        }
        return outcome();
    }

    /**
     * Waits until ready (gevent's {@code AsyncResult.wait()}).
     *
     * @return the value, or null when the outcome is an exception
     */
    public @Nullable T waitFor() {
        peer.await(-1);
        return peer.value();
    }

    /**
     * Waits until ready, at most {@code timeout}.
     *
     * @param timeout at most this long; {@code null} waits for ever
     * @return the value, or null on an exception or a timeout (AR-03)
     */
    public @Nullable T waitFor(@Nullable Duration timeout) {
        return peer.await(Arguments.timeoutNanos(timeout, "timeout")) ? peer.value() : null;
    }

    /**
     * {@link #waitFor(Duration)} in seconds.
     *
     * @param seconds not negative
     * @return the value, or null on an exception or a timeout
     */
    public @Nullable T waitFor(double seconds) {
        return peer.await(Arguments.secondsNanos(seconds, "seconds")) ? peer.value() : null;
    }

    /** @return whether a value or an exception is stored */
    @Override
    public boolean isReady() {
        return peer.isReady();
    }

    /** @return whether the outcome is a value */
    public boolean isSuccessful() {
        return peer.isReady() && peer.exception() == null;
    }

    /** @return the value, or null when not ready or failed */
    public @Nullable T value() {
        return peer.value();
    }

    /** @return the exception, or null when not ready or successful */
    public @Nullable Throwable exception() {
        return peer.exception();
    }

    @Override
    public void rawlink(Consumer<? super Waitable> callback) {
        peer.rawlink(Objects.requireNonNull(callback, "callback must not be null"));
    }

    @Override
    public void unlink(Consumer<? super Waitable> callback) {
        if (callback != null) {
            peer.unlink(callback);
        }
    }

    @SuppressWarnings("unchecked")
    private T outcome() {
        Object o = peer.outcome(); // one read: value and exception of the same set
        if (!(o instanceof AsyncResultPeer.Failure f)) {
            return (T) o;
        }
        Throwable e = f.error();
        if (e instanceof RuntimeException re) {
            throw re;
        }
        if (e instanceof Error err) {
            throw err;
        }
        // one wrapper per stored exception, made by CAS: a monitor here could be entered by a hub thread (a rawlink
        // callback calling get) while a greenlet waits for it (the hubmonitor trap of docs/design/runtime.md)
        GreenletFailedException w = wrapper.get();
        if (w != null && w.getCause() == e) {
            throw w;
        }
        GreenletFailedException made = new GreenletFailedException(e);
        if (wrapper.compareAndSet(w, made)) {
            throw made;
        }
        w = wrapper.get();
        throw w != null && w.getCause() == e ? w : made;
    }

    @Override
    public String toString() {
        return "<AsyncResult "
                + (!isReady() ? "unset" : isSuccessful() ? "value=" + value() : "exception=" + exception()) + ">";
    }
}
