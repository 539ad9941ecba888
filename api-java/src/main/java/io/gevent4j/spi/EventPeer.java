package io.gevent4j.spi;

import io.gevent4j.Waitable;
import java.util.function.Consumer;

/** For implementors only: the implementation side of an {@link io.gevent4j.event.Event}. */
public interface EventPeer {
    /** Sets the flag and wakes every waiter. */
    void set();

    /** Clears the flag. */
    void clear();

    /** @return the flag */
    boolean isSet();

    /**
     * @param timeoutNanos negative for none
     * @return the flag as the waiter saw it when woken: true when set (even if cleared since), false on timeout
     */
    boolean waitFor(long timeoutNanos);

    /** @param callback run on the hub once set */
    void rawlink(Consumer<? super Waitable> callback);

    /** @param callback a callback to remove */
    void unlink(Consumer<? super Waitable> callback);

    /** @return how many links are registered (gevent's {@code linkcount}) */
    int linkCount();
}
