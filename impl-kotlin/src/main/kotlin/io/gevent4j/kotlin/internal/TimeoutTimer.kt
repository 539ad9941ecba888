package io.gevent4j.kotlin.internal

import io.gevent4j.spi.TimeoutHandle
import java.util.concurrent.atomic.AtomicInteger

/**
 * A started Timeout: a timer on the owner's hub that raises [toRaise] in [context] (the greenlet or thread that started
 * it) when it fires. PENDING -> FIRED | CANCELLED, once.
 */
internal class TimeoutTimer(private val context: WaitContext, private val toRaise: Throwable, nanos: Long) :
    TimeoutHandle, Runnable {
    private val state = AtomicInteger(PENDING)
    private val hub = context.timerHub
    private val timer: Timer = hub.schedule(nanos, this)

    override fun run() {
        if (state.compareAndSet(PENDING, FIRED)) context.throwIn(toRaise)
    }

    override fun cancel() {
        if (state.compareAndSet(PENDING, CANCELLED)) hub.cancelTimer(timer)
    }

    override fun isPending(): Boolean = state.get() == PENDING

    private companion object {
        const val PENDING = 0
        const val FIRED = 1
        const val CANCELLED = 2
    }
}
