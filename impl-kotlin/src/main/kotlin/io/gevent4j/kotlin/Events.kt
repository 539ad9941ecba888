@file:JvmMultifileClass
@file:JvmName("GeventCoroutines")

package io.gevent4j.kotlin

import io.gevent4j.event.Event
import io.gevent4j.kotlin.internal.SuspendAccess
import io.gevent4j.kotlin.spi.SuspendEventPeer
import kotlin.time.Duration

/**
 * Suspends until the event is set — the twin of [Event.waitFor]. Waiters wake in the order they started waiting; one
 * woken by `set()` returns true even if the event was cleared before it ran (EV-04). Cancelling the caller (a kill of
 * its greenlet, a Timeout, a cancelled coroutine) ends the wait at once and unlinks it; the event is unaffected.
 *
 * @param timeout at most this long; `null` waits for ever
 * @return true when set, false on timeout
 * @throws IllegalArgumentException if [timeout] is negative
 * @throws IllegalStateException when the event's provider has no suspend form ([SuspendEventPeer])
 */
public suspend fun Event.await(timeout: Duration? = null): Boolean =
    SuspendAccess.peer<SuspendEventPeer>(this, "Event.await()").awaitSet(timeoutNanos(timeout))
