package io.gevent4j.kotlin.testing

import io.gevent4j.BlockingSwitchOutException
import io.gevent4j.Gevent
import io.gevent4j.Timeout
import io.gevent4j.kotlin.await
import io.gevent4j.kotlin.awaitJoin
import io.gevent4j.kotlin.awaitKill
import io.gevent4j.kotlin.sleep
import io.gevent4j.kotlin.spawn
import io.gevent4j.kotlin.spawnBlocking
import io.gevent4j.kotlin.withGeventTimeout
import kotlin.test.assertFailsWith
import kotlin.test.assertFalse
import kotlin.test.assertNull
import kotlin.test.assertTrue
import kotlin.test.fail
import kotlin.time.Duration
import kotlin.time.Duration.Companion.seconds
import org.junit.jupiter.api.DisplayName
import org.junit.jupiter.api.Test

/**
 * The contract of a suspend twin's wait, written once (the Kotlin side of [io.gevent4j.testing.contract.WaitContract]):
 * a test of a waitable's Kotlin twins extends this and says how to make an object that is not ready, how to make it
 * ready, and how a Kotlin greenlet waits for it. Checked here: a timed wait expires within gevent's bounds; a wait on a
 * ready object returns without suspending; a kill and a gevent Timeout land in the wait; a Java greenlet making the
 * object ready wakes the Kotlin waiter and a Kotlin greenlet wakes a Java waiter (so each kind of greenlet is on both
 * sides); and the Java blocking form, called in a Kotlin greenlet, is refused with [BlockingSwitchOutException] naming
 * the twin, with no side effect.
 *
 * @param W the object waited for
 */
abstract class SuspendWaitContract<W : Any> : KotlinTestBase() {
    /** A new object that is not ready. */
    protected abstract fun newUnready(): W

    /** Makes [w] ready (from any greenlet or thread; never blocks for long). */
    protected abstract fun makeReady(w: W)

    /** Whether [w] is ready now, without blocking. */
    protected abstract fun isReady(w: W): Boolean

    /** The suspend twin's wait, bounded by [timeout] (null: none), as "ready or not" (false on expiry). */
    protected abstract suspend fun awaitReady(w: W, timeout: Duration?): Boolean

    /** The Java blocking form of the wait (refused in a Kotlin greenlet when it would block). */
    protected abstract fun blockingWait(w: W)

    /** The name of the twin the refusal's message must name (e.g. `await`). */
    protected abstract val twinName: String

    /** Frees what [w] holds when a test is done with it; nothing by default. */
    protected open fun dispose(w: W) {}

    private inline fun <R> using(w: W, block: (W) -> R): R =
        try {
            block(w)
        } finally {
            dispose(w)
        }

    @Test
    @DisplayName(
        "contract (Kotlin twin): a timed wait on an object that never becomes ready returns 'not ready' within [0.1, 0.31] s"
    )
    fun contract_twinTimedWaitExpires(): Unit = runGreenlet {
        using(newUnready()) { w ->
            val t0 = System.nanoTime()
            assertFalse(awaitReady(w, WAIT_TIMEOUT.seconds))
            assertWithin(WAIT_MIN, WAIT_MAX, since(t0))
        }
    }

    @Test
    @DisplayName("contract (Kotlin twin): a wait on a ready object returns without suspending")
    fun contract_twinWaitOnReadyReturnsAtOnce() {
        runGreenlet {
            using(newUnready()) { w ->
                makeReady(w)
                suspendUntil("the object to become ready") { isReady(w) }
                val other = spawn { expect(3) }
                expect(1)
                assertTrue(awaitReady(w, WAIT_TIMEOUT.seconds))
                assertTrue(awaitReady(w, null), "again, without a timeout")
                expect(2)
                other.awaitJoin()
                finish(4)
            }
        }
        assertFinished()
    }

    @Test
    @DisplayName(
        "contract (Kotlin twin): a kill lands in a Kotlin greenlet's wait; the object still serves the next waiter"
    )
    fun contract_twinKillLandsInTheWait() {
        runGreenlet {
            using(newUnready()) { w ->
                val waiter = spawn {
                    expect(2)
                    awaitReady(w, null)
                    fail("the wait returned instead of being killed")
                }
                expect(1)
                sleep() // the waiter runs and suspends in the wait
                expect(3)
                waiter.awaitKill()
                expect(4)
                assertTrue(waiter.isDead)
                assertTrue(waiter.isSuccessful, "killed with GreenletExit: a successful end")
                assertNull(waiter.value(), "a greenlet killed with GreenletExit has no value (API.md)")
                assertFalse(isReady(w), "the kill did not make the object ready")
                makeReady(w)
                assertTrue(awaitReady(w, 10.seconds), "the next wait is served")
                finish(5)
            }
        }
        assertFinished()
    }

    @Test
    @DisplayName("contract (Kotlin twin): a gevent Timeout lands in the wait; the object still serves the next waiter")
    fun contract_twinTimeoutLandsInTheWait(): Unit = runGreenlet {
        using(newUnready()) { w ->
            val t0 = System.nanoTime()
            assertFailsWith<Timeout> { withGeventTimeout(GET_TIMEOUT.seconds) { awaitReady(w, null) } }
            assertWithin(GET_MIN, GET_MAX, since(t0))
            makeReady(w)
            assertTrue(awaitReady(w, 10.seconds), "the next wait is served")
        }
    }

    @Test
    @DisplayName("contract (Kotlin twin): a Java greenlet wakes a Kotlin waiter, a Kotlin greenlet wakes a Java waiter")
    fun contract_twinAcrossGreenletKinds(): Unit = runGreenlet {
        using(newUnready()) { w ->
            val kotlinWaiter = spawn { awaitReady(w, 10.seconds) }
            sleep()
            spawnBlocking { makeReady(w) }.awaitJoin()
            assertTrue(kotlinWaiter.await(), "the Kotlin waiter was woken by a Java greenlet")
        }
        using(newUnready()) { w ->
            val javaWaiter = spawnBlocking {
                blockingWait(w)
                true
            }
            sleep()
            makeReady(w)
            assertTrue(javaWaiter.await(), "the Java waiter was woken by a Kotlin greenlet")
        }
    }

    @Test
    @DisplayName(
        "contract (Kotlin twin): the Java blocking form in a Kotlin greenlet is refused, naming the twin, with no side effect"
    )
    fun contract_blockingFormRefusedInAKotlinGreenlet(): Unit = runGreenlet {
        using(newUnready()) { w ->
            val e = assertFailsWith<BlockingSwitchOutException> { blockingWait(w) }
            assertTrue(e.message.orEmpty().contains(twinName), "names the twin $twinName: ${e.message}")
            assertFalse(isReady(w), "the refused wait changed nothing")
            assertTrue(Gevent.getcurrent() != null)
            makeReady(w)
            assertTrue(awaitReady(w, 10.seconds), "the next wait is served")
        }
    }
}
