package io.gevent4j.kotlin.contract

import io.gevent4j.Greenlet
import io.gevent4j.event.Event
import io.gevent4j.kotlin.await
import io.gevent4j.kotlin.awaitJoin
import io.gevent4j.kotlin.spawnSuspend
import io.gevent4j.kotlin.testing.SuspendWaitContract
import java.util.concurrent.ConcurrentHashMap
import kotlin.time.Duration

/** The suspend-twin wait contract for [Greenlet] (a Kotlin greenlet waiting on a gate): `awaitJoin(timeout)`. */
class GreenletKotlinContractTest : SuspendWaitContract<Greenlet<Boolean>>() {
    private val gates = ConcurrentHashMap<Greenlet<Boolean>, Event>()

    override fun newUnready(): Greenlet<Boolean> {
        val gate = Event()
        val g = hub.spawnSuspend { gate.await() }
        gates[g] = gate
        return g
    }

    override fun makeReady(w: Greenlet<Boolean>) = gates.getValue(w).set()

    override fun isReady(w: Greenlet<Boolean>): Boolean = w.isReady

    override suspend fun awaitReady(w: Greenlet<Boolean>, timeout: Duration?): Boolean = w.awaitJoin(timeout)

    override fun blockingWait(w: Greenlet<Boolean>) {
        w.join()
    }

    override val twinName: String = "awaitJoin"

    override fun dispose(w: Greenlet<Boolean>) {
        gates.remove(w)?.set()
    }
}
