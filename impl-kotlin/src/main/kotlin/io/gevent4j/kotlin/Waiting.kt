@file:JvmMultifileClass
@file:JvmName("GeventCoroutines")

package io.gevent4j.kotlin

import io.gevent4j.Greenlet
import io.gevent4j.Waitable
import io.gevent4j.kotlin.internal.SuspendAccess
import kotlin.time.Duration
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.toList

/**
 * gevent's `iwait` as a cold [Flow]: each collection links the objects and emits them in the order they become ready
 * (ready ones first, in input order), at most [count] (`<= 0`: all), and completes quietly when [timeout] passes
 * (MOD-05). Links left over are removed when the collection ends, also when the collector is cancelled (at once, while
 * it waits); the objects are unaffected.
 *
 * @throws IllegalArgumentException if [timeout] is negative
 */
public fun <W : Waitable> iwait(objects: Collection<W>, timeout: Duration? = null, count: Int = 0): Flow<W> =
    SuspendAccess.provider("iwait()").iwaitFlow(objects, timeoutNanos(timeout), count)

/**
 * gevent's `wait(objects, timeout, count)`: the ready objects, in the order they became ready. Cancelling the caller
 * ends the wait at once and unlinks the objects.
 */
public suspend fun <W : Waitable> waitAll(objects: Collection<W>, timeout: Duration? = null, count: Int = 0): List<W> =
    iwait(objects, timeout, count).toList()

/**
 * gevent's `joinall`: the greenlets that finished, in completion order. With [raiseError], the first failure (in
 * completion order) is thrown, the same instance (MOD-16, MOD-17); the others keep running. Cancelling the caller ends
 * the wait at once; no greenlet is killed.
 */
public suspend fun joinAll(
    greenlets: Collection<Greenlet<*>>,
    timeout: Duration? = null,
    raiseError: Boolean = false,
    count: Int = 0,
): List<Greenlet<*>> {
    val out = ArrayList<Greenlet<*>>()
    iwait(greenlets, timeout, count).collect { g ->
        out.add(g)
        if (raiseError) g.exception()?.let { throw it }
    }
    return out
}
