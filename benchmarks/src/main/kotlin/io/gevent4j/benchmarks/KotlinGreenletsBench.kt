package io.gevent4j.benchmarks

import io.gevent4j.Greenlet
import io.gevent4j.Hub
import io.gevent4j.event.Event
import io.gevent4j.kotlin.await
import io.gevent4j.kotlin.awaitAccept
import io.gevent4j.kotlin.awaitJoin
import io.gevent4j.kotlin.mapSuspend
import io.gevent4j.kotlin.receive
import io.gevent4j.kotlin.send
import io.gevent4j.kotlin.sleep
import io.gevent4j.kotlin.spawn
import io.gevent4j.kotlin.spawnSuspend
import io.gevent4j.pool.Pool
import io.gevent4j.queue.Channel
import io.gevent4j.queue.SimpleQueue
import io.gevent4j.socket.GreenServerSocket
import java.net.SocketException
import kotlin.time.Duration.Companion.milliseconds
import kotlin.time.Duration.Companion.nanoseconds
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Job

/**
 * `gevent4j-kotlin`: Kotlin greenlets (coroutines on the hub). Every repetition runs inside one driver greenlet started
 * with `hub.spawnSuspend { }` from the main thread, which only waits for it; the clock runs inside the driver. Bodies
 * use the suspend twins only (`spawn`, `awaitJoin`, `sleep()`, `Event.await`, `SimpleQueue.send` / `receive`), never
 * the Java blocking methods. W6, W6io and the echo workloads (W8, W8h2, L8: [KotlinGreenEcho] on the socket twins) make
 * hubs of their own per repetition and close them, so that a selector made by one never changes how another sleeps.
 */
class KotlinGreenletsBench(private val name: String = NAME) : BenchImpl {
    companion object {
        const val NAME: String = "gevent4j-kotlin"
        /**
         * The same, in a child JVM with `-Dgevent4j.monitor=false` (W1-W5 only): the monitor's cost on the hot path.
         */
        const val NO_MONITOR: String = "gevent4j-kotlin-nomonitor"
        private val REP_TIMEOUT: java.time.Duration =
            java.time.Duration.ofSeconds(Harness.envInt("BENCH_REP_TIMEOUT", 120).toLong())
    }

    private val hub: Hub = Hub.create("bench")

    override fun name(): String = name

    override fun runs(w: Workload): Boolean = super.runs(w) && (name != NO_MONITOR || Harness.isHotPath(w))

    override fun meta(): Map<String, String> =
        linkedMapOf(
            "hub_mode" to hub.javaGreenletMode().name,
            "monitor" to Harness.monitorSetting(),
            "kotlin" to KotlinVersion.CURRENT.toString(),
            "coroutines" to (Job::class.java.`package`.implementationVersion ?: "?"),
            "driver" to
                "hub.spawnSuspend { driver }.get() from main; spawn / awaitJoin / sleep() / Event.await / SimpleQueue.send+receive / Pool.mapSuspend",
            "io" to
                "GreenSocket / GreenServerSocket suspend twins (awaitAccept, awaitConnect, awaitRecv, awaitSendAll); W6/W6io/W8/W8h2/L8 on hubs made per repetition",
        )

    /** Runs [body] as a Kotlin greenlet on the hub and waits for its result from the main thread. */
    private fun <T : Any> drive(body: suspend CoroutineScope.() -> T): T =
        hub.spawnSuspend(body).get(REP_TIMEOUT) ?: error("driver greenlet returned null")

    override fun w1(): Double = drive { w1Body() }

    override fun w2(): Double = drive { w2Body() }

    override fun w2b(): Double = drive { w2bBody() }

    override fun w3(): Double = drive { w3Body() }

    override fun w4(): Double = drive { w4Body() }

    override fun w5(): Double = drive { w5Body() }

    override fun w7(): Map<String, Double> = drive { w7Body() }

    override fun w6(): Map<String, Double> = w6OnNewHub(false)

    override fun w6io(): Map<String, Double> = w6OnNewHub(true)

    override fun w8(): Map<String, Double> = KotlinGreenEcho.w8(1)

    override fun w8h2(): Map<String, Double> = KotlinGreenEcho.w8(2)

    override fun l8(): Map<String, Double> = KotlinGreenEcho.l8()

    override fun close() {
        hub.close()
    }

    // W6 / W6io: a hub of its own per repetition (W6io's selector would stay with the hub).
    private fun w6OnNewHub(idleListener: Boolean): Map<String, Double> =
        Hub.create(if (idleListener) "w6io" else "w6").use { h ->
            h.spawnSuspend { w6Body(idleListener) }.get(REP_TIMEOUT) ?: error("driver greenlet returned null")
        }

    // W6: 10k greenlets each sleep(d), d from the peers' delays; lateness = (wake - before the sleep) - d.
    // W6io: the same after an idle listener was registered on the hub (one greenlet waiting in awaitAccept).
    private suspend fun w6Body(idleListener: Boolean): Map<String, Double> {
        val listener = if (idleListener) GreenServerSocket.listen(EchoLoad.loopback(0)) else null
        var acceptor: Greenlet<Unit>? = null
        try {
            if (listener != null) {
                val a = spawn { idleAccept(listener) }
                acceptor = a
                sleep(1.milliseconds) // the acceptor runs (and waits in the hub's selector) before this timer fires
                if (a.isReady) {
                    a.await()
                    error("W6io: the idle acceptor ended early")
                }
            }
            val n = Workload.W6_N
            val delays = Timers.w6Delays()
            val late = DoubleArray(n)
            val gs = arrayOfNulls<Greenlet<Unit>>(n)
            val t0 = System.nanoTime()
            for (i in 0 until n) {
                gs[i] = spawn {
                    val s = System.nanoTime()
                    sleep(Timers.nanos(delays[i]).nanoseconds)
                    late[i] = (System.nanoTime() - s) / 1e9 - delays[i]
                }
            }
            for (g in gs) g!!.awaitJoin()
            val wall = System.nanoTime() - t0
            for (g in gs) check(g!!.isSuccessful) { "$g failed: ${g.exception()}" }
            return Timers.w6Result(wall, late)
        } finally {
            listener?.close()
            acceptor?.let {
                it.awaitJoin()
                it.await()
            }
        }
    }

    /** W6io's acceptor: waits in awaitAccept until the listener is closed; a connection is an error. */
    private suspend fun idleAccept(listener: GreenServerSocket) {
        val s =
            try {
                listener.awaitAccept()
            } catch (e: SocketException) {
                if (listener.isOpen) throw e
                return
            }
        s.close()
        error("W6io: the idle listener got a connection")
    }

    // W1: spawn 100k no-op greenlets, join each.
    private suspend fun w1Body(): Double {
        val n = Workload.W1_N
        val gs = arrayOfNulls<Greenlet<Unit>>(n)
        val t0 = System.nanoTime()
        for (i in 0 until n) gs[i] = spawn {}
        for (g in gs) g!!.awaitJoin()
        return (System.nanoTime() - t0).toDouble() / n
    }

    // W2: ping-pong through a pair of Events, as gevent's set / wait / clear.
    private suspend fun w2Body(): Double {
        val rounds = Workload.W2_ROUNDS
        val a = Event()
        val b = Event()
        val t0 = System.nanoTime()
        val ping = spawn {
            repeat(rounds) {
                a.set()
                b.await()
                b.clear()
            }
        }
        val pong = spawn {
            repeat(rounds) {
                a.await()
                a.clear()
                b.set()
            }
        }
        ping.awaitJoin()
        pong.awaitJoin()
        val dt = System.nanoTime() - t0
        for (g in listOf(ping, pong)) check(g.isSuccessful) { "$g failed: ${g.exception()}" }
        return dt.toDouble() / (2 * rounds)
    }

    // W2b: ping-pong through a pair of Channels (rendezvous), as gevent's Channel put / get.
    private suspend fun w2bBody(): Double {
        val rounds = Workload.W2B_ROUNDS
        val a = Channel<Int>()
        val b = Channel<Int>()
        val t0 = System.nanoTime()
        val ping = spawn {
            repeat(rounds) {
                a.send(it)
                b.receive()
            }
        }
        val pong = spawn { repeat(rounds) { b.send(a.receive()) } }
        ping.awaitJoin()
        pong.awaitJoin()
        val dt = System.nanoTime() - t0
        for (g in listOf(ping, pong)) check(g.isSuccessful) { "$g failed: ${g.exception()}" }
        return dt.toDouble() / (2 * rounds)
    }

    // W4: Pool(100).mapSuspend over 100k items; the driver suspends, each task runs in a pool member (a Kotlin
    // greenlet), does one sleep() and returns 2x (input order checked).
    private suspend fun w4Body(): Double {
        val n = Workload.W4_N
        val items = Harness.w4Items()
        val pool = Pool(Workload.W4_POOL)
        val t0 = System.nanoTime()
        val out =
            pool.mapSuspend(items) { x ->
                sleep()
                2 * x
            }
        val dt = System.nanoTime() - t0
        Harness.checkW4(out, n)
        return dt.toDouble() / n
    }

    // W5: 1M ints through SimpleQueue(1000), one producer, one consumer (checked by their sum).
    private suspend fun w5Body(): Double {
        val n = Workload.W5_N
        val q = SimpleQueue<Int>(Workload.W5_CAPACITY)
        var sum = 0L
        val t0 = System.nanoTime()
        val prod = spawn { for (i in 0 until n) q.send(i) }
        val cons = spawn {
            var s = 0L
            repeat(n) { s += q.receive() }
            sum = s
        }
        prod.awaitJoin()
        cons.awaitJoin()
        val dt = System.nanoTime() - t0
        for (g in listOf(prod, cons)) check(g.isSuccessful) { "$g failed: ${g.exception()}" }
        Harness.checkW5Sum(sum, n)
        return dt.toDouble() / n
    }

    // W3: 10k greenlets x 10 sleep(0); spawn and join included.
    private suspend fun w3Body(): Double {
        val n = Workload.W3_N
        val k = Workload.W3_K
        val gs = arrayOfNulls<Greenlet<Unit>>(n)
        val t0 = System.nanoTime()
        for (i in 0 until n) gs[i] = spawn { repeat(k) { sleep() } }
        for (g in gs) g!!.awaitJoin()
        return (System.nanoTime() - t0).toDouble() / (n * k)
    }

    // W7: 100k greenlets blocked on one Event; heap (and RSS) growth after GC.
    private suspend fun w7Body(): Map<String, Double> {
        val n = Workload.W7_N
        val ev = Event()
        var started = 0
        val warm = Array(Workload.W7_WARM) { spawn {} }
        for (g in warm) g.awaitJoin()
        settle()
        val h0 = Memory.heapUsed()
        val r0 = Memory.rss()
        val gs = arrayOfNulls<Greenlet<Boolean>>(n)
        for (i in 0 until n) {
            gs[i] = spawn {
                started++
                ev.await()
            }
        }
        // One greenlet runs at a time, so each one that counted itself is suspended in await()
        // before the driver runs again.
        while (started < n) sleep()
        settle()
        val h1 = Memory.heapUsed()
        val r1 = Memory.rss()
        ev.set()
        for (g in gs) g!!.awaitJoin()
        return Memory.result(n, h0, r0, h1, r1)
    }

    private suspend fun settle() {
        repeat(Memory.SETTLE_GCS) {
            System.gc()
            sleep(Memory.SETTLE_MS.milliseconds)
        }
    }
}
