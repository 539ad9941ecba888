@file:JvmMultifileClass
@file:JvmName("GeventCoroutines")

package io.gevent4j.kotlin

import io.gevent4j.Hub
import io.gevent4j.Timeout
import io.gevent4j.kotlin.internal.SuspendAccess
import kotlin.coroutines.coroutineContext
import kotlin.time.Duration
import kotlin.time.toJavaDuration
import kotlinx.coroutines.CoroutineDispatcher

/**
 * gevent's `sleep(0)`: yields once, behind every greenlet that is runnable already. A kill or Timeout of the calling
 * greenlet that arrived meanwhile is raised here. Cancelling the caller (a kill, a Timeout, a cancelled coroutine) ends
 * it at once with that cancellation.
 *
 * @throws IllegalStateException when the gevent4j provider in use has no suspend side (see `io.gevent4j.kotlin.spi`)
 */
public suspend fun sleep(): Unit = SuspendAccess.provider("sleep()").suspendSleep(0)

/**
 * Suspends at least [duration] (measured from the call, SCH-10). Zero or negative is [sleep] with no argument (SCH-09).
 * A [Timeout] of the calling greenlet is raised here when it expires first. Cancelling the caller ends the sleep at
 * once and disarms its timer.
 */
public suspend fun sleep(duration: Duration) {
    if (!duration.isPositive()) return sleep()
    return SuspendAccess.provider("sleep(duration)").suspendSleep(timeoutNanos(duration, "duration"))
}

/** [sleep] in seconds; `NaN` is an [IllegalArgumentException]. */
public suspend fun sleep(seconds: Double) {
    require(!seconds.isNaN()) { "seconds must be a number: $seconds" }
    if (seconds <= 0) return sleep()
    return SuspendAccess.provider("sleep(seconds)").suspendSleep((seconds * 1e9).toLong())
}

/**
 * gevent's `idle()`: suspends until the hub has nothing else to run (SCH-11). Cancelling the caller ends the wait at
 * once and removes it from the hub's idle waiters.
 */
public suspend fun idle(): Unit = SuspendAccess.provider("idle()").suspendIdle()

/**
 * gevent's `with_timeout` for Kotlin greenlets: runs [block]; when [timeout] expires first, an [io.gevent4j.Timeout] is
 * raised at the greenlet's next suspension in a gevent4j function and thrown from here. (kotlinx's `withTimeout` works
 * too; it cancels instead.) When [block] ends otherwise (it returns, throws, or the caller is cancelled), the timeout
 * is cancelled and never fires.
 *
 * @throws IllegalStateException outside a Kotlin greenlet
 */
public suspend fun <T> withGeventTimeout(timeout: Duration, block: suspend () -> T): T {
    require(!timeout.isNegative()) { "timeout must not be negative: $timeout" }
    checkInKotlinGreenlet()
    val t = Timeout(timeout.toJavaDuration()).start()
    try {
        return block()
    } finally {
        t.cancel()
    }
}

/**
 * Like [withGeventTimeout], but returns [timeoutValue] when that very timeout expires (TO-19). Cancelling the caller
 * cancels the timeout, as the other form does.
 */
public suspend fun <T> withGeventTimeout(timeout: Duration, timeoutValue: T, block: suspend () -> T): T {
    require(!timeout.isNegative()) { "timeout must not be negative: $timeout" }
    checkInKotlinGreenlet()
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

private suspend fun checkInKotlinGreenlet() {
    checkNotNull(SuspendAccess.provider("withGeventTimeout()").kotlinGreenlet(coroutineContext)) {
        "withGeventTimeout needs a Kotlin greenlet (spawn { })"
    }
}

/**
 * The hub as a kotlinx dispatcher (with `delay` on the hub's timers); coroutines on it share the hub's FIFO queue. They
 * are plain coroutines, not greenlets: cancelling one is kotlinx's business and no gevent4j kill reaches it.
 *
 * @throws IllegalArgumentException for a hub of another provider
 */
public fun Hub.asCoroutineDispatcher(): CoroutineDispatcher =
    SuspendAccess.provider("Hub.asCoroutineDispatcher()").dispatcher(this)
