package io.gevent4j.pool;

import io.gevent4j.queue.QueueFullException;

/**
 * Thrown by {@link Pool#add(io.gevent4j.Greenlet, boolean, java.time.Duration)} and
 * {@link Pool#start(io.gevent4j.Greenlet, boolean, java.time.Duration)} when the pool has no free slot and the
 * caller does not block, or its timeout expires first (gevent's {@code PoolFull}, a subclass of {@code queue.Full}).
 */
public class PoolFullException extends QueueFullException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception with a default message. */
    public PoolFullException() {
        super("the pool is full");
    }

    /**
     * Creates the exception with a message.
     *
     * @param message the detail message
     */
    public PoolFullException(String message) {
        super(message);
    }
}
