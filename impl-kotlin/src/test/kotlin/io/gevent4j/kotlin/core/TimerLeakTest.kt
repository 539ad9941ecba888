package io.gevent4j.kotlin.core

import io.gevent4j.Greenlet
import io.gevent4j.GreenletExit
import io.gevent4j.Hub
import io.gevent4j.Timeout
import io.gevent4j.kotlin.internal.HubImpl
import io.gevent4j.kotlin.spawnSuspend
import java.time.Duration
import java.util.concurrent.CompletableFuture
import java.util.concurrent.TimeUnit
import kotlin.test.assertEquals
import kotlin.test.assertTrue
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Job
import kotlinx.coroutines.delay
import kotlinx.coroutines.launch
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Test

/**
 * Issue 9, defect 1: a cancelled timer leaves its hub's timer heap whoever cancels it and whoever armed it, without
 * waiting for its deadline. Each scenario arms [N] timers due in a minute, makes sure the hub has placed them (the
 * count of armed entries shows them), cancels them, and counts again once the hub has run what was queued before the
 * count: no entry is left. Before the fix, a timer armed or cancelled outside its hub stayed in the heap until its
 * deadline (a cancel there only set a flag).
 *
 * The counts are read by a task queued on the hub after the cancels: the hub runs its queue in FIFO order, so whatever
 * a cancel queued has run by then.
 */
class TimerLeakTest {
    private val a = Hub.create("timer-leak-a") as HubImpl
    private val b = Hub.create("timer-leak-b")

    @AfterEach
    fun close() {
        a.close()
        b.close()
    }

    /** The entries in [hub]'s timer heap, read on the hub after everything queued before this call. */
    private fun armedOn(hub: HubImpl): Int {
        val f = CompletableFuture<Int>()
        hub.execute { f.complete(hub.armedTimerCount()) }
        return f.get(10, TimeUnit.SECONDS)
    }

    /** The default hub (shared with other tests): no more entries than [before] (earlier tests' timers may fire). */
    private fun assertNoneLeft(hub: HubImpl, before: Int) {
        val left = armedOn(hub) - before
        assertTrue(left <= 0, "$left cancelled timers left in the heap")
    }

    private fun defaultHub(): HubImpl = Hub.getDefault() as HubImpl

    @Test
    fun timeoutsStartedAndCancelledByAPlainThreadLeaveNoTimer() {
        val hub = defaultHub() // a plain thread's Timeouts run on the default hub's timers
        val before = armedOn(hub)
        val started = List(N) { Timeout.startNew(MINUTE) }
        armedOn(hub) // the hub has placed them
        started.forEach { it.cancel() }
        assertNoneLeft(hub, before)
        repeat(N) { Timeout.startNew(MINUTE).cancel() } // the measured case: start and cancel at once
        assertNoneLeft(hub, before)
    }

    @Test
    fun timeoutsOfAPlainThreadCancelledOnTheHubThreadLeaveNoTimer() {
        val hub = defaultHub()
        val before = armedOn(hub)
        val started = List(N) { Timeout.startNew(MINUTE) } // armed from outside: placed by a task on the hub
        armedOn(hub) // the hub has placed them
        val g = hub.spawnSuspend { started.forEach { it.cancel() } } // cancelled on the hub thread
        assertTrue(g.join(Duration.ofSeconds(10)))
        g.get()
        assertNoneLeft(hub, before)
    }

    @Test
    fun timeoutsOfAGreenletCancelledByAJavaGreenletOfAnotherHubLeaveNoTimer() {
        val made = a.spawn<List<Timeout>> { List(N) { Timeout.startNew(MINUTE) } } // armed in context
        assertTrue(made.join(Duration.ofSeconds(10)))
        val timeouts = made.get()!!
        assertEquals(N, armedOn(a))
        val cancel = b.spawn<Unit> { timeouts.forEach { it.cancel() } }
        assertTrue(cancel.join(Duration.ofSeconds(10)))
        cancel.get()
        assertEquals(0, armedOn(a))
    }

    @Test
    fun timeoutsOfAGreenletCancelledByAPlainThreadLeaveNoTimer() {
        val made = a.spawn<List<Timeout>> { List(N) { Timeout.startNew(MINUTE) } }
        assertTrue(made.join(Duration.ofSeconds(10)))
        val timeouts = made.get()!!
        assertEquals(N, armedOn(a))
        timeouts.forEach { it.cancel() }
        assertEquals(0, armedOn(a))
    }

    @Test
    fun delayedStartsArmedAndKilledByAJavaGreenletOfAnotherHubLeaveNoTimer() {
        val spawned = b.spawn<List<Greenlet<String>>> { List(N) { a.spawnLater(MINUTE) { "ran" } } }
        assertTrue(spawned.join(Duration.ofSeconds(10)))
        val later = spawned.get()!!
        assertEquals(N, armedOn(a))
        val kill = b.spawn<Unit> { later.forEach { it.kill(GreenletExit(), false, null) } }
        assertTrue(kill.join(Duration.ofSeconds(10)))
        kill.get()
        assertEquals(0, armedOn(a))
        assertTrue(later.all { it.isReady && it.value() == null })
    }

    @Test
    fun delayedStartsArmedByAPlainThreadAndKilledOnTheHubThreadLeaveNoTimer() {
        val later = List(N) { a.spawnLater(MINUTE) { "ran" } }
        assertEquals(N, armedOn(a))
        val kill = a.spawnSuspend { later.forEach { it.kill(GreenletExit(), false, null) } }
        assertTrue(kill.join(Duration.ofSeconds(10)))
        kill.get()
        assertEquals(0, armedOn(a))
    }

    @Test
    fun aDelayOfACoroutineCancelledFromAPlainThreadLeavesNoTimer() {
        val scope = CoroutineScope(a) // plain coroutines on the hub's dispatcher, not greenlets
        val jobs: List<Job> = List(N) { scope.launch { delay(MINUTE.toMillis()) } }
        assertEquals(N, armedOn(a)) // queued after the coroutines' first run, which armed their delays
        jobs.forEach { it.cancel() } // the cancellation handler runs here, outside the hub
        assertEquals(0, armedOn(a))
    }

    @Test
    fun timeoutsStartedAndCancelledInGreenletsLeaveNoTimer() {
        // the hot path (in the hub's context): removed at once, as before
        val java =
            a.spawn<Int> {
                repeat(N) { Timeout.startNew(MINUTE).cancel() }
                (Hub.current() as HubImpl).armedTimerCount()
            }
        assertTrue(java.join(Duration.ofSeconds(10)))
        assertEquals(0, java.get())
        val kotlin =
            a.spawnSuspend {
                repeat(N) { Timeout.startNew(MINUTE).cancel() }
                a.armedTimerCount()
            }
        assertTrue(kotlin.join(Duration.ofSeconds(10)))
        assertEquals(0, kotlin.get())
    }

    private companion object {
        const val N = 1000
        val MINUTE: Duration = Duration.ofSeconds(60)
    }
}
