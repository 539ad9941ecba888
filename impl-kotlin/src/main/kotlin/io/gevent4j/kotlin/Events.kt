@file:JvmMultifileClass
@file:JvmName("GeventCoroutines")

package io.gevent4j.kotlin

import io.gevent4j.event.Event
import io.gevent4j.kotlin.internal.EventCore
import io.gevent4j.spi.Internals
import kotlin.time.Duration

/**
 * Suspends until the event is set — the twin of [Event.waitFor]. Waiters wake in the order they started
 * waiting; one woken by `set()` returns true even if the event was cleared before it ran (EV-04).
 *
 * @param timeout at most this long; `null` waits for ever
 * @return true when set, false on timeout
 * @throws IllegalArgumentException if [timeout] is negative
 */
public suspend fun Event.await(timeout: Duration? = null): Boolean {
    val core = Internals.peer(this) as EventCore
    return core.awaitReadySuspend(timeoutNanos(timeout))
}
