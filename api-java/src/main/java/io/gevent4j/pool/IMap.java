package io.gevent4j.pool;

import java.util.Iterator;
import org.jspecify.annotations.Nullable;

/**
 * The lazy result of {@link Group#imap} and {@link Group#imapUnordered}: a one-pass iterator over the results.
 *
 * <p>{@link #hasNext()} and {@link #next()} block until the next result is known (in a Java greenlet they yield
 * to the hub; on a thread that belongs to no hub they block the thread; on a hub thread outside a Java greenlet they
 * throw {@link io.gevent4j.BlockingSwitchOutException}). A task that failed makes {@code next()} throw its error
 * (unchecked errors as the same instance, checked ones wrapped in {@link io.gevent4j.GreenletFailedException}),
 * and the iteration goes on with the following results afterwards (gevent PL-30). An error raised by the input
 * iterator is thrown once, after the results of the items read before it. A task killed with
 * {@link io.gevent4j.GreenletExit} gives {@code null} (deviation 40), so elements are {@code @Nullable R}. Meant
 * for one consumer.
 *
 * @param <R> the result type
 */
public interface IMap<R extends @Nullable Object> extends Iterator<@Nullable R>, Iterable<@Nullable R> {
    /**
     * Returns this object itself: an {@code IMap} can be iterated once only.
     *
     * @return this
     */
    @Override
    default Iterator<@Nullable R> iterator() {
        return this;
    }
}
