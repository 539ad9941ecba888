package io.gevent4j.kotlin.core

import io.gevent4j.Hub
import io.gevent4j.event.Event
import io.gevent4j.kotlin.await
import io.gevent4j.kotlin.internal.HubImpl
import io.gevent4j.kotlin.internal.RunInfo
import io.gevent4j.kotlin.spawn
import io.gevent4j.kotlin.spawnSuspend
import java.time.Duration
import java.util.concurrent.CountDownLatch
import java.util.concurrent.TimeUnit
import kotlin.test.assertEquals
import kotlin.test.assertTrue
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Test

/**
 * Review finding (issue 10): a monitor report must stay bounded on a hub with many greenlets or a deep spawn chain. The
 * run info lists at most the limit it is given (the monitor's reports pass 50) and says how many it left out; a chain
 * deeper than 32 is cut into trees printed one after another, so neither recursion nor indentation grows without bound.
 */
class RunInfoLimitTest {
    private val hub = Hub.create("run-info-limit-" + System.nanoTime()) as HubImpl

    @AfterEach
    fun close() {
        hub.close()
    }

    /** A chain of [depth] Kotlin greenlets, each spawned by the one before, all waiting on [release]. */
    private suspend fun chain(depth: Int, release: Event, started: CountDownLatch) {
        started.countDown()
        if (depth > 1) spawn { chain(depth - 1, release, started) }
        release.await()
    }

    @Test
    fun aLimitedRunInfoListsTheLimitAndCountsTheRest() {
        val release = Event()
        val started = CountDownLatch(60)
        repeat(60) {
            hub.spawnSuspend {
                started.countDown()
                release.await()
            }
        }
        assertTrue(started.await(10, TimeUnit.SECONDS))
        val lines = RunInfo.formatHub(hub, askHub = true, limit = 10)
        val all = lines.joinToString("\n")
        assertEquals(10, lines.count { it.contains("+--- ") }, all)
        assertTrue(lines.last().contains("50 more greenlet(s) not listed"), all)
        release.set()
    }

    @Test
    fun aDeepChainIsCutIntoBoundedTrees() {
        val release = Event()
        val started = CountDownLatch(80)
        val top = hub.spawnSuspend { chain(80, release, started) }
        assertTrue(started.await(10, TimeUnit.SECONDS))
        val lines = RunInfo.formatHub(hub, askHub = true)
        val all = lines.joinToString("\n")
        assertEquals(80, lines.count { it.contains("+--- ") }, all)
        assertTrue(lines.none { it.indexOf("+---") > 5 * 32 }, "indentation bounded:\n$all")
        assertTrue(all.contains("the tree is deeper than 32"), all)
        release.set()
        assertTrue(top.join(Duration.ofSeconds(10)))
    }
}
