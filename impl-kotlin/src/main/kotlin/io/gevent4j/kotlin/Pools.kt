@file:JvmMultifileClass
@file:JvmName("GeventCoroutines")

package io.gevent4j.kotlin

import io.gevent4j.GreenCallable
import io.gevent4j.GreenFunction
import io.gevent4j.Greenlet
import io.gevent4j.GreenletExit
import io.gevent4j.Hub
import io.gevent4j.pool.Group
import io.gevent4j.pool.IMap
import io.gevent4j.pool.Pool
import io.gevent4j.queue.SimpleQueue
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.flow
import kotlin.time.Duration
import kotlin.time.toJavaDuration

// The pool twins compose the public API: the blocking Java call runs in a helper Java greenlet on the caller's
// hub (Hub.current()) and the coroutine suspends on that greenlet. Cancelling the caller kills the helper.

private suspend fun <T> inJavaGreenlet(body: () -> T): T {
    val helper = Greenlet(Hub.current(), GreenCallable { body() }).start()
    try {
        return helper.await()
    } finally {
        if (!helper.isDead) helper.kill(GreenletExit(), false, null)
    }
}

/**
 * Suspends until the group is empty, at most [timeout] — the twin of [Group.join]. With [raiseError], the first
 * member present when the call was made that failed has its error thrown as [Group.join] throws it (unchecked
 * errors as the same instance, checked ones wrapped in [io.gevent4j.GreenletFailedException]) (PL-14).
 *
 * @param timeout at most this long; `null` waits for ever
 * @return true when the group was empty on return
 * @throws IllegalArgumentException if [timeout] is negative
 */
public suspend fun Group.awaitJoin(timeout: Duration? = null, raiseError: Boolean = false): Boolean {
    timeoutNanos(timeout)
    if (isEmpty && !raiseError) return true
    return inJavaGreenlet { join(timeout?.toJavaDuration(), raiseError) }
}

/**
 * Kills every member with [exception] and suspends until the group is empty, at most [timeout] — the twin of
 * `Group.kill(exception, true, timeout)`. Returns quietly on expiry (PL-17).
 *
 * @throws IllegalArgumentException if [timeout] is negative
 */
public suspend fun Group.awaitKill(exception: Throwable = GreenletExit(), timeout: Duration? = null) {
    timeoutNanos(timeout)
    inJavaGreenlet { kill(exception, true, timeout?.toJavaDuration()) }
}

/**
 * Runs [fn] in a new member (a Java greenlet, so [fn] may call blocking gevent4j operations) and suspends until
 * its result — the twin of [Group.apply]. Its failure is thrown as [Group.apply] throws it.
 */
@Suppress("UNCHECKED_CAST") // null only for a member killed with GreenletExit, as Group.apply
public suspend fun <T> Group.awaitApply(fn: () -> T): T = inJavaGreenlet { apply(GreenCallable { fn() }) as T }

/**
 * Applies [fn] to every item, each in a member (a Java greenlet), and suspends until the results are known, in
 * input order — the twin of [Group.map]. The first error in input order is thrown (PL-28, PL-29).
 */
public suspend fun <A, R> Group.mapSuspend(items: Iterable<A>, fn: (A) -> R): List<R> {
    val f = GreenFunction<A, R> { fn(it) }
    return inJavaGreenlet { map(f, items) }
}

/**
 * Suspends until the pool has a free slot, taking none, at most [timeout] — the twin of [Pool.waitAvailable].
 *
 * @return the free slots, 0 on timeout
 * @throws IllegalArgumentException if [timeout] is negative
 */
public suspend fun Pool.awaitAvailable(timeout: Duration? = null): Int {
    timeoutNanos(timeout)
    if (freeCount() > 0) return freeCount()
    return inJavaGreenlet { waitAvailable(timeout?.toJavaDuration()) }
}

/**
 * A cold [Flow] of [Group.imap]: each collection applies [fn] (in members, Java greenlets) to the items and emits
 * the results in input order. Unlike the iterator, the first failed task ends the flow with its error. A bounded
 * [Pool] reads its input lazily; when the collection ends (for example after `take(n)`) the input is read no more.
 */
public fun <A, R> Group.imapFlow(items: Iterable<A>, fn: (A) -> R): Flow<R> =
    imapAsFlow { imap(GreenFunction<A, R> { fn(it) }, items) }

/**
 * As [imapFlow], in completion order (the twin of [Group.imapUnordered]).
 */
public fun <A, R> Group.imapUnorderedFlow(items: Iterable<A>, fn: (A) -> R): Flow<R> =
    imapAsFlow { imapUnordered(GreenFunction<A, R> { fn(it) }, items) }

private class PoolItem(val value: Any?, val error: Throwable?)

private fun <R> imapAsFlow(start: () -> IMap<R>): Flow<R> = flow {
    val q = SimpleQueue<PoolItem>(1) // the pump stays at most one result ahead of the collector
    val pump = Greenlet(Hub.current(), GreenCallable {
        val it = start()
        while (it.hasNext()) {
            val item = try {
                PoolItem(it.next(), null)
            } catch (e: GreenletExit) {
                throw e
            } catch (t: Throwable) {
                PoolItem(null, t)
            }
            q.put(item)
        }
        q.put(PoolItem(q, null)) // the end marker: the queue itself
    }).start()
    try {
        while (true) {
            val item = q.receive()
            if (item.value === q) break
            item.error?.let { throw it }
            @Suppress("UNCHECKED_CAST")
            emit(item.value as R)
        }
    } finally {
        if (!pump.isDead) pump.kill(GreenletExit(), false, null)
    }
}
