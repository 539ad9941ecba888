package io.gevent4j.interop

import io.gevent4j.Greenlet
import io.gevent4j.Timeout
import io.gevent4j.kotlin.awaitConnect
import io.gevent4j.kotlin.awaitJoin
import io.gevent4j.kotlin.awaitRecv
import io.gevent4j.kotlin.awaitSendAll
import io.gevent4j.kotlin.awaitServeForever
import io.gevent4j.kotlin.awaitStop
import io.gevent4j.kotlin.joinAll
import io.gevent4j.kotlin.receiveAsFlow
import io.gevent4j.kotlin.send
import io.gevent4j.kotlin.sleep
import io.gevent4j.kotlin.spawn
import io.gevent4j.kotlin.streamServer
import io.gevent4j.kotlin.testing.KotlinTestBase
import io.gevent4j.kotlin.withGeventTimeout
import io.gevent4j.pool.Pool
import io.gevent4j.queue.Queue
import java.net.InetSocketAddress
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertTrue
import kotlin.time.Duration.Companion.seconds

/** The Kotlin programs of docs/migrating.md's section 7 (from gevent or eventlet), run as they are written there. */
class MigratingGuideSnippetsTest : KotlinTestBase() {
    private val out = ArrayList<String>()

    private fun println(x: Any?) {
        out += x.toString()
    }

    private suspend fun slow(): String {
        sleep(10.seconds)
        return "slow"
    }

    @Test
    fun spawnAndJoin() {
        runGreenlet {
            val jobs =
                (0 until 3).map { n ->
                    spawn {
                        sleep(0.1)
                        n * 2
                    }
                }
            joinAll(jobs)
            println(jobs.map { it.value() }) // [0, 2, 4]
        }
        assertEquals(listOf("[0, 2, 4]"), out)
    }

    @Test
    fun timeout() {
        runGreenlet {
            try {
                withGeventTimeout(1.seconds) { sleep(10.seconds) }
            } catch (t: Timeout) {
                println("too slow")
            }
            println(withGeventTimeout(1.seconds, "fallback") { slow() })
        }
        assertEquals(listOf("too slow", "fallback"), out)
    }

    @Test
    fun queueWorkers() {
        runGreenlet {
            val q = Queue<Int>()
            val boss = spawn {
                for (task in 0 until 6) q.send(task)
                q.shutdown()
            }
            val workers =
                listOf("a", "b").map { name ->
                    spawn {
                        q.receiveAsFlow().collect { task ->
                            println("$name got $task")
                            sleep()
                        }
                    }
                }
            joinAll(workers + boss)
        }
        assertEquals(listOf("a got 0", "b got 1", "a got 2", "b got 3", "a got 4", "b got 5"), out)
    }

    @Test
    fun streamServerHandler() {
        runGreenlet {
            var server: io.gevent4j.server.StreamServer? = null
            val serving: Greenlet<Unit> = spawn {
                val server0 =
                    streamServer(InetSocketAddress("127.0.0.1", 0), Pool(100)) { socket, _ ->
                        while (true) {
                            val data = socket.awaitRecv(4096) // an empty array: the client closed
                            if (data.isEmpty()) break
                            socket.awaitSendAll(data)
                        }
                    }
                server = server0
                server0.awaitServeForever()
            }
            sleep() // the serving greenlet runs: awaitServeForever starts the server, then waits
            assertEquals(true, server?.isStarted)
            awaitConnect(InetSocketAddress("127.0.0.1", server!!.serverPort())).use { s ->
                s.awaitSendAll("hello".toByteArray())
                println(String(s.awaitRecv(4096)))
            }
            server.awaitStop()
            assertTrue(serving.awaitJoin(10.seconds))
        }
        assertEquals(listOf("hello"), out)
    }
}
