package io.gevent4j.spi;

/** For implementors only: the implementation side of an {@link io.gevent4j.lock.RLock}. */
public interface RLockPeer {
    /**
     * @param timeoutNanos negative for none; 0 does not block
     * @return true when owned on return
     */
    boolean acquire(long timeoutNanos);

    /** Releases once; throws {@link IllegalMonitorStateException} naming owner and caller when not owned. */
    void release();

    /** @return whether the caller owns it */
    boolean isOwned();
}
