/**
 * gevent's servers: {@link io.gevent4j.server.StreamServer}, a TCP server that runs a handler in a new greenlet
 * for each connection, optionally bounded by a {@link io.gevent4j.pool.Pool} and spread over several hubs.
 *
 * <p>Null-marked: a type without {@code @Nullable} never holds null; see the {@linkplain io.gevent4j package
 * documentation} for the type parameters.
 */
@NullMarked
package io.gevent4j.server;

import org.jspecify.annotations.NullMarked;
