package io.gevent4j.queue;

/** Thrown when the queue was shut down (gevent's queue.ShutDown). */
public class QueueShutDownException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what happened
     */
    public QueueShutDownException(String message) {
        super(message);
    }
}
