package io.gevent4j;

import org.jspecify.annotations.Nullable;

/**
 * A greenlet body or callback that returns a value and may throw any exception, checked ones included.
 *
 * @param <T> the result type
 */
@FunctionalInterface
public interface GreenCallable<T extends @Nullable Object> {
    /**
     * Runs the body.
     *
     * @return the result, kept as the greenlet's value
     * @throws Exception any failure; it is kept as the greenlet's exception
     */
    T call() throws Exception;
}
