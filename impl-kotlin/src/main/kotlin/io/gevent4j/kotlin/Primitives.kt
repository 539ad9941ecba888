@file:JvmMultifileClass
@file:JvmName("GeventCoroutines")

package io.gevent4j.kotlin

import io.gevent4j.Timeout
import io.gevent4j.event.AsyncResult
import io.gevent4j.kotlin.internal.AsyncResultCore
import io.gevent4j.kotlin.internal.QueueCore
import io.gevent4j.kotlin.internal.RLockCore
import io.gevent4j.kotlin.internal.SemaphoreCore
import io.gevent4j.lock.RLock
import io.gevent4j.lock.Semaphore
import io.gevent4j.queue.Queue
import io.gevent4j.queue.QueueEmptyException
import io.gevent4j.queue.QueueFullException
import io.gevent4j.queue.QueueShutDownException
import io.gevent4j.queue.SimpleQueue
import io.gevent4j.spi.AsyncResultPeer
import io.gevent4j.spi.Internals
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.flow
import kotlin.contracts.ExperimentalContracts
import kotlin.contracts.InvocationKind
import kotlin.contracts.contract
import kotlin.time.Duration
import kotlin.time.toJavaDuration

/**
 * Suspends until the result is set, then returns the value or throws the exception (the same instance) — the
 * twin of [AsyncResult.get]. Waiters wake in the order they started waiting (AR-10).
 *
 * @throws Timeout when not set within [timeout] (`null`: wait for ever)
 */
public suspend fun <T> AsyncResult<T>.await(timeout: Duration? = null): T {
    @Suppress("UNCHECKED_CAST")
    val core = Internals.peer(this) as AsyncResultCore<T>
    if (!core.awaitReadySuspend(timeoutNanos(timeout))) throw Timeout(timeout!!.toJavaDuration())
    val o = core.outcome() // one read: value and exception of the same set
    if (o is AsyncResultPeer.Failure) throw o.error()
    @Suppress("UNCHECKED_CAST")
    return o as T
}

@Suppress("UNCHECKED_CAST")
private fun <T> queueCore(q: SimpleQueue<T>): QueueCore<T> = Internals.peer(q) as QueueCore<T>

/**
 * Puts [item], suspending while the queue is full (a Channel: until a getter took it) — the twin of
 * [SimpleQueue.put]. Putters are served in the order they started waiting.
 *
 * @throws QueueFullException when still full after [timeout] (`null`: wait for ever)
 * @throws QueueShutDownException when the queue is shut down
 */
public suspend fun <T> SimpleQueue<T>.send(item: T, timeout: Duration? = null) {
    val core = queueCore(this)
    val nanos = timeoutNanos(timeout)
    // no suspension (and no continuation object) when the item goes in at once
    if (core.putNow(item, nanos)) return
    return core.putSuspend(item, nanos)
}

/**
 * Takes the next item, suspending while the queue is empty — the twin of [SimpleQueue.get]. Getters are
 * served in the order they started waiting; a caller that is not waiting may take an item first.
 *
 * @throws QueueEmptyException when still empty after [timeout] (`null`: wait for ever)
 * @throws QueueShutDownException when the queue is shut down and drained
 */
public suspend fun <T> SimpleQueue<T>.receive(timeout: Duration? = null): T {
    val core = queueCore(this)
    val nanos = timeoutNanos(timeout)
    // no suspension (and no continuation object) when an item is there
    val got = core.attemptGet(true)
    @Suppress("UNCHECKED_CAST")
    if (got !== QueueCore.NONE) return got as T
    return core.getSuspend(nanos, true)
}

/** Returns the next item without taking it, suspending while the queue is empty — the twin of [SimpleQueue.peek]. */
public suspend fun <T> SimpleQueue<T>.awaitPeek(timeout: Duration? = null): T =
    queueCore(this).getSuspend(timeoutNanos(timeout), false)

/**
 * A cold [Flow] that takes items as they come ([receive]) and completes when the queue is shut down and
 * drained — the twin of iterating the queue.
 */
public fun <T> SimpleQueue<T>.receiveAsFlow(): Flow<T> {
    val core = queueCore(this)
    return flow {
        while (core.awaitItemSuspend()) {
            val item = try {
                core.getSuspend(-1, true)
            } catch (e: QueueShutDownException) {
                break
            }
            emit(item)
        }
    }
}

/**
 * Suspends until every item put has been marked done — the twin of [Queue.join].
 *
 * @return true when all are done, false on timeout
 */
public suspend fun Queue<*>.awaitJoin(timeout: Duration? = null): Boolean =
    queueCore(this).joinSuspend(timeoutNanos(timeout))

/**
 * Takes a permit, suspending while none is free — the twin of [Semaphore.acquire]. Waiters are served in the
 * order they started waiting (SEM-08).
 *
 * @return true when taken, false on timeout
 */
public suspend fun Semaphore.awaitAcquire(timeout: Duration? = null): Boolean =
    (Internals.peer(this) as SemaphoreCore).acquireSuspend(timeoutNanos(timeout))

/** Suspends until a permit is free, taking none — the twin of [Semaphore.waitFor]; false on timeout. */
public suspend fun Semaphore.awaitReady(timeout: Duration? = null): Boolean =
    (Internals.peer(this) as SemaphoreCore).waitForSuspend(timeoutNanos(timeout)) > 0

/** Runs [action] holding a permit, released afterwards even when it throws — gevent's `with sem:` (SEM-11). */
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

/** Acquires the lock, suspending while another greenlet owns it — the twin of [RLock.acquire]; false on timeout. */
public suspend fun RLock.awaitAcquire(timeout: Duration? = null): Boolean =
    (Internals.peer(this) as RLockCore).acquireSuspend(timeoutNanos(timeout))

/** Runs [action] owning the lock (re-entrant), released afterwards even when it throws. */
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
