package io.gevent4j.spi;

/** For implementors only: a started {@link io.gevent4j.Timeout}'s timer. */
public interface TimeoutHandle {
    /** Disarms the timer; no effect when it fired or was cancelled already. May be called from any thread. */
    void cancel();

    /** @return true while armed and not yet fired */
    boolean isPending();
}
