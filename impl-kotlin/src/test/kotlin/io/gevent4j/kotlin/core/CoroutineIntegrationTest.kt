package io.gevent4j.kotlin.core

import io.gevent4j.Greenlet
import io.gevent4j.GreenletExit
import io.gevent4j.kotlin.asCoroutineDispatcher
import io.gevent4j.kotlin.asDeferred
import io.gevent4j.kotlin.asGreenlet
import io.gevent4j.kotlin.await
import io.gevent4j.kotlin.spawnSuspend
import io.gevent4j.kotlin.testing.KotlinTestBase
import java.time.Duration
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertFalse
import kotlin.test.assertIs
import kotlin.test.assertSame
import kotlin.test.assertTrue
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.delay
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withContext

/** Kotlin greenlets as coroutines: structured children, kotlinx's own suspensions, and the adapters. */
class CoroutineIntegrationTest : KotlinTestBase() {
    @Test
    fun aFailingChildCoroutineFailsItsGreenletWithTheChildsException() {
        val boom = IllegalStateException("child failed")
        val g: Greenlet<Unit> =
            hub.spawnSuspend {
                launch { throw boom }
                delay(10_000)
            }
        assertTrue(g.join(Duration.ofSeconds(10)))
        assertFalse(g.isSuccessful)
        assertSame(boom, g.exception())
    }

    @Test
    fun killCancelsKotlinxDelayWithTheKillAsCause() {
        var cause: Throwable? = null
        val g: Greenlet<Unit> =
            hub.spawnSuspend {
                try {
                    delay(10_000)
                } catch (e: kotlinx.coroutines.CancellationException) {
                    cause = e.cause
                    throw e
                }
            }
        hub.spawn { io.gevent4j.Gevent.sleep() }.join()
        val exit = GreenletExit("stop")
        g.kill(exit)
        assertTrue(g.isDead && g.isSuccessful)
        assertSame(exit, cause)
    }

    @Test
    fun theHubIsAKotlinxDispatcherWithDelayOnItsTimers(): Unit = runBlocking {
        val onHub =
            withContext(hub.asCoroutineDispatcher()) {
                delay(5)
                hub.isHubThread
            }
        assertTrue(onHub)
    }

    @Test
    fun deferredAndGreenletAdaptBothWays(): Unit = runBlocking {
        val g = hub.spawnSuspend { 6 * 7 }
        assertEquals(42, g.asDeferred().await())
        val d = CompletableDeferred<String>()
        val fromDeferred = d.asGreenlet(hub)
        assertFalse(fromDeferred.isDead)
        d.complete("done")
        assertEquals("done", fromDeferred.await())
        val failing = CompletableDeferred<String>().apply { completeExceptionally(IllegalArgumentException("no")) }
        val failed = failing.asGreenlet(hub)
        assertTrue(failed.join(Duration.ofSeconds(10)))
        assertIs<IllegalArgumentException>(failed.exception())
    }
}
