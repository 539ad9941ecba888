package io.gevent4j.kotlin.core

import io.gevent4j.GreenCallable
import io.gevent4j.Greenlet
import io.gevent4j.event.AsyncResult
import io.gevent4j.event.Event
import io.gevent4j.kotlin.asCoroutineDispatcher
import io.gevent4j.kotlin.await
import io.gevent4j.kotlin.awaitAccept
import io.gevent4j.kotlin.awaitAcquire
import io.gevent4j.kotlin.awaitApply
import io.gevent4j.kotlin.awaitClose
import io.gevent4j.kotlin.awaitCommunicate
import io.gevent4j.kotlin.awaitConnect
import io.gevent4j.kotlin.awaitExit
import io.gevent4j.kotlin.awaitJoin
import io.gevent4j.kotlin.awaitKill
import io.gevent4j.kotlin.awaitMap
import io.gevent4j.kotlin.awaitPeek
import io.gevent4j.kotlin.awaitReadStdout
import io.gevent4j.kotlin.awaitReady
import io.gevent4j.kotlin.awaitRecv
import io.gevent4j.kotlin.awaitRun
import io.gevent4j.kotlin.awaitSend
import io.gevent4j.kotlin.awaitSendAll
import io.gevent4j.kotlin.awaitServeForever
import io.gevent4j.kotlin.awaitSpawn
import io.gevent4j.kotlin.awaitStop
import io.gevent4j.kotlin.awaitWriteStdin
import io.gevent4j.kotlin.idle
import io.gevent4j.kotlin.iwait
import io.gevent4j.kotlin.receive
import io.gevent4j.kotlin.receiveAsFlow
import io.gevent4j.kotlin.send
import io.gevent4j.kotlin.sleep
import io.gevent4j.kotlin.spawnSuspend
import io.gevent4j.kotlin.spi.SuspendEventPeer
import io.gevent4j.kotlin.spi.SuspendGeventProvider
import io.gevent4j.kotlin.spi.SuspendQueuePeer
import io.gevent4j.kotlin.streamServer
import io.gevent4j.kotlin.testing.KotlinTestBase
import io.gevent4j.kotlin.withGeventTimeout
import io.gevent4j.kotlin.withLock
import io.gevent4j.kotlin.withPermit
import io.gevent4j.lock.RLock
import io.gevent4j.lock.Semaphore
import io.gevent4j.queue.Queue
import io.gevent4j.server.StreamServer
import io.gevent4j.socket.GreenServerSocket
import io.gevent4j.socket.GreenSocket
import io.gevent4j.spi.EventPeer
import io.gevent4j.spi.GeventProvider
import io.gevent4j.spi.Providers
import io.gevent4j.spi.QueuePeer
import io.gevent4j.subprocess.Popen
import io.gevent4j.threadpool.ThreadPool
import io.mockk.coEvery
import io.mockk.coVerify
import io.mockk.every
import io.mockk.mockk
import io.mockk.mockkStatic
import io.mockk.unmockkStatic
import java.lang.ProcessBuilder.Redirect
import java.lang.reflect.InvocationHandler
import java.lang.reflect.InvocationTargetException
import java.lang.reflect.Proxy
import java.net.InetSocketAddress
import java.nio.ByteBuffer
import java.nio.file.Files
import kotlin.io.path.exists
import kotlin.test.assertEquals
import kotlin.test.assertFalse
import kotlin.test.assertSame
import kotlin.test.assertTrue
import kotlin.time.Duration.Companion.milliseconds
import kotlin.time.Duration.Companion.seconds
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.DisplayName
import org.junit.jupiter.api.Test

/**
 * The suspend twins reach an implementation only through `io.gevent4j.kotlin.spi` (issue 9, defect 7): with another
 * provider (picked with `io.gevent4j.provider`) they fail with an IllegalStateException naming the object, the provider
 * and the missing interface, never with a ClassCastException; a provider whose peers implement the interfaces is
 * reached through them. The provider is replaced by mocking `Providers.get()` for the test's duration.
 */
class SuspendSpiTest : KotlinTestBase() {
    private val real: GeventProvider = Providers.get()

    /** [real] behind the Java interface [iface] only: no suspend side. */
    private fun <P : Any> javaOnly(iface: Class<P>, target: Any, name: String? = null): P {
        val h = InvocationHandler { _, m, args ->
            if (name != null && m.name == "name" && m.parameterCount == 0) return@InvocationHandler name
            val r =
                try {
                    m.invoke(target, *(args ?: emptyArray()))
                } catch (e: InvocationTargetException) {
                    throw e.cause!!
                }
            val t = m.returnType
            if (r != null && t.isInterface && t.name.startsWith("io.gevent4j.spi.") && t.name.endsWith("Peer"))
                javaOnly(t, r)
            else r
        }
        return iface.cast(Proxy.newProxyInstance(iface.classLoader, arrayOf(iface), h))
    }

    /** Runs [block] with [provider] as the gevent4j provider (Providers.get() mocked). */
    private fun <T> withProvider(provider: GeventProvider, block: () -> T): T {
        mockkStatic(Providers::class)
        try {
            every { Providers.get() } returns provider
            return block()
        } finally {
            unmockkStatic(Providers::class)
        }
    }

    private fun fake(): GeventProvider = javaOnly(GeventProvider::class.java, real, "java-only-fake")

    /** Runs [call] and returns the problem, or null when it threw the clear IllegalStateException. */
    private suspend fun problem(call: String, expect: List<String>, block: suspend () -> Any?): String? {
        val e =
            try {
                block()
                return "$call returned"
            } catch (t: Throwable) {
                t
            }
        if (e !is IllegalStateException || e is io.gevent4j.BlockingSwitchOutException) return "$call threw $e"
        val missing = expect.filter { !e.message.orEmpty().contains(it) }
        return if (missing.isEmpty()) null else "$call: the message lacks $missing: ${e.message}"
    }

    @Test
    @DisplayName(
        "Another provider: every twin that needs a peer's suspend form throws IllegalStateException naming the object, the provider and the interface; the Java facades work"
    )
    fun peerTwinsOfAJavaOnlyProviderFailClearly() {
        val tmp = Files.createTempDirectory("spi")
        val marker = tmp.resolve("started")
        withProvider(fake()) {
            val event = Event()
            val ar = AsyncResult<Int>()
            val q = Queue<Int>()
            val sem = Semaphore(1)
            val lock = RLock()
            val pool = ThreadPool(1, hub)
            val g = Greenlet(hub, GreenCallable { io.gevent4j.Gevent.sleep(60.0) }).start()
            val listener = GreenServerSocket.listen(InetSocketAddress("127.0.0.1", 0))
            val client = GreenSocket.connect(InetSocketAddress("127.0.0.1", listener.port()))
            val server = StreamServer(InetSocketAddress("127.0.0.1", 0)) { _, _ -> }
            val popen = Popen(ProcessBuilder("cat").redirectInput(Redirect.PIPE).redirectOutput(Redirect.PIPE))
            try {
                val problems = runBlocking {
                    fun n(iface: String, obj: Any) = listOf(iface, "java-only-fake", obj.toString())
                    listOfNotNull(
                        problem("Event.await", n("io.gevent4j.kotlin.spi.SuspendEventPeer", event)) {
                            event.await(1.milliseconds)
                        },
                        problem("AsyncResult.await", n("SuspendAsyncResultPeer", ar)) { ar.await(1.milliseconds) },
                        problem("send", n("SuspendQueuePeer", q)) { q.send(1) },
                        problem("receive", n("SuspendQueuePeer", q)) { q.receive() },
                        problem("awaitPeek", n("SuspendQueuePeer", q)) { q.awaitPeek() },
                        problem("receiveAsFlow", n("SuspendQueuePeer", q)) { q.receiveAsFlow() },
                        problem("Queue.awaitJoin", n("SuspendQueuePeer", q)) { q.awaitJoin() },
                        problem("Semaphore.awaitAcquire", n("SuspendSemaphorePeer", sem)) { sem.awaitAcquire() },
                        problem("Semaphore.awaitReady", n("SuspendSemaphorePeer", sem)) { sem.awaitReady() },
                        problem("withPermit", n("SuspendSemaphorePeer", sem)) { sem.withPermit {} },
                        problem("RLock.awaitAcquire", n("SuspendRLockPeer", lock)) { lock.awaitAcquire() },
                        problem("withLock", n("SuspendRLockPeer", lock)) { lock.withLock {} },
                        problem("Greenlet.await", n("SuspendGreenletPeer", g)) { g.await() },
                        problem("Greenlet.awaitJoin", n("SuspendGreenletPeer", g)) { g.awaitJoin() },
                        problem("Greenlet.awaitKill", n("SuspendGreenletPeer", g)) { g.awaitKill() },
                        problem("ThreadPool.awaitApply", n("SuspendThreadPoolPeer", pool)) { pool.awaitApply { 1 } },
                        problem("ThreadPool.awaitSpawn", n("SuspendThreadPoolPeer", pool)) { pool.awaitSpawn { 1 } },
                        problem("ThreadPool.awaitMap", n("SuspendThreadPoolPeer", pool)) {
                            pool.awaitMap(listOf(1)) { it }
                        },
                        problem("ThreadPool.awaitJoin", n("SuspendThreadPoolPeer", pool)) { pool.awaitJoin() },
                        problem("awaitRecv", n("SuspendSocketPeer", client)) {
                            client.awaitRecv(ByteBuffer.allocate(1))
                        },
                        problem("awaitSend", n("SuspendSocketPeer", client)) {
                            client.awaitSend(ByteBuffer.allocate(1))
                        },
                        problem("awaitSendAll", n("SuspendSocketPeer", client)) { client.awaitSendAll(ByteArray(1)) },
                        problem("awaitAccept", n("SuspendServerSocketPeer", listener)) { listener.awaitAccept() },
                        problem("awaitServeForever", n("SuspendStreamServerPeer", server)) {
                            server.awaitServeForever()
                        },
                        problem("awaitStop", n("SuspendStreamServerPeer", server)) { server.awaitStop() },
                        problem("awaitExit", n("SuspendPopenPeer", popen)) { popen.awaitExit() },
                        problem("awaitCommunicate", n("SuspendPopenPeer", popen)) { popen.awaitCommunicate() },
                        problem("awaitClose", n("SuspendPopenPeer", popen)) { popen.awaitClose() },
                        problem("awaitReadStdout", n("SuspendPopenPeer", popen)) {
                            popen.awaitReadStdout(ByteArray(1))
                        },
                        problem("awaitWriteStdin", n("SuspendPopenPeer", popen)) { popen.awaitWriteStdin(ByteArray(1)) },
                    )
                }
                assertEquals(emptyList(), problems)
                // a refused twin had no effect: the greenlet was not killed, nothing was put, taken or acquired
                assertTrue(g.isAlive, "awaitKill refused before killing")
                assertEquals(0, q.qsize())
                assertEquals(1, sem.counter())
                assertFalse(server.isStarted)
                // the Java facades of the same objects work
                event.set()
                assertTrue(event.waitFor(java.time.Duration.ofSeconds(1)))
                q.put(7)
                assertEquals(7, q.get())
                assertTrue(sem.acquire(java.time.Duration.ofSeconds(1)))
                g.kill()
                assertTrue(g.isDead)
            } finally {
                pool.close()
                client.close()
                listener.close()
                server.close()
                popen.kill()
                popen.waitFor()
            }
            // twins that need the provider's suspend side
            val problems = runBlocking {
                val n = listOf("io.gevent4j.kotlin.spi.SuspendGeventProvider", "java-only-fake")
                listOfNotNull(
                    problem("spawnSuspend", n) { hub.spawnSuspend { 1 } },
                    problem("sleep()", n) { sleep() },
                    problem("sleep(d)", n) { sleep(1.milliseconds) },
                    problem("sleep(s)", n) { sleep(0.001) },
                    problem("idle", n) { idle() },
                    problem("iwait", n) { iwait(listOf(Event())).toList() },
                    problem("withGeventTimeout", n) { withGeventTimeout(1.seconds) { 1 } },
                    problem("asCoroutineDispatcher", n) { hub.asCoroutineDispatcher() },
                    problem("awaitConnect(address)", n) { awaitConnect(InetSocketAddress("127.0.0.1", 9)) },
                    problem("awaitConnect(host, port)", n) { awaitConnect("localhost", 9) },
                    problem("streamServer", n) { streamServer(InetSocketAddress("127.0.0.1", 0)) { _, _ -> } },
                    problem("awaitRun", n) { awaitRun(listOf("touch", marker.toString())) },
                )
            }
            assertEquals(emptyList(), problems)
            assertFalse(marker.exists(), "awaitRun refused before starting the child")
        }
        Files.deleteIfExists(tmp)
    }

    @Test
    @DisplayName(
        "Another Kotlin provider: the twins reach its peers and its provider through the io.gevent4j.kotlin.spi interfaces"
    )
    fun aKotlinProviderImplementingTheSpiIsReached() {
        val eventPeer = mockk<EventPeer>(relaxed = true, moreInterfaces = arrayOf(SuspendEventPeer::class))
        coEvery { (eventPeer as SuspendEventPeer).awaitSet(any()) } returns true
        val queuePeer = mockk<QueuePeer<String>>(relaxed = true, moreInterfaces = arrayOf(SuspendQueuePeer::class))
        @Suppress("UNCHECKED_CAST")
        coEvery { (queuePeer as SuspendQueuePeer<String>).receive(any()) } returns "from the peer"
        val provider = mockk<GeventProvider>(moreInterfaces = arrayOf(SuspendGeventProvider::class))
        every { provider.newEvent(any()) } returns eventPeer
        every { provider.newQueue<String>(any(), any(), any()) } returns queuePeer
        coEvery { (provider as SuspendGeventProvider).suspendSleep(any()) } returns Unit
        withProvider(provider) {
            val e = Event()
            val q = Queue<String>()
            runBlocking {
                assertTrue(e.await(5.seconds))
                assertSame("from the peer", q.receive())
                sleep(2.seconds)
            }
        }
        coVerify(exactly = 1) { (eventPeer as SuspendEventPeer).awaitSet(5_000_000_000L) }
        coVerify(exactly = 1) { (provider as SuspendGeventProvider).suspendSleep(2_000_000_000L) }
    }
}
