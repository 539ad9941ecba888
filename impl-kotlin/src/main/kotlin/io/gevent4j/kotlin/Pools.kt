@file:JvmMultifileClass
@file:JvmName("GeventCoroutines")

package io.gevent4j.kotlin

import io.gevent4j.Greenlet
import io.gevent4j.GreenletExit
import io.gevent4j.Hub
import io.gevent4j.kotlin.internal.SuspendAccess
import io.gevent4j.kotlin.spi.SuspendGroupPeer
import io.gevent4j.pool.Group
import io.gevent4j.pool.Pool
import io.gevent4j.pool.PoolFullException
import kotlin.time.Duration
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.flow.Flow

// The Group/Pool twins. Their members are Kotlin greenlets on the caller's hub (Hub.current()), so the functions
// they run are suspend functions that wait with the suspend twins (sleep, await, receive, ...). Each twin is the
// suspend form of the same algorithm as the Java method (internal/GroupCore.kt), on the same state: Java and
// Kotlin spawners share one membership and one FIFO line for slots. Plain blocking code belongs in a Java
// greenlet: call the Java method from spawnBlocking { }.
//
// Cancelling a caller (a kill, a Timeout, a coroutine's cancellation) while it waits takes no slot, starts
// nothing and kills no member; the members it started already run on.

/**
 * Starts [block] in a new member, a Kotlin greenlet on [Hub.current] — the twin of [Group.spawn]. In a bounded [Pool]
 * it suspends while the pool is full (FIFO with the other waiters, Java or Kotlin); elsewhere it never suspends.
 * Cancelling the caller while it waits takes no slot and starts nothing. The member is a scope: it holds its slot, and
 * stays a member, until the children its block launched have ended.
 *
 * @return the started member
 */
public suspend fun <T> Group.spawnSuspend(block: suspend CoroutineScope.() -> T): Greenlet<T> =
    peer("Group.spawnSuspend").spawnSuspend(block)

/**
 * Adds [g] (started or not), suspending at most [timeout] while the pool is full — the twin of `Pool.add(g, true,
 * timeout)` (PL-07, PL-08). A member already is left as it is. Cancelling the caller while it waits adds nothing and
 * takes no slot.
 *
 * @param timeout at most this long; `null` waits for ever
 * @throws PoolFullException when no slot was free in time
 * @throws IllegalArgumentException if [timeout] is negative
 */
public suspend fun Pool.awaitAdd(g: Greenlet<*>, timeout: Duration? = null) {
    if (!peer("Pool.awaitAdd").addSuspend(g, timeoutNanos(timeout))) throw PoolFullException()
}

/**
 * Suspends until the pool has a free slot, taking none, at most [timeout] — the twin of [Pool.waitAvailable] (PL-10).
 * An unbounded pool answers 1 at once. Cancelling the caller only ends its wait.
 *
 * @return the free slots, 0 on timeout
 * @throws IllegalArgumentException if [timeout] is negative
 */
public suspend fun Pool.awaitAvailable(timeout: Duration? = null): Int =
    peer("Pool.awaitAvailable").waitAvailableSuspend(timeoutNanos(timeout))

/**
 * Suspends until the group is empty, at most [timeout] — the twin of [Group.join]; returns at once on an empty group
 * (PL-11). With [raiseError], the first member present when the call was made (in insertion order) that failed has its
 * error thrown, the same instance (PL-14, PL-15). Cancelling the caller only ends its wait.
 *
 * @param timeout at most this long; `null` waits for ever
 * @return true when the group was empty on return
 * @throws IllegalArgumentException if [timeout] is negative
 */
public suspend fun Group.awaitJoin(timeout: Duration? = null, raiseError: Boolean = false): Boolean =
    peer("Group.awaitJoin").joinSuspend(timeoutNanos(timeout), raiseError)

/**
 * Kills every member with [exception] (never twice the same one) and suspends until the group is empty, at most
 * [timeout], also killing members added meanwhile — the twin of `Group.kill(exception, true, timeout)`. Returns quietly
 * on expiry, the survivors staying members (PL-16, PL-17). Cancelling the caller ends its wait; the kills delivered
 * already stand.
 *
 * @throws IllegalArgumentException if [timeout] is negative
 */
public suspend fun Group.awaitKill(exception: Throwable = GreenletExit(), timeout: Duration? = null) {
    peer("Group.awaitKill").killSuspend(exception, timeoutNanos(timeout))
}

/**
 * Kills member [g] with [exception] and suspends until it is dead, at most [timeout] — the twin of `Group.killone(g,
 * exception, true, timeout)`. A non-member, or a member the group is killing already, is ignored (PL-18). Returns
 * quietly on expiry. Cancelling the caller ends its wait; the kill stands.
 *
 * @throws IllegalArgumentException if [timeout] is negative
 */
public suspend fun Group.awaitKillone(
    g: Greenlet<*>,
    exception: Throwable = GreenletExit(),
    timeout: Duration? = null,
) {
    peer("Group.awaitKillone").killoneSuspend(g, exception, timeoutNanos(timeout))
}

/**
 * Runs [block] in a new member and suspends until its result — the twin of [Group.apply]. Called from a member of this
 * group it runs [block] inline instead, so a full pool cannot deadlock (PL-22). Its failure is thrown, the same
 * instance (PL-21). Cancelling the caller while it waits for a slot starts nothing; once the member runs, cancelling
 * the caller does not kill it.
 */
public suspend fun <T> Group.awaitApply(block: suspend () -> T): T = peer("Group.awaitApply").applySuspend(block)

/**
 * Applies [fn] to every item, each in a member (a Kotlin greenlet), and suspends until the results are known — the twin
 * of [Group.map], the same algorithm: results in input order (PL-26); at most the pool's size run at once. The first
 * error in input order is thrown, the same instance, and the rest of the input is still run (PL-28, PL-29); an error of
 * [items] itself comes after the results of the items read before it (PL-31). Called from a member it runs inline.
 * Cancelling the caller stops reading the input; the members started already run on.
 */
public suspend fun <A, R> Group.mapSuspend(items: Iterable<A>, fn: suspend (A) -> R): List<R> =
    peer("Group.mapSuspend").mapSuspend(items, fn)

/**
 * A cold [Flow] of [Group.imap]: each collection applies [fn] to the items, each in a member (a Kotlin greenlet), and
 * emits the results in input order (PL-33). A bounded [Pool] holds at most its size in flight and reads [items] only as
 * it goes, so an endless input works; when the collection ends early (`take(n)`, cancellation) the input is read no
 * more and the tasks in flight run on. Unlike the iterator, the first failed task ends the flow with its error (a Flow
 * cannot go on after an exception, PL-30).
 */
public fun <A, R> Group.imapFlow(items: Iterable<A>, fn: suspend (A) -> R): Flow<R> =
    peer("Group.imapFlow").imapFlow(items, true, fn)

/**
 * As [imapFlow], over pairs taken from [a] and [b] together (zip: the shorter input ends it, PL-27) — the twin of the
 * two-input [Group.imap].
 */
public fun <A, B, R> Group.imapFlow(a: Iterable<A>, b: Iterable<B>, fn: suspend (A, B) -> R): Flow<R> =
    imapFlow(zipLazily(a, b)) { (x, y) -> fn(x, y) }

/** As [imapFlow], in completion order (the twin of [Group.imapUnordered], PL-32). */
public fun <A, R> Group.imapUnorderedFlow(items: Iterable<A>, fn: suspend (A) -> R): Flow<R> =
    peer("Group.imapUnorderedFlow").imapFlow(items, false, fn)

private fun Group.peer(op: String): SuspendGroupPeer = SuspendAccess.peer(this, op)

/** [a] and [b] read together, lazily, until the shorter ends. */
internal fun <A, B> zipLazily(a: Iterable<A>, b: Iterable<B>): Iterable<Pair<A, B>> = Iterable {
    val ia = a.iterator()
    val ib = b.iterator()
    object : Iterator<Pair<A, B>> {
        override fun hasNext(): Boolean = ia.hasNext() && ib.hasNext()

        override fun next(): Pair<A, B> = ia.next() to ib.next()
    }
}
