package io.gevent4j.examples

import io.gevent4j.Gevent
import io.gevent4j.Greenlet
import io.gevent4j.GreenletExit
import io.gevent4j.Hub
import io.gevent4j.kotlin.awaitJoin
import io.gevent4j.kotlin.awaitKill
import io.gevent4j.kotlin.joinAll
import io.gevent4j.kotlin.sleep
import io.gevent4j.kotlin.spawn
import io.gevent4j.kotlin.spawnSuspend
import kotlin.time.Duration.Companion.milliseconds
import kotlin.time.Duration.Companion.seconds

/**
 * The Kotlin twin of [KillAndLink]. A killed Kotlin greenlet is cancelled at its suspension point, so its `finally`
 * blocks run; `awaitKill` is the suspend twin of `kill()`.
 */
object KillAndLinkKotlin {
    /** Runs the scenario as a Kotlin greenlet on the default hub. */
    @JvmStatic
    fun run() {
        Hub.getDefault().spawnSuspend { scenario() }.get()
    }

    private suspend fun scenario() {
        // Links run, in a new greenlet each, once the greenlet is dead.
        val ok = spawn { 25 }.name("adder")
        ok.link { g -> println("  link: ${g.name()} is dead, value=${g.value()}") }
        ok.linkValue { g -> println("  linkValue: ${g.name()} succeeded") }
        ok.linkException { println("  linkException: never called for a success") }
        ok.awaitJoin()
        println("main: joined ${ok.name()}; its links have run")

        // Killing cancels the greenlet at its suspension point; its finally block runs.
        val sleeper =
            spawn {
                    println("  sleeper: sleeping for 10 s")
                    try {
                        sleep(10.seconds)
                        println("  sleeper: woke up (never printed)")
                    } finally {
                        println("  sleeper: finally block runs")
                    }
                }
                .name("sleeper")
        sleeper.linkValue { g -> println("  linkValue: ${g.name()} was killed (a success)") }
        sleep(50.milliseconds)
        println("main: killing the sleeper")
        sleeper.awaitKill()
        println(
            "main: sleeper dead=${sleeper.isDead}, successful=${sleeper.isSuccessful}, exception=${sleeper.exception()}"
        )

        // Killing with another exception makes the greenlet fail: only linkException fires.
        val victim = spawn { sleep(10.seconds) }.name("victim")
        victim.linkValue { println("  linkValue: never called for a failure") }
        victim.linkException { g -> println("  linkException: ${g.name()} failed with ${g.exception()}") }
        sleep()
        println("main: killing the victim with IllegalStateException (the hub logs the failure)")
        victim.awaitKill(IllegalStateException("stop right there"))
        println("main: victim successful=${victim.isSuccessful}")

        // A greenlet killed before it ever ran never runs; Gevent.kill never blocks.
        val unlucky = spawn {
            println("  unlucky: never printed")
            "never"
        }
        Gevent.kill(unlucky)
        unlucky.awaitJoin()
        println("main: killed before start: dead=${unlucky.isDead}, value=${unlucky.value()}")

        // killAll without blocking, then the suspend joinAll waits for the deaths.
        val sleepers: List<Greenlet<Unit>> =
            (1..3).map { n ->
                spawn {
                    println("  sleeper-$n: sleeping")
                    sleep(10.seconds)
                }
            }
        sleep(10.milliseconds)
        Gevent.killAll(sleepers, GreenletExit(), false, null)
        joinAll(sleepers)
        println("main: killAll done; all dead: ${sleepers.all { it.isDead }}")
    }
}
