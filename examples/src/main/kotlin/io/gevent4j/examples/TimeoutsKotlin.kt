package io.gevent4j.examples

import io.gevent4j.Hub
import io.gevent4j.Timeout
import io.gevent4j.kotlin.await
import io.gevent4j.kotlin.awaitJoin
import io.gevent4j.kotlin.sleep
import io.gevent4j.kotlin.spawn
import io.gevent4j.kotlin.spawnSuspend
import io.gevent4j.kotlin.withGeventTimeout
import java.time.Duration
import kotlin.time.Duration.Companion.milliseconds
import kotlin.time.Duration.Companion.seconds

/**
 * The Kotlin twin of [Timeouts]. A started [Timeout] fires at the Kotlin greenlet's next suspension in a gevent4j
 * function; `withGeventTimeout` raises [Timeout] (kotlinx's `withTimeout` would cancel instead).
 */
object TimeoutsKotlin {
    /** Runs the scenario as a Kotlin greenlet on the default hub. */
    @JvmStatic
    fun run() {
        Hub.getDefault().spawnSuspend { scenario() }.get()
    }

    private suspend fun scenario() {
        // timeout = Timeout(0.1); timeout.start(); try: ... except Timeout as t: if t is not timeout: raise
        val timeout = Timeout.startNew(Duration.ofMillis(100))
        try {
            println("main: Timeout(${timeout.message}) pending=${timeout.isPending}; sleeping 1 s")
            sleep(1.seconds)
            println("main: never printed")
        } catch (t: Timeout) {
            if (t !== timeout) throw t
            println("main: caught my own timeout: ${t.message}")
        } finally {
            timeout.cancel()
        }

        // with Timeout(0.2): ...   -- `use` cancels the timer when the block ends
        Timeout.startNew(Duration.ofMillis(200)).use { t ->
            sleep(20.milliseconds)
            println("main: finished in time inside a ${t.message} timeout")
        }

        // Timeout(seconds, exception) raises that exception instead of itself
        try {
            Timeout.startNew(Duration.ofMillis(50), IllegalStateException("request too slow")).use { t ->
                println("main: sleeping under $t")
                sleep(1.seconds)
            }
        } catch (e: IllegalStateException) {
            println("main: caught $e")
        }

        // with_timeout(seconds, fn) and with_timeout(seconds, fn, timeout_value=...)
        try {
            withGeventTimeout(50.milliseconds) {
                sleep(1.seconds)
                "slow"
            }
        } catch (t: Timeout) {
            println("main: withGeventTimeout raised Timeout: ${t.message}")
        }
        val fallback =
            withGeventTimeout(50.milliseconds, "fallback value") {
                sleep(1.seconds)
                "slow"
            }
        println("main: withGeventTimeout with a timeout value returned '$fallback'")
        val quick =
            withGeventTimeout(200.milliseconds, "fallback value") {
                sleep(10.milliseconds)
                "quick result"
            }
        println("main: withGeventTimeout returned '$quick'")

        // awaitJoin(timeout) and await(timeout) give up waiting; the greenlet itself is not affected
        val slow = spawn {
            sleep(200.milliseconds)
            "slow greenlet's value"
        }
        println("main: awaitJoin(50 ms) -> ${slow.awaitJoin(50.milliseconds)}")
        try {
            slow.await(50.milliseconds)
        } catch (t: Timeout) {
            println("main: await(50 ms) raised Timeout: ${t.message}")
        }
        println("main: await() -> '${slow.await()}'")
    }
}
