package io.gevent4j.interop

import io.gevent4j.Gevent
import io.gevent4j.GreenCallable
import io.gevent4j.GreenletExit
import io.gevent4j.GreenletFailedException
import io.gevent4j.event.Event
import io.gevent4j.kotlin.await
import io.gevent4j.kotlin.awaitJoin
import io.gevent4j.kotlin.awaitKill
import io.gevent4j.kotlin.receive
import io.gevent4j.kotlin.sleep
import io.gevent4j.kotlin.spawn
import io.gevent4j.kotlin.spawnBlocking
import io.gevent4j.kotlin.spawnSuspend
import io.gevent4j.kotlin.streamServer
import io.gevent4j.kotlin.testing.KotlinTestBase
import io.gevent4j.kotlin.testing.recorder
import io.gevent4j.kotlin.testing.refusalProblems
import io.gevent4j.kotlin.testing.snapshot
import io.gevent4j.kotlin.withGeventTimeout
import io.gevent4j.pool.Pool
import io.gevent4j.queue.Queue
import io.gevent4j.server.StreamServer
import io.gevent4j.socket.GreenSocket
import java.io.IOException
import java.net.InetSocketAddress
import java.time.Duration as JDuration
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertFalse
import kotlin.test.assertNull
import kotlin.test.assertSame
import kotlin.test.assertTrue
import kotlin.time.Duration.Companion.milliseconds
import kotlin.time.Duration.Companion.seconds
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.NonCancellable
import kotlinx.coroutines.withContext

/**
 * What docs/migrating.md says of moving a service between Java and Kotlin greenlets, checked on one hub, in both hub
 * modes: what stays the same (kills and timeouts cross languages, one queue serves both kinds in order) and what
 * changes (a Java wait in a Kotlin body is refused naming the twin; a kill is a cancellation, so a wait in a killed
 * Kotlin greenlet's cleanup needs `NonCancellable`; a kill does not travel to a greenlet being awaited; checked
 * failures are not wrapped in Kotlin).
 */
class MigrationBehaviourTest : KotlinTestBase() {

    @Test
    fun aJavaGreenletKillsAKotlinGreenletWhichSeesACancellationCausedByTheGreenletExit() {
        val seen = recorder()
        val kotlin =
            hub.spawnSuspend {
                try {
                    expect(1)
                    sleep(10.seconds)
                } catch (e: CancellationException) {
                    expect(3)
                    seen += "cancelled by ${e.cause?.javaClass?.simpleName}"
                    throw e
                }
            }
        val java =
            hub.spawn(
                GreenCallable {
                    Gevent.sleep() // let the Kotlin greenlet start waiting
                    expect(2)
                    kotlin.kill() // GreenletExit; waits for the death
                    expect(4)
                    kotlin.isDead
                }
            )
        assertEquals(true, java.get(JDuration.ofSeconds(10)))
        finish(5)
        assertEquals(listOf("cancelled by GreenletExit"), seen.snapshot())
        assertTrue(kotlin.isSuccessful, "a GreenletExit is a success in both languages")
        assertNull(kotlin.exception())
    }

    @Test
    fun aKotlinGreenletKillsAJavaGreenletWhichSeesTheGreenletExitAtItsBlockingCall() {
        val seen = recorder()
        val java =
            hub.spawn(
                GreenCallable {
                    try {
                        expect(1)
                        Gevent.sleep(10.0)
                    } catch (e: GreenletExit) {
                        expect(3)
                        seen += "GreenletExit"
                        throw e
                    }
                }
            )
        runGreenlet {
            sleep()
            expect(2)
            java.awaitKill()
            expect(4)
        }
        finish(5)
        assertEquals(listOf("GreenletExit"), seen.snapshot())
        assertTrue(java.isSuccessful)
    }

    @Test
    fun aKilledAwaiterOfEitherKindDoesNotKillTheGreenletItAwaits() {
        val release = Event()
        val java =
            hub.spawn(
                GreenCallable {
                    release.waitFor()
                    "done"
                }
            )
        val awaiter = hub.spawnSuspend { java.await() }
        val javaAwaiter = hub.spawn(GreenCallable { java.get() })
        runGreenlet {
            sleep()
            awaiter.awaitKill()
            javaAwaiter.awaitKill()
            assertTrue(awaiter.isDead && javaAwaiter.isDead)
            sleep()
            assertTrue(java.isAlive, "the awaited Java greenlet lives on")
            release.set()
            assertEquals("done", java.await())
        }
    }

    @Test
    fun aWaitInTheCleanupOfAKilledKotlinGreenletNeedsNonCancellableWhereJavaJustWaits() {
        val seen = recorder()
        val kotlin =
            hub.spawnSuspend {
                try {
                    sleep(10.seconds)
                } finally {
                    try {
                        sleep(1.milliseconds)
                        seen += "kotlin: waited"
                    } catch (e: CancellationException) {
                        seen += "kotlin: the wait threw at once"
                    }
                    withContext(NonCancellable) {
                        sleep(1.milliseconds)
                        seen += "kotlin: waited under NonCancellable"
                    }
                }
            }
        val java =
            hub.spawn(
                GreenCallable {
                    try {
                        Gevent.sleep(10.0)
                    } finally {
                        Gevent.sleep(0.001)
                        seen += "java: waited"
                    }
                }
            )
        runGreenlet {
            sleep()
            kotlin.awaitKill()
            java.awaitKill()
        }
        assertEquals(
            listOf("kotlin: the wait threw at once", "kotlin: waited under NonCancellable", "java: waited"),
            seen.snapshot(),
        )
    }

    @Test
    fun aTimeoutCutsAWaitOnAGreenletOfTheOtherLanguageAndLeavesThatGreenletAlone() {
        val release = Event()
        val java =
            hub.spawn(
                GreenCallable {
                    release.waitFor()
                    "java done"
                }
            )
        val kotlin =
            hub.spawnSuspend {
                release.await()
                "kotlin done"
            }
        val fromKotlin = runGreenlet { withGeventTimeout(50.milliseconds, "timed out") { java.await() } }
        val fromJava =
            hub.spawn(
                    GreenCallable {
                        Gevent.withTimeout(JDuration.ofMillis(50), GreenCallable { kotlin.get() }, "timed out")
                    }
                )
                .get(JDuration.ofSeconds(10))
        assertEquals("timed out", fromKotlin)
        assertEquals("timed out", fromJava)
        assertTrue(java.isAlive && kotlin.isAlive, "the awaited greenlets are not touched by the waiter's Timeout")
        release.set()
        assertEquals("java done", java.get(JDuration.ofSeconds(10)))
        assertEquals("kotlin done", kotlin.get(JDuration.ofSeconds(10)))
    }

    @Test
    fun oneQueueServesJavaAndKotlinGettersInTheOrderTheyWaited() {
        val queue = Queue<String>()
        val got = recorder()
        val getters =
            listOf(
                hub.spawn(GreenCallable { got += "java 1 got " + queue.get() }),
                hub.spawnSuspend { got += "kotlin 2 got " + queue.receive() },
                hub.spawn(GreenCallable { got += "java 3 got " + queue.get() }),
            )
        runGreenlet {
            sleep() // all three wait now
            for (item in listOf("a", "b", "c")) queue.putNowait(item)
            for (g in getters) g.awaitJoin()
        }
        assertEquals(listOf("java 1 got a", "kotlin 2 got b", "java 3 got c"), got.snapshot())
    }

    @Test
    fun aCheckedFailureIsWrappedByJavaGetButNotByKotlinAwait() {
        val failure = IOException("disk on fire")
        val java = hub.spawn(GreenCallable<String> { throw failure })
        assertTrue(java.join(JDuration.ofSeconds(10)))
        val wrapped = assertFailsWith<GreenletFailedException> { java.get() }
        assertSame(failure, wrapped.cause)
        runGreenlet {
            val thrown = assertFailsWith<IOException> { java.await() }
            assertSame(failure, thrown)
        }
    }

    @Test
    fun theServicesJavaWaitsInAKotlinBodyAreRefusedNamingTheirTwins() {
        runGreenlet {
            val events = Queue<String>()
            events.putNowait("unfinished") // join() would wait
            val taken = Queue<String>()
            val other = spawn { sleep(10.seconds) }
            val server = StreamServer(InetSocketAddress("127.0.0.1", 0), { _, _ -> }, Pool(2)).start()
            val listener = streamServer(InetSocketAddress("127.0.0.1", 0)) { _, _ -> }.start()
            val client =
                GreenSocket.wrap(
                    java.nio.channels.SocketChannel.open(InetSocketAddress("127.0.0.1", listener.serverPort()))
                )
            try {
                val calls: List<Triple<String, String, () -> Unit>> =
                    listOf(
                        Triple("Greenlet.join()", "awaitJoin", { other.join() }),
                        Triple("Greenlet.get()", "await", { other.get() }),
                        Triple("Event.waitFor()", "Event.await", { Event().waitFor() }),
                        Triple("Queue.join()", "awaitJoin", { events.join() }),
                        Triple("Queue.get()", "receive", { taken.get() }),
                        Triple("for (x : queue)", "receiveAsFlow", { taken.iterator().hasNext() }),
                        Triple("Gevent.sleep(d)", "sleep", { Gevent.sleep(0.01) }),
                        Triple("GreenSocket.getInputStream().read()", "awaitRecv", { client.inputStream.read() }),
                        Triple("StreamServer.stop(d) with a pool", "awaitStop", { server.stop(JDuration.ofMillis(10)) }),
                    )
                val problems = refusalProblems(calls)
                assertEquals(emptyList(), problems)
            } finally {
                client.close()
                listener.stop()
                Gevent.kill(other)
            }
            // the refused stop stopped nothing; a Java greenlet may make the same call
            assertFalse(server.isClosed)
            spawnBlocking { server.stop(JDuration.ofMillis(10)) }.await()
            assertTrue(server.isClosed)
        }
    }
}
