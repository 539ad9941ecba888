package io.gevent4j.queue;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/** Argument checks of the queues' timeouts. */
final class QueueTimeouts {
    private QueueTimeouts() {}

    static long nanos(@Nullable Duration timeout) {
        if (timeout == null) {
            return -1;
        }
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must not be negative: " + timeout);
        }
        try {
            return timeout.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }
}
