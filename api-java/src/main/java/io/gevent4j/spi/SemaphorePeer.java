package io.gevent4j.spi;

import io.gevent4j.Waitable;
import java.util.function.Consumer;

/** For implementors only: the implementation side of an {@link io.gevent4j.lock.Semaphore}. */
public interface SemaphorePeer {
    /**
     * @param timeoutNanos negative for none; 0 does not block
     * @return true when a permit was taken
     */
    boolean acquire(long timeoutNanos);

    /**
     * @param bound the highest counter a release may reach, or {@code Integer.MAX_VALUE}
     * @return the new counter
     */
    int release(int bound);

    /** @return the counter */
    int counter();

    /**
     * @param timeoutNanos negative for none
     * @return the counter on return (0 on timeout)
     */
    int waitFor(long timeoutNanos);

    /** @param callback run on the hub once a permit is free */
    void rawlink(Consumer<? super Waitable> callback);

    /** @param callback to remove */
    void unlink(Consumer<? super Waitable> callback);
}
