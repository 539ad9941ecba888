package io.gevent4j.kotlin.contract

import io.gevent4j.Timeout
import io.gevent4j.event.AsyncResult
import io.gevent4j.event.Event
import io.gevent4j.kotlin.await
import io.gevent4j.kotlin.testing.SuspendWaitContract
import kotlin.time.Duration

/** The suspend-twin wait contract for [Event]: `await(timeout)`. */
class EventKotlinContractTest : SuspendWaitContract<Event>() {
    override fun newUnready(): Event = Event()

    override fun makeReady(w: Event) = w.set()

    override fun isReady(w: Event): Boolean = w.isReady

    override suspend fun awaitReady(w: Event, timeout: Duration?): Boolean = w.await(timeout)

    override fun blockingWait(w: Event) {
        w.waitFor()
    }

    override val twinName: String = "Event.await()"
}

/** The suspend-twin wait contract for [AsyncResult]: `await(timeout)`, which raises a gevent Timeout on expiry. */
class AsyncResultKotlinContractTest : SuspendWaitContract<AsyncResult<String>>() {
    override fun newUnready(): AsyncResult<String> = AsyncResult()

    override fun makeReady(w: AsyncResult<String>) = w.set("value")

    override fun isReady(w: AsyncResult<String>): Boolean = w.isReady

    override suspend fun awaitReady(w: AsyncResult<String>, timeout: Duration?): Boolean =
        try {
            w.await(timeout) == "value"
        } catch (e: Timeout) {
            if (timeout == null) throw e // an outer Timeout, not the call's own
            false
        }

    override fun blockingWait(w: AsyncResult<String>) {
        w.get()
    }

    override val twinName: String = "AsyncResult.await()"
}
