package io.gevent4j.queue;

import io.gevent4j.spi.Arguments;
import io.gevent4j.spi.QueueKind;
import java.time.Duration;
import java.util.Collection;
import java.util.Comparator;
import org.jspecify.annotations.Nullable;

/**
 * gevent's {@code Queue} (at gevent HEAD the joinable queue): a {@link SimpleQueue} that counts unfinished
 * tasks. Every {@code put} adds one; {@link #taskDone()} removes one; {@link #join()} waits until none is left
 * (Q-27..Q-31). {@link #shutdown()} refuses new items and, once the rest is taken, wakes every waiter with
 * {@link QueueShutDownException}.
 *
 * @param <T> the item type
 */
@SuppressWarnings("this-escape") // constructors preload items through a final method; the provider keeps no reference
public class Queue<T extends @Nullable Object> extends SimpleQueue<T> {
    /** An unbounded queue. */
    public Queue() {
        this(0);
    }

    /** @param maxsize the bound; {@code <= 0} is unbounded */
    public Queue(int maxsize) {
        super(QueueKind.FIFO, maxsize, null);
    }

    /**
     * @param maxsize the bound; {@code <= 0} is unbounded
     * @param items put first, in order; each counts as an unfinished task
     */
    public Queue(int maxsize, Collection<? extends T> items) {
        super(QueueKind.FIFO, maxsize, null);
        fill(items);
    }

    Queue(QueueKind kind, int maxsize, @Nullable Comparator<? super T> comparator) {
        super(kind, maxsize, comparator);
    }

    /**
     * Marks one taken item as done.
     *
     * @throws IllegalStateException when called more often than items were put
     */
    public void taskDone() {
        peer.taskDone();
    }

    /** Waits until every item put has been marked done; returns at once when none is unfinished. */
    public void join() {
        peer.join(-1);
    }

    /**
     * As {@link #join()}, at most {@code timeout}.
     *
     * @param timeout at most this long; {@code null} waits for ever
     * @return true when every item is done, false on timeout
     */
    public boolean join(@Nullable Duration timeout) {
        return peer.join(Arguments.timeoutNanos(timeout, "timeout"));
    }

    /**
     * {@link #join(Duration)} in seconds.
     *
     * @param seconds not negative
     * @return true when every item is done, false on timeout
     */
    public boolean join(double seconds) {
        return peer.join(Arguments.secondsNanos(seconds, "seconds"));
    }

    /** @return items put and not yet marked done */
    public int unfinishedTasks() {
        return peer.unfinishedTasks();
    }

    /**
     * Shuts the queue down: {@code put} throws {@link QueueShutDownException} from now on, and blocked putters
     * are woken with it; {@code get} still returns what is left, then throws it (blocked getters too).
     */
    public void shutdown() {
        peer.shutdown(false);
    }

    /**
     * As {@link #shutdown()}; with {@code immediate}, the items left are dropped (and marked done) too, so
     * every {@code get} throws at once and {@code join} returns.
     *
     * @param immediate drop the items left
     */
    public void shutdown(boolean immediate) {
        peer.shutdown(immediate);
    }

    /** @return whether {@link #shutdown()} was called */
    public boolean isShutDown() {
        return peer.isShutDown();
    }
}
