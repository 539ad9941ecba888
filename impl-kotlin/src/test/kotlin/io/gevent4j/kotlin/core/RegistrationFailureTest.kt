package io.gevent4j.kotlin.core

import io.gevent4j.Gevent
import io.gevent4j.GreenletExit
import io.gevent4j.Hub
import io.gevent4j.kotlin.internal.Blocking
import io.gevent4j.kotlin.internal.HubImpl
import io.gevent4j.kotlin.spawnSuspend
import java.time.Duration
import java.util.concurrent.CompletableFuture
import java.util.concurrent.TimeUnit
import kotlin.test.assertEquals
import kotlin.test.assertSame
import kotlin.test.assertTrue
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Test

/**
 * A wait whose registration fails: on another hub (a socket watched by hub A, waited on by a thread of no hub or a
 * greenlet of hub B), the waiter gets the exception instead of waiting for ever; inline, in a Java greenlet, the
 * abandoned wait is forgotten, so that a later kill or Timeout lands where the greenlet really waits.
 */
class RegistrationFailureTest {
    private val a = Hub.create("remote-reg-a") as HubImpl
    private val b = Hub.create("remote-reg-b")

    @AfterEach
    fun close() {
        a.close()
        b.close()
    }

    private val failure = IllegalStateException("registration failed on the target hub")

    @Test
    fun aForeignWaiterGetsTheFailureOfItsRemoteRegistration() {
        val f =
            CompletableFuture.supplyAsync {
                runCatching { Blocking.await("op()", "twin()", a, -1) { throw failure } }.exceptionOrNull()
            }
        assertSame(failure, f.get(10, TimeUnit.SECONDS))
    }

    @Test
    fun aJavaGreenletOfAnotherHubGetsTheFailure() {
        val g =
            b.spawn<Throwable?> {
                runCatching { Blocking.await("op()", "twin()", a, -1) { throw failure } }.exceptionOrNull()
            }
        assertTrue(g.join(Duration.ofSeconds(10)))
        assertSame(failure, g.get())
    }

    @Test
    fun aKotlinGreenletOfAnotherHubGetsTheFailure() {
        val g = b.spawnSuspend { runCatching { Blocking.awaitSuspend(a, -1) { throw failure } }.exceptionOrNull() }
        assertTrue(g.join(Duration.ofSeconds(10)))
        assertSame(failure, g.get())
        assertEquals(HubImpl.RUNNING, a.state) // the target hub went on
    }

    @Test
    fun aKillAfterAFailedInlineRegistrationLandsInTheNextWait() {
        val caught = java.util.concurrent.CountDownLatch(1)
        val g =
            a.spawn<String> {
                val e = runCatching { Blocking.await("op()", "twin()", null, -1) { throw failure } }.exceptionOrNull()
                assertSame(failure, e)
                caught.countDown()
                // a JDK blocking call: in SCHEDULED_ON_HUB the hub runs the kill meanwhile, finding no gevent4j wait,
                // so
                // it must keep it pending (with a stale current wait it was "delivered" there and lost)
                Thread.sleep(300)
                try {
                    Gevent.sleep(30.0) // the pending kill is raised here
                    "slept"
                } catch (x: GreenletExit) {
                    "killed"
                }
            }
        assertTrue(caught.await(10, TimeUnit.SECONDS))
        g.kill(GreenletExit(), true, Duration.ofSeconds(10))
        assertTrue(g.isReady, "the kill was lost: the greenlet still sleeps")
        assertEquals("killed", g.get())
    }
}
