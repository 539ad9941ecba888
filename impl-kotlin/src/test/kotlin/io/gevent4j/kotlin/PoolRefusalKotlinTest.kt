package io.gevent4j.kotlin

import io.gevent4j.BlockingSwitchOutException
import io.gevent4j.GreenCallable
import io.gevent4j.event.Event
import io.gevent4j.kotlin.testing.KotlinTestBase
import io.gevent4j.pool.GreenPile
import io.gevent4j.pool.GreenPool
import io.gevent4j.pool.Group
import io.gevent4j.pool.Pool
import kotlin.test.assertContains
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertFalse
import kotlin.test.assertTrue
import kotlin.time.Duration.Companion.seconds
import org.junit.jupiter.api.DisplayName
import org.junit.jupiter.api.Test

/**
 * Issue 9, defect 11, for the pools: a blocking pool method called in a Kotlin greenlet's body is refused with
 * [BlockingSwitchOutException] naming its documented twin, before any side effect; one that would not wait is not
 * refused.
 */
class PoolRefusalKotlinTest : KotlinTestBase() {
    @Test
    @DisplayName("Group.killone of a running member from a Kotlin body is refused before the kill; the member lives on")
    fun killoneRefusedBeforeTheKill() {
        runGreenlet {
            val group = Group()
            val release = Event()
            val member = group.spawnSuspend { release.await() }
            sleep() // the member runs and waits
            val e = assertFailsWith<BlockingSwitchOutException> { group.killone(member) }
            assertContains(e.message!!, "Group.awaitKillone")
            sleep(0.01)
            assertFalse(member.isDead, "the refused killone killed the member")
            release.set()
            assertTrue(member.awaitJoin(1.seconds))
            assertTrue(member.isSuccessful)
        }
    }

    @Test
    @DisplayName("Group.awaitKillone kills a member and waits for it; a member that has not run dies at once")
    fun awaitKillone() {
        runGreenlet {
            val group = Group()
            val member = group.spawnSuspend { sleep(10.0) }
            sleep()
            group.awaitKillone(member)
            assertTrue(member.isDead)
            assertTrue(member.isSuccessful) // killed with GreenletExit: a success
            val notRun = group.spawnSuspend { sleep(10.0) }
            group.killone(notRun) // dies at once: no wait, no refusal
            assertTrue(notRun.isDead)
            assertTrue(group.awaitJoin(1.seconds))
        }
    }

    @Test
    @DisplayName(
        "Java GreenPool.spawn from a Kotlin body: refused on a full pool (nothing queued, nothing run), allowed with a free slot"
    )
    fun greenPoolSpawnRefusedOnlyWhenItWouldWait() {
        runGreenlet {
            val pool = GreenPool(1)
            val ran = ArrayList<String>()
            val first =
                pool.spawn(
                    GreenCallable {
                        ran.add("first")
                        1
                    }
                ) // a free slot: no wait, no refusal
            val e =
                assertFailsWith<BlockingSwitchOutException> {
                    pool.spawn(
                        GreenCallable {
                            ran.add("second")
                            2
                        }
                    )
                }
            assertContains(e.message!!, "GreenPool.spawnSuspend")
            assertEquals(0, pool.waiting())
            assertEquals(1, first.await())
            pool.awaitWaitall()
            assertEquals(listOf("first"), ran)
            assertEquals(1, pool.free())
        }
    }

    @Test
    @DisplayName(
        "Java GreenPool.spawn from a Kotlin member of its full pool is refused before the function runs inline"
    )
    fun greenPoolInlineSpawnRefused() {
        runGreenlet {
            val pool = GreenPool(1)
            var ranInline = false
            val member =
                pool.spawnSuspend {
                    assertFailsWith<BlockingSwitchOutException> { pool.spawn(GreenCallable { ranInline = true }) }
                    "done"
                }
            assertEquals("done", member.await())
            assertFalse(ranInline)
        }
    }

    @Test
    @DisplayName("Java GreenPile.next from a Kotlin body while the task runs is refused; the result is not consumed")
    fun greenPileNextRefusedWithoutConsuming() {
        runGreenlet {
            val pile = GreenPile<String>(2)
            val release = Event()
            pile.spawnSuspend {
                release.await()
                "r"
            }
            val e = assertFailsWith<BlockingSwitchOutException> { pile.next() }
            assertContains(e.message!!, "GreenPile.awaitNext")
            assertTrue(pile.hasNext())
            release.set()
            assertEquals("r", pile.awaitNext())
            assertFalse(pile.hasNext())
        }
    }

    @Test
    @DisplayName("Java Pool.spawn from a Kotlin body: allowed with a free slot, refused (nothing added) on a full pool")
    fun poolSpawnRefusedOnlyWhenItWouldWait() {
        runGreenlet {
            val pool = Pool(1)
            val g = pool.spawn(GreenCallable { 5 })
            val e = assertFailsWith<BlockingSwitchOutException> { pool.spawn(GreenCallable { 6 }) }
            assertContains(e.message!!, "Pool.awaitAdd")
            assertEquals(1, pool.size())
            assertEquals(5, g.await())
            assertTrue(pool.awaitJoin(1.seconds))
        }
    }
}
