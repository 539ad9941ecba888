package io.gevent4j.queue;

import io.gevent4j.spi.QueueKind;
import org.jspecify.annotations.Nullable;

/**
 * gevent's {@code Channel}: a rendezvous. {@code put} waits until a getter has taken the item;
 * {@code putNowait} succeeds only when a getter is waiting, {@code getNowait} only when a putter is (Q-37,
 * {@code qsize()} is 0 and {@code isFull()} is always true.
 *
 * @param <T> the item type
 */
@SuppressWarnings("this-escape") // constructors preload items through a final method; the provider keeps no reference
public class Channel<T extends @Nullable Object> extends SimpleQueue<T> {
    /** A new channel. */
    public Channel() {
        super(QueueKind.CHANNEL, 1, null);
    }
}
