package io.gevent4j.kotlin.contract

import io.gevent4j.kotlin.awaitReady
import io.gevent4j.kotlin.testing.SuspendWaitContract
import io.gevent4j.lock.Semaphore
import kotlin.time.Duration

/** The suspend-twin wait contract for [Semaphore]: `awaitReady(timeout)` (takes no permit). */
class SemaphoreKotlinContractTest : SuspendWaitContract<Semaphore>() {
    override fun newUnready(): Semaphore = Semaphore(0)

    override fun makeReady(w: Semaphore) {
        w.release()
    }

    override fun isReady(w: Semaphore): Boolean = w.isReady

    override suspend fun awaitReady(w: Semaphore, timeout: Duration?): Boolean = w.awaitReady(timeout)

    override fun blockingWait(w: Semaphore) {
        w.waitFor()
    }

    override val twinName: String = "awaitReady"
}
