package io.gevent4j.kotlin.test

import io.gevent4j.Hub
import io.gevent4j.kotlin.internal.TestHubHook
import io.gevent4j.kotlin.spawnSuspend
import io.gevent4j.test.RealTimeHold
import io.gevent4j.test.VirtualTimeHub
import kotlin.time.Duration
import kotlin.time.Duration.Companion.nanoseconds
import kotlin.time.Duration.Companion.seconds
import kotlin.time.toJavaDuration
import kotlinx.coroutines.CoroutineScope

/** The receiver of a [runGeventTest] body: a [CoroutineScope] of the body's Kotlin greenlet, plus the virtual clock. */
public class GeventTestScope
internal constructor(
    /** The virtual-time hub the test runs on. */
    public val testHub: VirtualTimeHub,
    scope: CoroutineScope,
) : CoroutineScope by scope {
    /** The hub (spawn on it, use it as a dispatcher). */
    public val hub: Hub
        get() = testHub.hub()

    /** The virtual time since the hub was made; exact here, in the hub's context. */
    public val currentTime: Duration
        get() = TestHubHook.elapsedNanos(testHub.hub()).nanoseconds

    /**
     * Moves the clock forward by [amount] at once, as if the hub had been held that long: timers that become due run
     * when this greenlet next suspends, in deadline order, all seeing the new time.
     *
     * @throws IllegalArgumentException when [amount] is negative
     */
    public fun advanceTimeBy(amount: Duration) {
        require(!amount.isNegative()) { "amount must not be negative: $amount" }
        testHub.advance(amount.toJavaDuration())
    }

    /** Keeps the clock in real time until the handle is closed ([VirtualTimeHub.holdRealTime]). */
    public fun holdRealTime(): RealTimeHold = testHub.holdRealTime()
}

/**
 * kotlinx-coroutines-test's `runTest` for gevent4j: opens a virtual-time hub ([VirtualTimeHub]), runs [body] in a
 * Kotlin greenlet of it, blocks the calling thread until the hub has nothing left (the greenlets the body spawned
 * included), and closes the hub. `sleep`, `delay`, `withTimeout`, `Timeout` and every timed wait take no real time
 * unless an outside wake-up source is open (docs/testing.md).
 *
 * Call it from a thread of no hub (a test method). Cancelling: the body is cancelled only by the hub's close (when the
 * run ends in a deadlock or a timeout).
 *
 * @param timeout the real-time limit (default 60 s)
 * @throws Throwable the body's failure, unwrapped
 * @throws AssertionError when greenlets are left blocked with nothing that could wake them (a deadlock), or after
 *   [timeout] of real time
 */
public fun runGeventTest(timeout: Duration = 60.seconds, body: suspend GeventTestScope.() -> Unit) {
    require(timeout.isPositive()) { "timeout must be positive: $timeout" }
    VirtualTimeHub.open().use { h ->
        TestHubHook.run(h.hub(), timeout.inWholeNanoseconds) {
            h.hub().spawnSuspend { GeventTestScope(h, this).body() }
        }
    }
}
