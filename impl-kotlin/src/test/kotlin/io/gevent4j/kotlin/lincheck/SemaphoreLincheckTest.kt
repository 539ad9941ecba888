package io.gevent4j.kotlin.lincheck

import io.gevent4j.lock.BoundedSemaphore
import io.gevent4j.lock.Semaphore
import java.time.Duration
import org.jetbrains.lincheck.datastructures.Operation

/**
 * Linearizability of Semaphore's non-blocking entry points from several threads of no hub: tryAcquire, acquire(0),
 * release (which returns the new counter, SEM-03), counter, isLocked, waitFor(0).
 */
class SemaphoreLincheckTest : AbstractLincheckTest() {
    private val s = Semaphore(1)

    @Operation fun tryAcquire(): Boolean = s.tryAcquire()

    @Operation fun acquireZero(): Boolean = s.acquire(Duration.ZERO)

    @Operation fun release(): Int = s.release()

    @Operation fun counter(): Int = s.counter()

    @Operation fun isLocked(): Boolean = s.isLocked

    @Operation fun waitForZero(): Boolean = s.waitFor(Duration.ZERO)

    override fun sequentialModel(): Class<*> = SemaphoreModel::class.java
}

/** The sequential model of `Semaphore(1)`. */
class SemaphoreModel {
    private var count = 1

    fun tryAcquire(): Boolean =
        if (count > 0) {
            count--
            true
        } else {
            false
        }

    fun acquireZero(): Boolean = tryAcquire()

    fun release(): Int = ++count

    fun counter(): Int = count

    fun isLocked(): Boolean = count == 0

    fun waitForZero(): Boolean = count > 0
}

/**
 * The same for `BoundedSemaphore(2)`: a release past the initial value is refused with IllegalStateException and
 * changes nothing (SEM-04).
 */
class BoundedSemaphoreLincheckTest : AbstractLincheckTest() {
    private val s = BoundedSemaphore(2)

    @Operation fun tryAcquire(): Boolean = s.tryAcquire()

    @Operation
    fun release(): String =
        try {
            "counter ${s.release()}"
        } catch (e: IllegalStateException) {
            "released too many times"
        }

    @Operation fun counter(): Int = s.counter()

    override fun sequentialModel(): Class<*> = BoundedSemaphoreModel::class.java
}

/** The sequential model of `BoundedSemaphore(2)`. */
class BoundedSemaphoreModel {
    private var count = 2

    fun tryAcquire(): Boolean =
        if (count > 0) {
            count--
            true
        } else {
            false
        }

    fun release(): String = if (count >= 2) "released too many times" else "counter ${++count}"

    fun counter(): Int = count
}
