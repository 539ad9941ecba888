package io.gevent4j.monitor

import io.gevent4j.kotlin.internal.HubImpl
import io.gevent4j.kotlin.internal.HubMonitor
import io.gevent4j.kotlin.internal.MonitorSettings
import io.gevent4j.kotlin.sleep
import io.gevent4j.kotlin.spawnSuspend
import io.gevent4j.testing.LogCapture
import java.time.Duration
import java.util.concurrent.CopyOnWriteArrayList
import java.util.concurrent.LinkedBlockingQueue
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicBoolean
import kotlin.test.assertEquals
import kotlin.test.assertFalse
import kotlin.test.assertSame
import kotlin.test.assertTrue
import kotlin.test.fail
import kotlin.time.Duration.Companion.milliseconds
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows

/**
 * The monitor from Kotlin: a Kotlin greenlet in a CPU loop is named with its own frames; MON-03; closed hubs; settings.
 */
class HubMonitorKotlinTest {
    private val hubs = MonitoredHubs()
    private val log = LogCapture("io.gevent4j.Hub")

    @AfterEach
    fun closeAll() {
        try {
            hubs.close()
        } finally {
            log.close()
        }
    }

    private fun hogTheHubKotlin(until: AtomicBoolean) {
        val deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10)
        while (!until.get()) {
            if (System.nanoTime() - deadline > 0) fail("no report within 10 s")
            Thread.onSpinWait()
        }
    }

    private fun reportsAbout(name: String): List<String> =
        log.records.map { it.message }.filter { it.startsWith("gevent4j: hub \"$name\" blocked for") }

    @Test
    fun aKotlinGreenletInACpuLoopIsNamedWithItsOwnFrames() {
        val hub = hubs.create("kotlin-spin", "0.05")
        val reports = LinkedBlockingQueue<HubBlocked>()
        val reported = AtomicBoolean()
        hub.onBlocked { b -> // a SAM conversion: the Kotlin form
            reports.add(b)
            reported.set(true)
        }
        val g = hub.spawnSuspend { hogTheHubKotlin(reported) }.name("kotlin-spinner")
        assertTrue(g.join(Duration.ofSeconds(30)))
        val b = reports.poll()
        assertSame(g, b.greenlet())
        assertTrue(
            b.stack().any {
                it.className.startsWith(HubMonitorKotlinTest::class.java.name) && it.methodName == "hogTheHubKotlin"
            },
            "${b.stack()}",
        )
        assertFalse(
            b.stack().any { it.className == HubImpl::class.java.name },
            "not the hub loop's frames: ${b.stack()}",
        )
        val report = reportsAbout("kotlin-spin").first()
        assertTrue(report.contains("by Kotlin greenlet \"kotlin-spinner\""), report)
        assertTrue(report.contains("held by Kotlin greenlet \"kotlin-spinner\""), report) // the run info names it too
        assertTrue(report.contains("hogTheHubKotlin"), report)
    }

    @Test
    fun mon03_aKotlinGreenletSleepingInStepsIsNeverReported() {
        val hub = hubs.create("kotlin-cooperative", "0.05")
        val reports = CopyOnWriteArrayList<HubBlocked>()
        val reg = hub.onBlocked { reports.add(it) }
        assertTrue(hub.spawnSuspend { repeat(20) { sleep(10.milliseconds) } }.join(Duration.ofSeconds(30)))
        assertTrue(reports.isEmpty(), "$reports")
        assertTrue(reportsAbout("kotlin-cooperative").isEmpty())
        reg.close()
        // the control: the same hub is watched
        val reported = AtomicBoolean()
        hub.onBlocked { reported.set(true) }
        assertTrue(hub.spawnSuspend { hogTheHubKotlin(reported) }.join(Duration.ofSeconds(30)))
    }

    @Test
    fun aClosedHubIsNoLongerWatchedAndItsListenersAreDropped() {
        val hub = hubs.create("closed-watch", "0.05")
        val impl = hub as HubImpl
        assertTrue(HubMonitor.isWatched(impl))
        hub.onBlocked {}
        assertEquals(1, impl.watch.listeners().size)
        hub.close()
        assertFalse(HubMonitor.isWatched(impl))
        assertEquals(0, impl.watch.listeners().size)
    }

    @Test
    fun settings() {
        fun ms(s: MonitorSettings) = if (s.enabled) s.maxBlockingNanos / 1_000_000 else -1L
        assertEquals(1000L, ms(MonitorSettings.parse(null, null, null)), "default: on, 1 s")
        assertEquals(100L, ms(MonitorSettings.parse(null, "0.1", null)))
        assertEquals(100L, ms(MonitorSettings.parse(" TRUE ", " .1 ", null)))
        assertEquals(250L, ms(MonitorSettings.parse(null, null, "250")), "the alias")
        assertEquals(-1L, ms(MonitorSettings.parse(null, null, "0")), "the alias's 0 turns it off")
        assertEquals(50L, ms(MonitorSettings.parse(null, "0.05", "0")), "maxBlockingTime wins over the alias")
        assertEquals(-1L, ms(MonitorSettings.parse("false", "0.05", "250")), "monitor=false wins over both")
        assertEquals(1_000_000L, MonitorSettings.parse(null, "0.001", null).sampleNanos, "sampling: at least 1 ms")
        assertEquals(250_000_000L, MonitorSettings.parse(null, "10", null).sampleNanos, "sampling: at most 250 ms")
        val e = assertThrows<IllegalArgumentException> { MonitorSettings.parse(null, "Infinity", null) }
        assertTrue(e.message!!.contains("gevent4j.maxBlockingTime") && e.message!!.contains("\"Infinity\""), e.message)
    }
}
