package io.gevent4j.kotlin.spi

import io.gevent4j.Greenlet
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.flow.Flow

// For implementors only: the suspend forms of the pools' peers (io.gevent4j.spi.GroupPeer, GreenPoolPeer,
// GreenPilePeer), which the twins of Pools.kt and GreenPools.kt reach. Members started here are Kotlin greenlets
// on the caller's hub (Hub.current()). Timeouts are nanoseconds, negative for none, checked by the twins already.
// Cancelling a caller while it waits for a slot takes no slot and starts nothing; members started already run on.

/** The suspend side of a `Group`'s or a `Pool`'s peer. */
public interface SuspendGroupPeer {
    /**
     * Starts [block] in a new member, suspending in the pool's FIFO line while it is full.
     *
     * @return the started member
     */
    public suspend fun <T> spawnSuspend(block: suspend CoroutineScope.() -> T): Greenlet<T>

    /**
     * Adds [g], suspending while the pool is full.
     *
     * @param timeoutNanos negative for none
     * @return false when no slot was free in time
     */
    public suspend fun addSuspend(g: Greenlet<*>, timeoutNanos: Long): Boolean

    /**
     * Suspends until a slot is free, taking none.
     *
     * @param timeoutNanos negative for none
     * @return the free slots, 0 on timeout
     */
    public suspend fun waitAvailableSuspend(timeoutNanos: Long): Int

    /**
     * Suspends until the group is empty; with [raiseError] throws the first failure among the members present at the
     * call, the same instance.
     *
     * @param timeoutNanos negative for none
     * @return true when empty on return
     */
    public suspend fun joinSuspend(timeoutNanos: Long, raiseError: Boolean): Boolean

    /**
     * Kills every member with [exception] and suspends until the group is empty (silently on expiry).
     *
     * @param timeoutNanos negative for none
     */
    public suspend fun killSuspend(exception: Throwable, timeoutNanos: Long)

    /**
     * Kills member [g] with [exception] and suspends until it is dead (silently on expiry).
     *
     * @param timeoutNanos negative for none
     */
    public suspend fun killoneSuspend(g: Greenlet<*>, exception: Throwable, timeoutNanos: Long)

    /** Runs [block] in a new member (inline when the caller is a member) and returns its result. */
    public suspend fun <T> applySuspend(block: suspend () -> T): T

    /** gevent's `map`: the results in input order. */
    public suspend fun <A, R> mapSuspend(items: Iterable<A>, fn: suspend (A) -> R): List<R>

    /** gevent's `imap` ([ordered]) or `imap_unordered` as a cold flow. */
    public fun <A, R> imapFlow(items: Iterable<A>, ordered: Boolean, fn: suspend (A) -> R): Flow<R>
}

/** The suspend side of a `GreenPool`'s peer. */
public interface SuspendGreenPoolPeer {
    /**
     * Starts [block] in a new greenlet of the pool, suspending in FIFO order for a slot; inline (a finished greenlet)
     * when the caller is a member of the full pool.
     *
     * @return the started greenlet
     */
    public suspend fun <T> spawnSuspend(block: suspend CoroutineScope.() -> T): Greenlet<T>

    /** Suspends until no greenlet of the pool runs; [IllegalStateException] from a member. */
    public suspend fun waitallSuspend()

    /** eventlet's `imap` as a cold flow, in a new pool of this one's size. */
    public fun <A, R> imapFlow(items: Iterable<A>, fn: suspend (A) -> R): Flow<R>
}

/**
 * The suspend side of a `GreenPile`'s peer.
 *
 * @param T the result type
 */
public interface SuspendGreenPilePeer<T> {
    /** Spawns [block] into the pile's pool; a cancelled wait for a slot adds nothing. */
    public suspend fun spawnSuspend(block: suspend CoroutineScope.() -> T)

    /**
     * Suspends until the oldest unconsumed task has finished; its value, or its failure thrown.
     *
     * @throws NoSuchElementException when every spawned task has been claimed
     */
    public suspend fun nextSuspend(): T

    /**
     * As [nextSuspend], but when every spawned task has been claimed it returns [none] instead of throwing, so that a
     * task's own [NoSuchElementException] is never mistaken for the end.
     */
    public suspend fun nextOrElse(none: Any?): Any?
}
