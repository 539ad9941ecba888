@file:JvmMultifileClass
@file:JvmName("GeventCoroutines")

package io.gevent4j.kotlin

import io.gevent4j.GreenCallable
import io.gevent4j.Greenlet
import io.gevent4j.GreenletExit
import io.gevent4j.Hub
import io.gevent4j.Timeout
import io.gevent4j.kotlin.internal.SuspendAccess
import io.gevent4j.kotlin.spi.KotlinGreenletBody
import io.gevent4j.kotlin.spi.SuspendGreenletPeer
import kotlin.time.Duration
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Deferred
import kotlinx.coroutines.future.asDeferred

/**
 * Starts a Kotlin greenlet on [Hub.current]: a coroutine on the hub's dispatcher. It runs once the caller yields, after
 * the greenlets started before it (FIFO, shared with Java greenlets). It has no parent job: it outlives the code that
 * spawned it, as in gevent (SCH-12), and cancelling the spawner does not cancel it. Never blocks.
 *
 * The greenlet is a scope, as `coroutineScope { }`: the coroutines [block] starts with `launch`/`async` in its scope
 * (on any dispatcher) are part of it. It is dead — joiners and links see it — only once they have all ended; its value
 * is [block]'s; the first failure among [block] and those children is its failure (the same instance), and cancels the
 * rest; a kill cancels them all, also after [block] returned. Coroutines with a job of their own (`GlobalScope`, a
 * scope with a `Job()` of its own) and greenlets spawned inside are not children.
 *
 * @throws IllegalStateException if the hub is closed, or when the gevent4j provider in use has no suspend side
 */
public fun <T> spawn(block: suspend CoroutineScope.() -> T): Greenlet<T> = Hub.current().spawnSuspend(block)

/**
 * Starts a Kotlin greenlet on this hub; it ends when [block] and its child coroutines have ended. See [spawn].
 *
 * @throws IllegalStateException if the hub is closed, or when the gevent4j provider in use has no suspend side
 */
public fun <T> Hub.spawnSuspend(block: suspend CoroutineScope.() -> T): Greenlet<T> {
    SuspendAccess.provider("spawn { }") // a provider without a suspend side would run the body as Java code
    return Greenlet(this, KotlinGreenletBody(block)).start()
}

/**
 * Starts a Java greenlet (a virtual thread scheduled on [Hub.current]) that runs [block]: plain blocking code — Java's
 * blocking facades (`join`, `get`, `Event.waitFor`, `Gevent.sleep`), JDK socket I/O — which a Kotlin greenlet's body
 * must not call. A Kotlin greenlet can `await()` it. (From Kotlin, `Gevent.spawn { ... }` resolves to the
 * `GreenRunnable` overload and drops the result; this keeps it.)
 */
public fun <T> spawnBlocking(block: () -> T): Greenlet<T> = Hub.current().spawnBlocking(block)

/** Starts a Java greenlet on this hub that runs [block]; see [spawnBlocking]. */
public fun <T> Hub.spawnBlocking(block: () -> T): Greenlet<T> = Greenlet(this, GreenCallable { block() }).start()

@Suppress("UNCHECKED_CAST")
private fun <T> peer(g: Greenlet<T>, op: String): SuspendGreenletPeer<T> =
    SuspendAccess.peer<SuspendGreenletPeer<*>>(g, op) as SuspendGreenletPeer<T>

/**
 * Suspends until the greenlet is dead, then returns its value or throws its failure (the same instance, checked or not)
 * — the twin of [Greenlet.get]. For a greenlet killed with a [GreenletExit] (a success) it throws that [GreenletExit],
 * as `Deferred.await` of a cancelled job throws: `T` cannot hold it. Never blocks the hub. Cancelling the caller ends
 * its wait at once; the greenlet is not killed and runs on.
 *
 * @param timeout at most this long; `null` waits for ever
 * @throws Timeout when the greenlet is not dead in time (the greenlet is unaffected)
 * @throws IllegalArgumentException if [timeout] is negative
 */
public suspend fun <T> Greenlet<T>.await(timeout: Duration? = null): T =
    peer(this, "Greenlet.await()").awaitOutcome(timeoutNanos(timeout))

/**
 * Suspends until the greenlet is dead — the twin of [Greenlet.join]. Never throws the greenlet's failure. Cancelling
 * the caller ends its wait at once; the greenlet is not killed and runs on.
 *
 * @param timeout at most this long; `null` waits for ever
 * @return true when dead on return
 * @throws IllegalArgumentException if [timeout] is negative
 */
public suspend fun Greenlet<*>.awaitJoin(timeout: Duration? = null): Boolean =
    peer(this, "Greenlet.awaitJoin()").awaitDeath(timeoutNanos(timeout))

/**
 * Kills the greenlet with [exception] and suspends until it is dead, at most [timeout] — the twin of `kill(exception,
 * true, timeout)`. Returns quietly on expiry (the greenlet may live on, GL-32). A greenlet that has not run yet never
 * runs. Killing the calling greenlet itself throws [exception] at once. The kill is delivered before the wait:
 * cancelling the caller while it waits for the death does not take the kill back (the greenlet dies all the same); it
 * only ends the caller's wait, at once.
 *
 * @throws IllegalArgumentException if [timeout] is negative
 */
public suspend fun Greenlet<*>.awaitKill(exception: Throwable = GreenletExit(), timeout: Duration? = null) {
    val nanos = timeoutNanos(timeout)
    val p = peer(this, "Greenlet.awaitKill()") // before the kill: a refused call has no effect
    kill(exception, false, null)
    if (!isDead) p.awaitDeath(nanos)
}

/**
 * A [Deferred] completed with the greenlet's result (`null` after a [GreenletExit]) or failure. Cancelling the Deferred
 * does not kill the greenlet.
 */
public fun <T> Greenlet<T>.asDeferred(): Deferred<T?> = toCompletableFuture().asDeferred()

/**
 * A Kotlin greenlet on [hub] whose result is this Deferred's (it awaits it). Killing the greenlet does not cancel the
 * Deferred.
 */
public fun <T> Deferred<T>.asGreenlet(hub: Hub = Hub.current()): Greenlet<T> {
    val d = this
    return hub.spawnSuspend { d.await() }
}
