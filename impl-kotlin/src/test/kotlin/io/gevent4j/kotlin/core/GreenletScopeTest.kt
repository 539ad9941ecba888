package io.gevent4j.kotlin.core

import io.gevent4j.Gevent
import io.gevent4j.Greenlet
import io.gevent4j.GreenletExit
import io.gevent4j.event.Event
import io.gevent4j.kotlin.await
import io.gevent4j.kotlin.awaitJoin
import io.gevent4j.kotlin.awaitKill
import io.gevent4j.kotlin.internal.HubImpl
import io.gevent4j.kotlin.sleep
import io.gevent4j.kotlin.spawnBlocking
import io.gevent4j.kotlin.spawnSuspend
import io.gevent4j.kotlin.testing.KotlinTestBase
import java.time.Duration
import java.util.concurrent.CompletableFuture
import java.util.concurrent.CountDownLatch
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicBoolean
import java.util.concurrent.atomic.AtomicInteger
import java.util.concurrent.atomic.AtomicReference
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertFalse
import kotlin.test.assertIs
import kotlin.test.assertNull
import kotlin.test.assertSame
import kotlin.test.assertTrue
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.CoroutineExceptionHandler
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.GlobalScope
import kotlinx.coroutines.Job
import kotlinx.coroutines.NonCancellable
import kotlinx.coroutines.TimeoutCancellationException
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitCancellation
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.job
import kotlinx.coroutines.launch
import kotlinx.coroutines.withContext
import kotlinx.coroutines.withTimeout

/**
 * A Kotlin greenlet is a scope (`coroutineScope { }` semantics, issue 9 defect 2): it ends when every child coroutine
 * launched in its body's scope has ended; a child's failure is the greenlet's failure (the same instance, the body's
 * value discarded) and cancels the other children; a kill cancels the children and the greenlet ends killed. Joiners of
 * each kind — a Kotlin greenlet (`await`), a Java greenlet (`get`) and a thread of no hub (`get`) — see the death only
 * after the children ended. Coroutines with a job of their own (GlobalScope, a scope with a `Job()` of its own) are not
 * children.
 */
class GreenletScopeTest : KotlinTestBase() {
    private class ExpectedError(message: String) : RuntimeException(message)

    /** What a joiner got from the greenlet, and whether the children had ended when it got it. */
    private class Joined(val value: Any?, val error: Throwable?, val afterChildren: Boolean)

    private inline fun joined(noneLeft: AtomicBoolean, get: () -> Any?): Joined =
        try {
            val v = get()
            Joined(v, null, noneLeft.get())
        } catch (t: Throwable) {
            Joined(null, t, noneLeft.get())
        }

    /** The three kinds of joiner, started together; [check] asserts each one's [Joined]. */
    private inner class Joiners(g: Greenlet<*>, childrenEnded: AtomicBoolean) {
        val kotlin: Greenlet<Joined> = hub.spawnSuspend { joined(childrenEnded) { g.await() } }
        val java: Greenlet<Joined> = hub.spawnBlocking { joined(childrenEnded) { g.get() } }
        private val foreignResult = AtomicReference<Joined>()
        private val foreign = Thread({ foreignResult.set(joined(childrenEnded) { g.get() }) }, "foreign-joiner")

        init {
            foreign.isDaemon = true
            foreign.start()
        }

        /** Called from the test thread once the scenario is over. */
        fun check(what: (Joined) -> Unit) {
            assertTrue(kotlin.join(Duration.ofSeconds(30)) && java.join(Duration.ofSeconds(30)))
            foreign.join(30_000)
            assertFalse(foreign.isAlive, "the foreign joiner never returned")
            for ((who, j) in
                listOf(
                    "Kotlin greenlet" to kotlin.get()!!,
                    "Java greenlet" to java.get()!!,
                    "foreign thread" to foreignResult.get(),
                )) {
                assertTrue(j.afterChildren, "the $who joiner returned before the children ended")
                what(j)
            }
        }
    }

    @Test
    fun theGreenletLivesUntilItsChildEndsAndThenHasTheBodysValue() {
        val release = Event()
        val childEnded = AtomicBoolean()
        lateinit var g: Greenlet<Int>
        lateinit var joiners: Joiners
        runGreenlet {
            g =
                hub.spawnSuspend {
                    launch {
                        expect(3)
                        release.await()
                        expect(6)
                        childEnded.set(true)
                    }
                    expect(2)
                    42
                }
            expect(1)
            sleep() // the body runs and returns; its child is queued
            sleep() // the child runs and waits
            expect(4)
            assertFalse(g.isDead, "the greenlet died while its child still runs")
            assertTrue(g.isAlive)
            joiners = Joiners(g, childEnded)
            sleep() // the greenlet joiners start waiting
            assertFalse(joiners.kotlin.isDead || joiners.java.isDead, "a joiner returned while the child runs")
            expect(5)
            release.set()
            assertEquals(42, g.await())
            finish(7)
        }
        assertFinished()
        assertTrue(g.isSuccessful)
        assertEquals(42, g.get())
        joiners.check { j ->
            assertEquals(42, j.value)
            assertNull(j.error)
        }
    }

    @Test
    fun aChildFailingAfterTheBodyReturnedFailsTheGreenletWithThatInstanceAndCancelsItsSiblings() {
        val boom = ExpectedError("child failed")
        val fail = Event()
        val siblingCancelled = AtomicBoolean()
        val running = AtomicInteger(3)
        val childrenEnded = AtomicBoolean()
        fun childEnded() {
            if (running.decrementAndGet() == 0) childrenEnded.set(true)
        }
        lateinit var g: Greenlet<String>
        lateinit var joiners: Joiners
        runGreenlet {
            g =
                hub.spawnSuspend {
                    repeat(2) {
                        launch {
                            try {
                                awaitCancellation()
                            } catch (e: CancellationException) {
                                siblingCancelled.set(true)
                                throw e
                            } finally {
                                childEnded()
                            }
                        }
                    }
                    launch {
                        try {
                            fail.await()
                            throw boom
                        } finally {
                            childEnded()
                        }
                    }
                    "the body's value"
                }
            sleep()
            sleep()
            assertFalse(g.isDead, "the greenlet died while its children still run")
            joiners = Joiners(g, childrenEnded)
            sleep()
            fail.set()
            assertSame(boom, assertFailsWith<ExpectedError> { g.await() })
            assertTrue(siblingCancelled.get())
        }
        assertTrue(g.isDead)
        assertFalse(g.isSuccessful)
        assertSame(boom, g.exception())
        assertNull(g.value(), "a failed greenlet keeps no value")
        assertSame(boom, assertFailsWith<ExpectedError> { g.get() })
        joiners.check { j -> assertSame(boom, j.error) }
    }

    @Test
    fun aKillAfterTheBodyReturnedCancelsTheChildrenAndTheGreenletEndsKilled() {
        val childrenEnded = AtomicBoolean()
        val cause = AtomicReference<Throwable>()
        val exit = GreenletExit("stop")
        lateinit var g: Greenlet<Int>
        lateinit var joiners: Joiners
        runGreenlet {
            g =
                hub.spawnSuspend {
                    launch {
                        try {
                            awaitCancellation()
                        } catch (e: CancellationException) {
                            cause.set(e)
                            childrenEnded.set(true)
                            throw e
                        }
                    }
                    1
                }
            sleep()
            sleep()
            assertFalse(g.isDead, "the greenlet died while its child still runs")
            joiners = Joiners(g, childrenEnded)
            sleep()
            g.awaitKill(exit)
            assertTrue(g.isDead)
            assertTrue(childrenEnded.get(), "the kill did not cancel the child")
            assertSame(exit, assertFailsWith<GreenletExit> { g.await() })
        }
        assertTrue(g.isSuccessful, "a GreenletExit is a success")
        assertNull(g.exception())
        assertNull(g.value())
        assertNull(g.get())
        var c: Throwable? = cause.get()
        while (c != null && c !== exit) c = c.cause
        assertSame(exit, c, "the child's cancellation has the kill as its cause")
        joiners.check { j ->
            if (j.error != null) assertSame(exit, j.error)
            else assertNull(j.value) // await() throws it; get() gives null
        }
    }

    @Test
    fun asyncChildrenAreChildrenTooWhetherTheySucceedOrFail() {
        val boom = ExpectedError("async failed")
        val gate = Event()
        val childEnded = AtomicBoolean()
        lateinit var ok: Greenlet<String>
        lateinit var failing: Greenlet<String>
        runGreenlet {
            ok =
                hub.spawnSuspend {
                    async {
                        gate.await()
                        childEnded.set(true)
                        7
                    }
                    "body"
                }
            failing =
                hub.spawnSuspend {
                    async<Int> {
                        gate.await()
                        throw boom
                    }
                    "body"
                }
            sleep()
            sleep()
            assertFalse(ok.isDead, "a greenlet died while its async child still runs")
            assertFalse(failing.isDead, "a greenlet died while its async child still runs")
            gate.set()
            assertEquals("body", ok.await())
            assertTrue(childEnded.get())
            assertSame(boom, assertFailsWith<ExpectedError> { failing.await() })
        }
        assertSame(boom, failing.exception())
    }

    @Test
    fun aChildsNonCancellableCleanupDelaysTheEndOfAKilledGreenlet() {
        val cleanupGate = Event()
        val cleaned = AtomicBoolean()
        val linkRuns = AtomicInteger()
        lateinit var g: Greenlet<Unit>
        runGreenlet {
            g =
                hub.spawnSuspend {
                    launch {
                        try {
                            awaitCancellation()
                        } finally {
                            withContext(NonCancellable) {
                                expect(3)
                                cleanupGate.await()
                                expect(5)
                                cleaned.set(true)
                            }
                        }
                    }
                    Event().await() // the body itself is still running when the kill comes
                }
            g.rawlink { linkRuns.incrementAndGet() }
            sleep()
            sleep()
            expect(1)
            g.kill(GreenletExit(), false, null)
            expect(2)
            sleep() // the kill lands: the body and the child are cancelled; the child starts its cleanup
            sleep()
            expect(4)
            assertFalse(g.isDead, "the greenlet died while its child's cleanup still runs")
            assertEquals(0, linkRuns.get())
            cleanupGate.set()
            assertTrue(g.awaitJoin())
            finish(6)
            assertTrue(cleaned.get())
        }
        assertFinished()
        assertTrue(g.isSuccessful)
    }

    @Test
    fun theBodysFailureWaitsForTheCancelledChildrenAndIsTheOutcome() {
        val boom = ExpectedError("body failed")
        val cleanupGate = Event()
        val cleaned = AtomicBoolean()
        lateinit var g: Greenlet<Unit>
        runGreenlet {
            g =
                hub.spawnSuspend {
                    launch {
                        try {
                            awaitCancellation()
                        } finally {
                            withContext(NonCancellable) {
                                cleanupGate.await()
                                cleaned.set(true)
                            }
                        }
                    }
                    sleep() // the child starts
                    throw boom
                }
            sleep()
            sleep()
            sleep()
            assertFalse(g.isDead, "the greenlet died while its cancelled child still cleans up")
            cleanupGate.set()
            assertSame(boom, assertFailsWith<ExpectedError> { g.await() })
            assertTrue(cleaned.get())
        }
        assertSame(boom, g.exception())
    }

    @Test
    fun linksRunOnceAfterTheChildrenEnded() {
        val release = Event()
        val childEnded = AtomicBoolean()
        val rawRuns = AtomicInteger()
        val linkRuns = AtomicInteger()
        val rawSawChildEnded = AtomicBoolean()
        val linkSawChildEnded = AtomicBoolean()
        val linked = Event()
        lateinit var g: Greenlet<Int>
        runGreenlet {
            g =
                hub.spawnSuspend {
                    launch {
                        release.await()
                        childEnded.set(true)
                    }
                    5
                }
            g.rawlink {
                rawRuns.incrementAndGet()
                rawSawChildEnded.set(childEnded.get())
            }
            g.link {
                linkRuns.incrementAndGet()
                linkSawChildEnded.set(childEnded.get())
                linked.set()
            }
            sleep()
            sleep()
            sleep()
            assertEquals(0, rawRuns.get() + linkRuns.get(), "links ran while the child still runs")
            release.set()
            g.awaitJoin()
            linked.await()
            sleep()
            sleep()
        }
        assertEquals(1, rawRuns.get())
        assertEquals(1, linkRuns.get())
        assertTrue(rawSawChildEnded.get() && linkSawChildEnded.get())
    }

    @Test
    fun childrenOnAnotherDispatcherAreWaitedForAndTheirFailureCounts() {
        val latch = CountDownLatch(1)
        val childEnded = AtomicBoolean()
        val ok: Greenlet<Int> =
            hub.spawnSuspend {
                launch(Dispatchers.Default) {
                    latch.await(30, TimeUnit.SECONDS)
                    childEnded.set(true)
                }
                1
            }
        val boom = ExpectedError("failed on Dispatchers.Default")
        val failing: Greenlet<Int> =
            hub.spawnSuspend {
                launch(Dispatchers.Default) {
                    latch.await(30, TimeUnit.SECONDS)
                    throw boom
                }
                2
            }
        // the children cannot end before the latch opens: the greenlets cannot be dead yet
        assertFalse(ok.join(Duration.ofMillis(20)), "the greenlet died while its Dispatchers.Default child runs")
        assertFalse(failing.join(Duration.ofMillis(1)))
        latch.countDown()
        assertTrue(ok.join(Duration.ofSeconds(30)))
        assertTrue(childEnded.get())
        assertEquals(1, ok.get())
        assertTrue(failing.join(Duration.ofSeconds(30)))
        assertSame(boom, failing.exception())
    }

    @Test
    fun coroutinesWithAJobOfTheirOwnAreNotChildren() {
        val gate = CompletableDeferred<Unit>()
        val boom = ExpectedError("independent")
        val reported = AtomicReference<Throwable>()
        val own = CoroutineExceptionHandler { _, e -> reported.set(e) }
        val independent = AtomicReference<Job>()
        val global = AtomicReference<Job>()
        lateinit var g: Greenlet<Int>
        runGreenlet {
            g =
                hub.spawnSuspend {
                    @OptIn(kotlinx.coroutines.DelicateCoroutinesApi::class)
                    global.set(GlobalScope.launch { gate.await() })
                    independent.set(
                        CoroutineScope(coroutineContext + Job() + own).launch {
                            gate.await()
                            throw boom
                        }
                    )
                    3
                }
            assertEquals(3, g.await())
            assertFalse(global.get().isCompleted || independent.get().isCompleted)
            gate.complete(Unit)
            independent.get().join()
            global.get().join()
            sleep()
        }
        assertTrue(g.isSuccessful)
        assertEquals(3, g.get())
        assertSame(boom, reported.get(), "an independent job's failure goes to its own handler, not the greenlet")
    }

    @Test
    fun anIndependentJobsFailureWithoutAHandlerReachesTheUncaughtExceptionHandlerOfItsThread() {
        // it is not the greenlet's failure, and it is not swallowed either: kotlinx reports it, as for a root
        // coroutine (the hub thread's handler here, since it fails on the hub)
        val boom = ExpectedError("independent, no handler")
        val reported = CompletableFuture<Throwable>()
        (hub as HubImpl).thread.uncaughtExceptionHandler =
            Thread.UncaughtExceptionHandler { _, e -> reported.complete(e) }
        val g: Greenlet<Int> =
            hub.spawnSuspend {
                CoroutineScope(coroutineContext + Job()).launch {
                    sleep()
                    throw boom
                }
                4
            }
        assertSame(boom, reported.get(30, TimeUnit.SECONDS))
        assertEquals(4, g.get())
        assertTrue(g.isSuccessful)
    }

    @Test
    fun childrenOnTheHubAreTheGreenletForGetcurrent() {
        val seen = AtomicReference<Any?>()
        val g: Greenlet<Unit> =
            hub.spawnSuspend {
                launch {
                    sleep()
                    seen.set(Gevent.getcurrent())
                }
            }
        assertTrue(g.join(Duration.ofSeconds(30)))
        assertSame(g, seen.get())
    }

    @Test
    fun aBodyThatCatchesTheKillAndReturnsHasItsValueOnceTheChildrenEnded() {
        // gevent: a function that catches GreenletExit and returns makes that value the greenlet's
        val cleanupGate = Event()
        lateinit var g: Greenlet<String>
        runGreenlet {
            g =
                hub.spawnSuspend {
                    launch {
                        try {
                            awaitCancellation()
                        } finally {
                            withContext(NonCancellable) { cleanupGate.await() }
                        }
                    }
                    try {
                        awaitCancellation()
                    } catch (e: CancellationException) {
                        "caught " + e.cause
                    }
                }
            sleep()
            sleep()
            g.kill(GreenletExit("stop"), false, null)
            sleep()
            sleep()
            assertFalse(g.isDead, "the greenlet died while its child's cleanup still runs")
            cleanupGate.set()
            g.awaitJoin()
        }
        assertTrue(g.isSuccessful)
        assertEquals("caught " + GreenletExit("stop"), g.get())
    }

    @Test
    fun closingTheHubCancelsTheChildrenOfAGreenletWhoseBodyReturned() {
        val cancelled = CountDownLatch(1)
        val g: Greenlet<Int> =
            hub.spawnSuspend {
                launch {
                    try {
                        awaitCancellation()
                    } finally {
                        cancelled.countDown()
                    }
                }
                9
            }
        val started =
            hub.spawnSuspend {
                sleep()
                sleep()
            }
        assertTrue(started.join(Duration.ofSeconds(30)))
        assertFalse(g.isDead)
        hub.close()
        assertTrue(cancelled.await(30, TimeUnit.SECONDS), "the child outlived its closed hub")
        assertTrue(g.isDead)
        assertTrue(g.isSuccessful)
        assertNull(g.value(), "killed by the hub's close: no value")
    }

    @Test
    fun aCancellationExceptionOfTheBodysOwnIsAFailure() {
        // kotlinx's withTimeout throws a TimeoutCancellationException out of the body while its job is active: the
        // greenlet fails with it (it was not killed), after cancelling its children
        val childCancelled = AtomicBoolean()
        val g: Greenlet<Unit> =
            hub.spawnSuspend {
                launch {
                    try {
                        awaitCancellation()
                    } finally {
                        childCancelled.set(true)
                    }
                }
                withTimeout(1) { awaitCancellation() }
            }
        assertTrue(g.join(Duration.ofSeconds(30)))
        assertFalse(g.isSuccessful)
        assertIs<TimeoutCancellationException>(g.exception())
        assertTrue(childCancelled.get())
    }

    @Test
    fun cancellingTheGreenletsJobFromOutsideGeventEndsItAsAKill() {
        val g: Greenlet<Unit> =
            hub.spawnSuspend {
                val job = coroutineContext.job
                launch { job.cancel() }
                awaitCancellation()
            }
        assertTrue(g.join(Duration.ofSeconds(30)))
        assertTrue(g.isSuccessful)
        assertNull(g.exception())
    }

    @Test
    fun aScopeInTheBodyStillWaitsForItsOwnChildrenAsBefore() {
        // the common pattern that worked before: an explicit coroutineScope { } in the body
        val order = java.util.concurrent.CopyOnWriteArrayList<String>()
        val g: Greenlet<String> =
            hub.spawnSuspend {
                coroutineScope {
                    launch {
                        sleep()
                        order.add("child")
                    }
                }
                order.add("body")
                "v"
            }
        assertEquals("v", g.get())
        assertEquals(listOf("child", "body"), order)
    }
}
