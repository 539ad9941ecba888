package io.gevent4j.queue;

import io.gevent4j.spi.QueueKind;
import java.util.Collection;
import org.jspecify.annotations.Nullable;

/**
 * gevent's {@code JoinableQueue}, an alias of the joinable {@link Queue}.
 *
 * @param <T> the item type
 */
@SuppressWarnings("this-escape") // constructors preload items through a final method; the provider keeps no reference
public class JoinableQueue<T extends @Nullable Object> extends Queue<T> {
    /** An unbounded queue. */
    public JoinableQueue() {
        this(0);
    }

    /** @param maxsize the bound; {@code <= 0} is unbounded */
    public JoinableQueue(int maxsize) {
        super(QueueKind.FIFO, maxsize, null);
    }

    /**
     * @param maxsize the bound; {@code <= 0} is unbounded
     * @param items put first, in order
     */
    public JoinableQueue(int maxsize, Collection<? extends T> items) {
        super(QueueKind.FIFO, maxsize, null);
        fill(items);
    }
}
