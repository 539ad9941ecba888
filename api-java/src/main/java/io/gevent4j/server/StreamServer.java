package io.gevent4j.server;

import io.gevent4j.Hub;
import io.gevent4j.pool.Group;
import io.gevent4j.pool.Pool;
import io.gevent4j.socket.GreenServerSocket;
import io.gevent4j.socket.GreenSocket;
import io.gevent4j.spi.Arguments;
import io.gevent4j.spi.Internals;
import io.gevent4j.spi.Providers;
import io.gevent4j.spi.ServerSocketPeer;
import io.gevent4j.spi.StreamServerPeer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * gevent's {@code gevent.server.StreamServer}: a TCP server that runs its handler in a new greenlet for every
 * connection it accepts.
 *
 * <pre>{@code
 * StreamServer server = new StreamServer(new InetSocketAddress("127.0.0.1", 0), (socket, address) -> {
 *     byte[] line = socket.recv(1024);          // yields to the hub while nothing has come
 *     socket.sendAll(line);
 * }, 100);                                      // at most 100 connections at once: a Pool(100)
 * server.serveForever();                        // until stop() is called
 * }</pre>
 *
 * <p><b>Accepting.</b> {@link #start()} binds (in the address form) and starts the server's acceptor, a
 * greenlet on the hub of the caller (a thread of no hub: the default hub). Before each accept it waits for a
 * free slot of the pool, so while a {@link Pool} is full no connection is accepted: the kernel queues new ones
 * (up to the backlog) and they are served once a slot frees (SRV-05). Each accepted connection gets a new Java
 * greenlet (a Kotlin greenlet with {@code io.gevent4j.kotlin.streamServer}) that runs the handler and is added
 * to the server's group, if any, with that group's own accounting. The handler's socket is closed when the
 * handler returns or throws (SRV-04), so a handler must not return while other greenlets still use it. A handler
 * that throws is reported once, as any greenlet failure (the logger {@code io.gevent4j.Greenlet}), and the server
 * goes on serving (SRV-12). An accept that fails for lack of resources (too many open files) is reported (the
 * logger {@code io.gevent4j.Hub}) and retried after a pause that doubles from 10 ms up to 1 s, as in gevent.
 *
 * <p><b>Several hubs.</b> gevent serves on one thread; its users run a process per core. {@link #hubs(Hub...)}
 * spreads the connections over several hubs (each one thread): the acceptor stays on the starting caller's hub
 * and hands each accepted connection to the next hub of the list in turn (round-robin); the connection lives
 * on that hub from then on (its handler greenlet runs there and its socket is watched by that hub's selector).
 * A {@link Pool} given to the server bounds the connections of the whole server, whichever hub serves them, and
 * {@link #stop(Duration)} waits for and kills handlers on every hub. A hub of the list that is closed is skipped.
 *
 * <p><b>Stopping.</b> {@link #stop(Duration)} closes the listener (later connects are refused, SRV-07); with a
 * group it then waits for the handlers up to the timeout (default 1 s) and kills the rest (SRV-08); without one
 * it returns at once and the handlers run to their end (SRV-09). {@code stop()} twice is harmless; a stopped
 * server cannot be started again. {@link #serveForever()} returns once {@code stop} has been called (SRV-10).
 * If the hub of the acceptor closes, the server stops by itself (its listener is closed).
 *
 * <p><b>Waits.</b> {@link #serveForever()} and, for a server with a group, {@link #stop(Duration)} wait: in a
 * Java greenlet they yield to the hub (both modes), on a thread of no hub they block it, and on a hub thread
 * outside a Java greenlet (a Kotlin greenlet's body, a rawlink callback) they throw
 * {@link io.gevent4j.BlockingSwitchOutException} naming the suspend twins {@code StreamServer.awaitServeForever}
 * and {@code StreamServer.awaitStop} (in {@code io.gevent4j.kotlin}). A kill or a {@link io.gevent4j.Timeout}
 * lands in them. {@code stop} of a server without a group never waits and may be called anywhere. Every other
 * method never waits and may be called from any thread.
 */
public class StreamServer implements AutoCloseable {
    static {
        Internals.install(StreamServer.class, s -> ((StreamServer) s).peer);
        Internals.installFactory(StreamServer.class, p -> new StreamServer((StreamServerPeer) p));
    }

    /** What the server runs for each connection, in a new greenlet: gevent's {@code handle(socket, address)}. */
    @FunctionalInterface
    public interface Handler {
        /**
         * Serves one connection. The socket is closed when this returns or throws.
         *
         * @param socket the accepted connection
         * @param address the client's address
         * @throws Exception anything: reported once as a greenlet failure; the server goes on
         */
        void handle(GreenSocket socket, InetSocketAddress address) throws Exception;
    }

    private final StreamServerPeer peer;

    private StreamServer(StreamServerPeer peer) {
        this.peer = peer;
    }

    /**
     * A server that will listen on {@code address} once started, running each handler in a new Java greenlet,
     * without a bound (gevent's default spawn, SRV-09).
     *
     * @param address where to listen; port 0 picks a free port at {@link #start()}
     * @param handle the handler
     * @throws NullPointerException naming {@code address} or {@code handle} when null
     * @throws IllegalArgumentException if {@code address} is unresolved
     */
    public StreamServer(InetSocketAddress address, Handler handle) {
        this(forAddress(address, handle, null));
    }

    /**
     * A server whose handlers join {@code spawn}; a {@link Pool} bounds them: accepting pauses while it is full
     * (SRV-05), and {@link #stop(Duration)} waits for and kills them (SRV-08).
     *
     * @param address where to listen once started
     * @param handle the handler
     * @param spawn the group the handler greenlets join
     * @throws NullPointerException naming the argument that is null
     * @throws IllegalArgumentException if {@code address} is unresolved
     */
    public StreamServer(InetSocketAddress address, Handler handle, Group spawn) {
        this(forAddress(address, handle, Objects.requireNonNull(spawn, "spawn must not be null")));
    }

    /**
     * A server bounded by a new {@code Pool(poolSize)} (gevent's {@code spawn=<int>}, SRV-05).
     *
     * @param address where to listen once started
     * @param handle the handler
     * @param poolSize the most connections served at once; 0 serves none
     * @throws NullPointerException naming the argument that is null
     * @throws IllegalArgumentException if {@code poolSize} is negative or {@code address} unresolved
     */
    public StreamServer(InetSocketAddress address, Handler handle, int poolSize) {
        this(forAddress(address, handle, newPool(poolSize)));
    }

    /**
     * A server that accepts from {@code listener}, a socket listening already (SRV-02: until {@link #start()},
     * the kernel queues connections and no handler runs). The server owns it from now on: {@code stop} closes it.
     *
     * @param listener the listening socket
     * @param handle the handler
     * @throws NullPointerException naming the argument that is null
     * @throws IllegalArgumentException if {@code listener} is closed
     */
    public StreamServer(GreenServerSocket listener, Handler handle) {
        this(forListener(listener, handle, null));
    }

    /**
     * A server that accepts from {@code listener} and whose handlers join {@code spawn}.
     *
     * @param listener the listening socket
     * @param handle the handler
     * @param spawn the group the handler greenlets join
     * @throws NullPointerException naming the argument that is null
     * @throws IllegalArgumentException if {@code listener} is closed
     */
    public StreamServer(GreenServerSocket listener, Handler handle, Group spawn) {
        this(forListener(listener, handle, Objects.requireNonNull(spawn, "spawn must not be null")));
    }

    private static StreamServerPeer forAddress(InetSocketAddress address, Handler handle, @Nullable Group spawn) {
        Objects.requireNonNull(address, "address must not be null");
        Objects.requireNonNull(handle, "handle must not be null");
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("address must be resolved: " + address);
        }
        return Providers.get().newStreamServer(address, null, handle, spawn);
    }

    private static StreamServerPeer forListener(GreenServerSocket listener, Handler handle, @Nullable Group spawn) {
        Objects.requireNonNull(listener, "listener must not be null");
        Objects.requireNonNull(handle, "handle must not be null");
        if (!listener.isOpen()) {
            throw new IllegalArgumentException("listener must be open: " + listener);
        }
        return Providers.get().newStreamServer(null, (ServerSocketPeer) Internals.peer(listener), handle, spawn);
    }

    private static Pool newPool(int poolSize) {
        if (poolSize < 0) {
            throw new IllegalArgumentException("poolSize must not be negative: " + poolSize);
        }
        return new Pool(poolSize);
    }

    /**
     * Sets the listen backlog (the kernel's queue of connections not accepted yet) used by {@link #start()}; 256
     * (gevent's default) when not set.
     * Without it, the JDK's default (50).
     *
     * @param backlog at least 1
     * @return this server
     * @throws IllegalArgumentException if {@code backlog < 1}
     * @throws IllegalStateException once started, or for a server built from a listener (SRV-13)
     */
    public StreamServer backlog(int backlog) {
        if (backlog < 1) {
            throw new IllegalArgumentException("backlog must be at least 1: " + backlog);
        }
        peer.backlog(backlog);
        return this;
    }

    /**
     * Serves the connections on these hubs, in turn (round-robin), instead of on the starting caller's hub; see
     * "Several hubs" above. The acceptor stays on the starting caller's hub, which need not be in the list.
     *
     * @param hubs one or more distinct hubs (up to the number of cores is useful)
     * @return this server
     * @throws NullPointerException if {@code hubs} or one of them is null
     * @throws IllegalArgumentException if {@code hubs} is empty or holds a hub twice
     * @throws IllegalStateException once started
     */
    public StreamServer hubs(Hub... hubs) {
        Objects.requireNonNull(hubs, "hubs must not be null");
        return hubs(java.util.Arrays.asList(hubs));
    }

    /**
     * As {@link #hubs(Hub...)}.
     *
     * @param hubs one or more distinct hubs
     * @return this server
     * @throws NullPointerException if {@code hubs} or one of them is null
     * @throws IllegalArgumentException if {@code hubs} is empty or holds a hub twice
     * @throws IllegalStateException once started
     */
    public StreamServer hubs(Collection<? extends Hub> hubs) {
        Objects.requireNonNull(hubs, "hubs must not be null");
        List<Hub> list = new ArrayList<>(hubs);
        if (list.isEmpty()) {
            throw new IllegalArgumentException("hubs must not be empty");
        }
        Map<Hub, Boolean> seen = new IdentityHashMap<>();
        for (Hub h : list) {
            Objects.requireNonNull(h, "hubs must not contain null");
            if (seen.put(h, Boolean.TRUE) != null) {
                throw new IllegalArgumentException("hubs must not contain a hub twice: " + h);
            }
        }
        peer.hubs(Collections.unmodifiableList(list));
        return this;
    }

    /**
     * The hubs set with {@link #hubs(Hub...)}.
     *
     * @return them, or an empty list when the handlers run on the starting caller's hub
     */
    public List<Hub> hubs() {
        return peer.hubs();
    }

    /**
     * Binds (in the address form) and starts accepting, on the caller's hub: its acceptor greenlet and, unless
     * {@link #hubs(Hub...)} says otherwise, the handlers run there. Never waits.
     *
     * @return this server
     * @throws java.net.BindException naming the address when it is in use (nothing is left open, and the server
     *     may be started again)
     * @throws IOException other failures to listen
     * @throws IllegalStateException when started already, or stopped (a stopped server cannot restart)
     */
    public StreamServer start() throws IOException {
        peer.start();
        return this;
    }

    /**
     * Starts the server if it is not started, then waits until {@link #stop()} is called, then stops as
     * {@code stop()} does (with a group: waits up to 1 s for the handlers, then kills the rest) and returns
     * (SRV-10). Returns at once for a server stopped already. If the wait ends by a kill or a
     * {@link io.gevent4j.Timeout} of the caller, the server is stopped before that goes on (gevent's
     * {@code finally}).
     *
     * @throws IOException from {@link #start()}
     * @throws io.gevent4j.BlockingSwitchOutException on a hub thread outside a Java greenlet (Kotlin:
     *     {@code awaitServeForever})
     */
    public void serveForever() throws IOException {
        peer.serveForever();
    }

    /** {@link #stop(Duration)} with the default timeout, 1 s (gevent's {@code stop_timeout}). */
    public void stop() {
        peer.stop(-1);
    }

    /**
     * Stops: closes the listener (later connects are refused, waits in progress end), so the server is closed
     * and no longer started (SRV-07). With a group, then waits until its members are done, at most
     * {@code timeout}, and kills those left with {@link io.gevent4j.GreenletExit} (waiting at most 1 s more for
     * them to die) (SRV-08). Without a group, returns at once; the handlers run on to their end (SRV-09).
     * Harmless when called again. Called from a handler of a server with a group, it waits for that handler
     * too: spawn the stop in a greenlet of its own.
     *
     * @param timeout the wait for the handlers; null for the default (1 s)
     * @throws IllegalArgumentException if {@code timeout} is negative
     * @throws io.gevent4j.BlockingSwitchOutException with a group, on a hub thread outside a Java greenlet
     *     (Kotlin: {@code awaitStop})
     */
    public void stop(@Nullable Duration timeout) {
        peer.stop(Arguments.timeoutNanos(timeout, "timeout"));
    }

    /**
     * As {@link #stop(Duration)} with the timeout in seconds.
     *
     * @param timeoutSeconds not negative
     * @throws IllegalArgumentException if {@code timeoutSeconds} is negative or NaN
     */
    public void stop(double timeoutSeconds) {
        peer.stop(Arguments.secondsNanos(timeoutSeconds, "timeoutSeconds"));
    }

    /** {@link #stop()}: gevent's {@code with server:} (SRV-14). */
    @Override
    public void close() {
        stop();
    }

    /**
     * Stops accepting connections; the listener stays open, so the kernel queues new connections (up to the
     * backlog) until {@link #startAccepting()} (SRV-11). Harmless when not accepting. Never waits. Called from
     * another thread than the acceptor's hub, it takes effect within that hub's next loop iteration.
     */
    public void stopAccepting() {
        peer.stopAccepting();
    }

    /**
     * Accepts again after {@link #stopAccepting()}, the queued connections first. Harmless when accepting.
     *
     * @throws IllegalStateException when not started, or stopped
     */
    public void startAccepting() {
        peer.startAccepting();
    }

    /**
     * gevent's {@code started}.
     *
     * @return true from {@link #start()} until {@link #stop()}
     */
    public boolean isStarted() {
        return peer.isStarted();
    }

    /**
     * gevent's {@code closed}: the server has no open listener.
     *
     * @return true after {@link #stop()}, and also before {@link #start()} in the address form (nothing is bound
     *     yet, as in gevent)
     */
    public boolean isClosed() {
        return peer.isClosed();
    }

    /**
     * gevent's {@code server_port}.
     *
     * @return the bound port once listening (and after stop); before start in the address form, the given port
     */
    public int serverPort() {
        return peer.serverPort();
    }

    /**
     * gevent's {@code address}.
     *
     * @return the bound address once listening (and after stop); before start in the address form, the given one
     */
    public InetSocketAddress address() {
        return peer.address();
    }

    /**
     * gevent's {@code pool}.
     *
     * @return the group the handlers join (the {@code Pool} made for a {@code poolSize}), or null without one
     */
    public @Nullable Group pool() {
        return peer.pool();
    }

    @Override
    public String toString() {
        return "<StreamServer " + peer.address() + (peer.isStarted() ? " started" : peer.isClosed() ? " closed" : "")
                + ">";
    }
}
