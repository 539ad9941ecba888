package io.gevent4j.kotlin.lincheck

import io.gevent4j.lock.RLock
import java.time.Duration
import org.jetbrains.lincheck.datastructures.Operation
import org.jetbrains.lincheck.datastructures.Param
import org.jetbrains.lincheck.datastructures.ThreadIdGen

/**
 * Linearizability of RLock from several threads of no hub (each thread is an owner): tryAcquire and acquire(0)
 * (re-entrant for the owner), release (refused with IllegalMonitorStateException for a thread that does not own it),
 * isOwned. The model knows the calling thread through Lincheck's thread id parameter.
 */
@Param(name = "thread", gen = ThreadIdGen::class)
class RLockLincheckTest : AbstractLincheckTest() {
    private val r = RLock()

    @Operation fun tryAcquire(@Param(name = "thread") t: Int): Boolean = r.tryAcquire()

    @Operation fun acquireZero(@Param(name = "thread") t: Int): Boolean = r.acquire(Duration.ZERO)

    @Operation
    fun release(@Param(name = "thread") t: Int): String =
        try {
            r.release()
            "released"
        } catch (e: IllegalMonitorStateException) {
            "refused"
        }

    @Operation fun isOwned(@Param(name = "thread") t: Int): Boolean = r.isOwned

    // the model owns by Lincheck's thread id; the parts before and after run on its main thread
    override val actorsBeforeAndAfter: Int = 0

    override fun sequentialModel(): Class<*> = RLockModel::class.java
}

/** The sequential model of `RLock()`: an owner and a count. */
class RLockModel {
    private var owner = -1
    private var count = 0

    fun tryAcquire(t: Int): Boolean =
        if (owner == -1 || owner == t) {
            owner = t
            count++
            true
        } else {
            false
        }

    fun acquireZero(t: Int): Boolean = tryAcquire(t)

    fun release(t: Int): String =
        if (owner != t) {
            "refused"
        } else {
            if (--count == 0) owner = -1
            "released"
        }

    fun isOwned(t: Int): Boolean = owner == t
}
