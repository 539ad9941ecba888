package io.gevent4j.kotlin.spec

import io.gevent4j.GreenCallable
import io.gevent4j.Greenlet
import io.gevent4j.Timeout
import io.gevent4j.kotlin.awaitKill
import io.gevent4j.kotlin.imapFlow
import io.gevent4j.kotlin.imapUnorderedFlow
import io.gevent4j.kotlin.sleep
import io.gevent4j.kotlin.spawnSuspend
import io.gevent4j.kotlin.test.GeventTestScope
import io.gevent4j.kotlin.test.runGeventTest
import io.gevent4j.kotlin.testing.syncList
import io.gevent4j.kotlin.withGeventTimeout
import io.gevent4j.pool.Group
import io.gevent4j.pool.Pool
import java.time.Duration
import java.util.concurrent.atomic.AtomicInteger
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertNull
import kotlin.test.assertTrue
import kotlin.time.Duration.Companion.milliseconds
import kotlinx.coroutines.flow.toList
import org.junit.jupiter.api.DisplayName
import org.junit.jupiter.api.Test

/**
 * The Kotlin twins of TimingOnVirtualTimeSpecTest: spec cases whose subject is an order or an outcome, moved from
 * GreenletKotlinSpecTest, TimeoutKotlinSpecTest, PoolKotlinSpecTest and PoolMapKotlinSpecTest to `runGeventTest`, with
 * the same checks at exact virtual times.
 */
class TimingOnVirtualTimeKotlinSpecTest {
    private val GeventTestScope.ms: Long
        get() = currentTime.inWholeMilliseconds

    private fun flags(g: Greenlet<*>): List<Boolean> =
        listOf(g.isAlive, g.isStarted, g.isDead, g.isReady, g.isSuccessful)

    @Test
    @DisplayName("GL-24 (Kotlin): startLater(0.2) then kill: the body never runs, dead and ready, links fire once")
    fun gl24_killAfterStartLater() = runGeventTest {
        val runs = AtomicInteger()
        val log = syncList<String>()
        val g = Greenlet(hub, GreenCallable { runs.incrementAndGet() })
        g.link { log.add("L") }
        g.rawlink { log.add("R") }
        g.startLater(Duration.ofMillis(200))
        g.awaitKill()
        assertEquals(listOf(false, false, true, true, true), flags(g))
        sleep(0.25) // past the start it would have had
        assertEquals(250, ms)
        assertEquals(0, runs.get())
        assertEquals(listOf(false, false, true, true, true), flags(g))
        assertEquals(listOf("L", "R"), log)
    }

    @Test
    @DisplayName(
        "TO-19 (Kotlin): withGeventTimeout raises Timeout '0.01 seconds', returns timeoutValue, or the block's result"
    )
    fun to19_withGeventTimeout() = runGeventTest {
        val e =
            assertFailsWith<Timeout> {
                withGeventTimeout(10.milliseconds) {
                    sleep(1.0)
                    "result"
                }
            }
        assertEquals("0.01 seconds", e.message)
        assertEquals(10, ms)
        assertEquals(
            "X",
            withGeventTimeout(10.milliseconds, "X") {
                sleep(1.0)
                "result"
            },
        )
        assertEquals(20, ms)
        assertEquals(
            "result",
            withGeventTimeout(200.milliseconds, "X") {
                sleep(0.01)
                "result"
            },
        )
        assertEquals(30, ms)
        assertNull(
            withGeventTimeout<String?>(200.milliseconds, "X") {
                sleep(0.01)
                null
            }
        )
        assertEquals(40, ms)
        sleep(0.3) // the timers of the blocks that finished in time were cancelled
        assertEquals(340, ms)
    }

    @Test
    @DisplayName("PL-04 (Kotlin): Pool(1): a second spawnSuspend suspends until the first member finishes")
    fun pl04_secondSpawnSuspendWaits() = runGeventTest {
        val p = Pool(1)
        val first = p.spawnSuspend { sleep(0.1) }
        assertEquals(1, p.size())
        val second = p.spawnSuspend { sleep(0.1) }
        assertEquals(100, ms, "the second spawn returned when the first member ended")
        assertTrue(first.isDead)
        assertTrue(p.contains(second))
        assertEquals(1, p.size())
        sleep(0.19)
        assertEquals(0, p.size())
    }

    @Test
    @DisplayName(
        "PL-32 (Kotlin): imapUnorderedFlow emits in completion order (input order with size 1), imapFlow in input order"
    )
    fun pl32_imapUnorderedFlowCompletionOrder() = runGeventTest {
        val f: suspend (Int) -> String = { n ->
            sleep(n * 0.01)
            n.toString()
        }
        assertEquals(listOf("10", "1", "2"), Pool(1).imapUnorderedFlow(listOf(10, 1, 2), f).toList())
        assertEquals(130, ms, "one at a time: 0.1 + 0.01 + 0.02 s")
        assertEquals(listOf("1", "2", "10"), Pool(2).imapUnorderedFlow(listOf(10, 1, 2), f).toList())
        assertEquals(230, ms)
        assertEquals(listOf("1", "2", "10"), Pool().imapUnorderedFlow(listOf(10, 1, 2), f).toList())
        assertEquals(330, ms)
        assertEquals(listOf("1", "2", "10"), Group().imapUnorderedFlow(listOf(10, 1, 2), f).toList())
        assertEquals(430, ms)
        assertEquals(listOf("10", "1", "2"), Pool(2).imapFlow(listOf(10, 1, 2), f).toList())
        // "1" ends at +10 but is held until "10" is emitted at +100 (at most 2 results spawned and not consumed:
        // deviation 36), so "2" runs from +100 to +120
        assertEquals(550, ms)
    }
}
