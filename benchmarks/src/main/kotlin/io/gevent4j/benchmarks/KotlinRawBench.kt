package io.gevent4j.benchmarks

import kotlin.time.Duration.Companion.nanoseconds
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.Job
import kotlinx.coroutines.channels.Channel
import kotlinx.coroutines.delay
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.sync.Semaphore
import kotlinx.coroutines.yield

/**
 * `kotlin-raw-eventloop`: plain kotlinx.coroutines on `runBlocking`'s own event loop on the calling thread (one thread,
 * no hand-off between threads). Events are `Channel(CONFLATED)` in W2 (trySend = set, receive = wait + clear) and a
 * `CompletableDeferred` in W7; sleep(0) is `yield()`; the W2b channels are rendezvous `Channel()`s and the W5 queue a
 * `Channel(1000)`, as the peers' `KotlinRaw`. W6 sleeps with `delay(Duration)`, which rounds up to whole milliseconds
 * (about +500 µs of mean lateness, as the peers note).
 */
class KotlinRawBench : BenchImpl {
    companion object {
        const val NAME: String = "kotlin-raw-eventloop"
    }

    override fun name(): String = NAME

    override fun meta(): Map<String, String> =
        linkedMapOf(
            "mode" to "eventloop",
            "kotlin" to KotlinVersion.CURRENT.toString(),
            "coroutines" to (Job::class.java.`package`.implementationVersion ?: "?"),
        )

    // W1: launch 100k no-op coroutines, join each.
    override fun w1(): Double = runBlocking {
        val n = Workload.W1_N
        val jobs = arrayOfNulls<Job>(n)
        val t0 = System.nanoTime()
        for (i in 0 until n) jobs[i] = launch {}
        for (j in jobs) j!!.join()
        (System.nanoTime() - t0).toDouble() / n
    }

    // W2: ping-pong through a pair of conflated channels used as auto-clearing events.
    override fun w2(): Double = runBlocking {
        val rounds = Workload.W2_ROUNDS
        val a = Channel<Unit>(Channel.CONFLATED)
        val b = Channel<Unit>(Channel.CONFLATED)
        val t0 = System.nanoTime()
        val ping = launch {
            repeat(rounds) {
                a.trySend(Unit)
                b.receive()
            }
        }
        val pong = launch {
            repeat(rounds) {
                a.receive()
                b.trySend(Unit)
            }
        }
        ping.join()
        pong.join()
        (System.nanoTime() - t0).toDouble() / (2 * rounds)
    }

    // W2b: ping-pong through a pair of rendezvous channels.
    override fun w2b(): Double = runBlocking {
        val rounds = Workload.W2B_ROUNDS
        val a = Channel<Int>()
        val b = Channel<Int>()
        val t0 = System.nanoTime()
        val ping = launch {
            repeat(rounds) {
                a.send(it)
                b.receive()
            }
        }
        val pong = launch { repeat(rounds) { b.send(a.receive()) } }
        ping.join()
        pong.join()
        (System.nanoTime() - t0).toDouble() / (2 * rounds)
    }

    // W4: as the peers' KotlinRaw: a Semaphore(100) acquired before each launch, released by the task;
    // each task yields once and stores 2x in an array.
    override fun w4(): Double = runBlocking {
        val n = Workload.W4_N
        val out = IntArray(n)
        val slots = Semaphore(Workload.W4_POOL)
        val jobs = arrayOfNulls<Job>(n)
        val t0 = System.nanoTime()
        for (i in 0 until n) {
            slots.acquire()
            jobs[i] = launch {
                try {
                    yield()
                    out[i] = 2 * i
                } finally {
                    slots.release()
                }
            }
        }
        for (j in jobs) j!!.join()
        val dt = System.nanoTime() - t0
        Harness.checkW4(out)
        dt.toDouble() / n
    }

    // W5: 1M ints through Channel(1000), one producer, one consumer (checked by their sum).
    override fun w5(): Double = runBlocking {
        val n = Workload.W5_N
        val q = Channel<Int>(Workload.W5_CAPACITY)
        var sum = 0L
        val t0 = System.nanoTime()
        val prod = launch { for (i in 0 until n) q.send(i) }
        val cons = launch {
            var s = 0L
            repeat(n) { s += q.receive() }
            sum = s
        }
        prod.join()
        cons.join()
        val dt = System.nanoTime() - t0
        Harness.checkW5Sum(sum, n)
        dt.toDouble() / n
    }

    // W3: 10k coroutines x 10 yield(); launch and join included.
    override fun w3(): Double = runBlocking {
        val n = Workload.W3_N
        val k = Workload.W3_K
        val jobs = arrayOfNulls<Job>(n)
        val t0 = System.nanoTime()
        for (i in 0 until n) jobs[i] = launch { repeat(k) { yield() } }
        for (j in jobs) j!!.join()
        (System.nanoTime() - t0).toDouble() / (n * k)
    }

    // W6: 10k coroutines delay(d), the peers' delays; lateness = (wake - before the delay) - d.
    override fun w6(): Map<String, Double> = runBlocking {
        val n = Workload.W6_N
        val delays = Timers.w6Delays()
        val late = DoubleArray(n)
        val jobs = arrayOfNulls<Job>(n)
        val t0 = System.nanoTime()
        for (i in 0 until n) {
            jobs[i] = launch {
                val s = System.nanoTime()
                delay(Timers.nanos(delays[i]).nanoseconds)
                late[i] = (System.nanoTime() - s) / 1e9 - delays[i]
            }
        }
        for (j in jobs) j!!.join()
        Timers.w6Result(System.nanoTime() - t0, late)
    }

    // W7: 100k coroutines suspended on one CompletableDeferred.
    override fun w7(): Map<String, Double> = runBlocking {
        val n = Workload.W7_N
        val ev = CompletableDeferred<Unit>()
        var started = 0
        val warm = Array(Workload.W7_WARM) { launch {} }
        for (j in warm) j.join()
        settle()
        val h0 = Memory.heapUsed()
        val r0 = Memory.rss()
        val jobs = arrayOfNulls<Job>(n)
        for (i in 0 until n) {
            jobs[i] = launch {
                started++
                ev.await()
            }
        }
        while (started < n) yield()
        settle()
        val h1 = Memory.heapUsed()
        val r1 = Memory.rss()
        ev.complete(Unit)
        for (j in jobs) j!!.join()
        Memory.result(n, h0, r0, h1, r1)
    }

    private suspend fun settle() {
        repeat(Memory.SETTLE_GCS) {
            System.gc()
            delay(Memory.SETTLE_MS)
        }
    }

    override fun close() {
        // nothing to release: runBlocking's loop ends with each call
    }
}
