package io.gevent4j.kotlin.internal

import io.gevent4j.GreenCallable
import io.gevent4j.GreenFunction
import io.gevent4j.event.AsyncResult
import io.gevent4j.kotlin.spi.SuspendThreadPoolPeer
import io.gevent4j.spi.AsyncResultPeer
import io.gevent4j.spi.Internals
import io.gevent4j.spi.ThreadPoolPeer
import java.util.ArrayDeque
import java.util.concurrent.CancellationException
import java.util.concurrent.locks.LockSupport

/**
 * gevent's `ThreadPool`: platform daemon worker threads for calls that block natively, safe from any thread.
 *
 * Accounting (all under one short [SpinLock], never held across a switch or a park):
 * - a **slot** is taken for each task from its hand-over until its result is delivered (gevent's semaphore of
 *   `maxsize`); spawners wait for one in a FIFO line ([slotWaiters]), and a freed slot goes straight to the head of the
 *   line (no barging), so they are served in the order they started waiting;
 * - a task goes to an idle worker, else to a new worker while fewer than `maxsize` run, else (a worker that has
 *   delivered a result but not yet reached its idle list) to [queued], which workers drain before going idle;
 * - the result is delivered to [hub] by a hub callback (gevent's `ThreadResult`): it sets the AsyncResult, then frees
 *   the slot and counts the task finished, so that whoever a freed slot or `join()` wakes sees the result.
 *
 * One algorithm serves the blocking and the suspend forms: [acquireSlot], [applyLoop] and [mapLoop] take the wait as a
 * lambda, as [QueueCore] does.
 */
internal class ThreadPoolCore(maxsize: Int, @JvmField val hub: HubImpl, private val poolName: String) :
    ThreadPoolPeer, SuspendThreadPoolPeer {
    /** One task: the function and the core of the AsyncResult it sets. */
    private class Task(@JvmField val fn: GreenCallable<*>, @JvmField val result: AsyncResultCore<Any?>)

    /** A spawner waiting for a slot; also the cleanup of its wait. */
    private inner class SlotWaiter : Runnable {
        @JvmField var wait: Wait? = null
        @JvmField var granted = false

        override fun run() {
            lock.locked { if (!granted) slotWaiters.remove(this) }
        }
    }

    /** A worker thread of this pool: a platform daemon thread, in the hub thread's group, no inherited locals. */
    private inner class Worker(n: Int, @JvmField var handed: Task?) :
        Thread(workerGroup, null, "$poolName-$n", 0, false) {
        @JvmField var idle = false
        @JvmField var retire = false
        val pool: ThreadPoolCore
            get() = this@ThreadPoolCore

        init {
            isDaemon = true
        }

        override fun run() {
            var task = handed
            handed = null
            try {
                while (task != null) {
                    runTask(task)
                    Thread.interrupted() // a task's interrupt must not make the idle park spin
                    task = nextTask(this)
                }
            } catch (t: Throwable) {
                exited(this) // never expected: runTask catches everything
                throw t
            }
        }
    }

    /**
     * The workers' group: the hub thread's, read now while the hub is open (a dead thread has none), so that a worker
     * made in a greenlet never lands in the group of virtual threads.
     */
    private val workerGroup: ThreadGroup? = hub.thread.threadGroup

    private val lock = SpinLock()
    @Volatile private var max = maxsize
    private var slotsTaken = 0
    private val slotWaiters = ArrayDeque<SlotWaiter>()
    private val queued = ArrayDeque<Task>()
    private val idle = ArrayDeque<Worker>()
    private val all = HashSet<Worker>()
    @Volatile private var workers = 0
    private var workerSeq = 0
    @Volatile private var unfinished = 0
    @Volatile private var closed = false
    private val joined = JoinFlag()

    /** Ready while no task is unfinished: what `join()` waits for. */
    private inner class JoinFlag : Linkable(this@ThreadPoolCore) {
        override val ready: Boolean
            get() = unfinished == 0

        fun fireIfDone() {
            val batch = lock.locked { if (unfinished == 0) takeLinks() else null }
            fire(batch)
        }
    }

    override fun name(): String = poolName

    override fun size(): Int = workers

    override fun maxsize(): Int = max

    override fun unfinishedTasks(): Int = unfinished

    override fun isClosed(): Boolean = closed

    /** Whether the caller is one of this pool's workers (apply and map then run inline, as gevent's do). */
    fun onOwnWorker(): Boolean = (Thread.currentThread() as? Worker)?.pool === this

    private fun closedError(): IllegalStateException = IllegalStateException("ThreadPool \"$poolName\" is closed")

    // ---- slots ---------------------------------------------------------------------------------------

    /** Under the lock: takes a slot when one is free and nobody waits for one. */
    private fun tryTakeSlotLocked(): Boolean {
        if (slotsTaken < max && slotWaiters.isEmpty()) {
            slotsTaken++
            return true
        }
        return false
    }

    /** Under the lock: gives free slots to the head of the line; returns the waits to wake (outside the lock). */
    private fun grantLocked(): List<Wait>? {
        var out: ArrayList<Wait>? = null
        while (slotsTaken < max) {
            val e = slotWaiters.pollFirst() ?: break
            slotsTaken++
            e.granted = true
            if (out == null) out = ArrayList(1)
            out.add(e.wait!!)
        }
        return out
    }

    private fun wakeAll(batch: List<Wait>?) {
        if (batch != null) for (w in batch) w.wake(GRANTED)
    }

    private fun registerSlot(w: Wait, e: SlotWaiter): Runnable? {
        lock.locked {
            if (closed) {
                w.wake(CLOSED)
                return null
            }
            if (tryTakeSlotLocked()) {
                e.granted = true
                w.wake(GRANTED)
                return null
            }
            e.wait = w
            slotWaiters.addLast(e)
            return e
        }
    }

    /** A waiter that will not use what it was granted (killed, cancelled) gives it to the next in line. */
    private fun abandon(e: SlotWaiter) {
        val batch =
            lock.locked {
                if (e.granted) {
                    e.granted = false
                    slotsTaken--
                    grantLocked()
                } else {
                    slotWaiters.remove(e)
                    null
                }
            }
        wakeAll(batch)
    }

    /** Frees one slot, handing it to the head of the line. */
    private fun releaseSlot() {
        wakeAll(
            lock.locked {
                slotsTaken--
                grantLocked()
            }
        )
    }

    /**
     * Takes a slot, waiting in line with [await] (which waits once, given the registration) when none is free. Throws
     * [IllegalStateException] when the pool is or gets closed.
     */
    private inline fun acquireSlot(await: ((Wait) -> Runnable?) -> Any?) {
        lock.locked {
            if (closed) throw closedError()
            if (tryTakeSlotLocked()) return
        }
        val e = SlotWaiter()
        try {
            await { w -> registerSlot(w, e) }
        } catch (t: Throwable) {
            abandon(e)
            throw t
        }
        lock.locked {
            if (e.granted) return
            slotWaiters.remove(e)
        }
        throw closedError() // woken without a slot: only close() does that
    }

    // ---- hand-over and workers -----------------------------------------------------------------------

    /** Hands [fn] over for a slot the caller holds. */
    private fun <T> submit(fn: GreenCallable<T>): AsyncResult<T> {
        val ar = AsyncResult<T>()
        @Suppress("UNCHECKED_CAST") val task = Task(fn, Internals.peer(ar) as AsyncResultCore<Any?>)
        var wake: Worker? = null
        var start: Worker? = null
        lock.locked {
            if (closed) {
                slotsTaken--
                wakeAll(grantLocked()) // nobody waits on a closed pool; a wake never takes our lock anyway
                throw closedError()
            }
            // an outside wake-up source of the hub until delivered (VirtualClock.kt), raised before a worker can have
            // it: a delivery that lowered first would let the count read 0 while another task still runs
            hub.virtualClock?.raise()
            unfinished++
            val w = idle.pollFirst()
            if (w != null) {
                w.idle = false
                w.handed = task
                wake = w
            } else if (workers < max) {
                workers++
                val n = Worker(++workerSeq, task)
                all.add(n)
                start = n
            } else {
                queued.addLast(task)
            }
        }
        wake?.let { LockSupport.unpark(it) }
        start?.let { w ->
            try {
                w.start()
            } catch (t: Throwable) { // no thread could be made (OutOfMemoryError): the task fails, its slot is freed
                lock.locked { if (all.remove(w)) workers-- }
                deliver(task, AsyncResultPeer.Failure(t))
            }
        }
        return ar
    }

    private fun runTask(task: Task) {
        val outcome: Any? =
            try {
                task.fn.call()
            } catch (t: Throwable) {
                AsyncResultPeer.Failure(t)
            }
        deliver(task, outcome)
    }

    /** Delivers [outcome] to the pool's hub: sets the result there, then frees the slot and counts the task done. */
    private fun deliver(task: Task, outcome: Any?) {
        hub.execute {
            try {
                if (outcome is AsyncResultPeer.Failure) task.result.setException(outcome.error())
                else task.result.set(outcome)
                releaseSlot()
                lock.locked { unfinished-- }
                joined.fireIfDone()
            } finally {
                hub.virtualClock?.lower()
            }
        }
    }

    /** The worker's next task, parking while idle; null when the worker must exit (it is then counted out). */
    private fun nextTask(w: Worker): Task? {
        while (true) {
            lock.locked {
                val handed = w.handed
                if (handed != null) {
                    w.handed = null
                    return handed
                }
                if (!closed) {
                    val q = queued.pollFirst()
                    if (q != null) {
                        if (w.idle) {
                            idle.remove(w)
                            w.idle = false
                        }
                        return q
                    }
                }
                if (closed || w.retire || workers > max) {
                    if (w.idle) idle.remove(w)
                    w.idle = false
                    all.remove(w)
                    workers--
                    return null
                }
                if (!w.idle) {
                    w.idle = true
                    idle.addLast(w)
                }
            }
            LockSupport.park(this)
            Thread.interrupted()
        }
    }

    private fun exited(w: Worker) {
        lock.locked { if (all.remove(w)) workers-- }
    }

    // ---- spawn / apply / map -------------------------------------------------------------------------

    override fun <T> spawn(fn: GreenCallable<T>): AsyncResult<T> {
        acquireSlot { register ->
            Blocking.await("ThreadPool.spawn()", "ThreadPool.awaitSpawn { }", null, -1, register)
        }
        return submit(fn)
    }

    /** The suspend twin of [spawn]. */
    override suspend fun <T> awaitSpawn(fn: GreenCallable<T>): AsyncResult<T> {
        acquireSlot { register -> Blocking.awaitSuspend(null, -1, register) }
        return submit(fn)
    }

    override fun <T> apply(fn: GreenCallable<T>): T {
        if (onOwnWorker()) return fn.call()
        Blocking.refuseOnHub(APPLY, APPLY_TWIN) // before any side effect
        return applyLoop(fn, { register -> Blocking.await(APPLY, APPLY_TWIN, null, -1, register) }) { core ->
            core.awaitReady(APPLY, APPLY_TWIN, -1)
        }
    }

    /** The suspend twin of [apply]: what [fn] throws arrives as the same instance. */
    override suspend fun <T> awaitApply(fn: GreenCallable<T>): T {
        if (onOwnWorker()) return fn.call()
        return applyLoop(fn, { register -> Blocking.awaitSuspend(null, -1, register) }) { core ->
            core.awaitReadySuspend(-1)
        }
    }

    /**
     * Runs [fn] on a worker ([awaitSlot] waits for a slot once, [awaitResult] for the result) and returns its outcome.
     */
    private inline fun <T> applyLoop(
        fn: GreenCallable<T>,
        awaitSlot: ((Wait) -> Runnable?) -> Any?,
        awaitResult: (AsyncResultCore<Any?>) -> Unit,
    ): T {
        acquireSlot(awaitSlot)
        val ar = submit(fn)
        @Suppress("UNCHECKED_CAST") val core = Internals.peer(ar) as AsyncResultCore<Any?>
        awaitResult(core)
        return outcomeOf(core)
    }

    override fun <A, R> map(fn: GreenFunction<in A, out R>, items: Iterable<A>): List<R> {
        if (onOwnWorker()) return items.map { fn.apply(it) }
        if (items is Collection<*> && items.isEmpty()) return emptyList()
        Blocking.refuseOnHub(MAP, MAP_TWIN) // before any side effect
        return mapLoop(fn, items, { register -> Blocking.await(MAP, MAP_TWIN, null, -1, register) }) { core ->
            core.awaitReady(MAP, MAP_TWIN, -1)
        }
    }

    /** The suspend twin of [map]. */
    override suspend fun <A, R> awaitMap(fn: GreenFunction<in A, out R>, items: Iterable<A>): List<R> {
        if (onOwnWorker()) return items.map { fn.apply(it) }
        return mapLoop(fn, items, { register -> Blocking.awaitSuspend(null, -1, register) }) { core ->
            core.awaitReadySuspend(-1)
        }
    }

    /** Hands every item over (each waits for a slot), then collects the results in input order. */
    private inline fun <A, R> mapLoop(
        fn: GreenFunction<in A, out R>,
        items: Iterable<A>,
        awaitSlot: ((Wait) -> Runnable?) -> Any?,
        awaitResult: (AsyncResultCore<Any?>) -> Unit,
    ): List<R> {
        val cores = ArrayList<AsyncResultCore<Any?>>()
        for (a in items) {
            acquireSlot(awaitSlot)
            @Suppress("UNCHECKED_CAST") cores.add(Internals.peer(submit { fn.apply(a) }) as AsyncResultCore<Any?>)
        }
        val out = ArrayList<R>(cores.size)
        for (core in cores) {
            awaitResult(core)
            out.add(outcomeOf(core))
        }
        return out
    }

    @Suppress("UNCHECKED_CAST")
    private fun <T> outcomeOf(core: AsyncResultCore<Any?>): T {
        val o = core.outcome() // one read: the outcome of one set
        if (o is AsyncResultPeer.Failure) throw o.error()
        return o as T
    }

    // ---- size, join, kill, close ---------------------------------------------------------------------

    override fun setMaxsize(maxsize: Int) {
        val toWake: List<Worker>
        val batch =
            lock.locked {
                max = maxsize
                toWake = if (workers > maxsize) idle.toList() else emptyList() // the excess among them exits
                grantLocked()
            }
        for (w in toWake) LockSupport.unpark(w)
        wakeAll(batch)
    }

    override fun join(timeoutNanos: Long): Boolean =
        joined.awaitReady("ThreadPool.join()", "ThreadPool.awaitJoin()", timeoutNanos)

    /** The suspend twin of [join]. */
    override suspend fun awaitJoin(timeoutNanos: Long): Boolean = joined.awaitReadySuspend(timeoutNanos)

    override fun kill() {
        stop(close = false)
    }

    override fun close() {
        stop(close = true)
    }

    private fun stop(close: Boolean) {
        val dropped: List<Task>
        val toWake: List<Worker>
        val waiters: List<Wait>
        lock.locked {
            if (close) {
                if (closed) return
                closed = true
                waiters = slotWaiters.map { it.wait!! }
                slotWaiters.clear()
            } else {
                waiters = emptyList()
            }
            dropped = queued.toList()
            queued.clear()
            for (w in all) w.retire = true
            toWake = idle.toList()
        }
        for (w in toWake) LockSupport.unpark(w)
        for (w in waiters) w.wake(CLOSED)
        for (t in dropped) {
            deliver(
                t,
                AsyncResultPeer.Failure(
                    CancellationException(
                        "ThreadPool \"$poolName\" was ${if (close) "closed" else "killed"} before a worker started the task"
                    )
                ),
            )
        }
    }

    override fun toString(): String =
        "ThreadPool(\"$poolName\", workers=$workers, maxsize=$max, unfinished=$unfinished)"

    internal companion object {
        private val GRANTED = Any()
        private val CLOSED = Any()
        private const val APPLY = "ThreadPool.apply()"
        private const val APPLY_TWIN = "ThreadPool.awaitApply { }"
        private const val MAP = "ThreadPool.map()"
        private const val MAP_TWIN = "ThreadPool.awaitMap(items) { }"
    }
}
