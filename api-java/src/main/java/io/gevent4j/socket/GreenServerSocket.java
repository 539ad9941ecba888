package io.gevent4j.socket;

import io.gevent4j.spi.Arguments;
import io.gevent4j.spi.Internals;
import io.gevent4j.spi.Providers;
import io.gevent4j.spi.ServerSocketPeer;
import io.gevent4j.spi.SocketPeer;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A listening TCP socket whose {@link #accept()} waits cooperatively: gevent's listening {@code socket}. It is
 * a non-blocking {@link ServerSocketChannel} accepted from after the hub's selector reports it ready.
 *
 * <p>{@code accept} is a gevent4j wait point (see {@link GreenSocket}): it yields in a Java greenlet, blocks a
 * thread of no hub, and is refused on a hub thread outside a Java greenlet (Kotlin: {@code awaitAccept}). When
 * several greenlets wait in {@code accept}, a new connection wakes them all and one of them takes it; the others
 * wait again. {@link #close()} fails every waiting {@code accept} with a {@link java.net.SocketException}.
 */
public final class GreenServerSocket implements Closeable {
    static {
        Internals.install(GreenServerSocket.class, s -> ((GreenServerSocket) s).peer);
    }

    private final ServerSocketPeer peer;

    private GreenServerSocket(ServerSocketPeer peer) {
        this.peer = peer;
    }

    /**
     * Listens on {@code address} with {@code SO_REUSEADDR} and the JDK's default backlog.
     *
     * @param address where; port 0 picks a free port ({@link #port()} tells which)
     * @return the listener
     * @throws java.net.BindException naming the address when it is in use (nothing is left open)
     * @throws IOException other failures to open or bind
     */
    public static GreenServerSocket listen(InetSocketAddress address) throws IOException {
        return listen(address, 0);
    }

    /**
     * Listens on {@code address} with {@code SO_REUSEADDR}.
     *
     * @param address where; port 0 picks a free port
     * @param backlog the kernel's queue of unaccepted connections; {@code <= 0} for the JDK's default
     * @return the listener
     * @throws java.net.BindException naming the address when it is in use (nothing is left open)
     * @throws IOException other failures to open or bind
     */
    public static GreenServerSocket listen(InetSocketAddress address, int backlog) throws IOException {
        Objects.requireNonNull(address, "address must not be null");
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("address must be resolved: " + address);
        }
        return new GreenServerSocket(Providers.get().listen(address, backlog));
    }

    /**
     * Waits for the next connection.
     *
     * @return the connected socket
     * @throws java.net.SocketException when the listener is or gets closed
     * @throws IOException other failures
     */
    public GreenSocket accept() throws IOException {
        SocketPeer s = peer.accept(-1);
        return new GreenSocket(Objects.requireNonNull(s, "accept without a timeout returned null"));
    }

    /**
     * Waits for the next connection, at most {@code timeout}.
     *
     * @param timeout at most this long; {@code null} for no limit
     * @return the connected socket, or null on expiry
     * @throws IOException as {@link #accept()}
     * @throws IllegalArgumentException if {@code timeout} is negative
     */
    public @Nullable GreenSocket accept(@Nullable Duration timeout) throws IOException {
        SocketPeer s = peer.accept(Arguments.timeoutNanos(timeout, "timeout"));
        return s == null ? null : new GreenSocket(s);
    }

    /**
     * @return the bound address
     * @throws IOException when closed
     */
    public InetSocketAddress localAddress() throws IOException {
        return (InetSocketAddress) peer.channel().getLocalAddress();
    }

    /**
     * @return the bound port
     * @throws IllegalStateException when closed
     */
    public int port() {
        try {
            return localAddress().getPort();
        } catch (IOException e) {
            throw new IllegalStateException("the listener is closed", e);
        }
    }

    /** @return false once {@link #close()} was called */
    public boolean isOpen() {
        return peer.isOpen();
    }

    /** @return the underlying non-blocking channel; do not accept from it directly */
    public ServerSocketChannel channel() {
        return peer.channel();
    }

    /**
     * Stops listening. Idempotent; never blocks. Waiting {@code accept}s fail with a
     * {@link java.net.SocketException}. Called from the hub's own context, new connections are refused once it
     * returns; from elsewhere, within the hub's next loop iteration.
     */
    @Override
    public void close() {
        peer.close();
    }

    @Override
    public String toString() {
        if (!peer.isOpen()) {
            return "<GreenServerSocket closed>";
        }
        try {
            return "<GreenServerSocket " + localAddress() + ">";
        } catch (IOException e) {
            return "<GreenServerSocket " + e + ">";
        }
    }
}
