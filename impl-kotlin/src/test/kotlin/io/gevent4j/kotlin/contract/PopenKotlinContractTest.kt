package io.gevent4j.kotlin.contract

import io.gevent4j.kotlin.awaitExit
import io.gevent4j.kotlin.testing.SuspendWaitContract
import io.gevent4j.subprocess.Popen
import io.gevent4j.subprocess.TimeoutExpiredException
import kotlin.time.Duration

/** The suspend-twin wait contract for [Popen] (a `cat` that exits when its stdin is closed): `awaitExit(timeout)`. */
class PopenKotlinContractTest : SuspendWaitContract<Popen>() {
    override fun newUnready(): Popen =
        Popen(
            ProcessBuilder("cat")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
        )

    override fun makeReady(w: Popen) = w.stdin()!!.close()

    override fun isReady(w: Popen): Boolean = w.isReady

    override suspend fun awaitReady(w: Popen, timeout: Duration?): Boolean =
        try {
            w.awaitExit(timeout)
            true
        } catch (e: TimeoutExpiredException) {
            false
        }

    override fun blockingWait(w: Popen) {
        w.waitFor()
    }

    override val twinName: String = "awaitExit"

    override fun dispose(w: Popen) = w.kill()
}
