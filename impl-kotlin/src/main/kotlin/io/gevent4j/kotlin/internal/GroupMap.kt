package io.gevent4j.kotlin.internal

import io.gevent4j.GreenCallable
import io.gevent4j.Greenlet
import io.gevent4j.GreenletExit
import io.gevent4j.Hub
import io.gevent4j.Timeout
import io.gevent4j.kotlin.await
import kotlin.coroutines.cancellation.CancellationException

/**
 * `Group.map` and its twin `mapSuspend`, one algorithm: the caller spawns the tasks itself, with no helper greenlet and
 * no result queue. The observable behaviour is gevent's `list(imap(...))`: results in input order; a task that failed
 * at the head of the line (every earlier one done) ends the call with its error as soon as the caller runs again (after
 * each spawn, and whenever a full pool makes it queue for a slot), and the rest of the input is still spawned, by a
 * helper greenlet, as gevent's map greenlet would go on (PL-29); an error of the input's iterator comes after the
 * results of the items read before it (PL-31). Waiting for a slot keeps the pool's FIFO order with every other spawner.
 */
internal object GroupMap {
    /** A failure of the input itself, as opposed to the caller's kill, Timeout or cancellation (which end it). */
    private fun isInputFailure(e: Throwable): Boolean =
        e !is CancellationException && e !is GreenletExit && e !is Timeout

    /**
     * The algorithm. [newTask] makes a member for an item; [startInLine] waits for a slot and starts it; [isFailed]
     * tells whether a dead task ends the call, [valueOf] its value (or throws its failure); [await] waits for a task's
     * value; [spawnRest] hands a pending task and the rest of the input to a helper greenlet.
     */
    private inline fun <A, R> run(
        admission: Admission,
        items: Iterable<A>,
        newTask: (Hub, A) -> Greenlet<R>,
        startInLine: (Greenlet<R>) -> Unit,
        isFailed: (Greenlet<R>) -> Boolean,
        valueOf: (Greenlet<R>) -> R?,
        await: (Greenlet<R>) -> R?,
        spawnRest: (Hub, Greenlet<R>?, Iterator<A>) -> Unit,
    ): List<R> {
        val hub = Hub.current()
        val line = Line<R>(if (items is Collection<*>) items.size else 10)
        val input = items.iterator()
        var inputError: Throwable? = null
        while (true) {
            val x =
                try {
                    if (!input.hasNext()) break
                    input.next()
                } catch (e: Throwable) {
                    if (!isInputFailure(e)) throw e
                    inputError = e
                    break
                }
            val g = newTask(hub, x)
            if (!admission.tryStart(g)) {
                line.takeDoneHeads(isFailed, valueOf) { spawnRest(hub, g, input) } // before we queue for a slot
                startInLine(g)
            }
            line.add(g)
            line.takeDoneHeads(isFailed, valueOf) { spawnRest(hub, null, input) } // drops done greenlets early
        }
        val tasks = line.tasks
        val values = line.values
        val out = ArrayList<R>(tasks.size)
        for (i in tasks.indices) {
            val t = tasks[i]
            @Suppress("UNCHECKED_CAST")
            out.add((if (t == null) values[i] else await(t)) as R) // the first failure in input order is thrown
        }
        inputError?.let { throw it }
        return out
    }

    /** `Group.map`: Java members, blocking waits (the caller is a Java greenlet or a thread of no hub). */
    fun <A, R> blocking(admission: Admission, items: Iterable<A>, newTask: (Hub, A) -> Greenlet<R>): List<R> =
        run(
            admission,
            items,
            newTask,
            startInLine = { g -> admission.startBlocking(g, "Group.map", "Group.mapSuspend") },
            isFailed = { t -> !t.isSuccessful },
            valueOf = { t -> t.getNowait() },
            await = { t -> t.get() },
            spawnRest = { hub, pending, rest ->
                Greenlet(
                        hub,
                        GreenCallable {
                            if (pending != null) admission.startBlocking(pending, "Group.map", "Group.mapSuspend")
                            while (rest.hasNext()) admission.startBlocking(
                                newTask(hub, rest.next()),
                                "Group.map",
                                "Group.mapSuspend",
                            )
                            null
                        },
                    )
                    .start()
            },
        )

    /**
     * `Group.mapSuspend`: Kotlin members, suspending waits. A task killed with GreenletExit ends the call with that
     * GreenletExit (deviation 40), as `await()` throws it.
     */
    suspend fun <A, R> suspending(admission: Admission, items: Iterable<A>, newTask: (Hub, A) -> Greenlet<R>): List<R> =
        run(
            admission,
            items,
            newTask,
            startInLine = { g -> admission.startSuspend(g) },
            isFailed = { t -> !t.isSuccessful || KotlinGeventProvider.core(t).outcomeExit != null },
            valueOf = { t -> outcome(t) },
            await = { t -> t.await() },
            spawnRest = { hub, pending, rest ->
                Greenlet(
                        hub,
                        SuspendBody {
                            if (pending != null) admission.startSuspend(pending)
                            while (rest.hasNext()) admission.startSuspend(newTask(hub, rest.next()))
                        },
                    )
                    .start()
            },
        )

    /** The tasks in input order; those before [head] are done, their values taken and their greenlets dropped. */
    private class Line<R>(capacity: Int) {
        @JvmField val tasks = ArrayList<Greenlet<R>?>(capacity)
        @JvmField val values = ArrayList<Any?>(capacity)
        @JvmField var head = 0

        fun add(g: Greenlet<R>) {
            tasks.add(g)
            values.add(null)
        }

        /** Takes the values of the dead heads; a failed one ends the call after [onFailure] handed the rest on. */
        inline fun takeDoneHeads(
            isFailed: (Greenlet<R>) -> Boolean,
            valueOf: (Greenlet<R>) -> R?,
            onFailure: () -> Unit,
        ) {
            while (head < tasks.size && tasks[head]!!.isDead) {
                val t = tasks[head]!!
                if (isFailed(t)) {
                    onFailure()
                    valueOf(t) // throws its failure
                }
                values[head] = valueOf(t)
                tasks[head] = null
                head++
            }
        }
    }

    /** The value of a dead task, or its failure thrown (the same instance, as [io.gevent4j.kotlin.await]). */
    @Suppress("UNCHECKED_CAST")
    fun <R> outcome(g: Greenlet<R>): R {
        val core = KotlinGeventProvider.core(g)
        core.outcomeError?.let { throw it }
        core.outcomeExit?.let { throw it }
        return core.outcomeValue as R
    }
}
