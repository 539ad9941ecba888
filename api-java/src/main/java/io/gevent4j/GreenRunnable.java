package io.gevent4j;

/** A greenlet body without a result; it may throw any exception, checked ones included. */
@FunctionalInterface
public interface GreenRunnable {
    /**
     * Runs the body.
     *
     * @throws Exception any failure; it is kept as the greenlet's exception
     */
    void run() throws Exception;
}
