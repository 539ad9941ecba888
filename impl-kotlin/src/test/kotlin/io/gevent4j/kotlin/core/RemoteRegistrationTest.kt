package io.gevent4j.kotlin.core

import io.gevent4j.Hub
import io.gevent4j.kotlin.internal.Blocking
import io.gevent4j.kotlin.internal.HubImpl
import io.gevent4j.kotlin.spawnSuspend
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Test
import java.time.Duration
import java.util.concurrent.CompletableFuture
import java.util.concurrent.TimeUnit
import kotlin.test.assertEquals
import kotlin.test.assertSame
import kotlin.test.assertTrue

/**
 * A wait whose registration must run on another hub (a socket watched by hub A, waited on by a thread of no hub or a
 * greenlet of hub B) hears of a registration that fails there: it gets the exception instead of waiting for ever.
 */
class RemoteRegistrationTest {
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
        val f = CompletableFuture.supplyAsync {
            runCatching { Blocking.await("op()", "twin()", a, -1) { throw failure } }.exceptionOrNull()
        }
        assertSame(failure, f.get(10, TimeUnit.SECONDS))
    }

    @Test
    fun aJavaGreenletOfAnotherHubGetsTheFailure() {
        val g = b.spawn<Throwable?> { runCatching { Blocking.await("op()", "twin()", a, -1) { throw failure } }.exceptionOrNull() }
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
}
