package io.gevent4j.monitor;

import io.gevent4j.Greenlet;
import io.gevent4j.Hub;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A report of the monitor thread (gevent's {@code EventLoopBlocked}): {@code hub} has not switched for
 * {@code blockedFor}, longer than its maximum blocking time.
 *
 * @param hub the blocked hub
 * @param greenlet the greenlet that holds the hub (Java or Kotlin, in either Java greenlet mode), or null when the
 *     hub runs one of its own callbacks (a hub task, a timer, a rawlink callback) or the holder could not be read
 * @param blockedFor how long the hub has been held without a switch, as measured by the monitor's samples (it may
 *     be short of the truth by one sampling interval, a quarter of the maximum blocking time at most)
 * @param stack the frames of {@code greenlet}, innermost first: ITS own frames (its virtual thread's, or a Kotlin
 *     greenlet's coroutine frames), not those of the hub thread that carries it; when {@code greenlet} is null, the
 *     hub thread's frames. Unmodifiable.
 */
public record HubBlocked(Hub hub, @Nullable Greenlet<?> greenlet, Duration blockedFor, List<StackTraceElement> stack) {
    /**
     * @throws NullPointerException if {@code hub}, {@code blockedFor} or {@code stack} (or one of its frames) is null
     */
    // not a compact constructor: javac drops the type annotations (@Nullable) of a compact or implicit canonical
    // constructor's parameters from the class file, so Kotlin would see a non-null greenlet parameter
    public HubBlocked(Hub hub, @Nullable Greenlet<?> greenlet, Duration blockedFor, List<StackTraceElement> stack) {
        this.hub = Objects.requireNonNull(hub, "hub must not be null");
        this.greenlet = greenlet;
        this.blockedFor = Objects.requireNonNull(blockedFor, "blockedFor must not be null");
        this.stack = List.copyOf(Objects.requireNonNull(stack, "stack must not be null"));
    }
}
