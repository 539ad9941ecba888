package io.gevent4j.kotlin.core

import io.gevent4j.Gevent
import io.gevent4j.Hub
import io.gevent4j.kotlin.spawnSuspend
import java.time.Duration
import java.util.concurrent.CountDownLatch
import java.util.concurrent.TimeUnit
import kotlin.test.assertTrue
import kotlinx.coroutines.channels.Channel
import kotlinx.coroutines.debug.DebugProbes
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.BeforeEach
import org.junit.jupiter.api.Test

/**
 * Issue 10: with kotlinx-coroutines-debug installed, a Kotlin greenlet suspended outside gevent4j's waits (here in a
 * kotlinx Channel) is shown with the stack the probes saw, where the run info alone knows nothing of it
 * (RunInfoKotlinTest.aKotlinGreenletSuspendedOutsideGeventWaitsSaysSo).
 */
@OptIn(kotlinx.coroutines.ExperimentalCoroutinesApi::class)
class RunInfoDebugProbesTest {
    private val hub = Hub.create("run-info-probes-" + System.nanoTime())

    @BeforeEach
    fun install() {
        DebugProbes.install()
    }

    @AfterEach
    fun close() {
        hub.close()
        DebugProbes.uninstall()
    }

    private suspend fun parkedInAChannel(ch: Channel<Int>, parked: CountDownLatch): Int {
        parked.countDown()
        return ch.receive() + 1 // not a tail call: this function keeps its own continuation frame
    }

    @Test
    fun theProbesStackNamesTheSuspensionPoint() {
        val ch = Channel<Int>()
        val parked = CountDownLatch(1)
        val g = hub.spawnSuspend { parkedInAChannel(ch, parked) }.name("in-channel")
        assertTrue(parked.await(10, TimeUnit.SECONDS))
        val all = Gevent.formatRunInfo()
        val i = all.indexOfFirst { it.contains("+--- Kotlin greenlet \"in-channel\"") }
        assertTrue(i >= 0, all.joinToString("\n"))
        val frames = all.drop(i + 1).takeWhile { it.trimStart().startsWith("at ") }
        assertTrue(frames.any { it.contains("RunInfoDebugProbesTest.parkedInAChannel") }, all.joinToString("\n"))
        assertTrue(ch.trySend(7).isSuccess)
        assertTrue(g.join(Duration.ofSeconds(10)))
    }
}
