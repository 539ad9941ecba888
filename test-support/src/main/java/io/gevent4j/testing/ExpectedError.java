package io.gevent4j.testing;

/** The failure a test provokes on purpose (gevent's {@code ExpectedError}, with its {@code myattr}). */
public class ExpectedError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    /** gevent's {@code myattr}: a field the receiver of the exception checks it got this very object. */
    public final int myattr;

    public ExpectedError(String message) {
        this(message, 0);
    }

    public ExpectedError(String message, int myattr) {
        super(message);
        this.myattr = myattr;
    }
}
