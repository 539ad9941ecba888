package io.gevent4j.event;

import io.gevent4j.Waitable;
import io.gevent4j.spi.Arguments;
import io.gevent4j.spi.EventPeer;
import io.gevent4j.spi.Internals;
import io.gevent4j.spi.Providers;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * gevent's {@code Event}: a flag that greenlets (and threads) can wait for. Safe from any thread: a Java
 * service thread may {@link #set()} an Event that greenlets wait on, and the other way round.
 *
 * <p>Ordering: waiters wake in the order they started waiting (EV-03); {@code set()} never switches to
 * them: the setter keeps running and the woken run later. A waiter woken by {@code set()} returns
 * {@code true} even when the event was cleared before it ran (EV-04). A caller that finds the event set while
 * woken waiters have not run yet is queued behind them (EV-06).
 *
 * <p>{@code waitFor} blocks: inside a Java greenlet it yields to the hub, on a thread of no hub it blocks the
 * thread, on a hub thread outside a Java greenlet it throws {@link io.gevent4j.BlockingSwitchOutException}
 * (Kotlin: use the suspend twin {@code Event.await()}).
 */
public class Event implements Waitable {
    static {
        Internals.install(Event.class, e -> ((Event) e).peer);
    }

    private final EventPeer peer;

    /** A new event, not set. */
    @SuppressWarnings("this-escape") // the provider only keeps the reference
    public Event() {
        this.peer = Providers.get().newEvent(this);
    }

    /** Sets the flag and wakes every waiter (they run later, in the order they waited). Never blocks. */
    public void set() {
        peer.set();
    }

    /** Clears the flag. Waiters woken already still return {@code true}. Never blocks. */
    public void clear() {
        peer.clear();
    }

    /** @return whether the flag is set */
    public boolean isSet() {
        return peer.isSet();
    }

    /** @return whether the flag is set (the wait protocol's name) */
    @Override
    public boolean isReady() {
        return peer.isSet();
    }

    /**
     * Waits until the flag is set (gevent's {@code Event.wait()}).
     *
     * @return true
     * @throws io.gevent4j.BlockingSwitchOutException on a hub thread outside a Java greenlet
     * @throws io.gevent4j.Timeout an outer Timeout of the caller that expires meanwhile
     */
    public boolean waitFor() {
        return peer.waitFor(-1);
    }

    /**
     * Waits until the flag is set or {@code timeout} passes.
     *
     * @param timeout at most this long; {@code null} waits for ever
     * @return true when woken by {@code set()} (or set already), false on timeout (EV-01)
     * @throws IllegalArgumentException if {@code timeout} is negative
     */
    public boolean waitFor(@Nullable Duration timeout) {
        return peer.waitFor(Arguments.timeoutNanos(timeout, "timeout"));
    }

    /**
     * {@link #waitFor(Duration)} in seconds.
     *
     * @param seconds not negative
     * @return true when set, false on timeout
     */
    public boolean waitFor(double seconds) {
        return peer.waitFor(Arguments.secondsNanos(seconds, "seconds"));
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

    /** @return how many waiters and callbacks are linked (gevent's {@code linkcount()}) */
    public int linkCount() {
        return peer.linkCount();
    }

    @Override
    public String toString() {
        return "<Event " + (isSet() ? "set" : "clear") + " links[" + linkCount() + "]>";
    }
}
