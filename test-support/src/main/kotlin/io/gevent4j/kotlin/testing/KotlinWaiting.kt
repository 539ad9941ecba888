package io.gevent4j.kotlin.testing

import io.gevent4j.kotlin.sleep
import io.gevent4j.testing.Foreign
import io.gevent4j.testing.Waiting
import java.util.concurrent.locks.LockSupport
import kotlin.test.fail
import kotlin.time.Duration.Companion.milliseconds

private const val LIMIT_NANOS = 10_000_000_000L

/** From a Kotlin greenlet: suspends (1 ms sleeps) until [cond] holds; fails after 10 s. */
suspend fun suspendUntil(what: String, cond: () -> Boolean) {
    val deadline = System.nanoTime() + LIMIT_NANOS
    while (!cond()) {
        if (System.nanoTime() - deadline > 0) fail("gave up waiting for $what")
        sleep(1.milliseconds)
    }
}

/** True while [t] is parked in LockSupport (blocked in a gevent4j call on a thread of no hub). */
fun isParked(t: Thread): Boolean = Waiting.isParked(t)

/** From a Kotlin greenlet: true once [t] is parked inside [className].[method], polled for at most 10 s. */
suspend fun awaitParkedIn(t: Thread, className: String, method: String): Boolean {
    val deadline = System.nanoTime() + LIMIT_NANOS
    while (System.nanoTime() - deadline < 0) {
        if (Waiting.isParkedIn(t, className, method)) return true
        sleep(1.milliseconds)
    }
    return false
}

/** Spins the CPU without suspending until [cond] holds: nothing else of the hub runs meanwhile. */
fun spinUntil(cond: () -> Boolean) = Waiting.spinUntil(cond)

/** Starts [body] on a new foreign thread (a platform thread of no hub) named [name]. */
fun <T> foreign(name: String, body: () -> T): Foreign<T> = Foreign.call(name) { body() }

/** From a Kotlin greenlet: suspends until the foreign thread ended, then returns as [Foreign.value]. */
suspend fun <T> Foreign<T>.awaitValue(): T {
    suspendUntil("${thread.name} to finish") { result.isDone }
    return value()
}

/** From a Kotlin greenlet: suspends until the foreign thread ended, then returns as [Foreign.failure]. */
suspend fun Foreign<*>.awaitFailure(): Throwable {
    suspendUntil("${thread.name} to finish") { result.isDone }
    return failure()
}

/** From a Kotlin greenlet: suspends until the foreign thread is blocked in a gevent4j call. */
suspend fun Foreign<*>.suspendUntilParked() {
    suspendUntil("${thread.name} to block") { isParked(thread) || result.isDone }
    if (result.isDone) fail("${thread.name} ended instead of blocking: $result")
}

/**
 * From a Kotlin greenlet: suspends (1 ms sleeps, at most 10 s) until [t] is parked with a blocker (a gevent4j wait).
 */
suspend fun suspendUntilBlocked(t: Thread) =
    suspendUntil("${'$'}{t.name} to block") { LockSupport.getBlocker(t) != null }
