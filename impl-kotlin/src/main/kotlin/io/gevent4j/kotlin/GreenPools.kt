@file:JvmMultifileClass
@file:JvmName("GeventCoroutines")

package io.gevent4j.kotlin

import io.gevent4j.Greenlet
import io.gevent4j.Hub
import io.gevent4j.kotlin.internal.SuspendAccess
import io.gevent4j.kotlin.spi.SuspendGreenPilePeer
import io.gevent4j.kotlin.spi.SuspendGreenPoolPeer
import io.gevent4j.pool.GreenPile
import io.gevent4j.pool.GreenPool
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.flow

// The GreenPool/GreenPile twins (eventlet). Members are Kotlin greenlets on the caller's hub. Each twin is the
// suspend form of the same algorithm as the Java method (internal/GreenPoolCore.kt, GreenPileCore.kt), on the
// same state: the slots, their FIFO line and the members are shared by Java and Kotlin spawners.

/**
 * Starts [block] in a new greenlet of the pool (a Kotlin greenlet on [Hub.current]), first suspending, in FIFO order
 * with every other spawner (Java or Kotlin), until a slot is free — the twin of [GreenPool.spawn] and
 * [GreenPool.spawnN] (EL-02..EL-06). Called from one of this pool's greenlets while the pool is full, it runs [block]
 * inline instead and returns a finished greenlet holding its result or failure (EL-07). Cancelling the caller while it
 * waits leaves the line: it takes no slot and starts nothing. The greenlet is a scope: it holds its slot until the
 * children its block launched have ended.
 *
 * @return the started greenlet (already finished in the inline case)
 */
public suspend fun <T> GreenPool.spawnSuspend(block: suspend CoroutineScope.() -> T): Greenlet<T> =
    peer("GreenPool.spawnSuspend").spawnSuspend(block)

/**
 * Suspends until no greenlet of this pool is running — the twin of [GreenPool.waitall]; returns at once when none is
 * (EL-10). Cancelling the caller only ends its wait.
 *
 * @throws IllegalStateException if called from one of this pool's greenlets (it would never return)
 */
public suspend fun GreenPool.awaitWaitall() {
    peer("GreenPool.awaitWaitall").waitallSuspend()
}

/**
 * A cold [Flow] of [GreenPool.imap]: each collection applies [fn] to the items and emits the results in input order
 * (EL-11), reading [items] at most the pool's size ahead. As eventlet's `GreenMap`, each collection runs its tasks in a
 * new pool of this pool's current size: they take none of this pool's slots. The first failed task ends the flow with
 * its error (EL-12's iterator goes on; a Flow cannot). When the collection ends early (`take(n)`, cancellation) the
 * input is read no more and the tasks in flight run on.
 */
public fun <A, R> GreenPool.imapFlow(items: Iterable<A>, fn: suspend (A) -> R): Flow<R> =
    peer("GreenPool.imapFlow").imapFlow(items, fn)

/** As [imapFlow], over pairs taken from [a] and [b] together (zip: the shorter input ends it). */
public fun <A, B, R> GreenPool.imapFlow(a: Iterable<A>, b: Iterable<B>, fn: suspend (A, B) -> R): Flow<R> =
    imapFlow(zipLazily(a, b)) { (x, y) -> fn(x, y) }

/**
 * eventlet's `starmap` as a [Flow]: [fn] gets each argument tuple, the results come in input order (EL-13) — the twin
 * of [GreenPool.starmap].
 */
public fun <R> GreenPool.starmapFlow(
    argTuples: Iterable<Array<out Any?>>,
    fn: suspend (Array<out Any?>) -> R,
): Flow<R> = imapFlow(argTuples, fn)

/**
 * Spawns [block] into the pile's pool as [GreenPool.spawnSuspend] does — the twin of [GreenPile.spawn]. If the wait for
 * a slot is cancelled (a kill, a Timeout) nothing is added to the pile (EL-17).
 */
public suspend fun <T> GreenPile<T>.spawnSuspend(block: suspend CoroutineScope.() -> T) {
    pilePeer("GreenPile.spawnSuspend").spawnSuspend(block)
}

/**
 * Suspends until the oldest task not consumed yet has finished and returns its result — the twin of [GreenPile.next]
 * (spawn order, EL-16). A failed task throws here (the same instance) and counts as consumed (EL-18). With several
 * consumers each result goes to exactly one of them. Cancelling the caller while its task is still being spawned gives
 * its claim back; once the task is taken, cancelling leaves it consumed (the task itself runs on).
 *
 * @throws NoSuchElementException when every spawned task has been consumed
 */
public suspend fun <T> GreenPile<T>.awaitNext(): T = pilePeer("GreenPile.awaitNext").nextSuspend()

/**
 * The pile's results as a [Flow], in spawn order, until every spawned task has been consumed (EL-15, EL-16). The first
 * failed task ends the flow with its error. Collect it once: the results are consumed.
 */
public fun <T> GreenPile<T>.consumeAsFlow(): Flow<T> = flow {
    val peer = this@consumeAsFlow.pilePeer("GreenPile.consumeAsFlow")
    val none = Any()
    while (true) {
        val v = peer.nextOrElse(none) // a task's own NoSuchElementException ends the flow as its error
        if (v === none) break // every result claimed (by this flow or another consumer)
        @Suppress("UNCHECKED_CAST") emit(v as T)
    }
}

private fun GreenPool.peer(op: String): SuspendGreenPoolPeer = SuspendAccess.peer(this, op)

@Suppress("UNCHECKED_CAST")
private fun <T> GreenPile<T>.pilePeer(op: String): SuspendGreenPilePeer<T> =
    SuspendAccess.peer<SuspendGreenPilePeer<*>>(this, op) as SuspendGreenPilePeer<T>
