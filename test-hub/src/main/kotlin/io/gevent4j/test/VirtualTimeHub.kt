package io.gevent4j.test

import io.gevent4j.GreenCallable
import io.gevent4j.Hub
import io.gevent4j.kotlin.internal.TestHubHook
import java.time.Duration
import java.util.concurrent.atomic.AtomicInteger

/**
 * A hub on **virtual time**, for tests (kotlinx-coroutines-test's `runTest` for gevent4j; docs/testing.md).
 *
 * Its clock stands still while the hub runs and jumps to the next timer as soon as the hub is **idle**: nothing to run
 * and no wake-up that can come from outside the hub. So `sleep`, `Timeout`, timed `join`/`get`/`waitFor`/`Queue.get`,
 * `startLater`, Kotlin's `sleep`, and kotlinx `delay`/`withTimeout` in Kotlin greenlets take no real time, fire in the
 * same order as on a real hub, and end at exact virtual times (a 0.2 s timeout ends at exactly +200 ms).
 *
 * While a wake-up can come from outside, the clock runs in real time: a greenlet waits on a socket, a thread-pool task
 * (`Hub.threadpool()`, a `ThreadPool` of this hub, a name lookup) is unfinished, a child process started here has not
 * been reaped, a thread of no hub is blocked in a gevent4j wait, a Java greenlet is parked by the JDK (`Thread.sleep`,
 * a JDK socket, in SCHEDULED_ON_HUB), or a [holdRealTime] handle is open. What it cannot see (a plain thread that sets
 * an `AsyncResult` or puts into a queue without waiting in gevent4j first, a Kotlin greenlet suspended in a coroutine
 * of another dispatcher) is the test's to cover with [holdRealTime].
 *
 * Made with [open]; [run] runs a test body in a Java greenlet on it and waits until the hub has nothing left; [runTest]
 * does both and closes the hub. Safe from any thread unless a method says otherwise.
 */
public class VirtualTimeHub private constructor(private val hub: Hub) : AutoCloseable {

    /** The hub itself: spawn on it, make `ThreadPool`s on it, use it as a coroutine dispatcher. */
    public fun hub(): Hub = hub

    /**
     * The virtual time since the hub was made (it starts at zero). Exact when read in the hub's context (in a greenlet
     * of it); from another thread, the time of the hub's last step.
     */
    public fun elapsed(): Duration = Duration.ofNanos(elapsedNanos())

    /** [elapsed] in nanoseconds. */
    public fun elapsedNanos(): Long = TestHubHook.elapsedNanos(hub)

    /** Whether the clock runs in real time now: an outside wake-up source was open when the hub last went idle. */
    public fun isRunningInRealTime(): Boolean = TestHubHook.isRunningInRealTime(hub)

    /**
     * Moves the clock forward by [amount] at once, as if the hub had been held that long: timers that become due run at
     * its next step, in deadline order, all seeing the new time. In the hub's context it returns at once (the timers
     * run when the caller next yields); from another thread it waits (in real time) until the hub has moved its clock.
     *
     * @throws IllegalArgumentException when [amount] is negative
     * @throws IllegalStateException from another thread when the hub is closed
     */
    public fun advance(amount: Duration) {
        require(!amount.isNegative) { "amount must not be negative: $amount" }
        TestHubHook.advance(hub, amount.toNanos())
    }

    /**
     * Keeps the clock in real time until the handle is closed: for wake-ups the hub cannot see (a plain thread that
     * will set an `AsyncResult`). Closing twice does nothing.
     */
    public fun holdRealTime(): RealTimeHold {
        val release = TestHubHook.holdRealTime(hub)
        return RealTimeHold { release.run() }
    }

    /** [run] with a real-time limit of [DEFAULT_TIMEOUT]. */
    @Throws(Exception::class) public fun <T> run(body: GreenCallable<T>): T? = run(DEFAULT_TIMEOUT, body)

    /**
     * Runs [body] in a new Java greenlet of this hub and blocks the calling thread (in real time, outside gevent4j's
     * waits, so it is no outside wake-up source) until the hub has nothing left: no greenlet alive, nothing to run, no
     * timer. Greenlets the body spawned are waited for too. Call it from a thread of no hub (the test's thread).
     *
     * @return the body's value
     * @throws Exception the body's exception (unwrapped), when it failed
     * @throws AssertionError when greenlets are left blocked with nothing that could wake them (a deadlock: names them,
     *   the body's failure as cause), or when it did not end within [realTimeout] of real time
     * @throws IllegalArgumentException when [realTimeout] is not positive
     * @throws IllegalStateException when called in this hub's context, or when the hub is closed
     */
    @Throws(Exception::class)
    public fun <T> run(realTimeout: Duration, body: GreenCallable<T>): T? {
        require(realTimeout.toNanos() > 0) { "realTimeout must be positive: $realTimeout" }
        return TestHubHook.runJava(hub, realTimeout.toNanos(), body)
    }

    /** Closes the hub: kills its live greenlets (`GreenletExit`) and stops its thread. Idempotent. */
    override fun close() {
        hub.close()
    }

    override fun toString(): String = "VirtualTimeHub(${hub.name()}, +${elapsed().toMillis()} ms)"

    /** A test body for [runTest]: blocking code, run in a Java greenlet of the hub. */
    public fun interface TestBody {
        /** The test; [hub] is the virtual-time hub it runs on. */
        @Throws(Exception::class) public fun run(hub: VirtualTimeHub)
    }

    public companion object {
        /** The real-time limit of [run] and [runTest] unless given: 60 s, as kotlinx-coroutines-test's. */
        @JvmField public val DEFAULT_TIMEOUT: Duration = Duration.ofSeconds(60)

        private val seq = AtomicInteger()

        /** A new virtual-time hub named `gevent4j-test-hub-N`. */
        @JvmStatic public fun open(): VirtualTimeHub = open("gevent4j-test-hub-${seq.incrementAndGet()}")

        /** A new virtual-time hub with its own thread named [name]. */
        @JvmStatic public fun open(name: String): VirtualTimeHub = VirtualTimeHub(TestHubHook.newVirtualHub(name))

        /**
         * Opens a hub, runs [body] in a Java greenlet of it as [run] does, and closes the hub (also when the body
         * failed).
         *
         * @throws Exception what [run] throws
         */
        @JvmStatic
        @Throws(Exception::class)
        public fun runTest(body: TestBody) {
            runTest(DEFAULT_TIMEOUT, body)
        }

        /** [runTest] with a real-time limit of [realTimeout]. */
        @JvmStatic
        @Throws(Exception::class)
        public fun runTest(realTimeout: Duration, body: TestBody) {
            open().use { h -> h.run(realTimeout) { body.run(h) } }
        }
    }
}

/** A handle of [VirtualTimeHub.holdRealTime]: the clock runs in real time until it is closed. */
public fun interface RealTimeHold : AutoCloseable {
    /** Releases the hold; a second call does nothing. Throws nothing. */
    override fun close()
}
