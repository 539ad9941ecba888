package io.gevent4j.kotlin

import io.gevent4j.BlockingSwitchOutException
import io.gevent4j.Greenlet
import io.gevent4j.Hub
import io.gevent4j.Timeout
import io.gevent4j.event.AsyncResult
import io.gevent4j.kotlin.testing.KotlinTestBase
import io.gevent4j.threadpool.ThreadPool
import java.io.IOException
import java.util.Collections
import java.util.concurrent.CompletableFuture
import java.util.concurrent.CountDownLatch
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicBoolean
import java.util.concurrent.atomic.AtomicInteger
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertFalse
import kotlin.test.assertSame
import kotlin.test.assertTrue
import kotlin.time.Duration.Companion.milliseconds
import kotlin.time.Duration.Companion.seconds
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Test

/**
 * The ThreadPool twins (`awaitApply`, `awaitSpawn`, `awaitMap`, `awaitJoin`) from Kotlin greenlets, and
 * `AsyncResult.of(stage).await()`. Runs in both hub modes (Kotlin greenlets behave the same in each).
 */
class ThreadPoolKotlinTest : KotlinTestBase() {

    private fun CountDownLatch.block() {
        check(await(30, TimeUnit.SECONDS)) { "latch not released in 30 s" }
    }

    @Test
    fun awaitApplyRunsOnAPlatformWorkerAndThrowsWhatTheTaskThrew() {
        ThreadPool(2, hub, "kt-apply").use { pool ->
            runGreenlet {
                val where = pool.awaitApply { Thread.currentThread().let { "${it.isVirtual} ${it.name}" } }
                assertEquals("false kt-apply-1", where)
                val io = IOException("checked, and the same instance")
                assertSame(io, assertFailsWith<IOException> { pool.awaitApply<Int> { throw io } })
            }
        }
    }

    @Test
    fun awaitApplyRunsInlineOnOneOfThePoolsOwnWorkers() {
        ThreadPool(1, hub).use { pool ->
            runGreenlet {
                val threads =
                    pool.awaitApply {
                        val outer = Thread.currentThread()
                        // a coroutine on the worker itself: waiting for the only worker would deadlock; it runs inline
                        val inner = runBlocking { pool.awaitApply { Thread.currentThread() } }
                        outer to inner
                    }
                assertSame(threads.first, threads.second)
            }
        }
    }

    @Test
    fun waitingSpawnersAreServedInFifoOrderWhileTheHubRuns() {
        val gate = CountDownLatch(1)
        ThreadPool(1, hub).use { pool ->
            try {
                runGreenlet {
                    val stuck =
                        pool.awaitSpawn {
                            gate.block()
                            "first"
                        }
                    val order = Collections.synchronizedList(ArrayList<Int>())
                    val spawners =
                        (1..3).map { n ->
                            spawn {
                                val r =
                                    pool.awaitSpawn {
                                        order.add(n)
                                        n
                                    }
                                r.await()
                            }
                        }
                    val ticks = AtomicInteger()
                    val ticker = spawn {
                        repeat(3) {
                            sleep(0.005)
                            ticks.incrementAndGet()
                        }
                    }
                    ticker.awaitJoin()
                    assertEquals(3, ticks.get(), "the hub ran while the worker was stuck and three spawners waited")
                    assertTrue(spawners.none { it.isReady })
                    gate.countDown()
                    assertEquals("first", stuck.await())
                    assertEquals(listOf(1, 2, 3), spawners.map { it.await() })
                    assertEquals(listOf(1, 2, 3), order.toList())
                }
            } finally {
                gate.countDown()
            }
        }
    }

    @Test
    fun awaitMapKeepsInputOrderAndThrowsTheFirstFailureInInputOrder() {
        ThreadPool(3, hub).use { pool ->
            runGreenlet {
                assertEquals(
                    listOf(50, 10, 40, 20, 30),
                    pool.awaitMap(listOf(5, 1, 4, 2, 3)) { x ->
                        Thread.sleep(x.toLong())
                        x * 10
                    },
                )
                assertEquals(emptyList(), pool.awaitMap(emptyList<Int>()) { it })
                val second = IllegalStateException("item 2")
                val third = IllegalStateException("item 3")
                val thirdThrown = CountDownLatch(1)
                val thrown =
                    assertFailsWith<IllegalStateException> {
                        pool.awaitMap(listOf(1, 2, 3)) { x ->
                            when (x) {
                                3 -> {
                                    thirdThrown.countDown()
                                    throw third
                                }
                                2 -> {
                                    thirdThrown.block()
                                    throw second
                                }
                                else -> x
                            }
                        }
                    }
                assertSame(second, thrown)
            }
        }
    }

    @Test
    fun awaitJoinTimesOutWithinToleranceThenReturnsWhenAllAreDelivered() {
        val gate = CountDownLatch(1)
        ThreadPool(1, hub).use { pool ->
            try {
                runGreenlet {
                    assertTrue(pool.awaitJoin())
                    val r =
                        pool.awaitSpawn {
                            gate.block()
                            1
                        }
                    val t0 = System.nanoTime()
                    assertFalse(pool.awaitJoin((WAIT_TIMEOUT * 1000).toLong().milliseconds))
                    assertWithin(WAIT_MIN, WAIT_MAX, since(t0))
                    gate.countDown()
                    assertTrue(pool.awaitJoin(10.seconds))
                    assertTrue(r.isReady)
                    assertFailsWith<IllegalArgumentException> { pool.awaitJoin((-1).seconds) }
                }
            } finally {
                gate.countDown()
            }
        }
    }

    @Test
    fun aTimeoutInTheWaitForAWorkerHandsNothingOverAndOneInTheResultWaitLeavesTheTaskRunning() {
        val gate = CountDownLatch(1)
        ThreadPool(1, hub).use { pool ->
            try {
                runGreenlet {
                    val finished = AtomicBoolean()
                    // the result wait: the task runs on
                    assertFailsWith<Timeout> {
                        withGeventTimeout(10.milliseconds) {
                            pool.awaitApply {
                                gate.block()
                                finished.set(true)
                                1
                            }
                        }
                    }
                    assertEquals(1, pool.unfinishedTasks())
                    // the wait for a worker: nothing is handed over
                    val ran = AtomicBoolean()
                    assertFailsWith<Timeout> {
                        withGeventTimeout(10.milliseconds) { pool.awaitSpawn { ran.set(true) } }
                    }
                    assertEquals(1, pool.unfinishedTasks())
                    gate.countDown()
                    pool.awaitJoin()
                    assertTrue(finished.get())
                    assertFalse(ran.get())
                    assertEquals(2, pool.awaitApply { 2 }, "the line is free again")
                }
            } finally {
                gate.countDown()
            }
        }
    }

    @Test
    fun aKilledSpawnerLeavesTheLineToTheNext() {
        val gate = CountDownLatch(1)
        ThreadPool(1, hub).use { pool ->
            try {
                runGreenlet {
                    val busy =
                        pool.awaitSpawn {
                            gate.block()
                            "a"
                        }
                    val killed: Greenlet<String> = spawn { pool.awaitApply { "never" } }
                    val next: Greenlet<String> = spawn { pool.awaitApply { "b" } }
                    sleep()
                    killed.awaitKill()
                    assertTrue(killed.isDead)
                    assertEquals(1, pool.unfinishedTasks())
                    gate.countDown()
                    assertEquals("a", busy.await())
                    assertEquals("b", next.await())
                }
            } finally {
                gate.countDown()
            }
        }
    }

    @Test
    fun theJavaBlockingCallsRefuseInAKotlinBodyNamingTheTwins() {
        ThreadPool(1, hub).use { pool ->
            runGreenlet {
                val apply = assertFailsWith<BlockingSwitchOutException> { pool.apply { 1 } }
                assertTrue(apply.message!!.contains("ThreadPool.awaitApply { }"), apply.message)
                val map = assertFailsWith<BlockingSwitchOutException> { pool.map({ x: Int -> x }, listOf(1)) }
                assertTrue(map.message!!.contains("ThreadPool.awaitMap(items) { }"), map.message)
                val gate = CountDownLatch(1)
                try {
                    val r =
                        pool.spawn {
                            gate.block()
                            1
                        } // a free worker: no wait, no refusal
                    val spawn = assertFailsWith<BlockingSwitchOutException> { pool.spawn { 2 } }
                    assertTrue(spawn.message!!.contains("ThreadPool.awaitSpawn { }"), spawn.message)
                    val join = assertFailsWith<BlockingSwitchOutException> { pool.join() }
                    assertTrue(join.message!!.contains("ThreadPool.awaitJoin()"), join.message)
                    gate.countDown()
                    assertEquals(1, r.await())
                } finally {
                    gate.countDown()
                }
            }
        }
    }

    @Test
    fun resultsOfAPoolOfAnotherHubReachAKotlinGreenletHere() {
        val other = Hub.create("kt-pool-hub")
        try {
            ThreadPool(2, other).use { pool ->
                runGreenlet {
                    assertEquals("across hubs", pool.awaitApply { "across hubs" })
                    assertEquals(listOf(1, 4, 9), pool.awaitMap(listOf(1, 2, 3)) { it * it })
                }
            }
        } finally {
            other.close()
        }
    }

    @Test
    fun theHubsOwnPoolServesKotlinGreenlets() {
        runGreenlet {
            assertEquals(
                "kotlin-test-hub-threadpool-1",
                Hub.current().threadpool().awaitApply { Thread.currentThread().name },
            )
        }
    }

    @Test
    fun asyncResultOfAStageIsAwaitedByAKotlinGreenletWhileOthersRun() {
        val f = CompletableFuture<String>()
        val ticked = CountDownLatch(3)
        val completer = Thread { if (ticked.await(30, TimeUnit.SECONDS)) f.complete("completed on a platform thread") }
        completer.start()
        try {
            runGreenlet {
                val r = AsyncResult.of(f)
                spawn {
                    while (!r.isReady) {
                        ticked.countDown()
                        sleep(0.002)
                    }
                }
                expect(1)
                assertEquals("completed on a platform thread", r.await())
                expect(2)
                val cancelled = CompletableFuture<Int>()
                val c = AsyncResult.of(cancelled)
                cancelled.cancel(false)
                assertFailsWith<java.util.concurrent.CancellationException> { c.await() }
                finish(3)
            }
        } finally {
            ticked.countDown()
            ticked.countDown()
            ticked.countDown()
            completer.join()
        }
        assertFinished()
    }
}
