package io.gevent4j.kotlin.internal

import io.gevent4j.Greenlet
import io.gevent4j.Hub
import io.gevent4j.Waitable
import io.gevent4j.event.Event
import io.gevent4j.kotlin.await
import io.gevent4j.kotlin.awaitReady
import io.gevent4j.kotlin.receive
import io.gevent4j.kotlin.waitAll
import io.gevent4j.lock.Semaphore
import io.gevent4j.pool.GreenPool
import io.gevent4j.pool.Group
import io.gevent4j.pool.Pool
import io.gevent4j.queue.SimpleQueue
import io.gevent4j.spi.Internals
import io.gevent4j.spi.PoolAccess
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.flow
import kotlin.coroutines.cancellation.CancellationException

internal fun poolAccess(o: Any): PoolAccess = Internals.peer(o) as PoolAccess

/**
 * How a pool-like object takes in a new member: [tryStart] adds and starts it when a slot is free now, or returns
 * what to wait on before trying again with the same greenlet. One instance serves one spawning coroutine.
 */
internal sealed class MemberSlots {
    abstract fun tryStart(g: Greenlet<*>): Waitable?

    /** Gives up a reservation (a GreenPool ticket) when the spawner stops waiting; idempotent. */
    open fun abandon() {}

    /** Another [MemberSlots] over the same object, for a helper greenlet that spawns on. */
    abstract fun fresh(): MemberSlots

    class OfGroup(private val group: Group) : MemberSlots() {
        private val access = poolAccess(group)

        override fun tryStart(g: Greenlet<*>): Waitable? {
            if (!access.tryAdd(group, g)) return access.slots(group as Pool)
            g.start()
            return null
        }

        override fun fresh(): MemberSlots = OfGroup(group)
    }

    class OfGreenPool(private val pool: GreenPool) : MemberSlots() {
        private val access = poolAccess(pool)
        private var ticket: Event? = null

        override fun tryStart(g: Greenlet<*>): Waitable? {
            val t = ticket
            if (t == null) {
                val nt = access.slotOrTicket(pool)
                if (nt != null) {
                    ticket = nt
                    return nt
                }
            } else {
                if (!access.takeSlot(pool, t)) return t
                ticket = null
            }
            access.track(pool, g)
            g.start()
            return null
        }

        override fun abandon() {
            ticket?.let { access.abandonTicket(pool, it) }
            ticket = null
        }

        override fun fresh(): MemberSlots = OfGreenPool(pool)
    }
}

/**
 * The suspend side of the pools: spawning members (waiting for slots), map (results in input order) and the imap
 * flows, for Group/Pool and GreenPool alike. Members are Kotlin greenlets on the caller's hub. The observable rules
 * are those of the Java methods (gevent's `list(imap(...))`): results in input order; a failed task at the head of
 * the line ends the call with its error while the other tasks run on; an error of the input comes after the
 * results of the tasks spawned before it (PL-31).
 */
internal object FanOut {
    /** A new, not started Kotlin greenlet on [hub]. */
    fun <T> member(hub: Hub, block: suspend CoroutineScope.() -> T): Greenlet<T> = Greenlet(hub, SuspendBody(block))

    /** Starts [g] as a member, suspending while there is no slot. A cancelled wait takes no slot. */
    suspend fun start(slots: MemberSlots, g: Greenlet<*>) {
        try {
            while (true) {
                val w = slots.tryStart(g) ?: return
                waitOne(w)
            }
        } catch (t: Throwable) {
            slots.abandon()
            throw t
        }
    }

    private suspend fun waitOne(w: Waitable) {
        when (w) {
            is Semaphore -> w.awaitReady()
            is Event -> w.await()
            else -> waitAll(listOf(w), null, 1)
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

    private fun isInputFailure(e: Throwable): Boolean = e !is CancellationException && e !is io.gevent4j.GreenletExit &&
        e !is io.gevent4j.Timeout

    suspend fun <A, R> map(slots: MemberSlots, items: Iterable<A>, fn: suspend (A) -> R): List<R> {
        val hub = Hub.current()
        val tasks = ArrayList<Greenlet<R>?>()
        val values = ArrayList<Any?>()
        var head = 0 // every task before it is done and its value taken
        val it = items.iterator()
        var inputError: Throwable? = null

        // Takes the values of the dead heads; a failed one ends the call, the rest being spawned by a helper.
        fun takeDoneHeads(pending: Greenlet<R>?) {
            while (head < tasks.size && tasks[head]!!.isDead) {
                val t = tasks[head]!!
                if (!t.isSuccessful) {
                    slots.abandon()
                    val helperSlots = slots.fresh()
                    val rest = it
                    Greenlet(hub, SuspendBody {
                        if (pending != null) start(helperSlots, pending)
                        while (rest.hasNext()) {
                            val x = rest.next()
                            start(helperSlots, member(hub) { fn(x) })
                        }
                    }).start()
                    outcome(t)
                }
                values[head] = outcome(t)
                tasks[head] = null
                head++
            }
        }

        while (true) {
            val x = try {
                if (!it.hasNext()) break
                it.next()
            } catch (e: Throwable) {
                if (!isInputFailure(e)) throw e
                inputError = e
                break
            }
            val g = member(hub) { fn(x) }
            try {
                while (true) {
                    val w = slots.tryStart(g) ?: break
                    takeDoneHeads(g)
                    if (head < tasks.size) waitAll(listOf(w, tasks[head]!!), null, 1) else waitOne(w)
                }
            } catch (t: Throwable) {
                slots.abandon()
                throw t
            }
            tasks.add(g)
            values.add(null)
            if (tasks[head]!!.isDead) takeDoneHeads(null) // drop the greenlets of done tasks early
        }
        val out = ArrayList<R>(tasks.size)
        for (i in tasks.indices) {
            val t = tasks[i]
            @Suppress("UNCHECKED_CAST")
            out.add(if (t == null) values[i] as R else t.await())
        }
        inputError?.let { throw it }
        return out
    }

    /**
     * The imap flows. [window] bounds the tasks in flight (results not emitted yet), `< 0` for none; the input is
     * read only as the window allows. [ordered]: input order, else completion order. The first failed task ends
     * the flow with its error; the tasks in flight run on.
     */
    fun <A, R> imap(newSlots: () -> MemberSlots, window: Int, items: Iterable<A>, ordered: Boolean, fn: suspend (A) -> R): Flow<R> =
        flow {
            val hub = Hub.current()
            val slots = newSlots()
            val inflight = ArrayDeque<Greenlet<R>>() // ordered: the tasks in flight, oldest first
            var count = 0 // tasks in flight
            val done = if (ordered) null else SimpleQueue<Greenlet<R>>()
            val signal = if (ordered) null else Event()
            val it = items.iterator()
            var pending: Greenlet<R>? = null
            var inputEnded = false
            var inputError: Throwable? = null
            try {
                while (true) {
                    // top up the window
                    fill@ while (!inputEnded && (window < 0 || count < window)) {
                        val g = pending ?: run {
                            val x = try {
                                if (!it.hasNext()) {
                                    inputEnded = true
                                    break@fill
                                }
                                it.next()
                            } catch (e: Throwable) {
                                if (!isInputFailure(e)) throw e
                                inputEnded = true
                                inputError = e
                                break@fill
                            }
                            member(hub) { fn(x) }
                        }
                        if (done != null) {
                            // completion order: each task queues itself, then rings (queue first: no lost wake-up)
                            if (pending == null) {
                                g.rawlink { done.putNowait(g); signal!!.set() }
                            }
                        }
                        val w = slots.tryStart(g)
                        if (w == null) {
                            pending = null
                            if (ordered) inflight.addLast(g)
                            count++
                            continue
                        }
                        pending = g
                        if (count == 0) {
                            waitOne(w)
                            continue
                        }
                        // no slot: wait for one, or for a result of ours to emit first
                        if (ordered) {
                            waitAll(listOf(w, inflight.first()), null, 1)
                            if (inflight.first().isDead) break@fill
                        } else {
                            signal!!.clear()
                            if (!done!!.isEmpty) break@fill
                            waitAll(listOf(w, signal), null, 1)
                            if (!done.isEmpty) break@fill
                        }
                    }
                    if (count == 0) break
                    val g = if (ordered) inflight.removeFirst() else done!!.receive()
                    count--
                    emit(g.await())
                }
                inputError?.let { throw it }
            } finally {
                slots.abandon()
            }
        }
}
