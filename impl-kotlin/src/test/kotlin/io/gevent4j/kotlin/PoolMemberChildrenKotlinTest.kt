package io.gevent4j.kotlin

import io.gevent4j.kotlin.testing.KotlinTestBase
import io.gevent4j.pool.GreenPool
import io.gevent4j.pool.Pool
import kotlin.test.assertEquals
import kotlin.test.assertTrue
import kotlin.time.Duration.Companion.seconds
import kotlinx.coroutines.launch
import org.junit.jupiter.api.DisplayName
import org.junit.jupiter.params.ParameterizedTest
import org.junit.jupiter.params.provider.ValueSource

/**
 * A Kotlin greenlet is a scope (issue 9, defect 2): a pool member whose body launched children holds its slot until
 * they end, so a pool never runs more than its size, children included.
 */
class PoolMemberChildrenKotlinTest : KotlinTestBase() {
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = ["GreenPool", "Pool"])
    @DisplayName("a pool of one: the next spawner gets the slot only after the first member's child ended")
    fun slotHeldUntilChildrenEnd(kind: String) {
        runGreenlet {
            val greenPool = GreenPool(1)
            val pool = Pool(1)
            val trace = ArrayList<String>()
            suspend fun spawnInto(block: suspend kotlinx.coroutines.CoroutineScope.() -> Unit) =
                if (kind == "GreenPool") greenPool.spawnSuspend(block) else pool.spawnSuspend(block)
            spawnInto {
                launch {
                    sleep(0.02)
                    trace.add("child end")
                }
                trace.add("body end")
            }
            val second = spawnInto { trace.add("second") } // waits for the slot
            assertTrue(second.awaitJoin(1.seconds))
            assertEquals(listOf("body end", "child end", "second"), trace)
            if (kind == "GreenPool") {
                greenPool.awaitWaitall()
                assertEquals(1, greenPool.free())
            } else {
                assertTrue(pool.awaitJoin(1.seconds))
                assertEquals(1, pool.freeCount())
            }
        }
    }
}
