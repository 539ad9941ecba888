package io.gevent4j;

import org.jspecify.annotations.Nullable;

/**
 * A two-argument function that may throw any exception (used by {@code imap} over two iterables).
 *
 * @param <A> the first argument type
 * @param <B> the second argument type
 * @param <R> the result type
 */
@FunctionalInterface
public interface GreenBiFunction<A extends @Nullable Object, B extends @Nullable Object, R extends @Nullable Object> {
    /**
     * Applies the function.
     *
     * @param a the first argument
     * @param b the second argument
     * @return the result
     * @throws Exception any failure
     */
    R apply(A a, B b) throws Exception;
}
