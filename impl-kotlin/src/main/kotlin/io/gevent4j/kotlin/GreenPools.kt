@file:JvmMultifileClass
@file:JvmName("GeventCoroutines")

package io.gevent4j.kotlin

import io.gevent4j.Gevent
import io.gevent4j.Greenlet
import io.gevent4j.Hub
import io.gevent4j.kotlin.internal.FanOut
import io.gevent4j.kotlin.internal.MemberSlots
import io.gevent4j.kotlin.internal.poolAccess
import io.gevent4j.pool.GreenPile
import io.gevent4j.pool.GreenPool
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.flow
import kotlin.coroutines.cancellation.CancellationException

// The GreenPool/GreenPile twins (eventlet). Members are Kotlin greenlets on the caller's hub; the slots, their
// FIFO order and the members are the Java objects' own, so Java and Kotlin spawners share one pool.

/**
 * Starts [block] in a new greenlet of the pool (a Kotlin greenlet on [Hub.current]), first suspending, in FIFO
 * order with every other spawner, until a slot is free — the twin of [GreenPool.spawn] and [GreenPool.spawnN]
 * (EL-02..EL-06). Called from one of this pool's greenlets while the pool is full, it runs [block] inline instead
 * and returns a finished greenlet holding its result or failure (EL-07). Cancelling the caller while it waits
 * takes no slot and starts nothing.
 *
 * @return the started greenlet (already finished in the inline case)
 */
public suspend fun <T> GreenPool.spawnSuspend(block: suspend CoroutineScope.() -> T): Greenlet<T> {
    val hub = Hub.current()
    val slots = MemberSlots.OfGreenPool(this)
    val g = FanOut.member(hub, slots.wrap(block))
    if (!slots.startOrInline(g, Gevent.getcurrent())) {
        val outcome = try {
            Result.success(coroutineScope(block))
        } catch (e: Exception) {
            if (e is CancellationException) throw e
            Result.failure(e)
        }
        val done = FanOut.member(hub) { outcome.getOrThrow() }
        done.start()
        done.awaitJoin()
        return done
    }
    return g
}

/**
 * Suspends until no greenlet of this pool is running — the twin of [GreenPool.waitall]; returns at once when none
 * is (EL-10).
 *
 * @throws IllegalStateException if called from one of this pool's greenlets (it would never return)
 */
public suspend fun GreenPool.awaitWaitall() {
    val access = poolAccess(this)
    check(!access.isMember(this, Gevent.getcurrent())) {
        "Calling waitall() from within one of the GreenPool's greenthreads will never terminate."
    }
    val idle = access.idle(this)
    while (!idle.isSet) idle.await()
}

/**
 * A cold [Flow] of [GreenPool.imap]: each collection applies [fn] to the items and emits the results in input
 * order (EL-11), reading [items] at most the pool's size ahead. As eventlet's `GreenMap`, each collection runs its
 * tasks in a new pool of this pool's current size: they take none of this pool's slots. The first failed
 * task ends the flow with its error (EL-12's iterator goes on; a Flow cannot).
 */
public fun <A, R> GreenPool.imapFlow(items: Iterable<A>, fn: suspend (A) -> R): Flow<R> =
    FanOut.imap({ MemberSlots.OfGreenPool(GreenPool(size())) }, maxOf(1, size()), items, true, fn)

/** As [imapFlow], over pairs taken from [a] and [b] together (zip: the shorter input ends it). */
public fun <A, B, R> GreenPool.imapFlow(a: Iterable<A>, b: Iterable<B>, fn: suspend (A, B) -> R): Flow<R> =
    FanOut.imap({ MemberSlots.OfGreenPool(GreenPool(size())) }, maxOf(1, size()), zipLazily(a, b), true) { (x, y) -> fn(x, y) }

/**
 * eventlet's `starmap` as a [Flow]: [fn] gets each argument tuple, the results come in input order (EL-13) — the
 * twin of [GreenPool.starmap].
 */
public fun <R> GreenPool.starmapFlow(argTuples: Iterable<Array<out Any?>>, fn: suspend (Array<out Any?>) -> R): Flow<R> =
    FanOut.imap({ MemberSlots.OfGreenPool(GreenPool(size())) }, maxOf(1, size()), argTuples, true, fn)

/**
 * Spawns [block] into the pile's pool as [GreenPool.spawnSuspend] does — the twin of [GreenPile.spawn]. If the
 * wait for a slot is cancelled (a kill, a Timeout) nothing is added to the pile (EL-17).
 */
public suspend fun <T> GreenPile<T>.spawnSuspend(block: suspend CoroutineScope.() -> T) {
    val access = poolAccess(this)
    access.spawning(this)
    val g = try {
        access.pool(this).spawnSuspend(block)
    } catch (t: Throwable) {
        access.spawned(this, null)
        throw t
    }
    access.spawned(this, g)
}

/**
 * Suspends until the oldest task not consumed yet has finished and returns its result — the twin of
 * [GreenPile.next] (spawn order, EL-16). A failed task throws here (the same instance) and counts as consumed
 * (EL-18).
 *
 * @throws NoSuchElementException when every spawned task has been consumed
 */
public suspend fun <T> GreenPile<T>.awaitNext(): T {
    if (!hasNext()) throw NoSuchElementException("every spawned task of this GreenPile has been consumed")
    val access = poolAccess(this)
    val g = access.results(this).receive()
    access.taken(this)
    return g.await()
}

/**
 * The pile's results as a [Flow], in spawn order, until every spawned task has been consumed (EL-15, EL-16). The
 * first failed task ends the flow with its error. Collect it once: the results are consumed.
 */
public fun <T> GreenPile<T>.consumeAsFlow(): Flow<T> = flow {
    while (hasNext()) emit(awaitNext())
}
