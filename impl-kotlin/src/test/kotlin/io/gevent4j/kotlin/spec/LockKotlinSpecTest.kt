package io.gevent4j.kotlin.spec

/*
 * Spec section 8 (Semaphore, BoundedSemaphore, RLock) and MOD-07 / MOD-12 with Kotlin greenlets: the scenario
 * is a Kotlin greenlet (runGreenlet) and waits through the suspend twins (awaitAcquire, awaitReady, withPermit,
 * RLock.awaitAcquire, withLock, iwait as a Flow, waitAll). Where a case allows, waiters of every kind take part:
 * Kotlin greenlets, Java greenlets (Gevent.spawn(GreenRunnable { })) and a foreign thread. Also the API
 * convention that a Java blocking lock call in a Kotlin body throws BlockingSwitchOutException naming its twin.
 *
 * Covered once, in Java only (nothing Kotlin-specific to observe): SEM-01, SEM-03, SEM-04, SEM-06, SEM-15
 * (SemaphoreSpecTest, RLockSpecTest). Skipped: SEM-13 (no LoopExit), SEM-14 (no DummySemaphore in the API);
 * see SemaphoreSpecTest's header.
 */

import io.gevent4j.Gevent
import io.gevent4j.GreenCallable
import io.gevent4j.GreenRunnable
import io.gevent4j.Greenlet
import io.gevent4j.Hub
import io.gevent4j.Waitable
import io.gevent4j.kotlin.await
import io.gevent4j.kotlin.awaitAcquire
import io.gevent4j.kotlin.awaitJoin
import io.gevent4j.kotlin.awaitReady
import io.gevent4j.kotlin.iwait
import io.gevent4j.kotlin.joinAll
import io.gevent4j.kotlin.sleep
import io.gevent4j.kotlin.spawn
import io.gevent4j.kotlin.spawnSuspend
import io.gevent4j.kotlin.testing.KotlinTestBase
import io.gevent4j.kotlin.testing.awaitParkedIn
import io.gevent4j.kotlin.testing.foreign
import io.gevent4j.kotlin.testing.recorder
import io.gevent4j.kotlin.testing.refusalProblems
import io.gevent4j.kotlin.testing.snapshot
import io.gevent4j.kotlin.waitAll
import io.gevent4j.kotlin.withLock
import io.gevent4j.kotlin.withPermit
import io.gevent4j.lock.RLock
import io.gevent4j.lock.Semaphore
import io.gevent4j.testing.Foreign
import java.time.Duration as JDuration
import java.util.Collections
import java.util.concurrent.CompletableFuture
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicBoolean
import java.util.concurrent.atomic.AtomicReference
import java.util.function.Consumer
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertFalse
import kotlin.test.assertSame
import kotlin.test.assertTrue
import kotlin.time.Duration
import kotlin.time.Duration.Companion.milliseconds
import kotlin.time.Duration.Companion.seconds
import kotlinx.coroutines.flow.first
import org.junit.jupiter.api.BeforeAll
import org.junit.jupiter.api.DisplayName
import org.junit.jupiter.api.Test

class LockKotlinSpecTest : KotlinTestBase() {
    companion object {
        @JvmStatic
        @BeforeAll
        fun warmUpOnce() {
            warmUpKotlinPaths()
            Hub.create("kotlin-lock-warm-up").use { h ->
                val g =
                    h.spawnSuspend {
                        val s = Semaphore(0)
                        s.awaitAcquire(1.milliseconds)
                        s.awaitReady(1.milliseconds)
                        waitAll(listOf(s), 1.milliseconds)
                        s.release()
                        s.withPermit { s.tryAcquire() }
                        val r = RLock()
                        r.withLock { r.awaitAcquire(1.milliseconds) }
                        r.release()
                    }
                g.join(JDuration.ofSeconds(10))
            }
        }

        private val WAIT: Duration = KotlinTestBase.WAIT_TIMEOUT.seconds
    }

    private fun currentName(): String = Gevent.getcurrent()?.name() ?: Thread.currentThread().name

    private fun assertReleaseRefused(r: RLock, owner: String, caller: String) {
        val e = assertFailsWith<IllegalMonitorStateException> { r.release() }
        val m = e.message.orEmpty()
        assertTrue(m.contains(owner), "names the owner $owner: $m")
        assertTrue(m.contains(caller), "names the caller $caller: $m")
    }

    // ---- Semaphore ------------------------------------------------------------------------------------------

    @Test
    @DisplayName(
        "SEM-02: awaitAcquire() takes the permit; then tryAcquire() -> false, awaitAcquire(0) -> false at once, awaitAcquire(timeout) -> false after it"
    )
    fun sem02_awaitAcquireOnALockedSemaphoreFailsAfterTheTimeout() {
        runGreenlet {
            val s = Semaphore()
            assertTrue(s.awaitAcquire())
            assertEquals(0, s.counter())
            assertTrue(s.isLocked)
            val t0 = System.nanoTime()
            assertFalse(s.tryAcquire())
            assertFalse(s.awaitAcquire(Duration.ZERO))
            assertTrue(since(t0) < AT_ONCE_MAX, "at once")
            val t1 = System.nanoTime()
            assertFalse(s.awaitAcquire(WAIT))
            assertWithin(WAIT_MIN, WAIT_MAX, since(t1))
            assertEquals(0, s.counter(), "a failed acquire takes nothing")
        }
    }

    @Test
    @DisplayName(
        "SEM-05: awaitReady() with a free permit -> true, taking none; awaitReady(timeout) on Semaphore(0) -> false after it; a foreign release wakes it"
    )
    fun sem05_awaitReadyReportsAFreePermitWithoutTakingIt() {
        runGreenlet {
            val s = Semaphore(2)
            assertTrue(s.awaitReady())
            assertTrue(s.awaitReady(1.seconds))
            assertEquals(2, s.counter())
            val zero = Semaphore(0)
            val t0 = System.nanoTime()
            assertFalse(zero.awaitReady(WAIT))
            assertWithin(WAIT_MIN, WAIT_MAX, since(t0))
            assertEquals(0, zero.counter())
        }
        val zero = Semaphore(0)
        val g = hub.spawnSuspend { zero.awaitReady(10.seconds) }
        assertEquals(1, zero.release())
        assertEquals(true, g.get(JDuration.ofSeconds(10)))
        assertEquals(1, zero.counter(), "the woken awaitReady took nothing")
    }

    @Test
    @DisplayName(
        "SEM-07: Semaphore(4) with 1 taken; Kotlin and Java greenlets and a foreign thread each tryAcquire() twice -> 3 true, 7 false"
    )
    fun sem07_contendedTryAcquireHandsOutExactlyTheFreePermits() {
        val s = Semaphore(4)
        val results: MutableList<Boolean> = Collections.synchronizedList(ArrayList())
        val foreign = AtomicReference<Foreign<Unit>>()
        runGreenlet {
            assertTrue(s.awaitAcquire())
            val gs = ArrayList<Greenlet<*>>()
            repeat(2) {
                gs += spawn {
                    results += s.tryAcquire()
                    results += s.tryAcquire()
                }
                gs +=
                    Gevent.spawn(
                        GreenRunnable {
                            results += s.tryAcquire()
                            results += s.tryAcquire()
                        }
                    )
            }
            foreign.set(
                foreign("sem07-kotlin-contender") {
                    results += s.tryAcquire()
                    results += s.tryAcquire()
                }
            )
            joinAll(gs)
        }
        foreign.get().finish()
        val sorted = synchronized(results) { results.sorted() }
        assertEquals(List(7) { false } + List(3) { true }, sorted)
        assertEquals(0, s.counter())
    }

    @Test
    @DisplayName(
        "SEM-08: Kotlin greenlets, Java greenlets and a foreign thread acquire in the order they started waiting"
    )
    fun sem08_mixedWaitersAcquireInFifoOrder() {
        val order = recorder()
        val foreign = AtomicReference<Foreign<Unit>>()
        runGreenlet {
            val s = Semaphore(1)
            assertTrue(s.awaitAcquire())
            fun kotlinWaiter(n: String): Greenlet<*> = spawn {
                assertTrue(s.awaitAcquire())
                order += n
                sleep(0.001)
                s.release()
            }
            fun javaWaiter(n: String): Greenlet<*> =
                Gevent.spawn(
                    GreenRunnable {
                        s.acquire()
                        order += n
                        Gevent.sleep(0.001)
                        s.release()
                    }
                )
            val gs = ArrayList<Greenlet<*>>()
            gs += kotlinWaiter("0 kotlin")
            gs += javaWaiter("1 java")
            sleep()
            foreign.set(
                foreign("sem08-kotlin-foreign-waiter") {
                    s.acquire()
                    order += "2 foreign"
                    s.release()
                    Unit
                }
            )
            assertTrue(
                awaitParkedIn(foreign.get().thread, Semaphore::class.java.name, "acquire"),
                "the foreign waiter is queued",
            )
            gs += kotlinWaiter("3 kotlin")
            gs += javaWaiter("4 java")
            sleep()
            assertEquals(emptyList(), order.snapshot())
            s.release()
            joinAll(gs)
        }
        foreign.get().finish()
        assertEquals(listOf("0 kotlin", "1 java", "2 foreign", "3 kotlin", "4 java"), order.snapshot())
    }

    @Test
    @DisplayName("SEM-09: release() does not switch: 'after release' comes before the Kotlin (or Java) waiter's 'acq'")
    fun sem09_releaseDoesNotSwitchToTheWaiter() {
        val out = recorder()
        runGreenlet {
            val s = Semaphore(0)
            expect(1)
            val w = spawn {
                expect(2)
                assertTrue(s.awaitAcquire())
                expect(5)
                out += "acq"
            }
            sleep()
            expect(3)
            s.release()
            out += "after release"
            expect(4)
            assertFalse(w.isDead)
            sleep()
            finish(6)
            assertTrue(w.isDead)

            // the same with a Java waiter in a Kotlin scenario
            val javaOut = recorder()
            val jw =
                Gevent.spawn(
                    GreenRunnable {
                        s.acquire()
                        javaOut += "acq"
                    }
                )
            sleep()
            s.release()
            javaOut += "after release"
            assertFalse(jw.isDead)
            sleep()
            assertEquals(listOf("after release", "acq"), javaOut.snapshot())
        }
        assertFinished()
        assertEquals(listOf("after release", "acq"), out.snapshot())
    }

    @Test
    @DisplayName(
        "SEM-10: a Kotlin caller that is not waiting keeps the permit it released; the Kotlin and Java waiters wait for later releases, in order"
    )
    fun sem10_aCallerThatIsNotWaitingKeepsTheReleasedPermit() {
        val out = recorder()
        runGreenlet {
            val s = Semaphore(0)
            val first = spawn {
                assertTrue(s.awaitAcquire())
                out += "first (kotlin)"
            }
            val second =
                Gevent.spawn(
                    GreenRunnable {
                        s.acquire()
                        out += "second (java)"
                    }
                )
            sleep()
            assertEquals(1, s.release())
            assertTrue(s.tryAcquire(), "barging: the releasing greenlet takes the permit back")
            assertEquals(0, s.counter())
            sleep()
            sleep(0.01)
            assertEquals(emptyList(), out.snapshot(), "no waiter got a permit")
            assertFalse(first.isDead)
            s.release()
            sleep()
            sleep(0.01)
            assertEquals(listOf("first (kotlin)"), out.snapshot(), "the barged waiter kept its place at the front")
            assertFalse(second.isDead)
            s.release()
            assertTrue(second.awaitJoin(10.seconds))
            assertEquals(listOf("first (kotlin)", "second (java)"), out.snapshot())
            assertEquals(0, s.counter())
        }
    }

    /** lock_tests' test_with with withPermit: two nested permits of a Semaphore(2), optionally throwing. */
    private suspend fun nestedPermits(s: Semaphore, err: RuntimeException?): String =
        s.withPermit {
            assertEquals(1, s.counter())
            assertTrue(s.tryAcquire())
            s.release()
            s.withPermit {
                assertEquals(0, s.counter())
                assertFalse(s.tryAcquire())
                if (err != null) throw err
                "inner"
            }
        }

    @Test
    @DisplayName(
        "SEM-11: withPermit { } is `with sem:`: nested, returns the value, released on an exception, which propagates"
    )
    fun sem11_withPermitIsTheContextManager() {
        runGreenlet {
            val s = Semaphore(2)
            assertEquals("inner", nestedPermits(s, null))
            assertEquals(2, s.counter())
            val boom = IllegalArgumentException("boom")
            assertSame(boom, assertFailsWith<IllegalArgumentException> { nestedPermits(s, boom) })
            assertEquals(2, s.counter(), "fully released after the exception")
            assertTrue(s.tryAcquire())
            s.release()

            // withPermit suspends while no permit is free
            val out = recorder()
            s.withPermit {
                s.withPermit {
                    spawn { s.withPermit { out += "in ${s.counter()}" } }
                    sleep()
                    assertEquals(emptyList(), out.snapshot())
                }
            }
            sleep()
            assertEquals(listOf("in 1"), out.snapshot())
            assertEquals(2, s.counter())
        }
    }

    @Test
    @DisplayName(
        "SEM-12: rawlink(cb) in a Kotlin greenlet, then release() -> cb(s) runs on the next loop iteration with counter 1"
    )
    fun sem12_rawlinkCallbackRunsOnTheNextIterationAfterARelease() {
        runGreenlet {
            val out = recorder()
            val s = Semaphore(0)
            val arg = AtomicReference<Waitable>()
            s.rawlink { w ->
                arg.set(w)
                out += "cb ${s.counter()}"
            }
            sleep()
            assertEquals(emptyList(), out.snapshot())
            assertEquals(1, s.release())
            assertEquals(emptyList(), out.snapshot(), "not called by release() itself")
            sleep()
            assertEquals(listOf("cb 1"), out.snapshot())
            assertSame(s, arg.get())

            val result = recorder()
            val t = Semaphore()
            t.rawlink(Consumer { result += "a" })
            t.release()
            t.rawlink(Consumer { result += "b" })
            t.release()
            sleep(0.001)
            assertEquals(listOf("a", "b"), result.snapshot().sorted())
        }
    }

    @Test
    @DisplayName("MOD-07: iwait(semaphores).first() -> the released one; an already ready Semaphore counts")
    fun mod07_iwaitOnSemaphoresYieldsTheReadyOne() {
        runGreenlet {
            val sem1 = Semaphore()
            val sem2 = Semaphore()
            spawn { sem1.release() }
            assertSame(sem1, iwait(listOf(sem1, sem2)).first())

            val a = Semaphore(0)
            val b = Semaphore(0)
            Gevent.spawn(GreenRunnable { b.release() })
            assertSame(b, iwait(listOf(a, b)).first())
            assertEquals(0, a.counter())
            assertEquals(1, b.counter(), "iwait takes no permit")
        }
        val c = Semaphore(0)
        val d = Semaphore(0)
        val g = hub.spawnSuspend { iwait(listOf(c, d), 10.seconds).first() }
        d.release()
        assertSame(d, g.get(JDuration.ofSeconds(10)))
    }

    @Test
    @DisplayName(
        "MOD-12: waitAll(listOf(Semaphore(1))) -> [s] at once, taking nothing; on Semaphore(0) with a timeout -> [] after it"
    )
    fun mod12_waitAllOnAnUnacquiredSemaphoreReturnsAtOnce() {
        runGreenlet {
            val s = Semaphore(1)
            val t0 = System.nanoTime()
            assertEquals(listOf(s), waitAll(listOf(s)))
            assertTrue(since(t0) < AT_ONCE_MAX, "at once")
            assertEquals(1, s.counter())
            val zero = Semaphore(0)
            val t1 = System.nanoTime()
            assertEquals(emptyList(), waitAll(listOf(zero), WAIT))
            assertWithin(WAIT_MIN, WAIT_MAX, since(t1))
        }
    }

    // ---- RLock ----------------------------------------------------------------------------------------------

    @Test
    @DisplayName(
        "SEM-16: a Kotlin owner re-acquires (awaitAcquire, withLock); as many releases free it; one more -> IllegalMonitorStateException"
    )
    fun sem16_reacquireByTheKotlinOwnerNeedsAsManyReleases() {
        runGreenlet {
            val r = RLock()
            val me = currentName()
            assertTrue(r.awaitAcquire())
            assertTrue(r.awaitAcquire(), "re-acquire by the owner")
            assertTrue(r.tryAcquire())
            val out = recorder()
            val waiter = spawn { r.withLock { out += "waiter owns it" } }
            sleep()
            r.release()
            r.release()
            assertTrue(r.isOwned)
            sleep(0.01)
            assertEquals(emptyList(), out.snapshot(), "the waiter waits until the last release")
            r.release()
            assertFalse(r.isOwned)
            assertTrue(waiter.awaitJoin(10.seconds))
            assertEquals(listOf("waiter owns it"), out.snapshot())
            assertReleaseRefused(r, "nobody", me)

            // withLock nests and releases on an exception
            val boom = IllegalStateException("boom")
            val thrown =
                assertFailsWith<IllegalStateException> {
                    r.withLock {
                        r.withLock {
                            assertTrue(r.isOwned)
                            throw boom
                        }
                    }
                }
            assertSame(boom, thrown)
            assertFalse(r.isOwned, "both levels released")
            assertTrue(spawn { r.tryAcquire().also { if (it) r.release() } }.await())
        }
    }

    @Test
    @DisplayName(
        "SEM-17: while a Kotlin or Java greenlet holds the RLock, a Kotlin greenlet gets false from tryAcquire/awaitAcquire(timeout) and a refused release"
    )
    fun sem17_aNonOwnerCannotTakeOrReleaseTheLock() {
        runGreenlet {
            val r = RLock()
            r.withLock {
                val owner = currentName()
                val other = spawn {
                    assertFalse(r.tryAcquire())
                    assertReleaseRefused(r, owner, currentName())
                    val t0 = System.nanoTime()
                    assertFalse(r.awaitAcquire(WAIT))
                    assertWithin(WAIT_MIN, WAIT_MAX, since(t0))
                    assertFalse(r.isOwned)
                }
                other.await(10.seconds)
                assertTrue(r.isOwned)
            }

            // a Java greenlet holds it
            val held =
                Gevent.spawn(
                    GreenCallable {
                        r.acquire()
                        currentName()
                    }
                )
            val javaOwner = held.await(10.seconds)
            assertFalse(r.tryAcquire())
            assertReleaseRefused(r, javaOwner, currentName())
            val t1 = System.nanoTime()
            assertFalse(r.awaitAcquire(WAIT))
            assertWithin(WAIT_MIN, WAIT_MAX, since(t1))
        }
    }

    @Test
    @DisplayName(
        "SEM-18: isOwned is false at first, true for the Kotlin owner after one or two acquires (also across a suspension), false elsewhere, false after both releases"
    )
    fun sem18_isOwnedIsPerKotlinGreenlet() {
        val r = RLock()
        val seenByThread = CompletableFuture<Boolean>()
        runGreenlet {
            assertFalse(r.isOwned)
            assertTrue(r.awaitAcquire())
            assertTrue(r.isOwned)
            assertTrue(r.awaitAcquire())
            assertTrue(r.isOwned)
            assertFalse(spawn { r.isOwned }.await(), "another Kotlin greenlet does not own it")
            assertFalse(Gevent.spawn(GreenCallable { r.isOwned }).await(), "a Java greenlet does not own it")
            foreign("sem18-kotlin-probe") { seenByThread.complete(r.isOwned) }
            while (!seenByThread.isDone) sleep(0.001)
            sleep(0.01)
            assertTrue(r.isOwned, "still the owner after suspending")
            r.release()
            assertTrue(r.isOwned)
            r.release()
            assertFalse(r.isOwned)
        }
        assertFalse(seenByThread.get(10, TimeUnit.SECONDS), "a foreign thread does not own it")
    }

    // ---- API conventions: Java blocking calls in a Kotlin body ------------------------------------------

    @Test
    @DisplayName(
        "API conventions: a Java blocking Semaphore/RLock call that would block a Kotlin greenlet -> BlockingSwitchOutException naming the twin"
    )
    fun javaBlockingLockCallsInAKotlinBodyAreRefused() {
        val problems = ArrayList<String>()
        val released = AtomicBoolean()
        runGreenlet {
            val s = Semaphore(0)
            val r = RLock()
            val holder =
                Gevent.spawn(
                    GreenRunnable {
                        r.acquire()
                        while (!released.get()) Gevent.sleep(0.001)
                        r.release()
                    }
                )
            sleep()
            val calls: List<Triple<String, String, () -> Unit>> =
                listOf(
                    Triple("Semaphore.acquire()", "awaitAcquire", { s.acquire() }),
                    Triple("Semaphore.acquire(1 s)", "awaitAcquire", { s.acquire(JDuration.ofSeconds(1)) }),
                    Triple("Semaphore.permit()", "withPermit", { s.permit().close() }),
                    Triple("Semaphore.waitFor()", "awaitReady", { s.waitFor() }),
                    Triple("Semaphore.waitFor(1 s)", "awaitReady", { s.waitFor(JDuration.ofSeconds(1)) }),
                    Triple("RLock.acquire()", "RLock.awaitAcquire", { r.acquire() }),
                    Triple("RLock.acquire(1 s)", "RLock.awaitAcquire", { r.acquire(JDuration.ofSeconds(1)) }),
                )
            problems += refusalProblems(calls)
            assertEquals(0, s.counter())
            assertFalse(r.isOwned)
            released.set(true)
            assertTrue(holder.awaitJoin(10.seconds))
        }
        assertEquals(emptyList(), problems)
    }
}
