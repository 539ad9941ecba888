package io.gevent4j.kotlin.spec

import io.gevent4j.BlockingSwitchOutException
import io.gevent4j.Gevent
import io.gevent4j.GreenCallable
import io.gevent4j.GreenRunnable
import io.gevent4j.Greenlet
import io.gevent4j.GreenletExit
import io.gevent4j.Hub
import io.gevent4j.kotlin.awaitApply
import io.gevent4j.kotlin.awaitAvailable
import io.gevent4j.kotlin.awaitJoin
import io.gevent4j.kotlin.awaitKill
import io.gevent4j.kotlin.imapFlow
import io.gevent4j.kotlin.imapUnorderedFlow
import io.gevent4j.kotlin.mapSuspend
import io.gevent4j.kotlin.sleep
import io.gevent4j.kotlin.spawn
import io.gevent4j.kotlin.spawnSuspend
import io.gevent4j.kotlin.testing.KotlinTestBase
import io.gevent4j.pool.Group
import io.gevent4j.pool.Pool
import kotlinx.coroutines.flow.take
import kotlinx.coroutines.flow.toList
import org.junit.jupiter.api.BeforeAll
import org.junit.jupiter.api.DisplayName
import org.junit.jupiter.api.Test
import java.util.concurrent.atomic.AtomicInteger
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertFalse
import kotlin.test.assertSame
import kotlin.test.assertTrue
import kotlin.time.Duration.Companion.milliseconds
import kotlin.time.Duration.Companion.seconds

/**
 * Kotlin twins of the Group/Pool cases (spec section 7), run from Kotlin greenlets. Member bodies are Java
 * greenlets (GreenRunnable/GreenCallable) except in pl19, where Kotlin greenlets are added as members.
 */
class PoolKotlinSpecTest : KotlinTestBase() {

    private class ExpectedException(message: String) : RuntimeException(message)

    companion object {
        @JvmStatic
        @BeforeAll
        fun warmUp() {
            Hub.create("kotlin-pool-warm-up").use { h ->
                val g = h.spawnSuspend {
                    val p = Pool(2)
                    p.spawn(GreenRunnable { Gevent.sleep(0.001) })
                    p.awaitJoin(1.milliseconds)
                    p.mapSuspend(listOf(1, 2)) { it }
                    p.imapFlow(listOf(1, 2)) { it }.toList()
                    p.awaitApply { 1 }
                    p.awaitAvailable(1.milliseconds)
                    p.awaitKill()
                }
                g.join(java.time.Duration.ofSeconds(10))
            }
        }
    }

    @Test
    @DisplayName("PL-12/PL-13 (Kotlin): awaitJoin times out with false, then returns true once the pool is empty")
    fun pl12_awaitJoin() {
        runGreenlet {
            val p = Pool(1)
            p.spawn(GreenRunnable { Gevent.sleep(0.1) })
            assertFalse(p.awaitJoin(10.milliseconds))
            assertTrue(p.awaitJoin())
            assertEquals(0, p.size())
            assertTrue(Pool().awaitJoin())
            p.spawn(GreenRunnable { Gevent.sleep(10.0) })
            val start = System.nanoTime()
            assertFalse(p.awaitJoin(WAIT_TIMEOUT.seconds, raiseError = true))
            assertWithin(WAIT_MIN, WAIT_MAX, since(start))
            p.awaitKill()
            assertEquals(0, p.size())
            assertFailsWith<IllegalArgumentException> { p.awaitJoin((-1).seconds) }
        }
    }

    @Test
    @DisplayName("PL-14 (Kotlin): awaitJoin(raiseError = true) throws a member's failure, the same instance")
    fun pl14_awaitJoinRaisesError() {
        runGreenlet {
            val g = Group()
            val boom = ExpectedException("b")
            val a = g.spawn(GreenRunnable { Gevent.sleep(0.02) })
            g.spawn(GreenRunnable {
                Gevent.sleep(0.01)
                throw boom
            })
            assertSame(boom, assertFailsWith<ExpectedException> { g.awaitJoin(raiseError = true) })
            assertTrue(a.isDead)
        }
    }

    @Test
    @DisplayName("PL-16/PL-17 (Kotlin): awaitKill empties the group; on expiry it returns quietly")
    fun pl17_awaitKill() {
        runGreenlet {
            val g = Group()
            g.spawn(GreenRunnable { Gevent.sleep(10.0) })
            g.spawn(GreenRunnable { Gevent.sleep(10.0) })
            sleep()
            g.awaitKill()
            assertEquals(0, g.size())
            val stubborn = g.spawn(GreenRunnable {
                while (true) {
                    try {
                        Gevent.sleep(10.0)
                    } catch (swallowed: GreenletExit) {
                        // keep going
                    }
                }
            })
            sleep()
            val start = System.nanoTime()
            g.awaitKill(GreenletExit(), 50.milliseconds)
            assertWithin(0.045, GET_MAX, since(start))
            assertEquals(1, g.size())
            assertFalse(stubborn.isDead)
            stubborn.kill(ExpectedException("stop"), false, null)
        }
    }

    @Test
    @DisplayName("PL-19 (Kotlin): Kotlin greenlets as members are tracked and leave the group when they finish")
    fun pl19_kotlinGreenletsAsMembers() {
        runGreenlet {
            val k1 = spawn { sleep(0.01) }
            val k2 = spawn { sleep(0.02) }
            val g = Group(listOf(k1, k2))
            assertEquals(2, g.size())
            assertTrue(g.contains(k1) && g.contains(k2))
            assertTrue(g.awaitJoin(1.seconds))
            assertEquals(0, g.size())
        }
    }

    @Test
    @DisplayName("PL-20/PL-21/PL-22 (Kotlin): awaitApply returns the value, throws the failure, nests inline")
    fun pl20_awaitApply() {
        runGreenlet {
            val p = Pool(1)
            assertEquals(25, p.awaitApply { 5 * 5 })
            val boom = ExpectedException("apply")
            assertSame(boom, assertFailsWith<ExpectedException> { p.awaitApply<Int> { throw boom } })
            assertEquals(6, p.awaitApply { p.apply(GreenCallable { 5 + 1 }) })
        }
    }

    @Test
    @DisplayName("PL-26/PL-28 (Kotlin): mapSuspend keeps input order and throws the first error")
    fun pl26_mapSuspend() {
        runGreenlet {
            val p = Pool(3)
            assertEquals(listOf(0, 1, 4, 9, 16), p.mapSuspend((0 until 5).toList()) { x ->
                sleep((5 - x) * 0.005)
                x * x
            })
            assertEquals(emptyList(), p.mapSuspend(emptyList<Int>()) { it })
            assertFailsWith<ArithmeticException> { p.mapSuspend(listOf(1, 0, 2)) { 1 / it } }
        }
    }

    @Test
    @DisplayName("PL-32/PL-33 (Kotlin): imapFlow in input order, imapUnorderedFlow in completion order")
    fun pl32_imapFlows() {
        runGreenlet {
            val f: suspend (Int) -> String = { n: Int ->
                sleep(n * 0.01)
                n.toString()
            }
            assertEquals(listOf("10", "1", "2"), Pool(2).imapFlow(listOf(10, 1, 2), f).toList())
            assertEquals(listOf("1", "2", "10"), Pool(2).imapUnorderedFlow(listOf(10, 1, 2), f).toList())
            assertEquals(listOf("10", "1", "2"), Pool(1).imapUnorderedFlow(listOf(10, 1, 2), f).toList())
            assertFailsWith<ArithmeticException> { Pool(1).imapFlow(listOf(1, 0, 2)) { 1 / it }.toList() }
        }
    }

    @Test
    @DisplayName("Pool.imapFlow (Kotlin): take(n) of an endless input stops reading it")
    fun imapFlowOfAnEndlessInput() {
        val pulled = AtomicInteger()
        runGreenlet {
            val endless = generateSequence { pulled.getAndIncrement() }.asIterable()
            val p = Pool(2)
            assertEquals(listOf(0, 2, 4, 6, 8), p.imapFlow(endless) { it * 2 }.take(5).toList())
            val read = pulled.get()
            assertTrue(read <= 5 + 2 + 3, "read $read items for 5 taken")
            sleep(0.05)
            assertEquals(read, pulled.get(), "the input is read no more once the collection ended")
        }
    }

    @Test
    @DisplayName("PL-10 (Kotlin): awaitAvailable returns 0 on timeout, the free slots otherwise")
    fun pl10_awaitAvailable() {
        runGreenlet {
            val p = Pool(1)
            val member = p.spawn(GreenRunnable { Gevent.sleep(0.05) })
            val start = System.nanoTime()
            assertEquals(0, p.awaitAvailable(GET_TIMEOUT.seconds))
            assertWithin(GET_MIN, GET_MAX, since(start))
            member.awaitJoin()
            assertEquals(1, p.awaitAvailable(1.seconds))
            assertEquals(1, Pool().awaitAvailable())
        }
    }

    @Test
    @DisplayName("Contexts (Kotlin): the blocking Java calls throw BlockingSwitchOutException in a Kotlin greenlet")
    fun blockingJavaCallsInAKotlinGreenlet() {
        runGreenlet {
            val p = Pool(1)
            val never = io.gevent4j.event.Event()
            p.spawn(GreenCallable { never.waitFor() })
            assertFailsWith<BlockingSwitchOutException> { p.join() }
            assertFailsWith<BlockingSwitchOutException> { p.add(Greenlet(GreenCallable { 1 })) }
            assertFailsWith<BlockingSwitchOutException> { p.waitAvailable(null) }
            assertEquals(1, p.size())
            p.awaitKill()
        }
    }
}
