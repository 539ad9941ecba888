package io.gevent4j.spi;

import io.gevent4j.Greenlet;
import io.gevent4j.Hub;
import io.gevent4j.Waitable;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * For implementors only: the implementation side of one {@link Greenlet}. Every public method of
 * {@code Greenlet} delegates here after validating its arguments. Timeouts are nanoseconds, negative for
 * none.
 *
 * @param <T> the result type
 */
public interface GreenletPeer<T extends @Nullable Object> {
    /** Link kinds of {@link #link}. */
    int LINK_ALL = 0;
    /** Called only on success. */
    int LINK_VALUE = 1;
    /** Called only on failure. */
    int LINK_EXCEPTION = 2;

    /**
     * Schedules the greenlet to run once (FIFO on its hub). A greenlet starts at most once.
     *
     * @throws IllegalStateException naming the greenlet when it was started already, finished, or killed before it
     *     started (it is dead), or when its hub is closed; nothing changes then
     */
    void start();

    /**
     * Schedules the greenlet to run after a delay; as {@link #start()} otherwise.
     *
     * @param nanos delay before it is scheduled
     * @throws IllegalStateException as {@link #start()}
     */
    void startLater(long nanos);

    /**
     * @param timeoutNanos timeout, negative for none
     * @return true when dead on return
     */
    boolean join(long timeoutNanos);

    /**
     * @param timeoutNanos timeout, negative for none
     * @return the value; throws as {@link Greenlet#get()} says
     */
    @Nullable
    T get(long timeoutNanos);

    /** @return the value if ready; throws as {@link Greenlet#getNowait()} says */
    @Nullable
    T getNowait();

    /**
     * @param exception what to raise in the greenlet
     * @param block whether to wait for its death
     * @param timeoutNanos how long to wait, negative for ever
     */
    void kill(Throwable exception, boolean block, long timeoutNanos);

    /** @return the value on success */
    @Nullable
    T value();

    /** @return the failure */
    @Nullable
    Throwable exception();

    /** @return whether finished */
    boolean isReady();

    /** @return whether finished successfully */
    boolean isSuccessful();

    /** @return whether scheduled or running and not finished */
    boolean isStarted();

    /** @return whether finished, or killed before it ran */
    boolean isDead();

    /**
     * @param callback run in a new greenlet once finished
     * @param kind {@link #LINK_ALL}, {@link #LINK_VALUE} or {@link #LINK_EXCEPTION}
     */
    void link(Consumer<? super Greenlet<T>> callback, int kind);

    /** @param callback run on the hub once finished */
    void rawlink(Consumer<? super Waitable> callback);

    /**
     * @param callback a callback registered by any {@code link} method
     */
    void unlink(Object callback);

    /** Removes every link. */
    void unlinkAll();

    /** @return the greenlet's name */
    String name();

    /** @param name the new name */
    void setName(String name);

    /** @return the hub it runs on */
    Hub hub();

    /** @return a future completed when the greenlet finishes */
    CompletableFuture<@Nullable T> toCompletableFuture();
}
