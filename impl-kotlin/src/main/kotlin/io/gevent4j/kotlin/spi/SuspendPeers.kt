package io.gevent4j.kotlin.spi

import io.gevent4j.GreenletExit
import io.gevent4j.Timeout
import io.gevent4j.queue.QueueEmptyException
import io.gevent4j.queue.QueueFullException
import io.gevent4j.queue.QueueShutDownException

// For implementors only: the suspend forms of the core's and the primitives' peers. The peer an API object holds
// (io.gevent4j.spi.GreenletPeer, EventPeer, ...) implements the matching interface here when its provider is a
// SuspendGeventProvider. Timeouts are nanoseconds, negative for none, checked by the twins already. Each
// function suspends where the Java peer would block; cancelling the caller ends its wait promptly, undoes what
// the wait registered and hands on a wake-up it received but will not use, so that nothing is lost.

/**
 * The suspend side of a greenlet's peer.
 *
 * @param T the result type
 */
public interface SuspendGreenletPeer<T> {
    /**
     * Suspends until the greenlet is dead.
     *
     * @param timeoutNanos negative for none
     * @return true when dead on return
     */
    public suspend fun awaitDeath(timeoutNanos: Long): Boolean

    /**
     * Suspends until the greenlet is dead, then returns its value or throws its failure (the same instance) or the
     * [GreenletExit] it was killed with.
     *
     * @param timeoutNanos negative for none
     * @return the value
     * @throws Timeout when the greenlet is not dead in time
     */
    public suspend fun awaitOutcome(timeoutNanos: Long): T
}

/** The suspend side of an `Event`'s peer. */
public interface SuspendEventPeer {
    /**
     * Suspends until the event is set.
     *
     * @param timeoutNanos negative for none
     * @return true when set (even if cleared since), false on timeout
     */
    public suspend fun awaitSet(timeoutNanos: Long): Boolean
}

/**
 * The suspend side of an `AsyncResult`'s peer.
 *
 * @param T the value type
 */
public interface SuspendAsyncResultPeer<T> {
    /**
     * Suspends until a value or an exception is stored, then returns the value or throws the exception (the same
     * instance).
     *
     * @param timeoutNanos negative for none
     * @return the value
     * @throws Timeout when nothing is stored in time
     */
    public suspend fun awaitOutcome(timeoutNanos: Long): T
}

/**
 * The suspend side of a queue's peer (every kind).
 *
 * @param T the item type
 */
public interface SuspendQueuePeer<T> {
    /**
     * Puts [item], suspending while the queue is full (a Channel: until a getter took it).
     *
     * @param item the item
     * @param timeoutNanos negative for none; 0 does not wait
     * @throws QueueFullException when still full in time
     * @throws QueueShutDownException when shut down
     */
    public suspend fun send(item: T, timeoutNanos: Long)

    /**
     * Takes the next item, suspending while the queue is empty.
     *
     * @param timeoutNanos negative for none; 0 does not wait
     * @return the item
     * @throws QueueEmptyException when still empty in time
     * @throws QueueShutDownException when shut down and drained
     */
    public suspend fun receive(timeoutNanos: Long): T

    /**
     * Returns the next item without taking it, suspending while the queue is empty.
     *
     * @param timeoutNanos negative for none; 0 does not wait
     * @return the item
     * @throws QueueEmptyException when still empty in time
     */
    public suspend fun awaitPeek(timeoutNanos: Long): T

    /**
     * For iteration: suspends until an item is there, or the queue is shut down and drained.
     *
     * @return false when shut down and drained
     */
    public suspend fun awaitAvailable(): Boolean

    /**
     * Suspends until every item put has been marked done.
     *
     * @param timeoutNanos negative for none
     * @return true when all are done, false on timeout
     */
    public suspend fun awaitJoin(timeoutNanos: Long): Boolean
}

/** The suspend side of a `Semaphore`'s peer. */
public interface SuspendSemaphorePeer {
    /**
     * Takes a permit, suspending while none is free.
     *
     * @param timeoutNanos negative for none; 0 does not wait
     * @return true when taken, false on timeout
     */
    public suspend fun awaitAcquire(timeoutNanos: Long): Boolean

    /**
     * Suspends until a permit is free, taking none.
     *
     * @param timeoutNanos negative for none
     * @return true when one is free, false on timeout
     */
    public suspend fun awaitReady(timeoutNanos: Long): Boolean
}

/** The suspend side of an `RLock`'s peer. */
public interface SuspendRLockPeer {
    /**
     * Acquires the lock for the calling greenlet (re-entrant), suspending while another owns it.
     *
     * @param timeoutNanos negative for none; 0 does not wait
     * @return true when owned on return, false on timeout
     */
    public suspend fun awaitAcquire(timeoutNanos: Long): Boolean
}
