package io.gevent4j.queue;

import io.gevent4j.spi.QueueKind;
import java.util.Collection;
import java.util.Comparator;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * gevent's {@code PriorityQueue}: the smallest item is taken first, in natural order or by a
 * {@link Comparator}. Items equal in order come out in no particular order.
 *
 * <p>The comparator (or {@code compareTo}) runs while the queue holds its internal lock: it must be quick, must
 * not block, and must not call this queue (that would wait for the lock it holds).
 *
 * @param <T> the item type
 */
@SuppressWarnings("this-escape") // constructors preload items through a final method; the provider keeps no reference
public class PriorityQueue<T extends @Nullable Object> extends Queue<T> {
    /** An unbounded queue in natural order. */
    public PriorityQueue() {
        this(0);
    }

    /** @param maxsize the bound; {@code <= 0} is unbounded */
    public PriorityQueue(int maxsize) {
        super(QueueKind.PRIORITY, maxsize, null);
    }

    /**
     * @param maxsize the bound; {@code <= 0} is unbounded
     * @param items put first
     */
    public PriorityQueue(int maxsize, Collection<? extends T> items) {
        super(QueueKind.PRIORITY, maxsize, null);
        fill(items);
    }

    /** @param comparator the order */
    public PriorityQueue(Comparator<? super T> comparator) {
        this(0, comparator);
    }

    /**
     * @param maxsize the bound; {@code <= 0} is unbounded
     * @param comparator the order
     */
    public PriorityQueue(int maxsize, Comparator<? super T> comparator) {
        super(QueueKind.PRIORITY, maxsize, Objects.requireNonNull(comparator, "comparator must not be null"));
    }
}
