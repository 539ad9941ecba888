package io.gevent4j;

import org.jspecify.annotations.Nullable;

/**
 * A one-argument function that may throw any exception (used by the map family of the pools).
 *
 * @param <A> the argument type
 * @param <R> the result type
 */
@FunctionalInterface
public interface GreenFunction<A extends @Nullable Object, R extends @Nullable Object> {
    /**
     * Applies the function.
     *
     * @param a the argument
     * @return the result
     * @throws Exception any failure
     */
    R apply(A a) throws Exception;
}
