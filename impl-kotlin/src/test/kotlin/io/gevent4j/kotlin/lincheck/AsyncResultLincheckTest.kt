package io.gevent4j.kotlin.lincheck

import io.gevent4j.Timeout
import io.gevent4j.event.AsyncResult
import java.time.Duration
import org.jetbrains.lincheck.datastructures.IntGen
import org.jetbrains.lincheck.datastructures.Operation
import org.jetbrains.lincheck.datastructures.Param

/**
 * Linearizability of AsyncResult's non-blocking entry points from several threads of no hub: set, setException (the
 * last outcome stored wins, gevent's AR-05/AR-06), getNowait, waitFor(0), isReady, isSuccessful.
 */
@Param(name = "value", gen = IntGen::class, conf = "1:3")
class AsyncResultLincheckTest : AbstractLincheckTest() {
    private val ar = AsyncResult<Int>()

    @Operation fun set(@Param(name = "value") v: Int) = ar.set(v)

    @Operation fun setException() = ar.setException(BOOM)

    @Operation
    fun getNowait(): String =
        try {
            "value ${ar.getNowait()}"
        } catch (e: Timeout) {
            "not ready"
        } catch (e: IllegalStateException) {
            if (e === BOOM) "failed" else throw e
        }

    @Operation fun waitForZero(): Int? = ar.waitFor(Duration.ZERO)

    @Operation fun isReady(): Boolean = ar.isReady

    @Operation fun isSuccessful(): Boolean = ar.isSuccessful

    override fun sequentialModel(): Class<*> = AsyncResultModel::class.java

    internal companion object {
        val BOOM = IllegalStateException("the failure set")
    }
}

/** The sequential model of `AsyncResult<Int>()`: the last outcome stored. */
class AsyncResultModel {
    private var ready = false
    private var value: Int? = null
    private var failed = false

    fun set(v: Int) {
        ready = true
        value = v
        failed = false
    }

    fun setException() {
        ready = true
        value = null
        failed = true
    }

    fun getNowait(): String =
        when {
            !ready -> "not ready"
            failed -> "failed"
            else -> "value $value"
        }

    fun waitForZero(): Int? = if (ready && !failed) value else null

    fun isReady(): Boolean = ready

    fun isSuccessful(): Boolean = ready && !failed
}
