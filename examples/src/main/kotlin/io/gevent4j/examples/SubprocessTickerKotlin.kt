package io.gevent4j.examples

import io.gevent4j.Hub
import io.gevent4j.kotlin.awaitCommunicate
import io.gevent4j.kotlin.awaitKill
import io.gevent4j.kotlin.sleep
import io.gevent4j.kotlin.spawn
import io.gevent4j.kotlin.spawnSuspend
import io.gevent4j.subprocess.Popen
import java.lang.ProcessBuilder.Redirect
import kotlin.time.Duration.Companion.milliseconds

/**
 * The Kotlin twin of [SubprocessTicker]: `awaitCommunicate` suspends the Kotlin greenlet while the child runs `ls;
 * sleep 0.3`, and a ticker greenlet keeps printing.
 */
object SubprocessTickerKotlin {
    /** Runs the scenario as a Kotlin greenlet on the default hub. */
    @JvmStatic
    fun run() {
        Hub.getDefault().spawnSuspend { scenario() }.get()
    }

    private suspend fun scenario() {
        var ticks = 0
        val ticker = spawn {
            while (true) {
                println("ticker: tick ${++ticks}")
                sleep(50.milliseconds)
            }
        }
        val p = Popen(ProcessBuilder("sh", "-c", "ls; sleep 0.3").redirectError(Redirect.INHERIT))
        println("main: started pid ${p.pid()}, waiting for its output")
        val out = p.awaitCommunicate() // suspends: the ticker runs meanwhile
        ticker.awaitKill()
        val listing = String(out.stdout()!!, Charsets.UTF_8).trim()
        println(
            "main: child exited with ${p.returncode()} after $ticks ticks; ls printed: ${listing.lines().joinToString(" ")}"
        )
    }
}
