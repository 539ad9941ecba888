package io.gevent4j.queue;

import io.gevent4j.spi.Arguments;
import io.gevent4j.spi.Internals;
import io.gevent4j.spi.Providers;
import io.gevent4j.spi.QueueKind;
import io.gevent4j.spi.QueuePeer;
import java.time.Duration;
import java.util.Collection;
import java.util.Comparator;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * gevent's {@code SimpleQueue}: a FIFO queue for greenlets and threads, safe from any thread (a Java service
 * thread may {@code put} into a queue that greenlets {@code get} from, and the other way round).
 *
 * <p>Ordering (spec section 6.2): blocked getters are served in the order they started waiting, and so
 * are blocked putters. {@code put} never switches: the item stays in the queue until the woken
 * getter runs, so a caller that is not waiting may take it first (Q-13, barging). Nothing is handed over
 * directly, except by a {@link Channel}.
 *
 * <p>Blocking calls ({@code put} on a full queue, {@code get}/{@code peek} on an empty one) yield inside a Java
 * greenlet, block a thread of no hub, and throw {@link io.gevent4j.BlockingSwitchOutException} on a hub thread
 * outside a Java greenlet (Kotlin: {@code send}/{@code receive}). Timeouts raise {@link QueueEmptyException}
 * or {@link QueueFullException}; an outer {@link io.gevent4j.Timeout} of the caller passes through.
 *
 * <p>Iteration takes items ({@code get()}) until the queue is {@linkplain Queue#shutdown() shut down} and
 * drained (gevent ends on a {@code StopIteration} item instead).
 *
 * @param <T> the item type; nullable ({@code Queue<@Nullable String>}, Kotlin {@code Queue<String?>}) when null is an
 *     item (see the {@linkplain io.gevent4j package documentation})
 */
@SuppressWarnings("this-escape") // constructors preload items through a final method; the provider keeps no reference
public class SimpleQueue<T extends @Nullable Object> implements Iterable<T> {
    static {
        Internals.install(SimpleQueue.class, q -> ((SimpleQueue<?>) q).peer);
    }

    final QueuePeer<T> peer;

    /** An unbounded queue. */
    public SimpleQueue() {
        this(0);
    }

    /**
     * @param maxsize the bound; {@code <= 0} is unbounded
     */
    public SimpleQueue(int maxsize) {
        this(QueueKind.SIMPLE, maxsize, null);
    }

    /**
     * @param maxsize the bound; {@code <= 0} is unbounded
     * @param items put first, in order (they may exceed the bound)
     */
    public SimpleQueue(int maxsize, Collection<? extends T> items) {
        this(QueueKind.SIMPLE, maxsize, null);
        fill(items);
    }

    SimpleQueue(QueueKind kind, int maxsize, @Nullable Comparator<? super T> comparator) {
        this.peer = Providers.get().newQueue(kind, maxsize, comparator);
    }

    final void fill(Collection<? extends T> items) {
        peer.preload(Objects.requireNonNull(items, "items must not be null"));
    }

    /**
     * Puts {@code item}, waiting while the queue is full.
     *
     * @param item the item; null when {@code T} is nullable ({@code Queue<@Nullable String>}, Kotlin
     *     {@code Queue<String?>}), for every kind but a PriorityQueue with natural order
     * @throws QueueShutDownException when the queue is shut down
     */
    public void put(T item) {
        peer.put(item, -1);
    }

    /**
     * Puts {@code item}, waiting at most {@code timeout} while the queue is full.
     *
     * @param item the item
     * @param timeout at most this long; {@code null} waits for ever
     * @throws QueueFullException when still full after {@code timeout}
     * @throws IllegalArgumentException if {@code timeout} is negative
     */
    public void put(T item, @Nullable Duration timeout) {
        peer.put(item, Arguments.timeoutNanos(timeout, "timeout"));
    }

    /**
     * {@link #put(Object, Duration)} in seconds.
     *
     * @param item the item
     * @param seconds not negative
     * @throws QueueFullException when still full after that long
     */
    public void put(T item, double seconds) {
        peer.put(item, Arguments.secondsNanos(seconds, "seconds"));
    }

    /**
     * Puts {@code item} without waiting.
     *
     * @param item the item
     * @throws QueueFullException when full
     */
    public void putNowait(T item) {
        peer.put(item, 0);
    }

    /**
     * Takes the next item, waiting while the queue is empty.
     *
     * @return the item
     * @throws QueueShutDownException when the queue is shut down and drained
     */
    public T get() {
        return peer.get(-1, true);
    }

    /**
     * Takes the next item, waiting at most {@code timeout}.
     *
     * @param timeout at most this long; {@code null} waits for ever
     * @return the item
     * @throws QueueEmptyException when still empty after {@code timeout}
     * @throws IllegalArgumentException if {@code timeout} is negative
     */
    public T get(@Nullable Duration timeout) {
        return peer.get(Arguments.timeoutNanos(timeout, "timeout"), true);
    }

    /**
     * {@link #get(Duration)} in seconds.
     *
     * @param seconds not negative
     * @return the item
     * @throws QueueEmptyException when still empty after that long
     */
    public T get(double seconds) {
        return peer.get(Arguments.secondsNanos(seconds, "seconds"), true);
    }

    /**
     * Takes the next item without waiting.
     *
     * @return the item
     * @throws QueueEmptyException when empty
     */
    public T getNowait() {
        return peer.get(0, true);
    }

    /**
     * Returns the next item without taking it, waiting while the queue is empty.
     *
     * @return the item
     */
    public T peek() {
        return peer.get(-1, false);
    }

    /**
     * As {@link #peek()}, at most {@code timeout}.
     *
     * @param timeout at most this long; {@code null} waits for ever
     * @return the item
     * @throws QueueEmptyException when still empty after {@code timeout}
     */
    public T peek(@Nullable Duration timeout) {
        return peer.get(Arguments.timeoutNanos(timeout, "timeout"), false);
    }

    /**
     * {@link #peek(Duration)} in seconds.
     *
     * @param seconds not negative
     * @return the item
     * @throws QueueEmptyException when still empty after that long
     */
    public T peek(double seconds) {
        return peer.get(Arguments.secondsNanos(seconds, "seconds"), false);
    }

    /**
     * The next item without taking it or waiting.
     *
     * @return the item
     * @throws QueueEmptyException when empty
     */
    public T peekNowait() {
        return peer.get(0, false);
    }

    /** @return the number of items */
    public int qsize() {
        return peer.qsize();
    }

    /** @return whether there is no item */
    public boolean isEmpty() {
        return peer.qsize() == 0;
    }

    /** @return whether a {@code put} would wait */
    public boolean isFull() {
        return peer.isFull();
    }

    /** @return the bound, {@code 0} when unbounded */
    public int maxsize() {
        return Math.max(peer.maxsize(), 0);
    }

    /**
     * Items as they are taken: {@code next()} is {@link #get()}; {@code hasNext()} waits for an item and is
     * false once the queue is shut down and drained.
     */
    @Override
    public Iterator<T> iterator() {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return peer.awaitItem();
            }

            @Override
            public T next() {
                if (!peer.awaitItem()) {
                    throw new NoSuchElementException("the queue is shut down and drained");
                }
                return peer.get(-1, true);
            }
        };
    }

    @Override
    public String toString() {
        return "<" + getClass().getSimpleName() + " qsize=" + qsize() + (maxsize() > 0 ? " maxsize=" + maxsize() : "")
                + ">";
    }
}
