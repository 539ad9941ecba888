package io.gevent4j.kotlin

import io.gevent4j.kotlin.testing.KotlinTestBase
import io.gevent4j.pool.GreenPile
import io.gevent4j.pool.GreenPool
import io.gevent4j.pool.Pool
import java.util.concurrent.Executors
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertFalse
import kotlin.test.assertSame
import kotlin.test.assertTrue
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.asCoroutineDispatcher
import kotlinx.coroutines.cancel
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.DisplayName
import org.junit.jupiter.api.Test

/** Cases a review of the pools' move into the implementation found (issue 9); each failed on the first version. */
class PoolReviewFindingsKotlinTest : KotlinTestBase() {
    /** Waits for a state that must come; the bound only turns a hang into a failure. */
    private fun until(what: String, cond: () -> Boolean) {
        val end = System.nanoTime() + 10_000_000_000L
        while (!cond()) {
            check(System.nanoTime() < end) { "never: $what" }
            Thread.sleep(1)
        }
    }

    @Test
    @DisplayName("a GreenPool spawner cancelled right after a release woke it takes no slot for good")
    fun cancelledSpawnerLeaksNoSlot() {
        val pool = GreenPool(0)
        val exec = Executors.newSingleThreadExecutor()
        val scope = CoroutineScope(SupervisorJob())
        try {
            val c =
                scope.launch(exec.asCoroutineDispatcher()) {
                    try {
                        pool.spawnSuspend { 1 }
                    } catch (_: CancellationException) {}
                }
            until("C waits") { pool.waiting() == 1 }
            val d =
                scope.launch(Dispatchers.Unconfined) {
                    pool.spawnSuspend { 2 } // waits behind C; resumed inline when C takes its slot
                    c.cancel()
                }
            until("D waits") { pool.waiting() == 2 }
            pool.resize(2)
            runBlocking {
                c.join()
                d.join()
            }
            until("the members ended") { pool.running() == 0 }
            assertEquals(2, pool.free())
            assertEquals(0, pool.waiting())
        } finally {
            scope.cancel()
            exec.shutdown()
        }
    }

    @Test
    @DisplayName("GreenPile.consumeAsFlow ends with a task's own NoSuchElementException, not quietly")
    fun consumeAsFlowKeepsATasksNoSuchElementException() {
        runGreenlet {
            val pile = GreenPile<Int>(3)
            val boom = NoSuchElementException("the task's own")
            pile.spawnSuspend { 1 }
            pile.spawnSuspend { throw boom }
            pile.spawnSuspend { 3 }
            val got = ArrayList<Int>()
            val e = assertFailsWith<NoSuchElementException> { pile.consumeAsFlow().toList(got) }
            assertSame(boom, e)
            assertEquals(listOf(1), got)
            assertTrue(pile.hasNext())
            assertEquals(3, pile.awaitNext())
            assertFalse(pile.hasNext())
        }
    }

    @Test
    @DisplayName(
        "an Error thrown by an imap's input reaches the consumer after the earlier results (flow and iterator)"
    )
    fun anInputErrorIsNotSwallowed() {
        runGreenlet {
            fun input(): Iterable<Int> = Iterable {
                var i = 0
                object : Iterator<Int> {
                    override fun hasNext(): Boolean = true

                    override fun next(): Int {
                        if (i == 2) throw AssertionError("input broke")
                        return ++i
                    }
                }
            }
            val got = ArrayList<Int>()
            val e = assertFailsWith<AssertionError> { Pool(2).imapFlow(input()) { it * 10 }.toList(got) }
            assertEquals("input broke", e.message)
            assertEquals(listOf(10, 20), got)
            val fromJava =
                spawnBlocking {
                        val out = ArrayList<Int?>() // IMap's elements: null for a task killed with GreenletExit
                        val err =
                            runCatching { for (x in Pool(2).imap({ x: Int -> x * 10 }, input())) out.add(x) }
                                .exceptionOrNull()
                        out to err
                    }
                    .await()
            assertEquals(listOf<Int?>(10, 20), fromJava.first)
            assertTrue(fromJava.second is AssertionError, "${fromJava.second}")
        }
    }
}
