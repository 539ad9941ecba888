/**
 * gevent's cooperative sockets: {@link io.gevent4j.socket.GreenSocket} (a connected TCP stream) and
 * {@link io.gevent4j.socket.GreenServerSocket} (a listener). Their waits yield to the hub in a Java greenlet,
 * block a thread of no hub, and have suspend twins in {@code io.gevent4j.kotlin}.
 */
package io.gevent4j.socket;
