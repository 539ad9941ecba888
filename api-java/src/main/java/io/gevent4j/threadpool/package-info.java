/**
 * gevent's thread pool: {@link io.gevent4j.threadpool.ThreadPool}, which runs blocking work on real threads and
 * hands the results back to greenlets cooperatively.
 *
 * <p>Null-marked: a type without {@code @Nullable} never holds null; see the {@linkplain io.gevent4j package
 * documentation} for the type parameters.
 */
@NullMarked
package io.gevent4j.threadpool;

import org.jspecify.annotations.NullMarked;
