package io.gevent4j.kotlin.internal

import io.gevent4j.Greenlet
import java.util.concurrent.CompletableFuture
import java.util.concurrent.ExecutionException
import java.util.concurrent.TimeUnit
import java.util.concurrent.TimeoutException

/**
 * One test run on a virtual-time hub (gevent4j-test's `run`/`runGeventTest`): starts the body's greenlet on the hub
 * (from the hub thread, so the hub cannot look quiescent in between) and waits, in real time and outside gevent4j's
 * waits (so the waiting thread is no outside wake-up source), until the hub has nothing left: no work, no timer, no
 * outside source. Then either no greenlet is alive (the run is over) or some are blocked with nothing that could ever
 * wake them (a deadlock: reported with their names).
 */
internal class VirtualTimeRun<T>(private val hub: HubImpl, private val start: () -> Greenlet<T>) {
    /** Hub-confined until [left] completes. */
    private var body: Greenlet<T>? = null
    /** The greenlets alive when the hub had nothing left (empty: the run ended). */
    private val left = CompletableFuture<List<Greenlet<*>>>()

    /** Runs it; returns the body's value, throws its error, or an [AssertionError] for a deadlock or a timeout. */
    fun run(realTimeoutNanos: Long): T? {
        val vc = hub.virtualClock ?: throw IllegalArgumentException("hub ${hub.name()} is not a virtual-time hub")
        check(!hub.inContext()) { "a virtual-time run must be started from outside its hub \"${hub.name()}\"" }
        // it waits for the run's end: never on another hub's thread (that hub would stall meanwhile)
        Blocking.refuseOnHub(
            "VirtualTimeHub.run()",
            "a test thread (runGeventTest/VirtualTimeHub.runTest are for a test's own thread)",
        )
        vc.onQuiescent = Runnable { quiescent() }
        val stuck: List<Greenlet<*>>
        try {
            hub.execute {
                try {
                    body = start()
                } catch (t: Throwable) {
                    left.completeExceptionally(t)
                }
            }
            stuck =
                try {
                    left.get(realTimeoutNanos, TimeUnit.NANOSECONDS)
                } catch (e: ExecutionException) {
                    throw e.cause!!
                } catch (e: TimeoutException) {
                    throw AssertionError(
                        "the test on virtual-time hub \"${hub.name()}\" did not end within ${realTimeoutNanos / 1_000_000} ms " +
                            "of real time (virtual clock at +${vc.elapsed() / 1_000_000} ms, " +
                            (if (vc.isRunningInRealTime)
                                "running in real time: an outside wake-up source is open: ${vc.why}"
                            else "stopped") +
                            ")"
                    )
                }
        } finally {
            vc.onQuiescent = null
        }
        val b = body!! // written before [left] completed
        val failure = b.exception()
        if (stuck.isNotEmpty()) {
            throw AssertionError(
                "deadlock on virtual-time hub \"${hub.name()}\" at +${vc.elapsed() / 1_000_000} ms: " +
                    "${stuck.joinToString { describe(it, b) }} wait, and nothing is left that could wake them " +
                    "(no work, no timer, no outside wake-up source; see docs/testing.md)",
                failure,
            )
        }
        if (failure != null) throw failure
        return b.value()
    }

    private fun describe(g: Greenlet<*>, body: Greenlet<*>): String =
        if (g === body) "the test body ($g)" else g.toString()

    /**
     * Hub thread: the hub has no work and no timer. With no outside source open, nothing is left: the run is over, or
     * the greenlets still alive are blocked for ever. With one open, the run is over only when no greenlet is alive
     * (what the source delivers then wakes nobody of this run); else it goes on.
     */
    private fun quiescent() {
        if (body == null) return // the start task has not run yet
        val live = hub.liveGreenlets()
        if (hub.virtualClock!!.sourcesOpen && live.isNotEmpty()) return
        left.complete(live.map { it.owner })
    }
}
