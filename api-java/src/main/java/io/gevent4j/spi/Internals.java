package io.gevent4j.spi;

import io.gevent4j.Greenlet;
import java.util.Objects;

/**
 * For implementors only: reaches the peer behind a {@link Greenlet} (the "shared secrets" pattern), so
 * that an implementation's own extensions (Kotlin suspend twins, for instance) can use their fast paths.
 */
public final class Internals {
    private Internals() {}

    /** Installed once by {@link Greenlet}'s class initialiser. */
    public interface GreenletPeers {
        /**
         * @param g a greenlet
         * @param <T> its result type
         * @return its peer
         */
        <T> GreenletPeer<T> peerOf(Greenlet<T> g);
    }

    private static volatile GreenletPeers peers;

    /**
     * Called by {@link Greenlet} only.
     *
     * @param p the accessor
     */
    public static void installGreenletPeers(GreenletPeers p) {
        synchronized (Internals.class) {
            if (peers != null) {
                throw new IllegalStateException("greenlet peer accessor installed already");
            }
            peers = Objects.requireNonNull(p, "p");
        }
    }

    /**
     * @param g a greenlet
     * @param <T> its result type
     * @return the provider's peer behind it
     */
    public static <T> GreenletPeer<T> peerOf(Greenlet<T> g) {
        Objects.requireNonNull(g, "greenlet");
        return peers.peerOf(g);
    }
}
