package io.gevent4j.socket;

import io.gevent4j.spi.Arguments;
import io.gevent4j.spi.Internals;
import io.gevent4j.spi.Providers;
import io.gevent4j.spi.SocketPeer;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.SocketOption;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A connected TCP stream whose waits are cooperative: gevent's {@code socket}. It is a non-blocking
 * {@link SocketChannel} read and written after the hub's selector reports it ready, so no call ever blocks the
 * hub thread.
 *
 * <p>Every call that waits ({@code connect}, {@code recv*}, {@code send*}, the streams) is a gevent4j wait
 * point: inside a Java greenlet it yields to the hub until the socket is ready (in both hub modes); on a thread
 * of no hub it blocks that thread; on a hub thread outside a Java greenlet (a Kotlin greenlet, a rawlink
 * callback) it throws {@link io.gevent4j.BlockingSwitchOutException} naming the suspend twin
 * ({@code awaitRecv}, {@code awaitSendAll}, ... in {@code io.gevent4j.kotlin}). A kill or a
 * {@link io.gevent4j.Timeout} of the caller lands in the wait and leaves the socket open, as in gevent.
 *
 * <p>The socket is watched by the hub of the first greenlet (or, for a thread of no hub, the default hub) that
 * waits on it; others may use it too, from any hub or thread. Several greenlets waiting to read the same socket
 * are all woken when it becomes readable, and those that find nothing wait again. {@link #close()} fails every
 * pending wait, in any greenlet or thread, with a {@link java.net.SocketException}.
 */
public final class GreenSocket implements Closeable {
    static {
        Internals.install(GreenSocket.class, s -> ((GreenSocket) s).peer);
        Internals.installFactory(GreenSocket.class, p -> new GreenSocket((SocketPeer) p));
    }

    private final SocketPeer peer;
    private @Nullable InputStream in;
    private @Nullable OutputStream out;

    GreenSocket(SocketPeer peer) {
        this.peer = peer;
    }

    /**
     * Connects to {@code address}, waiting cooperatively, without a timeout.
     *
     * @param address a resolved address
     * @return the connected socket
     * @throws IOException a {@link java.net.ConnectException} naming the address when refused
     */
    public static GreenSocket connect(InetSocketAddress address) throws IOException {
        return connect(address, null);
    }

    /**
     * Connects to {@code address}, waiting cooperatively.
     *
     * @param address a resolved address
     * @param timeout at most this long; {@code null} for no limit
     * @return the connected socket
     * @throws IOException a {@link java.net.ConnectException} naming the address when refused, a
     *     {@link java.net.SocketTimeoutException} on expiry (the half-open socket is closed)
     * @throws IllegalArgumentException if {@code timeout} is negative or the address is unresolved
     */
    public static GreenSocket connect(InetSocketAddress address, @Nullable Duration timeout) throws IOException {
        Objects.requireNonNull(address, "address must not be null");
        if (address.isUnresolved()) {
            throw new IllegalArgumentException(
                    "address must be resolved (use connect(host, port, timeout) for a name): " + address);
        }
        long nanos = Arguments.timeoutNanos(timeout, "timeout");
        return new GreenSocket(Providers.get().connect(address, nanos));
    }

    /**
     * {@link #connect(InetSocketAddress, Duration)} with the timeout in seconds.
     *
     * @param address a resolved address
     * @param timeoutSeconds not negative
     * @return the connected socket
     * @throws IOException as {@link #connect(InetSocketAddress, Duration)}
     */
    public static GreenSocket connect(InetSocketAddress address, double timeoutSeconds) throws IOException {
        return connect(address, Arguments.ofSeconds(timeoutSeconds, "timeoutSeconds"));
    }

    /**
     * Looks {@code host} up on the hub's thread pool (never on the hub thread), then connects to its first
     * address that accepts, waiting cooperatively.
     *
     * @param host a host name or a literal address
     * @param port 0..65535
     * @param timeout for the lookup and the connect together; {@code null} for no limit
     * @return the connected socket
     * @throws IOException {@link java.net.UnknownHostException}, {@link java.net.ConnectException},
     *     {@link java.net.SocketTimeoutException}
     * @throws IllegalArgumentException for a port out of range or a negative timeout
     */
    public static GreenSocket connect(String host, int port, @Nullable Duration timeout) throws IOException {
        Objects.requireNonNull(host, "host must not be null");
        if (port < 0 || port > 0xFFFF) {
            throw new IllegalArgumentException("port must be within 0..65535: " + port);
        }
        long nanos = Arguments.timeoutNanos(timeout, "timeout");
        return new GreenSocket(Providers.get().connect(host, port, nanos));
    }

    /**
     * Takes over a connected channel: it is made non-blocking and must not be used directly any more.
     *
     * @param connected a connected channel
     * @return the socket
     * @throws IOException from the channel
     * @throws IllegalArgumentException if the channel is not connected
     */
    public static GreenSocket wrap(SocketChannel connected) throws IOException {
        Objects.requireNonNull(connected, "connected must not be null");
        if (!connected.isConnected()) {
            throw new IllegalArgumentException("connected must be a connected channel: " + connected);
        }
        return new GreenSocket(Providers.get().wrapSocket(connected));
    }

    /**
     * Reads what is there, waiting until at least one byte is (gevent's {@code recv_into}).
     *
     * @param into where to read, from its position to its limit
     * @return bytes read, -1 at end of stream, 0 only when {@code into} has no room
     * @throws java.net.SocketTimeoutException when nothing came within the socket's timeout
     * @throws java.net.SocketException when the socket is closed, here or in another greenlet
     * @throws IOException a reset connection and the like
     */
    public int recv(ByteBuffer into) throws IOException {
        Objects.requireNonNull(into, "into must not be null");
        return peer.recv(into);
    }

    /**
     * Reads up to {@code max} bytes, waiting until at least one is there (gevent's {@code recv}).
     *
     * @param max at least 1
     * @return the bytes read; an empty array at end of stream
     * @throws IOException as {@link #recv(ByteBuffer)}
     * @throws IllegalArgumentException if {@code max < 1}
     */
    public byte[] recv(int max) throws IOException {
        if (max < 1) {
            throw new IllegalArgumentException("max must be at least 1: " + max);
        }
        ByteBuffer b = ByteBuffer.allocate(max);
        int n = peer.recv(b);
        return n <= 0 ? new byte[0] : Arrays.copyOf(b.array(), n);
    }

    /**
     * Reads into {@code buf[off, off + len)}, waiting until at least one byte is there.
     *
     * @param buf the array
     * @param off where to start
     * @param len at most this many bytes
     * @return bytes read, -1 at end of stream, 0 only when {@code len == 0}
     * @throws IOException as {@link #recv(ByteBuffer)}
     * @throws IndexOutOfBoundsException for a range outside {@code buf}
     */
    public int recvInto(byte[] buf, int off, int len) throws IOException {
        Objects.requireNonNull(buf, "buf must not be null");
        Objects.checkFromIndexSize(off, len, buf.length);
        return peer.recv(ByteBuffer.wrap(buf, off, len));
    }

    /**
     * Sends what the kernel takes now, waiting until it takes at least one byte.
     *
     * @param from what to send, from its position to its limit
     * @return bytes sent (0 only when {@code from} is empty)
     * @throws java.net.SocketTimeoutException when no room came within the socket's timeout
     * @throws IOException as {@link #recv(ByteBuffer)}
     */
    public int send(ByteBuffer from) throws IOException {
        Objects.requireNonNull(from, "from must not be null");
        return peer.send(from);
    }

    /**
     * Sends all of {@code from}, waiting for room as often as needed (gevent's {@code sendall}). The socket's
     * timeout applies to the whole call.
     *
     * @param from what to send; its position ends at its limit
     * @throws java.net.SocketTimeoutException on expiry; {@code from}'s position tells what was sent
     * @throws IOException as {@link #recv(ByteBuffer)}
     */
    public void sendAll(ByteBuffer from) throws IOException {
        Objects.requireNonNull(from, "from must not be null");
        peer.sendAll(from);
    }

    /**
     * Sends all of {@code data} (gevent's {@code sendall}).
     *
     * @param data the bytes
     * @throws IOException as {@link #sendAll(ByteBuffer)}
     */
    public void sendAll(byte[] data) throws IOException {
        Objects.requireNonNull(data, "data must not be null");
        peer.sendAll(ByteBuffer.wrap(data));
    }

    /**
     * Sets the timeout of each later call (gevent's {@code settimeout}); expiry throws
     * {@link java.net.SocketTimeoutException} and leaves the socket usable.
     *
     * @param perCall the limit; {@code null} for none
     * @throws IllegalArgumentException if negative
     */
    public void setTimeout(@Nullable Duration perCall) {
        peer.setTimeoutNanos(Arguments.timeoutNanos(perCall, "perCall"));
    }

    /**
     * {@link #setTimeout(Duration)} in seconds.
     *
     * @param seconds not negative
     */
    public void setTimeout(double seconds) {
        peer.setTimeoutNanos(Arguments.secondsNanos(seconds, "seconds"));
    }

    /** @return the timeout of each call, or null for none */
    public @Nullable Duration getTimeout() {
        long n = peer.timeoutNanos();
        return n < 0 ? null : Duration.ofNanos(n);
    }

    /**
     * A stream over {@link #recvInto} (gevent's {@code makefile('rb')}): {@code read} waits cooperatively as
     * {@code recv} does. The same stream on every call; closing it closes the socket.
     *
     * @return the input stream
     */
    public InputStream getInputStream() {
        InputStream s = in;
        if (s == null) {
            s = new GreenSocketInputStream(this);
            in = s;
        }
        return s;
    }

    /**
     * A stream over {@link #sendAll(byte[])} (gevent's {@code makefile('wb')}), unbuffered: each write sends
     * all its bytes. The same stream on every call; closing it closes the socket.
     *
     * @return the output stream
     */
    public OutputStream getOutputStream() {
        OutputStream s = out;
        if (s == null) {
            s = new GreenSocketOutputStream(this);
            out = s;
        }
        return s;
    }

    /**
     * @return the local address
     * @throws IOException when closed
     */
    public InetSocketAddress localAddress() throws IOException {
        return (InetSocketAddress) peer.channel().getLocalAddress();
    }

    /**
     * @return the peer's address
     * @throws IOException when closed
     */
    public InetSocketAddress remoteAddress() throws IOException {
        return (InetSocketAddress) peer.channel().getRemoteAddress();
    }

    /**
     * Sets a socket option ({@code StandardSocketOptions.TCP_NODELAY}, ...).
     *
     * @param name the option
     * @param value its value
     * @param <T> its type
     * @return this socket
     * @throws IOException from the channel
     */
    public <T> GreenSocket setOption(SocketOption<T> name, T value) throws IOException {
        Objects.requireNonNull(name, "name must not be null");
        peer.channel().setOption(name, value);
        return this;
    }

    /**
     * Half-closes: the peer reads end of stream; this side can still read.
     *
     * @throws IOException from the channel
     */
    public void shutdownOutput() throws IOException {
        peer.shutdownOutput();
    }

    /** @return false once {@link #close()} was called */
    public boolean isOpen() {
        return peer.isOpen();
    }

    /**
     * The underlying non-blocking channel, for options and addresses. Do not read, write, close or make it blocking
     * directly: close the socket instead (closing the channel behind the socket's back fails later calls, but a wait
     * already pending is not woken).
     *
     * @return the channel
     */
    public SocketChannel channel() {
        return peer.channel();
    }

    /**
     * Closes the socket. Idempotent; never blocks. A {@code recv} or {@code send} waiting on it in another
     * greenlet or thread fails at once with a {@link java.net.SocketException}.
     */
    @Override
    public void close() {
        peer.close();
    }

    @Override
    public String toString() {
        SocketChannel ch = peer.channel();
        if (!peer.isOpen()) {
            return "<GreenSocket closed>";
        }
        try {
            return "<GreenSocket " + ch.getLocalAddress() + " -> " + ch.getRemoteAddress() + ">";
        } catch (IOException e) {
            return "<GreenSocket " + e + ">";
        }
    }
}
