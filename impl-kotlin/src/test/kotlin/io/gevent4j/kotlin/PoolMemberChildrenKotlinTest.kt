package io.gevent4j.kotlin

import io.gevent4j.kotlin.testing.KotlinTestBase
import io.gevent4j.pool.GreenPool
import io.gevent4j.pool.Pool
import kotlinx.coroutines.launch
import org.junit.jupiter.api.DisplayName
import org.junit.jupiter.api.Test
import kotlin.test.assertEquals
import kotlin.time.Duration.Companion.seconds

/**
 * A Kotlin greenlet is a scope (issue 9, defect 2): a pool member whose body launched children holds its slot
 * until they end, so a pool never runs more than its size, children included.
 */
class PoolMemberChildrenKotlinTest : KotlinTestBase() {
    @Test
    @DisplayName("GreenPool(1): the next spawner gets the slot only after the first member's child ended")
    fun greenPoolSlotHeldUntilChildrenEnd() {
        runGreenlet {
            val pool = GreenPool(1)
            val trace = ArrayList<String>()
            pool.spawnSuspend {
                launch {
                    sleep(0.02)
                    trace.add("child end")
                }
                trace.add("body end")
            }
            val second = pool.spawnSuspend { trace.add("second") } // waits for the slot
            second.awaitJoin(1.seconds)
            assertEquals(listOf("body end", "child end", "second"), trace)
            pool.awaitWaitall()
            assertEquals(1, pool.free())
        }
    }

    @Test
    @DisplayName("Pool(1): the next spawner gets the slot only after the first member's child ended")
    fun poolSlotHeldUntilChildrenEnd() {
        runGreenlet {
            val pool = Pool(1)
            val trace = ArrayList<String>()
            pool.spawnSuspend {
                launch {
                    sleep(0.02)
                    trace.add("child end")
                }
                trace.add("body end")
            }
            val second = pool.spawnSuspend { trace.add("second") }
            second.awaitJoin(1.seconds)
            assertEquals(listOf("body end", "child end", "second"), trace)
            assertEquals(true, pool.awaitJoin(1.seconds))
        }
    }
}
