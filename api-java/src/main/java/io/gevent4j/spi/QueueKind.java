package io.gevent4j.spi;

/** For implementors only: which queue a {@link QueuePeer} is. */
public enum QueueKind {
    /** FIFO, not joinable. */
    SIMPLE,
    /** FIFO, joinable. */
    FIFO,
    /** Smallest first, joinable. */
    PRIORITY,
    /** Last in, first out, joinable. */
    LIFO,
    /** Rendezvous: a put waits for a taker. */
    CHANNEL
}
