package io.gevent4j.kotlin.internal

import io.gevent4j.GreenCallable
import io.gevent4j.Greenlet
import io.gevent4j.Hub
import java.util.concurrent.CountDownLatch
import java.util.concurrent.atomic.AtomicBoolean

/**
 * **Not for users.** The bridge between this implementation and the `gevent4j-test` artifact, whose classes
 * (`io.gevent4j.test.VirtualTimeHub`, `io.gevent4j.kotlin.test.runGeventTest`) are the public face of virtual time
 * (docs/testing.md). It is public only because Kotlin's `internal` does not cross Maven modules; it may change in any
 * release without notice. Every function throws [IllegalArgumentException] for a hub that is not a virtual-time one.
 */
public object TestHubHook {
    private fun clock(hub: Hub): VirtualClock =
        (hub as? HubImpl)?.virtualClock ?: throw IllegalArgumentException("hub $hub is not a virtual-time hub")

    /** A new hub (its own thread, as `Hub.create`) whose timers run on a virtual clock starting at 0. */
    @JvmStatic
    public fun newVirtualHub(name: String): Hub = HubImpl(name, { VirtualClock(it) }) { CarrierSupport.carrierFor(it) }

    /** Whether [hub] runs on virtual time. */
    @JvmStatic public fun isVirtual(hub: Hub): Boolean = (hub as? HubImpl)?.virtualClock != null

    /** Virtual nanoseconds since [hub] was made; exact in the hub's context, the value of its last step elsewhere. */
    @JvmStatic public fun elapsedNanos(hub: Hub): Long = clock(hub).elapsed()

    /** Whether the clock runs in real time now (an outside wake-up source was open when the hub last went idle). */
    @JvmStatic public fun isRunningInRealTime(hub: Hub): Boolean = clock(hub).isRunningInRealTime

    /**
     * Moves the clock of [hub] forward by [nanos] (>= 0) at once: in the hub's context right away, from elsewhere by a
     * task on the hub, which this call waits for (in real time, outside gevent4j's waits). Timers that become due run
     * at the hub's next step, in deadline order, all seeing the new time (as after a stall of the hub).
     */
    @JvmStatic
    public fun advance(hub: Hub, nanos: Long) {
        require(nanos >= 0) { "nanos must be >= 0: $nanos" }
        val vc = clock(hub)
        val h = hub as HubImpl
        if (h.inContext()) {
            vc.advance(nanos)
            return
        }
        h.checkOpen()
        // it waits for the hub to apply it: never on another hub's thread (that hub would stall)
        Blocking.refuseOnHub("VirtualTimeHub.advance()", "GeventTestScope.advanceTimeBy() inside the test's own hub")
        val done = CountDownLatch(1)
        h.execute {
            try {
                vc.advance(nanos)
            } finally {
                done.countDown()
            }
        }
        done.await()
    }

    /** Keeps [hub] on real time until the returned handle is closed (idempotent; close throws nothing). */
    @JvmStatic
    public fun holdRealTime(hub: Hub): Runnable {
        val vc = clock(hub)
        vc.raise()
        val closed = AtomicBoolean()
        return Runnable { if (closed.compareAndSet(false, true)) vc.lower() }
    }

    /**
     * Starts [start]'s greenlet from the hub thread of [hub] and waits until the hub has nothing left; returns the body
     * greenlet's value or throws its error; [AssertionError] when greenlets are left blocked with nothing to wake them,
     * or after [realTimeoutNanos] of real time. Call from outside the hub.
     */
    @JvmStatic
    public fun <T> run(hub: Hub, realTimeoutNanos: Long, start: () -> Greenlet<T>): T? {
        require(realTimeoutNanos > 0) { "realTimeoutNanos must be > 0: $realTimeoutNanos" }
        clock(hub)
        return VirtualTimeRun(hub as HubImpl, start).run(realTimeoutNanos)
    }

    /** [run] with a Java greenlet running [body]. */
    @JvmStatic
    public fun <T> runJava(hub: Hub, realTimeoutNanos: Long, body: GreenCallable<T>): T? =
        run(hub, realTimeoutNanos) { hub.spawn(body) }
}
