package io.gevent4j.queue;

import io.gevent4j.spi.QueueKind;
import java.util.Collection;
import org.jspecify.annotations.Nullable;

/**
 * gevent's {@code LifoQueue}: the last item put is the first taken.
 *
 * @param <T> the item type
 */
@SuppressWarnings("this-escape") // constructors preload items through a final method; the provider keeps no reference
public class LifoQueue<T extends @Nullable Object> extends Queue<T> {
    /** An unbounded queue. */
    public LifoQueue() {
        this(0);
    }

    /** @param maxsize the bound; {@code <= 0} is unbounded */
    public LifoQueue(int maxsize) {
        super(QueueKind.LIFO, maxsize, null);
    }

    /**
     * @param maxsize the bound; {@code <= 0} is unbounded
     * @param items put first, in order
     */
    public LifoQueue(int maxsize, Collection<? extends T> items) {
        super(QueueKind.LIFO, maxsize, null);
        fill(items);
    }
}
