package io.gevent4j.monitor;

/**
 * A listener's registration, returned by {@link io.gevent4j.Hub#onBlocked}: closing it removes the listener.
 */
public interface Registration extends AutoCloseable {
    /**
     * Removes the listener: it is not called for reports made after this returns (one already running on the
     * monitor thread finishes). Idempotent, never blocks, throws nothing, callable from any thread.
     */
    @Override
    void close();
}
