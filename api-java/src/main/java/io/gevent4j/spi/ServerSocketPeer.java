package io.gevent4j.spi;

import java.io.IOException;
import java.nio.channels.ServerSocketChannel;
import org.jspecify.annotations.Nullable;

/** For implementors only: the implementation side of an {@link io.gevent4j.socket.GreenServerSocket}. */
public interface ServerSocketPeer {
    /**
     * Waits for a connection (a gevent4j wait point).
     *
     * @param timeoutNanos negative for none
     * @return the accepted connection, or null on expiry
     * @throws IOException a {@link java.net.SocketException} when the listener is or gets closed
     */
    @Nullable
    SocketPeer accept(long timeoutNanos) throws IOException;

    /** @return the listening channel (non-blocking) */
    ServerSocketChannel channel();

    /** @return false once closed */
    boolean isOpen();

    /** Closes (idempotent); waiting accepts fail with a {@link java.net.SocketException}. */
    void close();
}
