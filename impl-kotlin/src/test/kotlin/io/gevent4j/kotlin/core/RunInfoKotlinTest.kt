package io.gevent4j.kotlin.core

import io.gevent4j.Gevent
import io.gevent4j.Hub
import io.gevent4j.event.Event
import io.gevent4j.kotlin.await
import io.gevent4j.kotlin.spawn
import io.gevent4j.kotlin.spawnBlocking
import io.gevent4j.kotlin.spawnSuspend
import java.time.Duration
import java.util.concurrent.CountDownLatch
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicBoolean
import kotlin.test.assertFalse
import kotlin.test.assertTrue
import kotlinx.coroutines.delay
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Test

/**
 * Issue 10, run info of Kotlin greenlets: a suspended one shows its suspension point in a gevent4j wait and its callers
 * (Kotlin's continuation frames); one that holds the hub is named with the hub thread's frames above the loop; one
 * suspended outside gevent4j's waits says so. Both hub modes (surefire runs this class in each).
 */
class RunInfoKotlinTest {
    private val hub = Hub.create("run-info-kt-" + System.nanoTime())

    @AfterEach
    fun close() {
        hub.close()
    }

    private fun ourHub(): List<String> {
        val all = Gevent.formatRunInfo()
        val start = all.indexOfFirst { it.startsWith("Hub \"${hub.name()}\"") }
        assertTrue(start >= 0, all.joinToString("\n"))
        var end = start + 1
        while (end < all.size && !all[end].startsWith("=====")) end++
        return all.subList(start, end)
    }

    private suspend fun parkedInAGeventWait(release: Event, parked: CountDownLatch) {
        parked.countDown()
        release.await()
    }

    @Test
    fun aSuspendedKotlinGreenletShowsItsSuspensionPointAndCallers() {
        val release = Event()
        val parked = CountDownLatch(1)
        val g = hub.spawnSuspend { parkedInAGeventWait(release, parked) }
        g.name("sleeper")
        assertTrue(parked.await(10, TimeUnit.SECONDS))
        val lines = ourHub()
        val all = lines.joinToString("\n")
        val i = lines.indexOfFirst { it.contains("Kotlin greenlet \"sleeper\"") }
        assertTrue(i >= 0, all)
        assertTrue(lines[i].contains("WAITING"), all)
        val frames = lines.drop(i + 1).takeWhile { it.trimStart().startsWith("at ") }
        assertTrue(frames.any { it.contains("RunInfoKotlinTest.parkedInAGeventWait") }, all)
        assertTrue(
            frames.any { it.contains("RunInfoKotlinTest\$aSuspendedKotlinGreenletShowsItsSuspensionPointAndCallers") },
            all,
        )
        release.set()
        assertTrue(g.join(Duration.ofSeconds(10)))
    }

    private fun spin(stop: AtomicBoolean, spinning: CountDownLatch) {
        spinning.countDown()
        while (!stop.get()) Thread.onSpinWait()
    }

    @Test
    fun aKotlinGreenletInACpuLoopIsNamedWithItsFrames() {
        val stop = AtomicBoolean()
        val spinning = CountDownLatch(1)
        val g = hub.spawnSuspend { spin(stop, spinning) }
        g.name("kotlin-spinner")
        assertTrue(spinning.await(10, TimeUnit.SECONDS))
        val lines =
            try {
                ourHub()
            } finally {
                stop.set(true)
            }
        val all = lines.joinToString("\n")
        assertTrue(lines[0].contains("held by Kotlin greenlet \"kotlin-spinner\""), all)
        val i = lines.indexOfFirst { it.contains("Kotlin greenlet \"kotlin-spinner\"") && it.contains("+---") }
        assertTrue(lines[i].contains("RUNNING (holds the hub)"), all)
        assertTrue(lines[i + 1].contains("RunInfoKotlinTest.spin"), all)
        assertFalse(all.contains("HubImpl.runLoop"), all)
        assertTrue(g.join(Duration.ofSeconds(10)))
    }

    @Test
    fun aKotlinGreenletSuspendedOutsideGeventWaitsSaysSo() {
        val parked = CountDownLatch(1)
        val release = AtomicBoolean()
        val g =
            hub.spawnSuspend {
                parked.countDown()
                while (!release.get()) delay(20) // kotlinx's delay: the hub is its Delay, but no gevent4j wait holds it
            }
        assertTrue(parked.await(10, TimeUnit.SECONDS))
        val all = ourHub().joinToString("\n")
        assertTrue(all.contains("suspended outside gevent4j's waits"), all)
        release.set(true)
        assertTrue(g.join(Duration.ofSeconds(10)))
    }

    @Test
    fun aKotlinChildOfAJavaGreenletIsUnderIt() {
        val release = Event()
        val both = CountDownLatch(2)
        val parent =
            hub.spawnBlocking {
                val child = spawn {
                    both.countDown()
                    release.await()
                }
                child.name("kotlin-child")
                both.countDown()
                child.join()
            }
        parent.name("java-parent")
        assertTrue(both.await(10, TimeUnit.SECONDS))
        val lines = ourHub()
        val all = lines.joinToString("\n")
        val p = lines.indexOfFirst { it.contains("Java greenlet \"java-parent\"") }
        val c = lines.indexOfFirst { it.contains("Kotlin greenlet \"kotlin-child\"") }
        assertTrue(p >= 0 && c > p && lines[c].indexOf("+---") > lines[p].indexOf("+---"), all)
        release.set()
        assertTrue(parent.join(Duration.ofSeconds(10)))
    }
}
