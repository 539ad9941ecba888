package io.gevent4j.kotlin.spec

import io.gevent4j.BlockingSwitchOutException
import io.gevent4j.Gevent
import io.gevent4j.GreenCallable
import io.gevent4j.GreenFunction
import io.gevent4j.Timeout
import io.gevent4j.event.Event
import io.gevent4j.kotlin.await
import io.gevent4j.kotlin.awaitApply
import io.gevent4j.kotlin.awaitJoin
import io.gevent4j.kotlin.awaitKill
import io.gevent4j.kotlin.imapFlow
import io.gevent4j.kotlin.imapUnorderedFlow
import io.gevent4j.kotlin.mapSuspend
import io.gevent4j.kotlin.sleep
import io.gevent4j.kotlin.spawn
import io.gevent4j.kotlin.spawnSuspend
import io.gevent4j.kotlin.testing.KotlinTestBase
import io.gevent4j.kotlin.testing.snapshot
import io.gevent4j.kotlin.testing.syncList
import io.gevent4j.kotlin.withGeventTimeout
import io.gevent4j.pool.Group
import io.gevent4j.pool.Pool
import io.gevent4j.testing.ExpectedError
import java.io.IOException
import java.util.concurrent.atomic.AtomicInteger
import java.util.function.Consumer
import kotlin.random.Random
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertFalse
import kotlin.test.assertSame
import kotlin.test.assertTrue
import kotlin.time.Duration.Companion.milliseconds
import kotlin.time.Duration.Companion.seconds
import kotlinx.coroutines.flow.take
import kotlinx.coroutines.flow.toList
import org.junit.jupiter.api.BeforeAll
import org.junit.jupiter.api.DisplayName
import org.junit.jupiter.api.Test

/**
 * Spec section 7.4 (apply, mapSuspend, imapFlow, imapUnorderedFlow) for the Kotlin twins. Split from PoolKotlinSpecTest
 * (skipped and changed cases of section 7).
 */
class PoolMapKotlinSpecTest : KotlinTestBase() {

    companion object {
        @JvmStatic @BeforeAll fun warmUp() = warmUpKotlinPools()
    }

    // ---- 7.4 apply / map / imap ----------------------------------------------------------------------

    @Test
    @DisplayName("PL-20 (Kotlin): awaitApply returns the block's result, computed in a new member")
    fun pl20_awaitApplyReturnsTheResult() {
        runGreenlet {
            val p = Pool(2)
            assertEquals(25, p.awaitApply { 5 * 5 })
            assertEquals(listOf("foo", 1), Pool().awaitApply { listOf("foo", 1) })
            assertEquals("g", Group().awaitApply { "g" })
            val me = Gevent.getcurrent()
            val (runner, member) =
                p.awaitApply {
                    sleep(0.001)
                    Gevent.getcurrent() to p.contains(Gevent.getcurrent())
                }
            assertTrue(runner !== me && member, "the block runs in a member")
        }
    }

    @Test
    @DisplayName("PL-21 (Kotlin): awaitApply throws the block's failure, the same instance (checked too)")
    fun pl21_awaitApplyThrowsTheFailure() {
        runGreenlet {
            val boom = ExpectedError("apply")
            assertSame(boom, assertFailsWith<ExpectedError> { Pool(1).awaitApply<Int> { throw boom } })
            val checked = IOException("checked")
            assertSame(checked, assertFailsWith<IOException> { Pool(1).awaitApply<Int> { throw checked } })
        }
    }

    @Test
    @DisplayName("PL-22 (Kotlin): awaitApply/mapSuspend from a member run inline, so a full Pool(1) does not deadlock")
    fun pl22_nestedCallsFromAMemberRunInline() {
        runGreenlet {
            val pool = Pool(1)
            withGeventTimeout(1.seconds) {
                assertEquals(6, pool.awaitApply { pool.awaitApply { 5 + 1 } })
                val (outer, inner) = pool.awaitApply { Gevent.getcurrent() to pool.awaitApply { Gevent.getcurrent() } }
                assertSame(outer, inner, "the nested block ran in the same member")
                assertEquals(listOf(2, 3), pool.awaitApply { pool.mapSuspend(listOf(1, 2)) { it + 1 } })
                // the Java apply/map from a member run inline too, so they never block
                assertEquals(6, pool.awaitApply { pool.apply(GreenCallable { 5 + 1 }) })
                assertEquals(
                    listOf(2, 3),
                    pool.awaitApply { pool.map(GreenFunction<Int, Int> { it + 1 }, listOf(1, 2)) },
                )
            }
            val evt = Event()
            pool.spawnSuspend { evt.set() }
            assertTrue(evt.await(1.seconds))
        }
    }

    @Test
    @DisplayName(
        "PL-24 (Kotlin): Java applyAsync with a callback from a Kotlin greenlet: await() after ~0.082 s; callback on success only"
    )
    fun pl24_applyAsyncCallbackOnSuccessOnly() {
        runGreenlet {
            val result = syncList<Int?>() // the callback's value is null for a member killed with GreenletExit
            val failed = syncList<Any?>()
            val p = Pool(2)
            val t0 = System.nanoTime()
            val g =
                p.applyAsync(
                    GreenCallable {
                        Gevent.sleep(0.082)
                        7 * 7
                    },
                    Consumer { result.add(it) },
                )
            assertEquals(49, g.await())
            assertWithin(0.08, 0.082 + GET_MAX, since(t0))
            sleep()
            assertEquals(listOf(49), result.snapshot())

            val bad =
                p.applyAsync(GreenCallable<Int> { throw ExpectedError("no callback") }, Consumer { failed.add(it) })
            bad.awaitJoin()
            sleep(0.01)
            assertEquals(listOf(), failed.snapshot())
        }
    }

    @Test
    @DisplayName("PL-25 (Kotlin): spawnSuspend { }.await(0.035 s) throws Timeout after the timeout; the member runs on")
    fun pl25_awaitOfAMemberTimesOut() {
        runGreenlet {
            val p = Pool(2)
            val g =
                p.spawnSuspend {
                    sleep(0.235)
                    36
                }
            val t0 = System.nanoTime()
            assertFailsWith<Timeout> { g.await(35.milliseconds) }
            assertWithin(0.033, 0.035 + GET_MAX, since(t0))
            assertFalse(g.isDead)
            p.awaitKill()
        }
    }

    @Test
    @DisplayName("PL-26 (Kotlin): mapSuspend keeps input order; 100 items as sequential; [] is []; a Group too")
    fun pl26_mapSuspendKeepsInputOrder() {
        runGreenlet {
            val p = Pool(3)
            assertEquals(
                listOf(0, 1, 4, 9, 16),
                p.mapSuspend((0 until 5).toList()) { x ->
                    sleep((5 - x) * 0.005)
                    x * x
                },
            )
            assertEquals((0 until 100).map { it * it }, p.mapSuspend((0 until 100).toList()) { it * it })
            assertEquals(listOf(), p.mapSuspend(listOf<Int>()) { it })
            assertEquals(listOf(2, 3), Group().mapSuspend(listOf(1, 2)) { it + 1 })
            // a lazy (non-Collection) input works as well
            assertEquals(
                listOf(1, 2, 3),
                p.mapSuspend(generateSequence(1) { if (it < 3) it + 1 else null }.asIterable()) { it },
            )
        }
    }

    @Test
    @DisplayName("PL-26 (Kotlin): mapSuspend on a Pool holds at most its size in flight; each item in a Kotlin member")
    fun pl26_mapSuspendBoundedByThePool() {
        runGreenlet {
            val p = Pool(3)
            var inFlight = 0
            var most = 0
            val members =
                p.mapSuspend((1..12).toList()) { x ->
                    inFlight++
                    most = maxOf(most, inFlight)
                    sleep(0.005)
                    inFlight--
                    x to p.contains(Gevent.getcurrent())
                }
            assertEquals((1..12).map { it to true }, members)
            assertEquals(3, most)
            assertFailsWith<BlockingSwitchOutException> { p.mapSuspend(listOf(1)) { Gevent.sleep(0.001) } }
        }
    }

    @Test
    @DisplayName("PL-27 (Kotlin): imapFlow(a, b) zips the inputs, the shorter one wins")
    fun pl27_imapFlowZipsTwoInputs() {
        runGreenlet {
            assertEquals(
                listOf(11, 22, 33),
                Pool(2).imapFlow(listOf(1, 2, 3), listOf(10, 20, 30, 40)) { a, b -> a + b }.toList(),
            )
            assertEquals(
                listOf(11, 22),
                Group()
                    .imapFlow(listOf(1, 2, 3), listOf(10, 20)) { a, b ->
                        sleep(0.001)
                        a + b
                    }
                    .toList(),
            )
            val pulled = AtomicInteger()
            assertEquals(
                listOf("a0", "b1"),
                Pool(1).imapFlow(listOf("a", "b"), endless(pulled)) { s, n -> "$s$n" }.toList(),
            )
            assertTrue(pulled.get() <= 3, "the endless input is read while the shorter one lasts: ${pulled.get()}")
        }
    }

    @Test
    @DisplayName("PL-28 (Kotlin): mapSuspend throws the task's error")
    fun pl28_mapSuspendThrowsTheError() {
        runGreenlet {
            assertFailsWith<ArithmeticException> { Pool(2).mapSuspend(listOf(1, 0, 2)) { 1 / it } }
            assertFailsWith<ArithmeticException> { Group().mapSuspend(listOf(1, 0, 2)) { 1 / it } }
        }
    }

    @Test
    @DisplayName(
        "PL-29 (Kotlin): mapSuspend throws the first error at once, the same instance, without cancelling the other tasks"
    )
    fun pl29_mapSuspendThrowsAtOnceWithoutCancelling() {
        runGreenlet {
            val boom = ExpectedError("item 0")
            val go = Event()
            val done = mutableListOf<Int>()
            val g = Group()
            val e =
                assertFailsWith<ExpectedError> {
                    withGeventTimeout(1.seconds) {
                        g.mapSuspend(listOf(0, 1, 2)) { x ->
                            if (x == 0) throw boom
                            go.await()
                            done.add(x)
                            x
                        }
                    }
                }
            assertSame(boom, e)
            assertEquals(listOf(), done, "thrown at once, before the other tasks ended")
            assertEquals(2, g.size(), "the other tasks were not cancelled")
            go.set()
            assertTrue(g.awaitJoin(1.seconds))
            assertEquals(listOf(1, 2), done.sorted())

            // the first error in input order wins, even when a later item fails first
            val first = ExpectedError("first")
            val second = ExpectedError("second")
            val late = Event()
            assertSame(
                first,
                assertFailsWith<ExpectedError> {
                    Group().mapSuspend(listOf(0, 1)) { x ->
                        if (x == 0) {
                            late.await()
                            throw first
                        }
                        late.set()
                        throw second
                    }
                },
            )
        }
    }

    @Test
    @DisplayName(
        "PL-29 (Kotlin): Pool smaller than the input: a failed head ends mapSuspend at once; a helper spawns and runs the rest"
    )
    fun pl29_mapSuspendOnABoundedPoolGoesOnAfterAFailedHead() {
        runGreenlet {
            val boom = ExpectedError("head")
            val go = Event()
            val allDone = Event()
            val done = mutableListOf<Int>()
            val p = Pool(2)
            val e =
                assertFailsWith<ExpectedError> {
                    withGeventTimeout(1.seconds) {
                        p.mapSuspend((0..5).toList()) { x ->
                            if (x == 0) throw boom
                            go.await()
                            done.add(x)
                            if (done.size == 5) allDone.set()
                            x
                        }
                    }
                }
            assertSame(boom, e)
            assertEquals(listOf(), done)
            assertTrue(p.size() <= 2)
            go.set()
            assertTrue(allDone.await(1.seconds), "the rest of the input ran: $done")
            assertEquals(listOf(1, 2, 3, 4, 5), done.sorted())
            assertTrue(p.awaitJoin(1.seconds))
            assertEquals(2, p.freeCount())
        }
    }

    @Test
    @DisplayName(
        "PL-30 (Kotlin): a Flow cannot go on after an error: the first failed task ends imapFlow/imapUnorderedFlow with it"
    )
    fun pl30_imapFlowEndsAtTheFirstFailedTask() {
        runGreenlet {
            for (ordered in listOf(true, false)) {
                val err = ArithmeticException("/ by zero")
                val fn: suspend (Int) -> Double = { x -> if (x == 0) throw err else 1.0 / x }
                val flow =
                    if (ordered) Pool(1).imapFlow(listOf(1, 0, 2), fn)
                    else Pool(1).imapUnorderedFlow(listOf(1, 0, 2), fn)
                val got = mutableListOf<Double>()
                assertSame(err, assertFailsWith<ArithmeticException> { flow.collect { got.add(it) } })
                assertEquals(listOf(1.0), got, "ordered=$ordered")
            }
            // in input order, the results before the failed one are emitted first
            val late = ExpectedError("late")
            val got = mutableListOf<Int>()
            assertSame(
                late,
                assertFailsWith<ExpectedError> {
                    Group()
                        .imapFlow(listOf(0, 1, 2)) { x ->
                            if (x == 1) throw late
                            sleep(0.01)
                            x
                        }
                        .collect { got.add(it) }
                },
            )
            assertEquals(listOf(0), got)
        }
    }

    @Test
    @DisplayName(
        "PL-31 (Kotlin): an input error comes after the results of the items read before it (mapSuspend and both flows)"
    )
    fun pl31_inputErrorAfterTheEarlierResults() {
        runGreenlet {
            val boom = ExpectedError("input")
            val done = mutableListOf<Int>()
            assertSame(
                boom,
                assertFailsWith<ExpectedError> {
                    Pool(3).mapSuspend(failingAfterTwo(boom)) { x ->
                        sleep(0.01)
                        done.add(x)
                        x
                    }
                },
            )
            assertEquals(listOf(1, 2), done.sorted(), "the tasks read before the error ended first")

            // an earlier task's failure wins over the input's error
            val task = ExpectedError("task 1")
            assertSame(
                task,
                assertFailsWith<ExpectedError> {
                    Pool(3).mapSuspend(failingAfterTwo(boom)) { x ->
                        sleep(0.01)
                        if (x == 1) throw task
                        x
                    }
                },
            )

            val ordered = mutableListOf<Int>()
            assertSame(
                boom,
                assertFailsWith<ExpectedError> {
                    Pool(3).imapFlow(failingAfterTwo(boom)) { it }.collect { ordered.add(it) }
                },
            )
            assertEquals(listOf(1, 2), ordered)
            val unordered = mutableListOf<Int>()
            assertSame(
                boom,
                assertFailsWith<ExpectedError> {
                    Pool(3)
                        .imapUnorderedFlow(failingAfterTwo(boom)) { x ->
                            sleep((3 - x) * 0.005)
                            x
                        }
                        .collect { unordered.add(it) }
                },
            )
            assertEquals(listOf(2, 1), unordered)
        }
    }

    @Test
    @DisplayName(
        "PL-33 (Kotlin): imapFlow keeps input order; empty input is empty; 1000 unordered results are all there"
    )
    fun pl33_imapFlowInputOrder() {
        runGreenlet {
            val rnd = Random(42)
            val delays = List(10) { rnd.nextDouble() * 0.01 }
            assertEquals(
                (0 until 10).map { it * it },
                Pool(4)
                    .imapFlow((0 until 10).toList()) { i ->
                        sleep(delays[i])
                        i * i
                    }
                    .toList(),
            )
            assertEquals(listOf(), Pool(2).imapFlow(listOf<Int>()) { it }.toList())
            assertEquals(listOf(), Pool(2).imapUnorderedFlow(listOf<Int>()) { it }.toList())
            assertEquals(listOf(), Group().imapFlow(listOf<Int>(), listOf(1)) { a, b -> a + b }.toList())
            assertEquals(
                (0 until 1000).map { it * it },
                Pool(10).imapUnorderedFlow((0 until 1000).toList()) { it * it }.toList().sorted(),
            )
        }
    }

    @Test
    @DisplayName(
        "PL-33 (Kotlin): the flows are cold: nothing runs before collection, and each collection runs the tasks again"
    )
    fun pl33_imapFlowIsCold() {
        runGreenlet {
            var calls = 0
            val p = Pool(2)
            val flow =
                p.imapFlow(listOf(1, 2, 3)) { x ->
                    calls++
                    x * 2
                }
            sleep(0.01)
            assertEquals(0, calls)
            assertEquals(0, p.size())
            assertEquals(listOf(2, 4, 6), flow.toList())
            assertEquals(listOf(2, 4, 6), flow.toList())
            assertEquals(6, calls)
        }
    }

    @Test
    @DisplayName("imapFlow (Kotlin): a Pool holds at most its size in flight; a Group runs all at once")
    fun imapFlowInFlightBound() {
        runGreenlet {
            for ((group, bound) in listOf(Pool(3) to 3, Group() to 12, Pool() to 12)) {
                var inFlight = 0
                var most = 0
                val out =
                    group
                        .imapUnorderedFlow((1..12).toList()) { x ->
                            inFlight++
                            most = maxOf(most, inFlight)
                            sleep(0.005)
                            inFlight--
                            x
                        }
                        .toList()
                assertEquals((1..12).toList(), out.sorted())
                assertEquals(bound, most, "$group")
            }
        }
    }

    @Test
    @DisplayName(
        "imapFlow (Kotlin): take(n) of an endless input works; the input is read lazily and no more afterwards; tasks in flight run on"
    )
    fun imapFlowOfAnEndlessInput() {
        runGreenlet {
            val pulled = AtomicInteger()
            val started = AtomicInteger()
            val finished = AtomicInteger()
            val p = Pool(2)
            assertEquals(
                listOf(0, 2, 4, 6, 8),
                p.imapFlow(endless(pulled)) {
                        started.incrementAndGet()
                        sleep(0.001)
                        finished.incrementAndGet()
                        it * 2
                    }
                    .take(5)
                    .toList(),
            )
            val read = pulled.get()
            assertTrue(read <= 5 + 2 + 1, "read $read items for 5 taken")
            assertTrue(p.awaitJoin(1.seconds))
            assertEquals(started.get(), finished.get(), "the tasks in flight ran to their end")
            sleep(0.02)
            assertEquals(read, pulled.get(), "the input is read no more once the collection ended")
            assertEquals(2, p.freeCount())

            // a slow collector: the input is read at most about the pool's size ahead of it
            val pulled2 = AtomicInteger()
            val seen = mutableListOf<Int>()
            Pool(2)
                .imapUnorderedFlow(endless(pulled2)) { it }
                .take(10)
                .collect { v ->
                    seen.add(v)
                    assertTrue(pulled2.get() <= seen.size + 2 + 1, "read ${pulled2.get()} with ${seen.size} emitted")
                    sleep(0.002)
                }
            assertEquals((0 until 10).toList(), seen.sorted())
        }
    }

    @Test
    @DisplayName(
        "PL-36 (Kotlin): Java mapAsync from a Kotlin greenlet returns at once a greenlet (no member) whose value is the list"
    )
    fun pl36_mapAsyncFromKotlin() {
        runGreenlet {
            val p = Pool(2)
            val seen = syncList<List<Int?>?>() // null (elements too) after a GreenletExit
            val g = p.mapAsync(GreenFunction<Int, Int> { it * 2 }, listOf(1, 2, 3), Consumer { seen.add(it) })
            assertFalse(p.contains(g))
            assertEquals(listOf(2, 4, 6), g.await())
            sleep()
            assertEquals(listOf(listOf(2, 4, 6)), seen.snapshot())
            // its Kotlin form: mapSuspend in a greenlet of its own
            val k = spawn { p.mapSuspend(listOf(1, 2)) { it + 1 } }
            assertFalse(p.contains(k))
            assertEquals(listOf(2, 3), k.await())
        }
    }

    @Test
    @DisplayName("PL-37 (Kotlin): consumer and producer members in a Pool(2) interleave as cons1, prod, cons2")
    fun pl37_consumerAndProducer() {
        runGreenlet {
            val p = Pool(2)
            val evt = Event()
            val done =
                p.spawnSuspend {
                    expect(2) // cons1
                    evt.await()
                    expect(4) // cons2
                }
            p.spawnSuspend {
                sleep(0.001)
                expect(3) // prod
                evt.set()
            }
            expect(1)
            done.await()
            finish(5)
        }
        assertFinished()
    }
}
