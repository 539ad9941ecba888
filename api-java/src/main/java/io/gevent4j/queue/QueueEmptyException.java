package io.gevent4j.queue;

/** Thrown when get() or peek() found no item in time (gevent's queue.Empty). */
public class QueueEmptyException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what happened
     */
    public QueueEmptyException(String message) {
        super(message);
    }
}
