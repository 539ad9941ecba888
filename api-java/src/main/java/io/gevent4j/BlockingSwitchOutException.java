package io.gevent4j;

/**
 * Thrown at once when a blocking facade ({@code join}, {@code get}, {@code sleep}, {@code waitFor}, ...)
 * is called on a hub thread outside a Java greenlet: in a Kotlin greenlet's body, a {@code rawlink}
 * callback or a task of {@link Hub#asExecutor()}. Blocking there would stall every greenlet of the hub.
 * The message names the call and the suspend twin to use instead (gevent's
 * {@code BlockingSwitchOutError}, SCH-17).
 */
public class BlockingSwitchOutException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what was called and what to call instead
     */
    public BlockingSwitchOutException(String message) {
        super(message);
    }
}
