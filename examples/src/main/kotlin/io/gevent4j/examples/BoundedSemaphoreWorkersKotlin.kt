package io.gevent4j.examples

import io.gevent4j.Greenlet
import io.gevent4j.Hub
import io.gevent4j.kotlin.awaitAcquire
import io.gevent4j.kotlin.joinAll
import io.gevent4j.kotlin.sleep
import io.gevent4j.kotlin.spawn
import io.gevent4j.kotlin.spawnSuspend
import io.gevent4j.kotlin.withPermit
import io.gevent4j.lock.BoundedSemaphore

/**
 * The Kotlin twin of [BoundedSemaphoreWorkers]: `awaitAcquire()` suspends while both permits are taken; `release()`
 * never blocks. gevent's `with sem:` is `withPermit { }`.
 */
object BoundedSemaphoreWorkersKotlin {
    /** Runs the scenario as a Kotlin greenlet on the default hub. */
    @JvmStatic
    fun run() {
        Hub.getDefault().spawnSuspend { scenario() }.get()
    }

    private suspend fun scenario() {
        val sem = BoundedSemaphore(2)
        var inside = 0
        var maxInside = 0
        val workers: List<Greenlet<Unit>> =
            (0 until 6).map { n ->
                spawn {
                    sem.awaitAcquire()
                    inside++
                    maxInside = maxOf(maxInside, inside)
                    println("  worker $n acquired the semaphore ($inside inside)")
                    sleep() // gevent.sleep(0): the others run, and wait for a permit
                    inside--
                    sem.release()
                    println("  worker $n released the semaphore")
                }
            }
        joinAll(workers)
        println("main: at most $maxInside workers were inside at once; counter=${sem.counter()}")

        // `with sem:` -- the permit is given back when the block ends, even when it throws.
        val users: List<Greenlet<Unit>> =
            listOf("li", "liu", "luo").map { name ->
                spawn {
                    sem.withPermit {
                        println("  $name holds a permit (counter ${sem.counter()})")
                        sleep()
                    }
                    println("  $name gave it back")
                }
            }
        joinAll(users)

        // A BoundedSemaphore refuses a release past its initial value.
        try {
            sem.release()
        } catch (e: IllegalStateException) {
            println("main: one release too many: IllegalStateException: ${e.message}")
        }
    }
}
