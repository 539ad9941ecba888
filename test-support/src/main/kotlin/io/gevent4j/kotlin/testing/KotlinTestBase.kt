package io.gevent4j.kotlin.testing

import io.gevent4j.Greenlet
import io.gevent4j.Hub
import io.gevent4j.kotlin.spawnSuspend
import io.gevent4j.testing.GeventTestBase
import io.gevent4j.testing.Steps
import kotlinx.coroutines.CoroutineScope
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.BeforeEach

/**
 * A fresh hub per test, kotlinx's `expect(n)`/`finish(n)` ordering idiom (the one step counter, [Steps], the Java tests
 * use too), and [runGreenlet], which runs a scenario as a Kotlin greenlet (the role of gevent's main greenlet) and
 * returns its result.
 */
abstract class KotlinTestBase {
    protected lateinit var hub: Hub

    /** The scenario's step counter; [expect] and [finish] are its short forms. */
    protected val steps: Steps = Steps()

    @BeforeEach
    fun createHub() {
        hub = Hub.create("kotlin-test-hub")
    }

    @AfterEach
    fun closeHub() {
        hub.close()
    }

    /** Asserts that this is step [n]. */
    protected fun expect(n: Int) = steps.expect(n)

    /** Asserts that this is the last step, [n]. */
    protected fun finish(n: Int) = steps.finish(n)

    protected fun assertFinished() = steps.assertFinished()

    /** Runs [block] as a Kotlin greenlet on the test hub, waits for it from the test thread, returns its value. */
    protected fun <T> runGreenlet(block: suspend CoroutineScope.() -> T): T {
        val g: Greenlet<T> = hub.spawnSuspend(block)
        @Suppress("UNCHECKED_CAST")
        return GeventTestBase.joined(g) as T
    }

    protected fun since(startNanos: Long): Double = GeventTestBase.since(startNanos)

    protected fun assertWithin(lo: Double, hi: Double, seconds: Double) = GeventTestBase.assertWithin(lo, hi, seconds)

    companion object {
        const val WAIT_TIMEOUT: Double = GeventTestBase.WAIT_TIMEOUT
        const val WAIT_MIN: Double = GeventTestBase.WAIT_MIN
        /** 0.31 s; wider on CI ([GeventTestBase.MAX_ADJ]). */
        @JvmField val WAIT_MAX: Double = GeventTestBase.WAIT_MAX
        const val GET_TIMEOUT: Double = GeventTestBase.GET_TIMEOUT
        const val GET_MIN: Double = GeventTestBase.GET_MIN
        /** "Returns at once" checks: 0.12 s, never widened. */
        const val AT_ONCE_MAX: Double = GeventTestBase.AT_ONCE_MAX
        /** 0.12 s; wider on CI ([GeventTestBase.MAX_ADJ]). */
        @JvmField val GET_MAX: Double = GeventTestBase.GET_MAX
    }
}
