package io.gevent4j.queue;

/** Thrown when put() found no room in time (gevent's queue.Full). */
public class QueueFullException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what happened
     */
    public QueueFullException(String message) {
        super(message);
    }
}
