package io.gevent4j;

/**
 * Wraps a <em>checked</em> exception that a greenlet or an {@code AsyncResult} failed with, when
 * {@code get()} re-throws it. Unchecked failures ({@link RuntimeException}, {@link Error}) are re-thrown
 * as the same instance instead. {@link #getCause()} is the original, and the wrapper is the same
 * instance on every call.
 */
public class GreenletFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the wrapper.
     *
     * @param cause the checked exception the greenlet failed with
     */
    public GreenletFailedException(Throwable cause) {
        super(String.valueOf(cause), cause);
    }
}
