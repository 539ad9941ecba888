@file:JvmMultifileClass
@file:JvmName("GeventCoroutines")

package io.gevent4j.kotlin

import io.gevent4j.Hub
import io.gevent4j.Timeout
import io.gevent4j.kotlin.internal.Blocking
import io.gevent4j.kotlin.internal.HubImpl
import io.gevent4j.kotlin.internal.KotlinGeventProvider
import io.gevent4j.kotlin.internal.KotlinGreenletCore
import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.yield
import kotlin.coroutines.coroutineContext
import kotlin.time.Duration
import kotlin.time.toJavaDuration

/**
 * gevent's `sleep(0)`: yields once, behind every greenlet that is runnable already. A kill or Timeout of
 * the calling greenlet that arrived meanwhile is raised here.
 */
public suspend fun sleep() {
    val core = coroutineContext[KotlinGreenletCore]
    core?.raisePending()
    yield()
    core?.raisePending()
}

/**
 * Suspends at least [duration] (measured from the call, SCH-10). Zero or negative is [sleep] with no argument
 * (SCH-09). A [Timeout] of the calling greenlet is raised here when it expires first.
 */
public suspend fun sleep(duration: Duration) {
    if (!duration.isPositive()) return sleep()
    Blocking.awaitSuspend(null, timeoutNanos(duration, "duration")) { null }
}

/** [sleep] in seconds. */
public suspend fun sleep(seconds: Double) {
    require(!seconds.isNaN()) { "seconds must be a number: $seconds" }
    if (seconds <= 0) return sleep()
    Blocking.awaitSuspend(null, (seconds * 1e9).toLong()) { null }
}

/** gevent's `idle()`: suspends until the hub has nothing else to run (SCH-11). */
public suspend fun idle() {
    val core = coroutineContext[KotlinGreenletCore]
    val hub = core?.hub ?: KotlinGeventProvider.defaultHubImpl()
    Blocking.awaitSuspend(hub, -1) { w ->
        hub.addIdler(w)
        Runnable { hub.removeIdler(w) }
    }
}

/**
 * gevent's `with_timeout` for Kotlin greenlets: runs [block]; when [timeout] expires first, an
 * [io.gevent4j.Timeout] is raised at the greenlet's next suspension in a gevent4j function and thrown from
 * here. (kotlinx's `withTimeout` works too; it cancels instead.)
 *
 * @throws IllegalStateException outside a Kotlin greenlet
 */
public suspend fun <T> withGeventTimeout(timeout: Duration, block: suspend () -> T): T {
    require(!timeout.isNegative()) { "timeout must not be negative: $timeout" }
    checkNotNull(coroutineContext[KotlinGreenletCore]) { "withGeventTimeout needs a Kotlin greenlet (spawn { })" }
    val t = Timeout(timeout.toJavaDuration()).start()
    try {
        return block()
    } finally {
        t.cancel()
    }
}

/** Like [withGeventTimeout], but returns [timeoutValue] when that very timeout expires (TO-19). */
public suspend fun <T> withGeventTimeout(timeout: Duration, timeoutValue: T, block: suspend () -> T): T {
    require(!timeout.isNegative()) { "timeout must not be negative: $timeout" }
    checkNotNull(coroutineContext[KotlinGreenletCore]) { "withGeventTimeout needs a Kotlin greenlet (spawn { })" }
    val t = Timeout(timeout.toJavaDuration()).start()
    try {
        return block()
    } catch (e: Timeout) {
        if (e === t) return timeoutValue
        throw e
    } finally {
        t.cancel()
    }
}

/** The hub as a kotlinx dispatcher (with `delay` on the hub's timers); coroutines on it share the hub's FIFO queue. */
public fun Hub.asCoroutineDispatcher(): CoroutineDispatcher = this as HubImpl
