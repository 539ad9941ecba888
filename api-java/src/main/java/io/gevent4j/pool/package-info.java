/**
 * gevent's {@code Group} and {@code Pool} and eventlet's {@code GreenPool} and {@code GreenPile}: sets of greenlets,
 * bounded or not, with {@code map}, {@code imap} and {@code apply}.
 *
 * <p>Null-marked: a type without {@code @Nullable} never holds null; see the {@linkplain io.gevent4j package
 * documentation} for the type parameters.
 */
@NullMarked
package io.gevent4j.pool;

import org.jspecify.annotations.NullMarked;
