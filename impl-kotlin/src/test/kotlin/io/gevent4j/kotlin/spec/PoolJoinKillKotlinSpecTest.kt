package io.gevent4j.kotlin.spec

import io.gevent4j.Gevent
import io.gevent4j.GreenRunnable
import io.gevent4j.Greenlet
import io.gevent4j.GreenletExit
import io.gevent4j.kotlin.await
import io.gevent4j.kotlin.awaitJoin
import io.gevent4j.kotlin.awaitKill
import io.gevent4j.kotlin.mapSuspend
import io.gevent4j.kotlin.sleep
import io.gevent4j.kotlin.spawn
import io.gevent4j.kotlin.spawnSuspend
import io.gevent4j.kotlin.testing.KotlinTestBase
import io.gevent4j.pool.Group
import io.gevent4j.pool.Pool
import io.gevent4j.testing.ExpectedError
import java.io.IOException
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertFalse
import kotlin.test.assertSame
import kotlin.test.assertTrue
import kotlin.time.Duration
import kotlin.time.Duration.Companion.milliseconds
import kotlin.time.Duration.Companion.seconds
import kotlinx.coroutines.flow.toList
import org.junit.jupiter.api.BeforeAll
import org.junit.jupiter.api.DisplayName
import org.junit.jupiter.api.Test

/**
 * Spec section 7.3 (Group / Pool join, kill, killone, membership) for the Kotlin twins. Split from PoolKotlinSpecTest,
 * whose header lists the skipped and changed cases of section 7.
 */
class PoolJoinKillKotlinSpecTest : KotlinTestBase() {

    companion object {
        @JvmStatic @BeforeAll fun warmUp() = warmUpKotlinPools()
    }

    // ---- 7.3 join / kill / killone / membership ------------------------------------------------------

    @Test
    @DisplayName("PL-11 (Kotlin): awaitJoin on an empty pool or group returns true without yielding")
    fun pl11_awaitJoinOnAnEmptyPoolDoesNotYield() {
        runGreenlet {
            val out = mutableListOf<String>()
            spawn { out.add("other") }
            assertTrue(Pool().awaitJoin())
            assertTrue(Group().awaitJoin(raiseError = true))
            assertTrue(Pool(1).awaitJoin(Duration.ZERO))
            assertEquals(listOf<String>(), out)
        }
    }

    @Test
    @DisplayName(
        "PL-12 (Kotlin): Pool(1) with a 0.1 s member: awaitJoin(0.01 s) is false, awaitJoin() true and empties it"
    )
    fun pl12_awaitJoinWithAndWithoutTimeout() {
        runGreenlet {
            val p = Pool(1)
            p.spawnSuspend { sleep(0.1) }
            assertFalse(p.awaitJoin(10.milliseconds))
            assertTrue(p.awaitJoin())
            assertEquals(0, p.size())
            assertFailsWith<IllegalArgumentException> { p.awaitJoin((-1).seconds) }
        }
    }

    @Test
    @DisplayName("PL-13 (Kotlin): awaitJoin(0.2 s), also with raiseError, returns false within [0.1, 0.31] s")
    fun pl13_awaitJoinTimesOutWithinGeventBounds() {
        runGreenlet {
            for (raise in listOf(false, true)) {
                val p = Pool()
                p.spawnSuspend { sleep(10.0) }
                val t0 = System.nanoTime()
                assertFalse(p.awaitJoin(WAIT_TIMEOUT.seconds, raiseError = raise))
                assertWithin(WAIT_MIN, WAIT_MAX, since(t0))
                p.awaitKill()
                assertEquals(0, p.size())
            }
        }
    }

    @Test
    @DisplayName(
        "PL-14 (Kotlin): awaitJoin(raiseError = true) throws a member's failure, the same instance, once the group is empty"
    )
    fun pl14_awaitJoinRaisesAMembersFailure() {
        runGreenlet {
            val g = Group()
            val boom = ExpectedError("b")
            val a = g.spawnSuspend { sleep(0.02) }
            g.spawnSuspend {
                sleep(0.01)
                throw boom
            }
            assertSame(boom, assertFailsWith<ExpectedError> { g.awaitJoin(raiseError = true) })
            assertTrue(a.isDead)
            assertEquals(0, g.size())
        }
    }

    @Test
    @DisplayName(
        "PL-15 (Kotlin): a failed member already gone is not raised; one dead but not yet discarded is (checked too, same instance)"
    )
    fun pl15_onlyMembersPresentAtTheCallAreChecked() {
        runGreenlet {
            val g = Group()
            val b = g.spawnSuspend { throw ExpectedError("b") }
            sleep(0.01)
            assertFalse(g.contains(b))
            assertTrue(g.awaitJoin(raiseError = true))

            val a = g.spawnSuspend { sleep(0.02) }
            val checkedError = IOException("checked")
            val checked = g.spawnSuspend { throw checkedError }
            sleep()
            assertTrue(checked.isDead)
            assertEquals(2, g.size(), "membership changes are asynchronous")
            assertSame(checkedError, assertFailsWith<IOException> { g.awaitJoin(raiseError = true) })
            assertTrue(a.isDead)
        }
    }

    @Test
    @DisplayName(
        "PL-16 (Kotlin): awaitKill empties the group, each member killed with the instance given; Pool.awaitKill during a mapSuspend returns promptly"
    )
    fun pl16_awaitKillEmptiesTheGroup() {
        runGreenlet {
            val g = Group()
            val a = g.spawnSuspend { sleep(10.0) }
            val b = g.spawnSuspend { sleep(10.0) }
            sleep()
            val stop = ExpectedError("stop")
            g.awaitKill(stop)
            assertEquals(0, g.size())
            assertSame(stop, a.exception())
            assertSame(stop, b.exception())
            g.awaitKill() // empty: returns at once

            val p = Pool(2)
            val result = spawn { p.mapSuspend(List(20) { 0.1 }) { sleep(it) } }
            sleep(0.1)
            val t0 = System.nanoTime()
            p.awaitKill()
            assertWithin(0.0, 0.5, since(t0))
            assertTrue(result.awaitJoin(5.seconds))
        }
    }

    @Test
    @DisplayName(
        "PL-17 (Kotlin): awaitKill(timeout) on a member that swallows GreenletExit returns silently; the member stays"
    )
    fun pl17_awaitKillExpiryIsSilent() {
        runGreenlet {
            val g = Group()
            val stubborn =
                g.spawn(
                    GreenRunnable {
                        while (true) {
                            try {
                                Gevent.sleep(10.0)
                            } catch (swallowed: GreenletExit) {
                                // keep going
                            }
                        }
                    }
                )
            sleep()
            val t0 = System.nanoTime()
            g.awaitKill(GreenletExit(), 50.milliseconds)
            assertWithin(0.045, GET_MAX, since(t0))
            assertEquals(1, g.size())
            assertFalse(stubborn.isDead)
            stubborn.awaitKill(ExpectedError("stop"), 1.seconds)
            assertTrue(stubborn.isDead)
        }
    }

    @Test
    @DisplayName(
        "PL-18 (Kotlin): killone of a Kotlin member not yet run kills it at once; it leaves later; a non-member is ignored"
    )
    fun pl18_killoneOfAMemberNotYetRun() {
        runGreenlet {
            val g = Group()
            var ran = false
            val x = g.spawnSuspend { ran = true }
            g.killone(x) // would not block: the member is dead at once
            assertTrue(x.isDead)
            assertEquals(1, g.size())
            sleep(0.01)
            assertEquals(0, g.size())
            assertFalse(ran)

            val y = spawn { 2 }
            g.killone(y)
            assertFalse(y.isDead)
            assertEquals(2, y.await())
        }
    }

    @Test
    @DisplayName(
        "PL-19 (Kotlin): discard removes at once and the member runs on; Group(Kotlin greenlets) tracks and releases them"
    )
    fun pl19_discardAndMembership() {
        runGreenlet {
            val g = Group()
            val x =
                g.spawnSuspend {
                    sleep(0.01)
                    7
                }
            assertTrue(g.contains(x))
            g.discard(x)
            assertEquals(0, g.size())
            assertFalse(g.contains(x))
            assertEquals(7, x.await())

            val k1 = spawn { sleep(0.01) }
            val k2 = spawn { sleep(0.02) }
            val two = Group(listOf(k1, k2))
            assertEquals(2, two.size())
            assertEquals(listOf<Greenlet<*>>(k1, k2), two.toList())
            k1.awaitJoin()
            sleep()
            assertEquals(1, two.size())
            assertFalse(two.contains(k1))
            assertTrue(two.awaitJoin(1.seconds))
            assertEquals(0, two.size())
        }
    }
}
