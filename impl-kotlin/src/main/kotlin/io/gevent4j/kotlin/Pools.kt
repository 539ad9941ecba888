@file:JvmMultifileClass
@file:JvmName("GeventCoroutines")

package io.gevent4j.kotlin

import io.gevent4j.Gevent
import io.gevent4j.Greenlet
import io.gevent4j.GreenletExit
import io.gevent4j.Hub
import io.gevent4j.kotlin.internal.FanOut
import io.gevent4j.kotlin.internal.MemberSlots
import io.gevent4j.kotlin.internal.poolAccess
import io.gevent4j.pool.Group
import io.gevent4j.pool.Pool
import io.gevent4j.pool.PoolFullException
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.flow.Flow
import kotlin.time.Duration
import kotlin.time.Duration.Companion.nanoseconds

// The Group/Pool twins. Their members are Kotlin greenlets on the caller's hub (Hub.current()), so the functions
// they run are suspend functions that wait with the suspend twins (sleep, await, receive, ...); they share the
// Java methods' accounting (membership, slots) and rules. Plain blocking code belongs in a Java greenlet: call the
// Java method from spawnBlocking { }.

/**
 * Starts [block] in a new member, a Kotlin greenlet on [Hub.current] — the twin of [Group.spawn]. In a bounded
 * [Pool] it suspends while the pool is full (FIFO with the other waiters); elsewhere it never suspends.
 * Cancelling the caller while it waits takes no slot and starts nothing.
 *
 * @return the started member
 */
public suspend fun <T> Group.spawnSuspend(block: suspend CoroutineScope.() -> T): Greenlet<T> {
    val g = FanOut.member(Hub.current(), block)
    MemberSlots.OfGroup(this).start(g)
    return g
}

/**
 * Adds [g] (started or not), suspending at most [timeout] while the pool is full — the twin of
 * `Pool.add(g, true, timeout)` (PL-07, PL-08). A member already is left as it is.
 *
 * @param timeout at most this long; `null` waits for ever
 * @throws PoolFullException when no slot was free in time
 * @throws IllegalArgumentException if [timeout] is negative
 */
public suspend fun Pool.awaitAdd(g: Greenlet<*>, timeout: Duration? = null) {
    timeoutNanos(timeout)
    val access = poolAccess(this)
    if (contains(g) || access.tryAdd(this, g)) return
    val slots = access.slots(this)!!
    if (!slots.awaitAcquire(timeout)) throw PoolFullException()
    access.addHoldingSlot(this, g)
}

/**
 * Suspends until the pool has a free slot, taking none, at most [timeout] — the twin of [Pool.waitAvailable]
 * (PL-10). An unbounded pool answers 1 at once.
 *
 * @return the free slots, 0 on timeout
 * @throws IllegalArgumentException if [timeout] is negative
 */
public suspend fun Pool.awaitAvailable(timeout: Duration? = null): Int {
    timeoutNanos(timeout)
    val slots = poolAccess(this).slots(this) ?: return 1
    if (slots.counter() > 0) return slots.counter()
    if (!slots.awaitReady(timeout)) return 0
    return maxOf(0, slots.counter())
}

/**
 * Suspends until the group is empty, at most [timeout] — the twin of [Group.join]; returns at once on an empty
 * group (PL-11). With [raiseError], the first member present when the call was made (in insertion order) that
 * failed has its error thrown, the same instance (PL-14, PL-15).
 *
 * @param timeout at most this long; `null` waits for ever
 * @return true when the group was empty on return
 * @throws IllegalArgumentException if [timeout] is negative
 */
public suspend fun Group.awaitJoin(timeout: Duration? = null, raiseError: Boolean = false): Boolean {
    timeoutNanos(timeout)
    val before = if (raiseError) toList() else emptyList()
    val empty = poolAccess(this).empty(this)
    val emptied = empty.isSet || empty.await(timeout) // true once set, even if a member was added right after
    for (g in before) {
        if (g.isDead && !g.isSuccessful) throw g.exception()!!
    }
    return emptied
}

/**
 * Kills every member with [exception] (never twice the same one) and suspends until the group is empty, at most
 * [timeout], also killing members added meanwhile — the twin of `Group.kill(exception, true, timeout)`. Returns
 * quietly on expiry, the survivors staying members (PL-16, PL-17).
 *
 * @throws IllegalArgumentException if [timeout] is negative
 */
public suspend fun Group.awaitKill(exception: Throwable = GreenletExit(), timeout: Duration? = null) {
    val nanos = timeoutNanos(timeout)
    val deadline = if (nanos < 0) Long.MAX_VALUE else System.nanoTime() + minOf(nanos, Long.MAX_VALUE / 4)
    val empty = poolAccess(this).empty(this)
    while (true) {
        kill(exception, false, null)
        if (empty.isSet) return
        val left = if (nanos < 0) null else (deadline - System.nanoTime()).coerceAtLeast(0L)
        if (left == 0L) return
        val now = toList()
        val done = joinAll(now, left?.nanoseconds)
        if (done.size < now.size) return // timed out: silent
        if (toList().all { it.isDead }) {
            // all dead, their link callbacks have not run yet: let them run
            val rest = if (nanos < 0) null else (deadline - System.nanoTime()).coerceAtLeast(0L)
            if (!empty.await(rest?.nanoseconds)) return
        }
    }
}

/**
 * Runs [block] in a new member and suspends until its result — the twin of [Group.apply]. Called from a member
 * of this group it runs [block] inline instead, so a full pool cannot deadlock (PL-22). Its failure is thrown,
 * the same instance (PL-21).
 */
public suspend fun <T> Group.awaitApply(block: suspend () -> T): T {
    val me = Gevent.getcurrent()
    if (me != null && contains(me)) return block()
    return spawnSuspend { block() }.await()
}

/**
 * Applies [fn] to every item, each in a member (a Kotlin greenlet), and suspends until the results are known —
 * the twin of [Group.map]: results in input order (PL-26); at most the pool's size run at once. The first error
 * in input order is thrown, the same instance, and the other tasks run on (PL-28, PL-29); an error of [items]
 * itself comes after the results of the items read before it (PL-31). Called from a member it runs inline.
 */
public suspend fun <A, R> Group.mapSuspend(items: Iterable<A>, fn: suspend (A) -> R): List<R> {
    val me = Gevent.getcurrent()
    if (me != null && contains(me)) return items.map { fn(it) }
    return FanOut.map(MemberSlots.OfGroup(this), { MemberSlots.OfGroup(this) }, items, fn)
}

/**
 * A cold [Flow] of [Group.imap]: each collection applies [fn] to the items, each in a member (a Kotlin greenlet),
 * and emits the results in input order (PL-33). A bounded [Pool] holds at most its size in flight and reads
 * [items] only as it goes, so an endless input works; when the collection ends early (`take(n)`) the input is
 * read no more and the tasks in flight run on. Unlike the iterator, the first failed task ends the flow with its
 * error (a Flow cannot go on after an exception, PL-30).
 */
public fun <A, R> Group.imapFlow(items: Iterable<A>, fn: suspend (A) -> R): Flow<R> =
    FanOut.imap({ MemberSlots.OfGroup(this) }, imapWindow(), items, true, fn)

/**
 * As [imapFlow], over pairs taken from [a] and [b] together (zip: the shorter input ends it, PL-27) — the twin of
 * the two-input [Group.imap].
 */
public fun <A, B, R> Group.imapFlow(a: Iterable<A>, b: Iterable<B>, fn: suspend (A, B) -> R): Flow<R> =
    FanOut.imap({ MemberSlots.OfGroup(this) }, imapWindow(), zipLazily(a, b), true) { (x, y) -> fn(x, y) }

/** As [imapFlow], in completion order (the twin of [Group.imapUnordered], PL-32). */
public fun <A, R> Group.imapUnorderedFlow(items: Iterable<A>, fn: suspend (A) -> R): Flow<R> =
    FanOut.imap({ MemberSlots.OfGroup(this) }, imapWindow(), items, false, fn)

private fun Group.imapWindow(): Int = if (this is Pool && poolSize() >= 0) maxOf(1, poolSize()) else -1

/** [a] and [b] read together, lazily, until the shorter ends. */
internal fun <A, B> zipLazily(a: Iterable<A>, b: Iterable<B>): Iterable<Pair<A, B>> = Iterable {
    val ia = a.iterator()
    val ib = b.iterator()
    object : Iterator<Pair<A, B>> {
        override fun hasNext(): Boolean = ia.hasNext() && ib.hasNext()
        override fun next(): Pair<A, B> = ia.next() to ib.next()
    }
}
