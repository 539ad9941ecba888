package io.gevent4j;

/**
 * The default exception of {@link Greenlet#kill()}. A greenlet that ends with it (or a subclass of it)
 * counts as <em>successful</em>, as in gevent (GL-18, GL-38).
 *
 * <p>It extends {@link Error}, as {@code ThreadDeath} did, so that {@code catch (Exception e)} in user
 * code cannot swallow a kill (gevent makes it a {@code BaseException} for the same reason).
 */
public class GreenletExit extends Error {
    private static final long serialVersionUID = 1L;

    /** Creates a GreenletExit without a message. */
    public GreenletExit() {
        super();
    }

    /**
     * Creates a GreenletExit with a message.
     *
     * @param message the message
     */
    public GreenletExit(String message) {
        super(message);
    }
}
