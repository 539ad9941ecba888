package io.gevent4j.kotlin.internal

import io.gevent4j.kotlin.spi.SuspendQueuePeer
import io.gevent4j.queue.QueueEmptyException
import io.gevent4j.queue.QueueFullException
import io.gevent4j.queue.QueueShutDownException
import io.gevent4j.spi.QueueKind
import io.gevent4j.spi.QueuePeer
import java.util.ArrayDeque
import java.util.PriorityQueue

/**
 * Every gevent queue kind (spec section 6), safe from any thread: items, FIFO lists of waiting getters (and peekers)
 * and putters, all under one short lock never held across a switch.
 *
 * Nothing is handed over (but by a Channel): `put` adds the item and wakes as many getters as there are items not yet
 * promised to a woken one; a woken getter takes an item itself when it runs, so a caller that is not waiting may take
 * it first and no item is lost when a woken getter dies. Putters of a full queue are woken the same way
 * as room appears. A woken waiter whose wait ends otherwise (a timeout, a kill) hands its wake-up on. A
 * Channel's putter waits in the putter list with its item until a getter takes it; `putNowait` on a Channel
 * succeeds only for a getter that is waiting.
 */
internal class QueueCore<T>(private val kind: QueueKind, maxsize: Int, comparator: Comparator<in T>?) :
    QueuePeer<T>, SuspendQueuePeer<T> {
    private inner class Entry(
        @JvmField val wait: Wait,
        @JvmField val getter: Boolean,
        @JvmField val consuming: Boolean,
        override val ticket: Long = 0L,
    ) : Runnable, Ticketed {
        @JvmField var woken = false
        @JvmField var item: Any? = null
        @JvmField var taken = false

        /** The cleanup after the wait. */
        override fun run() {
            var batch: List<Wait>? = null
            lock.locked {
                if (!woken) {
                    (if (getter) getters else putters).remove(this)
                } else if (consuming) {
                    if (getter) promisedItems-- else promisedRoom--
                    if (wait.error != null || wait.result !== WOKEN) batch = collect()
                }
            }
            wakeAll(batch)
        }
    }

    private val lock = SpinLock()
    private val bound = if (kind == QueueKind.CHANNEL) 1 else maxOf(maxsize, 0)
    private val fifo: ArrayDeque<Any?>? = if (kind == QueueKind.PRIORITY) null else ArrayDeque()
    @Suppress("UNCHECKED_CAST")
    private val heap: PriorityQueue<Any?>? =
        if (kind == QueueKind.PRIORITY) PriorityQueue(11, comparator as Comparator<Any?>?) else null
    private val getters = ArrayDeque<Entry>()
    private val tickets = java.util.concurrent.atomic.AtomicLong()
    private val putters = ArrayDeque<Entry>()
    private var promisedItems = 0
    private var promisedRoom = 0
    @Volatile private var size = 0
    @Volatile private var unfinished = 0
    @Volatile private var shutDown = false
    private val joined = JoinFlag()

    /** Ready while no task is unfinished: what `join()` waits for. */
    private inner class JoinFlag : Linkable(this@QueueCore) {
        override val ready: Boolean
            get() = unfinished == 0

        fun fireIfDone() {
            val batch = lock.locked { if (unfinished == 0) takeLinks() else null }
            fire(batch)
        }
    }

    // ---- items (under the lock) ---------------------------------------------------------------------

    private fun add(item: T) {
        if (heap != null) {
            if (item == null && heap.comparator() == null)
                throw NullPointerException("item must not be null in a PriorityQueue in natural order")
            heap.add(item)
        } else {
            fifo!!.addLast(item)
        }
        size++
        if (kind != QueueKind.SIMPLE && kind != QueueKind.CHANNEL) unfinished++
    }

    @Suppress("UNCHECKED_CAST")
    private fun take(remove: Boolean): T =
        when {
            heap != null -> (if (remove) heap.poll() else heap.peek()) as T
            kind == QueueKind.LIFO -> (if (remove) fifo!!.pollLast() else fifo!!.peekLast()) as T
            else -> (if (remove) fifo!!.pollFirst() else fifo!!.peekFirst()) as T
        }.also { if (remove) size-- }

    /** Items a getter could take now: queued ones, and for a Channel, waiting putters' items. */
    private fun available(): Int = if (kind == QueueKind.CHANNEL) size + putters.size else size

    /** Under the lock: the waits to wake now (getters while items are unpromised, putters while room is). */
    private fun collect(): List<Wait>? {
        if (getters.isEmpty() && putters.isEmpty()) return null // the common case: nobody waits
        var out: ArrayList<Wait>? = null
        val items = available()
        var it = getters.iterator()
        while (it.hasNext()) {
            val e = it.next()
            if (!shutDown) {
                if (items == 0) break
                if (e.consuming) {
                    if (promisedItems >= items) continue
                    promisedItems++
                }
            } else if (e.consuming) {
                promisedItems++
            }
            e.woken = true
            it.remove()
            if (out == null) out = ArrayList(2)
            out.add(e.wait)
        }
        if (kind != QueueKind.CHANNEL) {
            it = putters.iterator()
            while (it.hasNext()) {
                val e = it.next()
                if (!shutDown) {
                    if (bound == 0 || promisedRoom >= bound - size) break
                }
                promisedRoom++
                e.woken = true
                it.remove()
                if (out == null) out = ArrayList(2)
                out.add(e.wait)
            }
        } else if (shutDown) {
            for (e in putters) {
                if (out == null) out = ArrayList(2)
                out.add(e.wait)
            }
        }
        return out
    }

    /**
     * Runs a wait; when it ends with an exception (a kill, a Timeout, a cancellation), wakes whoever can go on now, so
     * that a wake-up this waiter got but will not use is not lost. A Kotlin waiter killed after its
     * wake-up sees no error on its Wait (the kill arrives as a cancellation or a pending exception), so the wait's
     * cleanup alone cannot tell.
     */
    private inline fun <R> handingOn(block: () -> R): R =
        try {
            block()
        } catch (t: Throwable) {
            wakeAll(lock.locked { collect() })
            throw t
        }

    private fun wakeAll(batch: List<Wait>?) {
        if (batch == null) return
        for (w in batch) w.wake(WOKEN)
    }

    // ---- put ----------------------------------------------------------------------------------------

    override fun preload(items: Collection<T>) {
        lock.locked { for (i in items) add(i) }
    }

    /** Under the lock: puts at once if there is room (or, for a Channel, a getter waiting for it). */
    private fun tryPut(item: T, nowait: Boolean): Boolean {
        if (shutDown) throw QueueShutDownException("put() on a queue that is shut down")
        if (kind == QueueKind.CHANNEL) {
            if (!nowait) return false
            val waiting = getters.count { it.consuming && !it.woken }
            if (waiting <= size - promisedItems) return false
            add(item)
            return true
        }
        if (bound != 0 && size >= bound) return false
        add(item)
        return true
    }

    private fun registerPut(w: Wait, item: T): Entry? {
        lock.locked {
            if (kind == QueueKind.CHANNEL) {
                if (shutDown) {
                    w.wake(WOKEN)
                    return null
                }
                val e = Entry(w, getter = false, consuming = false)
                e.item = item
                putters.addLast(e)
                wakeAll(collect()) // a wake never takes a queue lock: safe under ours
                return e
            }
            if (shutDown || bound == 0 || size < bound) {
                w.wake(WOKEN)
                return null
            }
            val e = Entry(w, getter = false, consuming = true)
            putters.addLast(e)
            return e
        }
    }

    override fun put(item: T, timeoutNanos: Long) =
        putLoop(item, timeoutNanos) { left, register ->
            Blocking.await("SimpleQueue.put()", "SimpleQueue.send()", null, left, register)
        }

    /** The suspend twin of [put]: no suspension (and no continuation object) when the item goes in at once. */
    override suspend fun send(item: T, timeoutNanos: Long) {
        if (putNow(item, timeoutNanos)) return
        return putSuspend(item, timeoutNanos)
    }

    private suspend fun putSuspend(item: T, timeoutNanos: Long) =
        putLoop(item, timeoutNanos) { left, register -> Blocking.awaitSuspend(null, left, register) }

    /** The put loop, shared by the blocking and the suspending form ([await] waits once, at most `left`). */
    private inline fun putLoop(
        item: T,
        timeoutNanos: Long,
        await: (left: Long, register: (Wait) -> Runnable?) -> Any?,
    ) {
        if (putNow(item, timeoutNanos)) return
        val deadline = if (timeoutNanos < 0) -1L else Blocking.deadlineOf(timeoutNanos)
        while (true) {
            val left = if (deadline < 0) -1L else deadline - HubClocks.now()
            if (deadline >= 0 && left <= 0) throw full(timeoutNanos)
            var entry: Entry? = null
            val r = handingOn { await(left) { w -> registerPut(w, item).also { entry = it } } }
            if (finishPut(item, entry)) return
            if (r === Wait.TIMED_OUT) throw full(timeoutNanos)
        }
    }

    /** True when the item went in at once; throws for a zero timeout that cannot. */
    fun putNow(item: T, timeoutNanos: Long): Boolean {
        val batch: List<Wait>?
        lock.locked {
            if (!tryPut(item, timeoutNanos == 0L)) {
                if (timeoutNanos == 0L) {
                    throw QueueFullException(
                        if (kind == QueueKind.CHANNEL) "putNowait() on a Channel with no getter waiting"
                        else "putNowait() on a full queue (maxsize $bound)"
                    )
                }
                return false
            }
            batch = collect()
        }
        wakeAll(batch)
        return true
    }

    /** After a put's wait: true when the item is in (or, for a Channel, taken). */
    private fun finishPut(item: T, entry: Entry?): Boolean {
        if (kind == QueueKind.CHANNEL) {
            lock.locked {
                if (entry != null && entry.taken) return true
                if (shutDown) throw QueueShutDownException("put() on a queue that is shut down")
            }
            return false
        }
        val batch: List<Wait>?
        lock.locked {
            if (!tryPut(item, false)) return false
            batch = collect()
        }
        wakeAll(batch)
        return true
    }

    private fun full(timeoutNanos: Long) =
        QueueFullException("put() found no room in ${timeoutNanos / 1e9} seconds (maxsize $bound)")

    // ---- get / peek ---------------------------------------------------------------------------------

    /** Under the lock: an item if one can be had now, else [NONE]. */
    private fun tryGet(remove: Boolean, afterWait: Boolean): Any? {
        // a Channel's queued items were handed over by putNowait to getters that wait: only they take them
        if (size > 0 && (afterWait || kind != QueueKind.CHANNEL)) return take(remove)
        if (kind == QueueKind.CHANNEL && putters.isNotEmpty()) {
            val p = putters.first
            if (!remove) return p.item
            putters.pollFirst()
            p.taken = true
            p.wait.wake(WOKEN)
            return p.item
        }
        if (shutDown) throw QueueShutDownException("get() on a queue that is shut down and empty")
        return NONE
    }

    private fun registerGet(w: Wait, remove: Boolean, ticket: Long): Runnable? {
        lock.locked {
            if (available() > 0 || shutDown) {
                w.wake(WOKEN)
                return null
            }
            val e = Entry(w, getter = true, consuming = remove, ticket = ticket)
            getters.addInTicketOrder(e)
            return e
        }
    }

    /** An item taken (or peeked) at once, or [NONE]. */
    /**
     * Takes the head when [accept] says yes, the look and the take in one locked step (so no other getter can take
     * another head in between); else [NONE]. [accept] runs under the lock: it must only read.
     */
    fun takeIf(accept: (Any?) -> Boolean): Any? {
        val batch: List<Wait>?
        val got: Any?
        lock.locked {
            val head = tryGet(false, false)
            got = if (head !== NONE && accept(head)) tryGet(true, false) else NONE
            batch = if (got !== NONE) collect() else null
        }
        wakeAll(batch)
        return got
    }

    fun attemptGet(remove: Boolean, afterWait: Boolean = false): Any? {
        val batch: List<Wait>?
        val got: Any?
        lock.locked {
            got = tryGet(remove, afterWait)
            batch = if (got !== NONE) collect() else null
        }
        wakeAll(batch)
        return got
    }

    override fun get(timeoutNanos: Long, remove: Boolean): T =
        getLoop(timeoutNanos, remove) { left, register ->
            Blocking.await(
                if (remove) "SimpleQueue.get()" else "SimpleQueue.peek()",
                if (remove) "SimpleQueue.receive()" else "SimpleQueue.awaitPeek()",
                null,
                left,
                register,
            )
        }

    /** The suspend twin of `get`: no suspension (and no continuation object) when an item is there. */
    override suspend fun receive(timeoutNanos: Long): T {
        val got = attemptGet(true)
        @Suppress("UNCHECKED_CAST") if (got !== NONE) return got as T
        return getSuspend(timeoutNanos, true)
    }

    /** The suspend twin of `peek`. */
    override suspend fun awaitPeek(timeoutNanos: Long): T = getSuspend(timeoutNanos, false)

    private suspend fun getSuspend(timeoutNanos: Long, remove: Boolean): T =
        getLoop(timeoutNanos, remove) { left, register -> Blocking.awaitSuspend(null, left, register) }

    /** The get loop, shared by the blocking and the suspending form ([await] waits once, at most `left`). */
    @Suppress("UNCHECKED_CAST")
    private inline fun getLoop(
        timeoutNanos: Long,
        remove: Boolean,
        await: (left: Long, register: (Wait) -> Runnable?) -> Any?,
    ): T {
        val first = attemptGet(remove)
        if (first !== NONE) return first as T
        if (timeoutNanos == 0L)
            throw QueueEmptyException(if (remove) "getNowait() on an empty queue" else "peekNowait() on an empty queue")
        val deadline = if (timeoutNanos < 0) -1L else Blocking.deadlineOf(timeoutNanos)
        val ticket = tickets.incrementAndGet() // our place in the line, kept when a barger takes our item
        while (true) {
            val left = if (deadline < 0) -1L else deadline - HubClocks.now()
            if (deadline >= 0 && left <= 0) throw empty(timeoutNanos)
            val r = handingOn { await(left) { w -> registerGet(w, remove, ticket) } }
            val got = attemptGet(remove, afterWait = true)
            if (got !== NONE) return got as T
            if (r === Wait.TIMED_OUT) throw empty(timeoutNanos)
            // woken, but a caller that was not waiting took the item: wait again, in our place
        }
    }

    private fun empty(timeoutNanos: Long) = QueueEmptyException("get() found no item in ${timeoutNanos / 1e9} seconds")

    override fun awaitItem(): Boolean =
        try {
            getLoop(-1, false) { left, register ->
                Blocking.await("iterating a SimpleQueue", "SimpleQueue.receiveAsFlow()", null, left, register)
            }
            true
        } catch (e: QueueShutDownException) {
            false
        }

    /** The suspend twin of [awaitItem]. */
    override suspend fun awaitAvailable(): Boolean =
        try {
            getSuspend(-1, false)
            true
        } catch (e: QueueShutDownException) {
            false
        }

    // ---- sizes, tasks, shutdown -----------------------------------------------------------------------

    override fun qsize(): Int = if (kind == QueueKind.CHANNEL) 0 else size

    override fun maxsize(): Int = bound

    override fun isFull(): Boolean = kind == QueueKind.CHANNEL || (bound != 0 && size >= bound)

    override fun taskDone() {
        lock.locked {
            check(unfinished > 0) { "taskDone() called too many times" }
            unfinished--
        }
        joined.fireIfDone()
    }

    override fun join(timeoutNanos: Long): Boolean =
        joined.awaitReady("Queue.join()", "Queue.awaitJoin()", timeoutNanos)

    /** The suspend twin of [join]. */
    override suspend fun awaitJoin(timeoutNanos: Long): Boolean = joined.awaitReadySuspend(timeoutNanos)

    /** Under the lock: a put changes the size and this count in one step (qsize() may read the size early). */
    override fun unfinishedTasks(): Int = lock.locked { unfinished }

    override fun shutdown(immediate: Boolean) {
        val batch: List<Wait>?
        lock.locked {
            shutDown = true
            if (immediate) {
                val dropped = size
                fifo?.clear()
                heap?.clear()
                size = 0
                unfinished = maxOf(0, unfinished - dropped)
            }
            batch = collect()
        }
        wakeAll(batch)
        joined.fireIfDone()
    }

    override fun isShutDown(): Boolean = shutDown

    companion object {
        /** A waiter woken to look again. */
        @JvmField val WOKEN: Any = Any()

        /** [attemptGet] found nothing. */
        @JvmField val NONE: Any = Any()
    }
}
