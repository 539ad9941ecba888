package io.gevent4j.kotlin.core

import io.gevent4j.Hub
import io.gevent4j.Timeout
import io.gevent4j.event.Event
import io.gevent4j.kotlin.internal.ForeignContext
import io.gevent4j.kotlin.internal.HubImpl
import io.gevent4j.kotlin.internal.HubJmx
import io.gevent4j.kotlin.internal.HubMonitor
import io.gevent4j.kotlin.spawnSuspend
import java.time.Duration
import java.util.concurrent.CompletableFuture
import java.util.concurrent.CyclicBarrier
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit
import kotlin.test.assertEquals
import kotlin.test.assertSame
import kotlin.test.assertTrue
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Test

/**
 * Issue 9, defect 3: the paths a hub thread takes enter no monitor (docs/design/runtime.md, trap 3). Each test holds
 * the monitor the code used to take, from the test thread, and shows the operation completes meanwhile; before the fix
 * it waited for the monitor, and a hub thread doing so stalled its hub (here until the test gave up after 10 s). The
 * build check (`MonitorRuleTest`) keeps new monitors out.
 */
class MonitorFreePathsTest {
    private val hub = Hub.create("monitor-free")

    @AfterEach
    fun close() {
        hub.close()
    }

    @Test
    fun timeoutStartInAKotlinGreenletTakesNoMonitor() {
        val t = Timeout(Duration.ofSeconds(60))
        val g =
            synchronized(t) {
                val g =
                    hub.spawnSuspend {
                        t.start() // withGeventTimeout's path, on the hub thread
                        val pending = t.isPending
                        t.cancel()
                        pending
                    }
                assertTrue(g.join(Duration.ofSeconds(10)), "Timeout.start() on the hub thread waited for a monitor")
                g
            }
        assertEquals(true, g.get())
        assertTrue(!t.isPending)
    }

    @Test
    fun theDefaultHubRaisesInAForeignThreadWithoutAMonitor() {
        val raised = IllegalStateException("raised by the default hub")
        val context = CompletableFuture<ForeignContext>()
        val outcome = CompletableFuture<Throwable?>()
        val waiter = Thread {
            context.complete(ForeignContext.current())
            outcome.complete(runCatching { Event().waitFor() }.exceptionOrNull()) // a wait of a thread of no hub
        }
        waiter.isDaemon = true
        waiter.start()
        val ctx = context.get(10, TimeUnit.SECONDS)
        while (waiter.state != Thread.State.WAITING) Thread.onSpinWait() // parked in its wait
        synchronized(ctx) {
            // what TimeoutTimer.run does when a Timeout of that thread fires
            Hub.getDefault().asExecutor().execute { ctx.throwIn(raised) }
            assertSame(raised, outcome.get(10, TimeUnit.SECONDS), "the default hub's thread waited for a monitor")
        }
        waiter.join(10_000)
    }

    @Test
    fun closingAHubTakesNoMonitor() {
        val other = Hub.create("monitor-free-closed") as HubImpl
        synchronized(other) { CompletableFuture.runAsync { other.close() }.get(10, TimeUnit.SECONDS) }
        assertEquals(HubImpl.CLOSED, other.state)
    }

    @Test
    fun callersRacingToMakeTheDefaultHubAllGetOneHub() {
        Hub.getDefault().close() // the next caller makes a new one (a CAS: the losers stop the hubs they made)
        val start = CyclicBarrier(RACERS)
        val got =
            Executors.newFixedThreadPool(RACERS).use { pool ->
                List(RACERS) {
                        pool.submit<Hub> {
                            start.await()
                            Hub.getDefault()
                        }
                    }
                    .map { it.get(10, TimeUnit.SECONDS) }
            }
        val winner = got.first() as HubImpl
        assertTrue(got.all { it === winner })
        assertEquals(HubImpl.RUNNING, winner.state)
        val deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10)
        while (defaultHubThreads() > 1 && System.nanoTime() < deadline) Thread.sleep(1) // the losers' loops end
        assertEquals(1, defaultHubThreads())
    }

    private fun defaultHubThreads(): Int =
        Thread.getAllStackTraces().keys.count { it.name == "gevent4j-hub-default" && it.isAlive }

    @Test
    fun makingAHubTakesNoMonitorOfTheMonitorOrJmx() {
        synchronized(HubMonitor) {
            synchronized(HubJmx) {
                val made = CompletableFuture.supplyAsync { Hub.create("monitor-free-made") }.get(10, TimeUnit.SECONDS)
                made.close()
            }
        }
    }

    private companion object {
        const val RACERS = 8
    }
}
