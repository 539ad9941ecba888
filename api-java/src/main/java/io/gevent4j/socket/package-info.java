/**
 * gevent's cooperative sockets: {@link io.gevent4j.socket.GreenSocket} (a connected TCP stream) and
 * {@link io.gevent4j.socket.GreenServerSocket} (a listener). Their waits yield to the hub in a Java greenlet,
 * block a thread of no hub, and have suspend twins in {@code io.gevent4j.kotlin}.
 *
 * <p>Null-marked: a type without {@code @Nullable} never holds null; see the {@linkplain io.gevent4j package
 * documentation} for the type parameters.
 */
@NullMarked
package io.gevent4j.socket;

import org.jspecify.annotations.NullMarked;
