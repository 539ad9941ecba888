/**
 * gevent's servers: {@link io.gevent4j.server.StreamServer}, a TCP server that runs a handler in a new greenlet
 * for each connection, optionally bounded by a {@link io.gevent4j.pool.Pool} and spread over several hubs.
 */
package io.gevent4j.server;
