package io.gevent4j.kotlin.spec

import io.gevent4j.GreenCallable
import io.gevent4j.GreenFunction
import io.gevent4j.Greenlet
import io.gevent4j.GreenletExit
import io.gevent4j.event.Event
import io.gevent4j.kotlin.await
import io.gevent4j.kotlin.awaitAdd
import io.gevent4j.kotlin.awaitAvailable
import io.gevent4j.kotlin.awaitJoin
import io.gevent4j.kotlin.awaitKill
import io.gevent4j.kotlin.mapSuspend
import io.gevent4j.kotlin.sleep
import io.gevent4j.kotlin.spawn
import io.gevent4j.kotlin.spawnBlocking
import io.gevent4j.kotlin.spawnSuspend
import io.gevent4j.kotlin.testing.GreenletKind
import io.gevent4j.kotlin.testing.KotlinTestBase
import io.gevent4j.kotlin.testing.snapshot
import io.gevent4j.kotlin.testing.syncList
import io.gevent4j.kotlin.withGeventTimeout
import io.gevent4j.pool.Group
import io.gevent4j.pool.Pool
import io.gevent4j.pool.PoolFullException
import java.util.Collections
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertFalse
import kotlin.test.assertIs
import kotlin.test.assertTrue
import kotlin.time.Duration
import kotlin.time.Duration.Companion.milliseconds
import kotlin.time.Duration.Companion.seconds
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.launch
import org.junit.jupiter.api.BeforeAll
import org.junit.jupiter.api.DisplayName
import org.junit.jupiter.api.Test
import org.junit.jupiter.params.ParameterizedTest
import org.junit.jupiter.params.provider.ValueSource

/**
 * Section 7 across greenlet kinds: Java and Kotlin members sharing a pool's slots and waiting in one line, the Java
 * pool methods called in a Kotlin greenlet (refused, naming their twins, or working when they never block), and the
 * cases found in review. Split from PoolKotlinSpecTest (skipped and changed cases of section 7).
 */
class PoolMixedKindsKotlinSpecTest : KotlinTestBase() {

    companion object {
        @JvmStatic @BeforeAll fun warmUp() = warmUpKotlinPools()
    }

    // ---- Java and Kotlin members in one pool ---------------------------------------------------------

    @Test
    @DisplayName("Shared accounting (Kotlin): Java and Kotlin members of one Pool take and free the same slots")
    fun javaAndKotlinMembersShareTheSlots() {
        runGreenlet {
            val p = Pool(2)
            val gate = Event()
            val log = syncList<String>()
            val k =
                p.spawnSuspend {
                    gate.await()
                    log.add("k")
                }
            val j =
                p.spawn(
                    GreenCallable {
                        gate.waitFor()
                        log.add("j")
                    }
                ) // a free slot: does not block
            assertEquals(2, p.size())
            assertTrue(p.isFull)
            assertEquals(0, p.freeCount())
            assertEquals(0, p.awaitAvailable(Duration.ZERO))

            // a Java greenlet waits through the Java API, a Kotlin one through the twin
            val jw = spawnBlocking { p.spawn(GreenCallable { log.add("jw") }).join() }
            val kw = spawn { p.spawnSuspend { log.add("kw") }.await() }
            sleep()
            assertFalse(jw.isDead)
            assertFalse(kw.isDead)
            assertEquals(listOf<Greenlet<*>>(k, j), p.toList())
            gate.set()
            jw.await(1.seconds)
            kw.await(1.seconds)
            assertTrue(p.awaitJoin(1.seconds))
            assertEquals(listOf("j", "jw", "k", "kw"), log.snapshot().sorted())
            assertEquals(2, p.freeCount())

            // the Java timeout path and the Kotlin one see the same full pool
            val hold = Event()
            p.spawnSuspend { hold.await() }
            p.spawn(GreenCallable { hold.waitFor() })
            val javaAdd = spawnBlocking {
                runCatching { p.add(Greenlet(GreenCallable { 1 }), true, java.time.Duration.ofMillis(10)) }
                    .exceptionOrNull()
            }
            assertIs<PoolFullException>(javaAdd.await(1.seconds))
            assertFailsWith<PoolFullException> { p.awaitAdd(Greenlet(GreenCallable { 1 }), 10.milliseconds) }
            hold.set()
            assertTrue(p.awaitJoin(1.seconds))
            assertEquals(2, p.freeCount())
            assertEquals(2, p.awaitAvailable())
        }
    }

    @ParameterizedTest
    @ValueSource(strings = ["JAVA KOTLIN KOTLIN", "KOTLIN KOTLIN JAVA"])
    @DisplayName("Shared accounting (Kotlin): Java and Kotlin waiters for a slot start in the order they began waiting")
    fun javaAndKotlinWaitersAreServedInOrder(kinds: String) {
        runGreenlet {
            val p = Pool(1)
            val gate = Event()
            p.spawnSuspend { gate.await() }
            val order = syncList<String>()
            val names = ArrayList<String>()
            val waiters =
                kinds.split(" ").mapIndexed { i, kind ->
                    val name = "$kind $i"
                    names += name
                    val w =
                        when (GreenletKind.valueOf(kind)) {
                            GreenletKind.JAVA -> spawnBlocking { p.spawn(GreenCallable { order.add(name) }).join() }
                            GreenletKind.KOTLIN -> spawn { p.spawnSuspend { order.add(name) }.await() }
                        }
                    sleep()
                    w
                }
            assertTrue(waiters.none { it.isDead })
            gate.set()
            for (w in waiters) w.await(1.seconds)
            assertEquals(names, order.snapshot())
        }
    }

    // ---- Java pool methods in a Kotlin greenlet ------------------------------------------------------

    @Test
    @DisplayName(
        "Contexts (Kotlin): Java pool calls that would block throw BlockingSwitchOutException naming the call and its twin; nothing changes"
    )
    fun blockingJavaPoolCallsNameTheirTwin() {
        runGreenlet {
            val never = Event()
            val full = Pool(1)
            val holder = full.spawnSuspend { never.await() }
            val extra = Greenlet(GreenCallable { 1 })
            assertRefused("Pool.add", "Pool.awaitAdd") { full.add(extra) }
            assertRefused("Pool.add", "Pool.awaitAdd") { full.add(extra, true, java.time.Duration.ofSeconds(1)) }
            assertRefused("Pool.add", "Group.spawnSuspend") { full.spawn(GreenCallable { 1 }) }
            assertRefused("Pool.add", "Pool.awaitAdd") { full.start(extra) }
            assertRefused("Pool.waitAvailable", "Pool.awaitAvailable") { full.waitAvailable(null) }
            assertRefused("Group.join", "Group.awaitJoin") { full.join() }
            assertRefused("Group.join", "Group.awaitJoin") { full.join(0.01, true) }
            assertRefused("Group.apply", "Group.awaitApply") { full.apply(GreenCallable { 1 }) }
            assertRefused("Group.map", "Group.mapSuspend") { full.map(GreenFunction<Int, Int> { it }, listOf(1)) }
            assertRefused("Group.map", "Group.mapSuspend") {
                Group().map(GreenFunction<Int, Int> { it }, generateSequence(1) { null }.asIterable())
            }
            val imap = Pool(1).imap(GreenFunction<Int, Int> { it }, listOf(1))
            assertRefused("IMap.next", "Group.imapFlow") { imap.hasNext() }
            assertRefused("IMap.next", "Group.imapFlow") { imap.next() }
            val unordered = Group().imapUnordered(GreenFunction<Int, Int> { it }, listOf(1))
            assertRefused("IMap.next", "Group.imapUnorderedFlow") { unordered.hasNext() }

            // the refused calls changed nothing
            assertEquals(listOf<Greenlet<*>>(holder), full.toList())
            assertEquals(0, full.freeCount())
            assertFalse(extra.isStarted)
            assertFalse(holder.isDead)
            full.awaitKill()
            assertEquals(1, full.awaitAvailable())
            assertTrue(holder.isDead)
        }
    }

    @Test
    @DisplayName("Contexts (Kotlin): Group.kill with block refuses in a Kotlin greenlet, naming Group.awaitKill")
    fun blockingGroupKillNamesItsTwin() {
        runGreenlet {
            val g = Group()
            val never = Event()
            g.spawnSuspend { never.await() }
            sleep()
            assertRefused("Group.kill", "Group.awaitKill") { g.kill() }
            assertRefused("Group.kill", "Group.awaitKill") {
                g.kill(GreenletExit(), true, java.time.Duration.ofMillis(10))
            }
            g.awaitKill()
            assertEquals(0, g.size())
        }
    }

    @Test
    @DisplayName("Contexts (Kotlin): a refused Group.kill leaves the members alone, as the other refused calls do")
    fun refusedGroupKillHasNoSideEffect() {
        runGreenlet {
            val g = Group()
            val never = Event()
            val m = g.spawnSuspend { never.await() }
            sleep()
            assertRefused("Group.kill", "Group.awaitKill") { g.kill() }
            sleep(0.01)
            assertFalse(m.isDead, "the refused Group.kill killed the member: ${m.exception()}")
            g.awaitKill()
        }
    }

    @Test
    @DisplayName("Contexts (Kotlin): Java pool calls that would not block work in a Kotlin greenlet")
    fun nonBlockingJavaPoolCallsWork() {
        runGreenlet {
            val p = Pool(2)
            val a = p.spawn(GreenCallable { 5 }) // a free slot
            val b = Greenlet(GreenCallable { 6 })
            p.add(b) // a free slot
            assertTrue(p.isFull)
            b.start()
            assertFailsWith<PoolFullException> { p.add(Greenlet(GreenCallable { 7 }), false, null) }
            assertEquals(5, a.await())
            assertEquals(6, b.await())
            assertTrue(p.awaitJoin(1.seconds))
            assertEquals(2, p.waitAvailable(null)) // slots free
            assertTrue(p.join()) // empty
            assertTrue(Group().join(null, true))
            assertEquals(listOf<Int>(), p.map(GreenFunction<Int, Int> { it }, listOf())) // empty input
            Group().kill() // empty
            p.kill(GreenletExit(), false, null) // no wait
            val x = p.spawnSuspend { sleep(10.0) }
            p.kill(GreenletExit(), false, null) // no wait: the member dies later
            assertTrue(x.awaitJoin(1.seconds))
            assertTrue(p.awaitJoin(1.seconds))
        }
    }

    // ---- found in review -------------------------------------------------------------------------------

    @Test
    @DisplayName("PL-04 (Kotlin): a spawner cancelled after a freed slot woke it hands the slot on to the next in line")
    fun cancelledAfterWakeHandsTheSlotOn() {
        runGreenlet {
            val pool = Pool(1)
            val hold = Event()
            val m = pool.spawnSuspend { hold.await() }
            val a = launch { pool.spawnSuspend { "a" } } // a child coroutine: first in line for the slot
            sleep()
            val b = spawnBlocking { pool.spawn(GreenCallable { "b" }).get() } // a Java spawner: second in line
            sleep()
            sleep()
            pool.discard(m) // frees the slot: a release promises it to a
            a.cancel() // before a runs
            assertTrue(b.awaitJoin(1.seconds), "the slot promised to the cancelled spawner must go on to the next")
            assertEquals("b", b.await())
            hold.set()
        }
    }

    @Test
    @DisplayName(
        "PL-16/PL-29 (Kotlin): a head of mapSuspend killed with GreenletExit ends the call; the rest still runs"
    )
    fun pl16_mapSuspendHeadKilledStillSpawnsTheRest() {
        runGreenlet {
            val pool = Pool(1)
            val started = Collections.synchronizedList(ArrayList<Int>())
            val firstRuns = Event()
            spawn {
                firstRuns.await()
                pool.kill(GreenletExit(), false, null) // kills item 0 while the caller waits for a slot
            }
            assertFailsWith<GreenletExit> {
                pool.mapSuspend(listOf(0, 1, 2)) { x ->
                    started.add(x)
                    if (x == 0) {
                        firstRuns.set()
                        Event().await() // until killed
                    }
                    x
                }
            }
            withGeventTimeout(1.seconds) { while (started.size < 3) sleep() }
            assertEquals(listOf(0, 1, 2), started.toList())
            assertTrue(pool.awaitJoin(1.seconds))
        }
    }
}
