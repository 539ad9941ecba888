package io.gevent4j.kotlin.internal

import io.gevent4j.event.Event
import io.gevent4j.kotlin.spi.SuspendEventPeer
import io.gevent4j.spi.EventPeer

/** gevent's `Event` (spec section 4): a flag on a [Linkable]; [set] wakes every waiter, FIFO (EV-03). */
internal class EventCore(owner: Event) : Linkable(owner), EventPeer, SuspendEventPeer {
    @Volatile private var flag = false

    override val ready: Boolean
        get() = flag

    override fun set() {
        val batch = lock.locked { takeLinks().also { flag = true } }
        fire(batch)
    }

    override fun clear() {
        lock.locked { flag = false }
    }

    override fun isSet(): Boolean = flag

    override fun waitFor(timeoutNanos: Long): Boolean = awaitReady("Event.waitFor()", "Event.await()", timeoutNanos)

    override suspend fun awaitSet(timeoutNanos: Long): Boolean = awaitReadySuspend(timeoutNanos)
}
