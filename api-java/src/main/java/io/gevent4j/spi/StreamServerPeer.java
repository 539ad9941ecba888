package io.gevent4j.spi;

import io.gevent4j.Hub;
import io.gevent4j.pool.Group;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * For implementors only: the implementation side of an {@link io.gevent4j.server.StreamServer}. The facade has
 * checked every argument; the peer checks the server's state (an {@link IllegalStateException} for a call in the
 * wrong state) before any side effect.
 */
public interface StreamServerPeer {
    /**
     * @param backlog the listen backlog for the address form, {@code > 0}
     * @throws IllegalStateException once started, or for a server built from a listener
     */
    void backlog(int backlog);

    /**
     * @param hubs the hubs that run the handlers, in rotation (not empty, no duplicates)
     * @throws IllegalStateException once started
     */
    void hubs(List<Hub> hubs);

    /** @return the hubs set with {@link #hubs(List)}, or an empty list (the starting caller's hub) */
    List<Hub> hubs();

    /**
     * Binds (address form) and starts the acceptor on the caller's hub.
     *
     * @throws IOException a {@link java.net.BindException} naming the address; the server stays not started
     * @throws IllegalStateException when started already or stopped
     */
    void start() throws IOException;

    /**
     * Starts if needed, then waits until stopped (a wait point), then stops as {@code stop(-1)} does.
     *
     * @throws IOException from {@link #start()}
     */
    void serveForever() throws IOException;

    /**
     * Closes the listener; with a pool, waits for its members up to the timeout, then kills the rest.
     *
     * @param timeoutNanos the wait for the handlers, negative for the default (1 s)
     */
    void stop(long timeoutNanos);

    /** Stops accepting; the listener stays open. Harmless when not accepting. */
    void stopAccepting();

    /**
     * Accepts again after {@link #stopAccepting()}.
     *
     * @throws IllegalStateException when not started or stopped
     */
    void startAccepting();

    /** @return true between start and stop */
    boolean isStarted();

    /** @return true while the server has no open listener (before start in the address form, after stop) */
    boolean isClosed();

    /** @return the port: the bound one once listening, else the one given */
    int serverPort();

    /** @return the address: the bound one once listening, else the one given */
    InetSocketAddress address();

    /** @return the group the handlers join, or null (gevent's default spawn) */
    @Nullable
    Group pool();
}
