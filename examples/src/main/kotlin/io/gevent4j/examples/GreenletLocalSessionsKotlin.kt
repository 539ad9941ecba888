package io.gevent4j.examples

import io.gevent4j.Hub
import io.gevent4j.examples.GreenletLocalSessions.Session
import io.gevent4j.kotlin.await
import io.gevent4j.kotlin.joinAll
import io.gevent4j.kotlin.sleep
import io.gevent4j.kotlin.spawn
import io.gevent4j.kotlin.spawnSuspend
import io.gevent4j.local.GreenletLocal
import kotlin.time.Duration
import kotlin.time.Duration.Companion.milliseconds

/**
 * The Kotlin twin of [GreenletLocalSessions]. [GreenletLocal] has no suspend twin: `get()` and `set()` never block, and
 * the value belongs to the Kotlin greenlet, not to the hub thread it runs on, so it survives the greenlet's suspensions
 * while other greenlets set their own.
 */
object GreenletLocalSessionsKotlin {
    private val session = GreenletLocal<Session>()
    private val trail = GreenletLocal.withInitial { StringBuilder() }

    /** Runs the scenario as a Kotlin greenlet on the default hub. */
    @JvmStatic
    fun run() {
        Hub.getDefault().spawnSuspend { scenario() }.get()
    }

    private suspend fun scenario() {
        session.set(Session("main", "admin"))
        joinAll(
            listOf(spawn { sessionManager("alice", 30.milliseconds) }, spawn { sessionManager("bob", 10.milliseconds) })
        )

        // data.x = 1 in f1; f2 does not see it (gevent raises AttributeError, here get() is null).
        val f1 = spawn {
            session.set(Session("f1", "online"))
            println("  f1 sees ${session.get()}")
        }
        val f2 = spawn { println("  f2 sees ${session.get() ?: "no session: not visible here"}") }
        joinAll(listOf(f1, f2))
        println("main: still sees its own ${session.get()}")

        // withInitial: each greenlet gets a fresh value on its first get().
        joinAll(listOf(spawn { trail("x") }, spawn { trail("y") }))
        session.remove()
        println("main: after remove() -> ${session.get()}")
    }

    private suspend fun sessionManager(user: String, time: Duration) {
        session.set(Session(user, "online"))
        println("  $user logged in: ${session.get()}")
        sleep(time) // the other session runs meanwhile and sets its own value
        session.set(Session(session.get()!!.user, "offline"))
        println("  $user's session expired: ${session.get()}")
        val child = spawn { session.get() }
        println("  $user's child greenlet sees ${child.await()}")
    }

    private suspend fun trail(tag: String) {
        for (i in 1..3) {
            trail.get()!!.append(tag).append(i).append(' ')
            sleep()
        }
        println("  greenlet $tag built its own trail: ${trail.get().toString().trim()}")
    }
}
