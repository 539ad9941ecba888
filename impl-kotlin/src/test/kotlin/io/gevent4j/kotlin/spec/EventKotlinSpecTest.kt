package io.gevent4j.kotlin.spec

import io.gevent4j.BlockingSwitchOutException
import io.gevent4j.Gevent
import io.gevent4j.GreenCallable
import io.gevent4j.GreenRunnable
import io.gevent4j.Greenlet
import io.gevent4j.Timeout
import io.gevent4j.event.AsyncResult
import io.gevent4j.event.Event
import io.gevent4j.kotlin.await
import io.gevent4j.kotlin.idle
import io.gevent4j.kotlin.joinAll
import io.gevent4j.kotlin.sleep
import io.gevent4j.kotlin.spawn
import io.gevent4j.kotlin.spawnSuspend
import io.gevent4j.kotlin.testing.KotlinTestBase
import io.gevent4j.kotlin.testing.foreign
import io.gevent4j.kotlin.testing.recorder
import io.gevent4j.kotlin.testing.snapshot
import io.gevent4j.kotlin.testing.suspendUntilBlocked
import io.gevent4j.local.GreenletLocal
import io.gevent4j.testing.Foreign
import java.io.IOException
import java.lang.ref.Reference
import java.lang.ref.WeakReference
import java.util.Collections
import java.util.concurrent.atomic.AtomicInteger
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertFalse
import kotlin.test.assertNull
import kotlin.test.assertSame
import kotlin.test.assertTrue
import kotlin.test.fail
import kotlin.time.Duration
import kotlin.time.Duration.Companion.milliseconds
import kotlin.time.Duration.Companion.seconds
import org.junit.jupiter.api.BeforeAll
import org.junit.jupiter.api.DisplayName
import org.junit.jupiter.api.Test

/**
 * Spec sections 4 (Event), 5 (AsyncResult) and 9 (local) with Kotlin greenlets: the scenario is a Kotlin greenlet
 * ([runGreenlet]) using the suspend twins `Event.await` and `AsyncResult.await`; the FIFO cases mix Kotlin greenlets,
 * Java greenlets and foreign threads (platform threads of no hub) as waiters. A woken foreign waiter runs in parallel
 * with the hub, so its outcome is asserted, not its place among the greenlets' records. Skipped cases: see the comments
 * at the top of EventSpecTest.java, AsyncResultSpecTest.java and GreenletLocalSpecTest.java.
 */
class EventKotlinSpecTest : KotlinTestBase() {
    companion object {
        @JvmStatic
        @BeforeAll
        fun warmUpOnce() {
            warmUpKotlinPaths()
            hubWarmUp()
        }

        private fun hubWarmUp() {
            io.gevent4j.Hub.create("event-kotlin-warm-up").use { h ->
                val g =
                    h.spawnSuspend {
                        val e = Event()
                        e.await(1.milliseconds)
                        val ar = AsyncResult<Int>()
                        try {
                            ar.await(1.milliseconds)
                        } catch (expected: Timeout) {
                            // the warm-up timeout
                        }
                        val w = spawn { e.await() }
                        sleep()
                        e.set()
                        w.await()
                    }
                g.join(java.time.Duration.ofSeconds(10))
            }
        }
    }

    /** Yields (1 ms sleeps, at most 10 s) until [e] has [n] links. */
    private suspend fun awaitLinkCount(e: Event, n: Int) {
        val deadline = System.nanoTime() + 10_000_000_000L
        while (e.linkCount() < n) {
            if (System.nanoTime() - deadline > 0) fail("the event has ${e.linkCount()} links, expected $n")
            sleep(1.milliseconds)
        }
        assertEquals(n, e.linkCount())
    }

    // ---- section 4: Event ------------------------------------------------------------------------------------

    @Test
    @DisplayName("EV-01: a new Event is not set; await(0.2 s) returns false after [0.1, 0.31] s, await(0) at once")
    fun ev01_newEventIsNotSetAndAwaitTimesOutWithFalse() {
        val e = Event()
        runGreenlet {
            assertFalse(e.isSet)
            var start = System.nanoTime()
            assertFalse(e.await(200.milliseconds))
            assertWithin(WAIT_MIN, WAIT_MAX, since(start))
            start = System.nanoTime()
            assertFalse(e.await(Duration.ZERO))
            assertWithin(0.0, GET_MAX, since(start)) // "at once": GET_MAX leaves room for first-use class loading
            assertEquals(0, e.linkCount())
        }
    }

    @Test
    @DisplayName("EV-02: set() -> await() and await(0.01 s) return true at once; clear() -> not set")
    fun ev02_setThenAwaitReturnsTrueAtOnce() {
        val e = Event()
        runGreenlet {
            e.set()
            assertTrue(e.isSet)
            val start = System.nanoTime()
            assertTrue(e.await())
            assertTrue(e.await(10.milliseconds))
            assertWithin(0.0, GET_MAX, since(start)) // "at once": GET_MAX leaves room for first-use class loading
            e.clear()
            assertFalse(e.isSet)
            assertFalse(e.await(Duration.ZERO))
        }
    }

    @Test
    @DisplayName("EV-03: set() does not switch; Kotlin, Java and foreign-thread waiters wake FIFO")
    fun ev03_waitersOfAllKindsWakeInFifoOrder() {
        val e = Event()
        val res = recorder()
        val foreigners = ArrayList<Foreign<Boolean>>()
        runGreenlet {
            // waiting order: k0 (Kotlin), j1 (Java), f2 (foreign), k3, j4, f5
            for (n in 0 until 6) {
                when (n % 3) {
                    0 ->
                        spawn {
                            assertTrue(e.await())
                            res += "k$n"
                        }
                    1 ->
                        Gevent.spawn(
                            GreenRunnable {
                                assertTrue(e.waitFor())
                                res += "j$n"
                            }
                        )
                    else -> foreigners += foreign("ev03-f$n") { e.waitFor() }
                }
                sleep()
                awaitLinkCount(e, n + 1)
            }
            e.set()
            res += "after-set"
            assertEquals(listOf("after-set"), res.snapshot(), "set() switched")
            sleep()
        }
        assertEquals(listOf("after-set", "k0", "j1", "k3", "j4"), res.snapshot())
        for (f in foreigners) assertTrue(f.get())
    }

    @Test
    @DisplayName(
        "EV-03: a foreign thread's set() wakes Kotlin and Java greenlet waiters FIFO, the scenario greenlet last"
    )
    fun ev03_foreignSetterWakesGreenletsInFifoOrder() {
        val e = Event()
        val res = recorder()
        val setter =
            foreign("ev03-setter") {
                // sets once the scenario greenlet is the 4th waiter AND has suspended: the hub sleeps only when nothing
                // of its own can run. (A waiter woken between its registration and its suspension goes on at once,
                // ahead of the waiters woken with it: that race, not FIFO, is what this test must rule out.)
                val hubImpl = hub as io.gevent4j.kotlin.internal.HubImpl
                val deadline = System.nanoTime() + 10_000_000_000L
                while (e.linkCount() < 4 || !hubImpl.isParked) {
                    if (System.nanoTime() - deadline > 0) fail("the event has ${e.linkCount()} links, expected 4")
                    Thread.sleep(1)
                }
                e.set()
            }
        runGreenlet {
            spawn {
                e.await()
                res += "k0"
            }
            Gevent.spawn(
                GreenRunnable {
                    e.waitFor()
                    res += "j1"
                }
            )
            spawn {
                e.await()
                res += "k2"
            }
            sleep()
            assertTrue(e.await(10.seconds))
            res += "main"
        }
        setter.get()
        assertEquals(listOf("k0", "j1", "k2", "main"), res.snapshot())
    }

    @Test
    @DisplayName("EV-06: a Kotlin caller finding the event set by a foreign thread runs behind the waiters it woke")
    fun ev06_awaitAfterAForeignSetQueuesBehindTheWokenWaiters() {
        val e = Event()
        val results = Collections.synchronizedList(ArrayList<String>())
        runGreenlet {
            spawn {
                e.await()
                results += "k1"
            }
            Gevent.spawn(
                GreenRunnable {
                    e.waitFor()
                    results += "j2"
                }
            )
            idle()
            assertEquals(2, e.linkCount())
            val setter = foreign("ev06-setter") { e.set() }
            // hold the hub (no yield) until the foreign set() has returned: the woken waiters cannot have run
            val deadline = System.nanoTime() + 10_000_000_000L
            while (!setter.result.isDone) {
                if (System.nanoTime() - deadline > 0) fail("the foreign set() did not return")
                Thread.onSpinWait()
            }
            assertEquals(listOf(), synchronized(results) { results.toList() })
            assertTrue(e.await())
            results += "main"
            assertEquals(listOf("k1", "j2", "main"), synchronized(results) { results.toList() })
        }
    }

    @Test
    @DisplayName("EV-03: a Kotlin greenlet's set() wakes a foreign thread blocked in waitFor()")
    fun ev03_kotlinSetterWakesAForeignWaiter() {
        val e = Event()
        val waiter = foreign("ev03-waiter") { e.waitFor(java.time.Duration.ofSeconds(10)) }
        runGreenlet {
            awaitLinkCount(e, 1)
            assertFalse(waiter.result.isDone)
            e.set()
        }
        assertTrue(waiter.get())
    }

    @Test
    @DisplayName("EV-04: set(); clear() before the waiters run -> every waiter (Kotlin and Java) returns true")
    fun ev04_setThenClearStillWakesWithTrue() {
        val e = Event()
        val res = recorder()
        runGreenlet {
            val gs = ArrayList<Greenlet<*>>()
            for (n in 0 until 4) {
                gs +=
                    if (n % 2 == 0) {
                        spawn { res += "k$n:${e.await(1.seconds)}" }
                    } else {
                        Gevent.spawn(GreenRunnable { res += "j$n:${e.waitFor(java.time.Duration.ofSeconds(1))}" })
                    }
            }
            sleep()
            awaitLinkCount(e, 4)
            val start = System.nanoTime()
            e.set()
            e.clear()
            joinAll(gs)
            assertWithin(0.0, WAIT_MIN, since(start))
            assertFalse(e.isSet)
        }
        assertEquals(listOf("k0:true", "j1:true", "k2:true", "j3:true"), res.snapshot())
    }

    @Test
    @DisplayName("EV-06: a Kotlin caller finding the event set while woken waiters have not run yet runs behind them")
    fun ev06_awaitWhileNotifyingQueuesBehindTheWokenWaiters() {
        val e = Event()
        val results = Collections.synchronizedList(ArrayList<Int>())
        runGreenlet {
            spawn {
                e.await()
                results += 1
            }
            Gevent.spawn(
                GreenRunnable {
                    e.waitFor()
                    results += 2
                }
            )
            idle()
            assertEquals(2, e.linkCount())
            e.set()
            assertTrue(e.await())
            results += 3
            assertEquals(listOf(1, 2, 3), synchronized(results) { results.toList() })
        }
    }

    @Test
    @DisplayName(
        "API: Event.waitFor() / AsyncResult.get() in a Kotlin greenlet -> BlockingSwitchOutException naming the twin"
    )
    fun blockingCallsInAKotlinGreenletThrowBlockingSwitchOut() {
        runGreenlet {
            val e = Event()
            val ex1 = assertFailsWith<BlockingSwitchOutException> { e.waitFor() }
            assertTrue(ex1.message!!.contains("Event.await()"), ex1.message)
            val ar = AsyncResult<Int>()
            val ex2 = assertFailsWith<BlockingSwitchOutException> { ar.get() }
            assertTrue(ex2.message!!.contains("AsyncResult.await()"), ex2.message)
            assertEquals(0, e.linkCount(), "the failed wait left a link")
            // a set event / a ready result does not block: no exception
            e.set()
            assertTrue(e.waitFor())
            ar.set(1)
            assertEquals(1, ar.get())
        }
    }

    // ---- section 5: AsyncResult ------------------------------------------------------------------------------

    @Test
    @DisplayName("AR-03: await(0.01 s) raises Timeout within [0.009, 0.12] s")
    fun ar03_awaitTimesOutWithTimeout() {
        val ar = AsyncResult<Int>()
        runGreenlet {
            val start = System.nanoTime()
            assertFailsWith<Timeout> { ar.await(10.milliseconds) }
            assertWithin(GET_MIN, GET_MAX, since(start))
            assertFalse(ar.isReady)
        }
    }

    @Test
    @DisplayName("AR-04: spawnLater(0.01, set(42)) -> await() == 42, successful")
    fun ar04_valueSetLaterIsSeenByAwait() {
        val ar = AsyncResult<Int>()
        runGreenlet {
            Gevent.spawnLater(0.01, GreenRunnable { ar.set(42) })
            assertEquals(42, ar.await())
            assertEquals(42, ar.value())
            assertTrue(ar.isSuccessful)
        }
    }

    @Test
    @DisplayName(
        "AR-07: setException(obj) -> a Kotlin waiter catches exactly obj, checked or not (no wrapper in Kotlin)"
    )
    fun ar07_kotlinWaiterCatchesExactlyTheStoredException() {
        for (obj in listOf<Throwable>(IllegalStateException("obj"), IOException("checked obj"))) {
            val ar = AsyncResult<Int>()
            val caught = ArrayList<Throwable>()
            runGreenlet {
                spawn {
                    try {
                        ar.await()
                    } catch (t: Throwable) {
                        caught += t
                    }
                }
                sleep()
                ar.setException(obj)
                sleep()
                assertEquals(1, caught.size)
                assertSame(obj, caught[0])
                assertSame(obj, ar.exception())
                assertFalse(ar.isSuccessful)
                assertNull(ar.value())
                assertSame(obj, assertFailsWith<Throwable> { ar.await() })
            }
        }
    }

    @Test
    @DisplayName("AR-08 (JVM deviation): the last outcome wins: set(43) then setException(x) -> await() throws x")
    fun ar08_lastOutcomeWins() {
        runGreenlet {
            val ar = AsyncResult<Int>()
            val x = IllegalArgumentException("x")
            ar.set(43)
            ar.setException(x)
            assertSame(x, assertFailsWith<IllegalArgumentException> { ar.await() })
            assertFalse(ar.isSuccessful)
            val ar2 = AsyncResult<Int>()
            ar2.setException(x)
            ar2.set(5)
            assertEquals(5, ar2.await())
            assertTrue(ar2.isSuccessful)
        }
    }

    @Test
    @DisplayName("AR-10: Kotlin, Java and foreign-thread waiters wake in the order they blocked")
    fun ar10_waitersOfAllKindsWakeInFifoOrder() {
        val ar = AsyncResult<String>()
        val res = recorder()
        val foreigners = ArrayList<Foreign<String>>()
        runGreenlet {
            // blocking order: k0, j1, f2, k3, j4, f5
            for (n in 0 until 6) {
                when (n % 3) {
                    0 -> {
                        spawn { res += "($n,${ar.await()})" }
                        sleep()
                    }
                    1 -> {
                        Gevent.spawn(GreenRunnable { res += "($n,${ar.get()})" })
                        sleep()
                    }
                    else -> {
                        val f = foreign("ar10-f$n") { ar.get() }
                        foreigners += f
                        suspendUntilBlocked(f.thread)
                    }
                }
            }
            ar.set("v")
            res += "after-set"
            sleep()
        }
        assertEquals(listOf("after-set", "(0,v)", "(1,v)", "(3,v)", "(4,v)"), res.snapshot())
        for (f in foreigners) assertEquals("v", f.get())
    }

    // ---- section 9: local ------------------------------------------------------------------------------------

    @Test
    @DisplayName("LOC-01: Kotlin and Java greenlets each see their own value; main keeps its own")
    fun loc01_kotlinGreenletsSeeTheirOwnValue() {
        val l = GreenletLocal<String>()
        val out = recorder()
        runGreenlet {
            l.set("main")
            val gs =
                listOf(
                    spawn {
                        out += "k before: ${l.get()}"
                        l.set("k")
                        sleep()
                        out += "k after: ${l.get()}"
                    },
                    Gevent.spawn(
                        GreenRunnable {
                            out += "j before: ${l.get()}"
                            l.set("j")
                            Gevent.sleep()
                            out += "j after: ${l.get()}"
                        }
                    ),
                    spawn {
                        out += "k2 before: ${l.get()}"
                        l.set("k2")
                        sleep()
                        out += "k2 after: ${l.get()}"
                    },
                )
            joinAll(gs)
            assertEquals("main", l.get())
        }
        assertEquals(
            listOf("k before: null", "j before: null", "k2 before: null", "k after: k", "j after: j", "k2 after: k2"),
            out.snapshot(),
        )
        assertNull(l.get(), "the JUnit thread saw a greenlet's value")
    }

    @Test
    @DisplayName("LOC-06: a Kotlin child greenlet does not inherit its parent's value")
    fun loc06_kotlinChildDoesNotInherit() {
        val l = GreenletLocal<String>()
        runGreenlet {
            l.set("parent")
            assertEquals("<missing>", spawn { l.get() ?: "<missing>" }.await())
            assertEquals("<missing>", Gevent.spawn(GreenCallable { l.get() ?: "<missing>" }).await())
            assertEquals("parent", l.get())
        }
    }

    private fun isCleared(ref: WeakReference<*>): Boolean = ref.get() == null

    private fun storeNew(local: GreenletLocal<Any>): WeakReference<Any> {
        val s = Any()
        local.set(s)
        return WeakReference(s)
    }

    @Test
    @DisplayName(
        "LOC-07: a Kotlin greenlet's value is kept while it lives and collected once it is dead, though referenced"
    )
    fun loc07_valueOfADeadKotlinGreenletIsCollected() {
        val local = GreenletLocal<Any>()
        val refHolder = java.util.concurrent.atomic.AtomicReference<WeakReference<Any>>()
        val stored = Event()
        val release = Event()
        val g =
            hub.spawnSuspend {
                refHolder.set(storeNew(local))
                stored.set()
                release.await()
                assertTrue(local.get() != null, "the value went while the greenlet lived")
            }
        assertTrue(stored.waitFor(java.time.Duration.ofSeconds(10)))
        repeat(3) { System.gc() }
        val ref = refHolder.get()
        // no kotlin.test.assertNotNull(ref.get()) here: the argument would stay in a slot of this frame
        assertFalse(isCleared(ref), "the value of a living greenlet was collected")
        release.set()
        assertTrue(g.join(java.time.Duration.ofSeconds(10)))
        g.get()
        val deadline = System.nanoTime() + 10_000_000_000L
        while (!isCleared(ref) && System.nanoTime() - deadline < 0) {
            System.gc()
            Thread.sleep(10)
        }
        assertTrue(isCleared(ref), "the value of a dead greenlet was not collected")
        assertTrue(g.isDead)
        Reference.reachabilityFence(g)
        Reference.reachabilityFence(local)
    }

    @Test
    @DisplayName("LOC (JVM): withInitial's supplier runs once per Kotlin greenlet, on its first get()")
    fun withInitialRunsOncePerKotlinGreenlet() {
        val calls = AtomicInteger()
        val l = GreenletLocal.withInitial { calls.incrementAndGet() }
        runGreenlet {
            assertEquals(1, l.get())
            assertEquals(2, spawn { l.get() }.await())
            sleep()
            assertEquals(1, l.get())
            l.remove()
            assertEquals(3, l.get())
            assertEquals(3, calls.get())
        }
    }
}
