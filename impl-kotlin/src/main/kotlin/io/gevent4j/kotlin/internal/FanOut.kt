package io.gevent4j.kotlin.internal

import io.gevent4j.Gevent
import io.gevent4j.Greenlet
import io.gevent4j.Hub
import io.gevent4j.kotlin.await
import io.gevent4j.kotlin.awaitAcquire
import io.gevent4j.kotlin.receive
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
 * How a pool-like object takes in a new member: [tryStart] adds and starts it when a slot is free and nobody
 * waits for one (never suspends); [start] waits for a slot in FIFO order with every other waiter, Java or Kotlin.
 */
internal sealed class MemberSlots {
    abstract fun tryStart(g: Greenlet<*>): Boolean

    /** The body a member runs for [block] (a GreenPool frees the slot as the body's last act). */
    open fun <T> wrap(block: suspend CoroutineScope.() -> T): suspend CoroutineScope.() -> T = block

    /** Adds and starts [g], suspending in line for a slot; a cancelled wait takes no slot and starts nothing. */
    abstract suspend fun start(g: Greenlet<*>)

    class OfGroup(private val group: Group) : MemberSlots() {
        private val access = poolAccess(group)

        override fun tryStart(g: Greenlet<*>): Boolean {
            if (!access.tryAdd(group, g)) return false
            g.start()
            return true
        }

        override suspend fun start(g: Greenlet<*>) {
            if (tryStart(g)) return
            val pool = group as Pool
            access.slots(pool)!!.awaitAcquire() // the semaphore's own FIFO line
            access.addHoldingSlot(pool, g)
            g.start()
        }
    }

    class OfGreenPool(private val pool: GreenPool) : MemberSlots() {
        private val access = poolAccess(pool)

        override fun <T> wrap(block: suspend CoroutineScope.() -> T): suspend CoroutineScope.() -> T = {
            try {
                block()
            } finally {
                access.released(pool, Gevent.getcurrent()) // the slot is free before anyone sees the death
            }
        }

        override fun tryStart(g: Greenlet<*>): Boolean {
            if (!access.tryTakeSlot(pool)) return false
            access.track(pool, g)
            g.start()
            return true
        }

        override suspend fun start(g: Greenlet<*>) {
            check(startOrInline(g, null))
        }

        /**
         * As [start]; false (nothing started, no slot taken) when [caller] is a member of the full pool and must
         * run the function inline instead (EL-07), decided in the same step as queueing.
         */
        suspend fun startOrInline(g: Greenlet<*>, caller: Greenlet<*>?): Boolean {
            val ticket = access.slotOrTicket(pool, caller)
            if (ticket === PoolAccess.INLINE) return false
            if (ticket != null) {
                try {
                    while (true) {
                        val signal = access.takeSlot(pool, ticket) ?: break
                        signal.await()
                    }
                } catch (t: Throwable) {
                    access.abandonTicket(pool, ticket)
                    throw t
                }
            }
            access.track(pool, g)
            g.start()
            return true
        }
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

    suspend fun <A, R> map(slots: MemberSlots, newSlots: () -> MemberSlots, items: Iterable<A>, fn: suspend (A) -> R): List<R> {
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
                if (!t.isSuccessful || KotlinGeventProvider.core(t).outcomeExit != null) {
                    // a failed head, or one killed with GreenletExit (thrown below, deviation 40), ends the call;
                    // the rest of the input is still spawned, as gevent's map greenlet goes on (PL-29)
                    val helperSlots = newSlots()
                    Greenlet(hub, SuspendBody {
                        if (pending != null) helperSlots.start(pending)
                        while (it.hasNext()) {
                            val x = it.next()
                            helperSlots.start(member(hub, helperSlots.wrap { fn(x) }))
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
            val g = member(hub, slots.wrap { fn(x) })
            if (!slots.tryStart(g)) {
                takeDoneHeads(g) // a head that failed ends the call before we queue for a slot
                slots.start(g)
            }
            tasks.add(g)
            values.add(null)
            if (tasks[head]!!.isDead) takeDoneHeads(null) // drop done greenlets early; a failed head ends the call
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
     * the flow with its error; the tasks in flight run on. A result that is ready is emitted before the flow
     * queues for a slot.
     */
    fun <A, R> imap(newSlots: () -> MemberSlots, window: Int, items: Iterable<A>, ordered: Boolean, fn: suspend (A) -> R): Flow<R> =
        flow {
            val hub = Hub.current()
            val slots = newSlots()
            val inflight = ArrayDeque<Greenlet<R>>() // ordered: the tasks in flight, oldest first
            var count = 0 // tasks in flight
            val done = if (ordered) null else SimpleQueue<Greenlet<R>>() // unordered: finished tasks, in order
            val it = items.iterator()
            var pending: Greenlet<R>? = null
            var inputEnded = false
            var inputError: Throwable? = null

            fun resultReady(): Boolean = if (ordered) inflight.first().isDead else !done!!.isEmpty

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
                        val m = member(hub, slots.wrap { fn(x) })
                        if (done != null) m.rawlink { done.putNowait(m) }
                        m
                    }
                    if (!slots.tryStart(g)) {
                        if (count > 0 && resultReady()) {
                            pending = g
                            break@fill // emit first, try again after
                        }
                        slots.start(g)
                    }
                    pending = null
                    if (ordered) inflight.addLast(g)
                    count++
                }
                if (count == 0) break
                val g = if (ordered) inflight.removeFirst() else done!!.receive()
                count--
                emit(g.await())
            }
            inputError?.let { throw it }
        }
}
