@file:JvmMultifileClass
@file:JvmName("GeventCoroutines")

package io.gevent4j.kotlin

import io.gevent4j.Timeout
import io.gevent4j.event.AsyncResult
import io.gevent4j.kotlin.internal.SuspendAccess
import io.gevent4j.kotlin.spi.SuspendAsyncResultPeer
import io.gevent4j.kotlin.spi.SuspendQueuePeer
import io.gevent4j.kotlin.spi.SuspendRLockPeer
import io.gevent4j.kotlin.spi.SuspendSemaphorePeer
import io.gevent4j.lock.RLock
import io.gevent4j.lock.Semaphore
import io.gevent4j.queue.Queue
import io.gevent4j.queue.QueueEmptyException
import io.gevent4j.queue.QueueFullException
import io.gevent4j.queue.QueueShutDownException
import io.gevent4j.queue.SimpleQueue
import kotlin.contracts.ExperimentalContracts
import kotlin.contracts.InvocationKind
import kotlin.contracts.contract
import kotlin.time.Duration
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.flow

// Each twin reaches its object's peer through io.gevent4j.kotlin.spi; a peer without the suspend form is an
// IllegalStateException naming the object, the provider and the missing interface.

/**
 * Suspends until the result is set, then returns the value or throws the exception (the same instance) — the twin of
 * [AsyncResult.get]. Waiters wake in the order they started waiting (AR-10). Cancelling the caller ends the wait at
 * once and unlinks it; the AsyncResult is unaffected.
 *
 * @throws Timeout when not set within [timeout] (`null`: wait for ever)
 * @throws IllegalArgumentException if [timeout] is negative
 */
public suspend fun <T> AsyncResult<T>.await(timeout: Duration? = null): T {
    @Suppress("UNCHECKED_CAST")
    val p = SuspendAccess.peer<SuspendAsyncResultPeer<*>>(this, "AsyncResult.await()") as SuspendAsyncResultPeer<T>
    return p.awaitOutcome(timeoutNanos(timeout))
}

@Suppress("UNCHECKED_CAST")
private fun <T> queuePeer(q: SimpleQueue<T>, op: String): SuspendQueuePeer<T> =
    SuspendAccess.peer<SuspendQueuePeer<*>>(q, op) as SuspendQueuePeer<T>

/**
 * Puts [item], suspending while the queue is full (a Channel: until a getter took it) — the twin of [SimpleQueue.put].
 * Putters are served in the order they started waiting. Cancelling the caller while it waits ends the wait at once and
 * puts nothing (a wake-up it got is handed on to the next putter); a Channel's item is withdrawn, unless a getter took
 * it already: then the getter has it and the cancellation is thrown all the same.
 *
 * @throws QueueFullException when still full after [timeout] (`null`: wait for ever)
 * @throws QueueShutDownException when the queue is shut down
 */
public suspend fun <T> SimpleQueue<T>.send(item: T, timeout: Duration? = null) {
    // no suspension (and no continuation object) when the item goes in at once
    return queuePeer(this, "SimpleQueue.send()").send(item, timeoutNanos(timeout))
}

/**
 * Takes the next item, suspending while the queue is empty — the twin of [SimpleQueue.get]. Getters are served in the
 * order they started waiting; a caller that is not waiting may take an item first. Cancelling the caller while
 * it waits ends the wait at once and takes nothing: no item is lost, and a wake-up it got is handed on to the next
 * getter.
 *
 * @throws QueueEmptyException when still empty after [timeout] (`null`: wait for ever)
 * @throws QueueShutDownException when the queue is shut down and drained
 */
public suspend fun <T> SimpleQueue<T>.receive(timeout: Duration? = null): T =
    queuePeer(this, "SimpleQueue.receive()").receive(timeoutNanos(timeout)) // no suspension when an item is there

/**
 * Returns the next item without taking it, suspending while the queue is empty — the twin of [SimpleQueue.peek].
 * Cancelling the caller ends the wait at once.
 *
 * @throws QueueEmptyException when still empty after [timeout]
 */
public suspend fun <T> SimpleQueue<T>.awaitPeek(timeout: Duration? = null): T =
    queuePeer(this, "SimpleQueue.awaitPeek()").awaitPeek(timeoutNanos(timeout))

/**
 * A cold [Flow] that takes items as they come ([receive]) and completes when the queue is shut down and drained — the
 * twin of iterating the queue. Cancelling the collector while it waits takes nothing, as a cancelled [receive]; every
 * item taken is emitted.
 */
public fun <T> SimpleQueue<T>.receiveAsFlow(): Flow<T> {
    val p = queuePeer(this, "SimpleQueue.receiveAsFlow()")
    return flow {
        while (p.awaitAvailable()) {
            val item =
                try {
                    p.receive(-1)
                } catch (e: QueueShutDownException) {
                    break
                }
            emit(item)
        }
    }
}

/**
 * Suspends until every item put has been marked done — the twin of [Queue.join]. Cancelling the caller ends the wait at
 * once.
 *
 * @return true when all are done, false on timeout
 */
public suspend fun Queue<*>.awaitJoin(timeout: Duration? = null): Boolean =
    queuePeer(this, "Queue.awaitJoin()").awaitJoin(timeoutNanos(timeout))

/**
 * Takes a permit, suspending while none is free — the twin of [Semaphore.acquire]. Waiters are served in the order they
 * started waiting (SEM-08). Cancelling the caller while it waits ends the wait at once and takes no permit; a wake-up
 * it got is handed on to the next waiter.
 *
 * @return true when taken, false on timeout
 */
public suspend fun Semaphore.awaitAcquire(timeout: Duration? = null): Boolean =
    SuspendAccess.peer<SuspendSemaphorePeer>(this, "Semaphore.awaitAcquire()").awaitAcquire(timeoutNanos(timeout))

/**
 * Suspends until a permit is free, taking none — the twin of [Semaphore.waitFor]; false on timeout. Cancelling the
 * caller ends the wait at once.
 */
public suspend fun Semaphore.awaitReady(timeout: Duration? = null): Boolean =
    SuspendAccess.peer<SuspendSemaphorePeer>(this, "Semaphore.awaitReady()").awaitReady(timeoutNanos(timeout))

/**
 * Runs [action] holding a permit, released afterwards even when it throws — gevent's `with sem:` (SEM-11), the twin of
 * [Semaphore.permit]. Cancelling the caller while it waits for the permit takes none (as [awaitAcquire]); once [action]
 * runs, the permit is released however it ends.
 */
@OptIn(ExperimentalContracts::class)
public suspend inline fun <R> Semaphore.withPermit(action: () -> R): R {
    contract { callsInPlace(action, InvocationKind.EXACTLY_ONCE) }
    awaitAcquire()
    try {
        return action()
    } finally {
        release()
    }
}

/**
 * Acquires the lock, suspending while another greenlet owns it — the twin of [RLock.acquire]; false on timeout.
 * Cancelling the caller while it waits ends the wait at once and leaves the lock to the next waiter.
 */
public suspend fun RLock.awaitAcquire(timeout: Duration? = null): Boolean =
    SuspendAccess.peer<SuspendRLockPeer>(this, "RLock.awaitAcquire()").awaitAcquire(timeoutNanos(timeout))

/**
 * Runs [action] owning the lock (re-entrant), released afterwards even when it throws. Cancelling the caller while it
 * waits for the lock acquires nothing (as [awaitAcquire]); once [action] runs, the lock is released however it ends.
 */
@OptIn(ExperimentalContracts::class)
public suspend inline fun <R> RLock.withLock(action: () -> R): R {
    contract { callsInPlace(action, InvocationKind.EXACTLY_ONCE) }
    awaitAcquire()
    try {
        return action()
    } finally {
        release()
    }
}
