package io.gevent4j.spi;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * For implementors only: the implementation side of an {@link io.gevent4j.socket.GreenSocket}. Every method
 * that waits is a gevent4j wait point (cooperative in a Java greenlet, blocking on a thread of no hub, refused
 * on a hub thread outside a Java greenlet). The timeout set with {@link #setTimeoutNanos} applies to each call.
 */
public interface SocketPeer {
    /**
     * @param into where to read; nothing happens when it has no room
     * @return bytes read (at least 1 after waiting for them), 0 when {@code into} has no room, -1 at end of stream
     * @throws IOException a {@link java.net.SocketTimeoutException} on expiry, a {@link java.net.SocketException}
     *     when closed
     */
    int recv(ByteBuffer into) throws IOException;

    /**
     * @param from what to send
     * @return bytes sent: at least 1 after waiting for room, 0 when {@code from} is empty
     * @throws IOException as {@link #recv}
     */
    int send(ByteBuffer from) throws IOException;

    /**
     * @param from what to send, all of it
     * @throws IOException as {@link #recv}; on expiry the buffer's position says how much was sent
     */
    void sendAll(ByteBuffer from) throws IOException;

    /** @param nanos the per-call timeout, negative for none */
    void setTimeoutNanos(long nanos);

    /** @return the per-call timeout in nanoseconds, negative for none */
    long timeoutNanos();

    /** @throws IOException from the channel */
    void shutdownOutput() throws IOException;

    /** @return the channel (non-blocking) */
    SocketChannel channel();

    /** @return false once closed */
    boolean isOpen();

    /** Closes (idempotent); waits pending on the socket fail with a {@link java.net.SocketException}. */
    void close();
}
