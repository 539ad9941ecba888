package io.gevent4j.spi;

import org.jspecify.annotations.Nullable;

/**
 * For implementors only: the implementation side of every {@link io.gevent4j.queue.SimpleQueue} kind.
 *
 * @param <T> the item type
 */
public interface QueuePeer<T extends @Nullable Object> {
    /**
     * @param item the item
     * @param timeoutNanos negative for none; 0 does not block
     */
    void put(T item, long timeoutNanos);

    /**
     * @param timeoutNanos negative for none; 0 does not block
     * @param remove false to peek
     * @return the item
     */
    T get(long timeoutNanos, boolean remove);

    /**
     * Constructor use: adds items without waiting and without regard to the bound.
     *
     * @param items the items, in order
     */
    void preload(java.util.Collection<? extends T> items);

    /** @return the number of items */
    int qsize();

    /** @return the bound, {@code <= 0} when unbounded */
    int maxsize();

    /** @return whether full */
    boolean isFull();

    /** Marks one item done. */
    void taskDone();

    /**
     * @param timeoutNanos negative for none
     * @return true when every item was marked done
     */
    boolean join(long timeoutNanos);

    /** @return items put and not yet marked done */
    int unfinishedTasks();

    /** @param immediate drop the items left too */
    void shutdown(boolean immediate);

    /** @return whether shut down */
    boolean isShutDown();

    /**
     * For iteration: waits for the next item, or for shutdown with nothing left.
     *
     * @return false when shut down and drained
     */
    boolean awaitItem();
}
