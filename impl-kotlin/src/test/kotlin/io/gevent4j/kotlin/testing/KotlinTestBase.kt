package io.gevent4j.kotlin.testing

import io.gevent4j.Greenlet
import io.gevent4j.Hub
import io.gevent4j.kotlin.spawnSuspend
import kotlinx.coroutines.CoroutineScope
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.BeforeEach
import java.time.Duration
import java.util.concurrent.atomic.AtomicInteger
import kotlin.test.assertEquals
import kotlin.test.assertTrue

/**
 * A fresh hub per test, kotlinx's `expect(n)`/`finish(n)` ordering idiom, and [runGreenlet], which runs a
 * scenario as a Kotlin greenlet (the role of gevent's main greenlet) and returns its result.
 */
abstract class KotlinTestBase {
    protected lateinit var hub: Hub
    private val step = AtomicInteger()
    @Volatile private var finished = false

    @BeforeEach
    fun createHub() {
        hub = Hub.create("kotlin-test-hub")
    }

    @AfterEach
    fun closeHub() {
        hub.close()
    }

    /** Asserts that this is step [n]. */
    protected fun expect(n: Int) {
        val prev = step.getAndIncrement()
        assertEquals(n, prev + 1, "step $n ran after step $prev")
    }

    /** Asserts that this is the last step, [n]. */
    protected fun finish(n: Int) {
        expect(n)
        finished = true
    }

    protected fun assertFinished() {
        assertTrue(finished, "the scenario did not reach finish(); last step ${step.get()}")
    }

    /** Runs [block] as a Kotlin greenlet on the test hub, waits for it from the test thread, returns its value. */
    protected fun <T> runGreenlet(block: suspend CoroutineScope.() -> T): T {
        val g: Greenlet<T> = hub.spawnSuspend(block)
        assertTrue(g.join(Duration.ofSeconds(30)), "scenario greenlet did not finish in 30 s")
        @Suppress("UNCHECKED_CAST")
        return g.get() as T
    }

    protected fun since(startNanos: Long): Double = (System.nanoTime() - startNanos) / 1e9

    protected fun assertWithin(lo: Double, hi: Double, seconds: Double) {
        assertTrue(seconds in lo..hi, "elapsed $seconds s, expected within [$lo, $hi]")
    }

    companion object {
        const val WAIT_TIMEOUT: Double = 0.2
        const val WAIT_MIN: Double = 0.1
        const val WAIT_MAX: Double = 0.31
        const val GET_TIMEOUT: Double = 0.01
        const val GET_MIN: Double = 0.009
        const val GET_MAX: Double = 0.12
    }
}
