package io.gevent4j.examples

import io.gevent4j.Greenlet
import io.gevent4j.Hub
import io.gevent4j.kotlin.awaitJoin
import io.gevent4j.kotlin.joinAll
import io.gevent4j.kotlin.receive
import io.gevent4j.kotlin.receiveAsFlow
import io.gevent4j.kotlin.send
import io.gevent4j.kotlin.sleep
import io.gevent4j.kotlin.spawn
import io.gevent4j.kotlin.spawnSuspend
import io.gevent4j.queue.Queue
import io.gevent4j.queue.QueueShutDownException
import kotlinx.coroutines.flow.count
import kotlinx.coroutines.flow.onEach

/**
 * The Kotlin twin of [QueueBossWorkers]: the boss `send`s (suspending while the queue is full) and `awaitJoin`s; the
 * workers collect `receiveAsFlow()`, which completes once the queue is shut down and drained. `taskDone()`,
 * `shutdown()` and `putNowait()` never block, so Kotlin calls them as they are.
 */
object QueueBossWorkersKotlin {
    private const val TASKS = 9

    /** Runs the scenario as a Kotlin greenlet on the default hub. */
    @JvmStatic
    fun run() {
        Hub.getDefault().spawnSuspend { scenario() }.get()
    }

    private suspend fun scenario() {
        val q = Queue<Int>(3) // send() suspends while 3 tasks are queued
        val workers: List<Greenlet<Unit>> =
            listOf("steve", "john", "nancy").map { name -> spawn { worker(name, q) }.name(name) }
        val boss = spawn { boss(q) }.name("boss")
        boss.awaitJoin()
        joinAll(workers)
        println("main: boss and workers done; unfinishedTasks=${q.unfinishedTasks()}, isShutDown=${q.isShutDown}")
        try {
            q.send(99)
        } catch (e: QueueShutDownException) {
            println("main: send() after shutdown threw QueueShutDownException")
        }

        // The blog's version: tasks put up front, workers take turns with sleep() while the queue is not empty.
        val preloaded = Queue<Int>()
        for (i in 1..6) preloaded.putNowait(i)
        val turnTakers: List<Greenlet<Unit>> =
            listOf("A", "B", "C").map { name ->
                spawn {
                    while (!preloaded.isEmpty) { // no suspension between isEmpty and receive(): it cannot wait
                        val task = preloaded.receive()
                        println("  worker $name got task-$task")
                        preloaded.taskDone()
                        sleep() // let the others take one
                    }
                }
            }
        joinAll(turnTakers)
        println("main: preloaded queue drained; awaitJoin() returns at once: ${preloaded.awaitJoin()}")
    }

    private suspend fun boss(q: Queue<Int>) {
        for (task in 1..TASKS) {
            q.send(task) // suspends while the queue is full
            println("boss: put task-$task (qsize ${q.qsize()})")
        }
        println("boss: all tasks queued; waiting until every one is done")
        q.awaitJoin()
        println("boss: all $TASKS tasks done; shutting the queue down")
        q.shutdown()
    }

    private suspend fun worker(name: String, q: Queue<Int>) {
        // count() collects until the flow ends: once the queue is shut down and drained. (A `var` counted inside
        // `collect { }` here compiled, with Kotlin 2.4.21, to bytecode the JVM rejects: VerifyError.)
        val done =
            q.receiveAsFlow()
                .onEach { task ->
                    println("  $name got task-$task")
                    sleep() // the work: yields once, so the others run
                    q.taskDone()
                }
                .count()
        println("  $name quits after $done tasks: the queue is shut down")
    }
}
