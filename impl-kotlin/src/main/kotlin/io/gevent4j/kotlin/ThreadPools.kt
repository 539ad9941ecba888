@file:JvmMultifileClass
@file:JvmName("GeventCoroutines")

package io.gevent4j.kotlin

import io.gevent4j.GreenCallable
import io.gevent4j.GreenFunction
import io.gevent4j.event.AsyncResult
import io.gevent4j.kotlin.internal.SuspendAccess
import io.gevent4j.kotlin.spi.SuspendThreadPoolPeer
import io.gevent4j.threadpool.ThreadPool
import kotlin.time.Duration

// The ThreadPool twins. The functions they take are plain (not suspend) functions: they run on the pool's platform
// worker threads, where blocking is the point. Only the caller's waits (for a free worker, for the results) suspend.
// To wait on a CompletableFuture, use kotlinx's CompletionStage.await() (it cancels the future when the caller is
// cancelled) or AsyncResult.of(stage).await() (it leaves the future alone); no twin is needed.

private fun peer(pool: ThreadPool, op: String): SuspendThreadPoolPeer = SuspendAccess.peer(pool, op)

/**
 * Runs [fn] on a worker of the pool and suspends until its result is delivered — the twin of [ThreadPool.apply]. When
 * all `maxsize` slots are taken it first suspends for one, in FIFO order with the other spawners. On one of the pool's
 * own workers it runs [fn] inline.
 *
 * Cancelling the caller (a kill, a Timeout) while it waits for a slot hands nothing over; while it waits for the
 * result, [fn] runs on to its end on its worker (a thread cannot be stopped safely) and its result is dropped.
 *
 * @return what [fn] returned
 * @throws Throwable what [fn] threw, the same instance (checked exceptions included)
 * @throws IllegalStateException if the pool is closed
 */
public suspend fun <T> ThreadPool.awaitApply(fn: () -> T): T =
    peer(this, "ThreadPool.awaitApply { }").awaitApply(GreenCallable { fn() })

/**
 * Hands [fn] to a worker of the pool, suspending while all `maxsize` slots are taken (FIFO with the other spawners) —
 * the twin of [ThreadPool.spawn]. Does not wait for the result: wait on it with [AsyncResult.await]. Cancelling the
 * caller while it waits for a slot hands nothing over.
 *
 * @return the result, set on the pool's hub when [fn] ends
 * @throws IllegalStateException if the pool is (or gets, while the caller waits) closed
 */
public suspend fun <T> ThreadPool.awaitSpawn(fn: () -> T): AsyncResult<T> =
    peer(this, "ThreadPool.awaitSpawn { }").awaitSpawn(GreenCallable { fn() })

/**
 * Applies [fn] to every item, each on a worker, and returns the results in input order — the twin of [ThreadPool.map].
 * The caller hands the items over one by one (suspending for a slot as [awaitSpawn] does), then suspends for the
 * results in input order; the first failure in input order is thrown (the same instance) and the other tasks run on. On
 * one of the pool's own workers it runs every item inline. Cancelling the caller stops the hand-over; the tasks handed
 * over run on to their end.
 *
 * @return the results in input order
 * @throws IllegalStateException if the pool is closed
 */
public suspend fun <A, R> ThreadPool.awaitMap(items: Iterable<A>, fn: (A) -> R): List<R> =
    peer(this, "ThreadPool.awaitMap(items) { }").awaitMap(GreenFunction<A, R> { fn(it) }, items)

/**
 * Suspends until every task handed over has delivered its result, at most [timeout] — the twin of [ThreadPool.join].
 * Returns at once when none is unfinished. Cancelling the caller only ends its wait.
 *
 * @param timeout at most this long; `null` waits for ever
 * @return true when no task was unfinished on return, false on timeout
 * @throws IllegalArgumentException if [timeout] is negative
 */
public suspend fun ThreadPool.awaitJoin(timeout: Duration? = null): Boolean =
    peer(this, "ThreadPool.awaitJoin()").awaitJoin(timeoutNanos(timeout))
