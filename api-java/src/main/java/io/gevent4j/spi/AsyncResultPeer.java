package io.gevent4j.spi;

import io.gevent4j.Waitable;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * For implementors only: the implementation side of an {@link io.gevent4j.event.AsyncResult}.
 *
 * @param <T> the value type
 */
public interface AsyncResultPeer<T extends @Nullable Object> {
    /** @param value stored; wakes every waiter */
    void set(@Nullable T value);

    /** @param e stored; wakes every waiter */
    void setException(Throwable e);

    /**
     * @param timeoutNanos negative for none
     * @return true when ready on return
     */
    boolean await(long timeoutNanos);

    /** @return whether a value or an exception is stored */
    boolean isReady();

    /** @return the stored value, if the last outcome is a value */
    @Nullable
    T value();

    /**
     * Reads the outcome in one step, so that a set racing with the read cannot pair one outcome's value with
     * another's exception.
     *
     * @return the stored value, or the stored exception wrapped in {@link Failure}; null when unset or set to null
     */
    @Nullable
    Object outcome();

    /**
     * A stored exception, as {@link #outcome()} returns it.
     *
     * @param error the exception
     */
    record Failure(Throwable error) {}

    /** @return the stored exception, if the last outcome is an exception */
    @Nullable
    Throwable exception();

    /** @param callback run on the hub once ready */
    void rawlink(Consumer<? super Waitable> callback);

    /** @param callback to remove */
    void unlink(Consumer<? super Waitable> callback);
}
