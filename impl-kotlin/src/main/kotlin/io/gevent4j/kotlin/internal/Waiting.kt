package io.gevent4j.kotlin.internal

import io.gevent4j.Greenlet
import io.gevent4j.Timeout
import io.gevent4j.Waitable
import java.time.Duration
import java.util.IdentityHashMap
import java.util.concurrent.ConcurrentLinkedQueue
import java.util.function.Consumer

/**
 * gevent's `iwait`: links every object once (duplicates count once) and hands them out in the order they became ready;
 * objects ready already come first, in input order (their links run in the next loop iteration, in registration order).
 * It stops after [count] objects (`<= 0`: all) or when the deadline passes, and unlinks what is left either way.
 */
internal class WaitIterator<W : Waitable>(
    objects: Collection<W>,
    timeoutNanos: Long,
    count: Int,
    private val op: String = "iwait()",
    private val twin: String = "iwait() (a Flow)",
) : Iterator<W> {
    private val distinct: List<W>
    private val limit: Int
    private val deadline: Long = if (timeoutNanos < 0) -1 else Blocking.deadlineOf(timeoutNanos)
    private val ready = ConcurrentLinkedQueue<W>()
    @Volatile private var notify: Wait? = null
    private var yielded = 0
    private var closed = false

    private val callback =
        Consumer<Waitable> { obj ->
            @Suppress("UNCHECKED_CAST") ready.add(obj as W)
            notify?.wake(Unit)
        }

    init {
        val seen = IdentityHashMap<W, Boolean>()
        val list = ArrayList<W>(objects.size)
        for (o in objects) {
            requireNotNull(o) { "objects must not contain null" }
            if (seen.put(o, true) == null) list.add(o)
        }
        distinct = list
        limit = if (count <= 0 || count > list.size) list.size else count
        for (o in list) o.rawlink(callback)
    }

    override fun hasNext(): Boolean {
        if (closed) return false
        if (yielded >= limit) {
            close()
            return false
        }
        if (ready.isNotEmpty()) return true
        val left = if (deadline < 0) -1L else deadline - HubClocks.now()
        if (deadline >= 0 && left <= 0) {
            close()
            return false
        }
        val r =
            try {
                Blocking.await(op, twin, null, left) { w -> register(w) }
            } catch (t: Throwable) {
                close()
                throw t
            }
        if (r === Wait.TIMED_OUT && ready.isEmpty()) {
            close()
            return false
        }
        return true
    }

    /** Thread-safe registration: woken by the next ready object (or at once when one is queued). */
    fun register(w: Wait): Runnable {
        notify = w
        if (ready.isNotEmpty()) w.wake(Unit)
        return Runnable { notify = null }
    }

    fun poll(): W? = ready.poll()?.also { yielded++ }

    fun hasReady(): Boolean = ready.isNotEmpty()

    val isExhausted: Boolean
        get() = closed || yielded >= limit

    val remainingNanos: Long
        get() = if (deadline < 0) -1L else maxOf(0L, deadline - HubClocks.now())

    val hasDeadline: Boolean
        get() = deadline >= 0

    override fun next(): W {
        if (!hasNext()) throw NoSuchElementException("iwait: no more ready objects")
        val o = ready.poll()!!
        yielded++
        return o
    }

    /** Unlinks every object. */
    fun close() {
        if (closed) return
        closed = true
        for (o in distinct) o.unlink(callback)
    }
}

/**
 * The module functions built on [WaitIterator]. On a hub thread outside a Java greenlet they refuse before they link
 * anything: the links of ready objects run in the next loop iteration, so a wait there could never end at once.
 */
internal object Waiting {
    /** Gevent.iwait: refused before linking (an empty collection yields nothing and is never refused). */
    fun <W : Waitable> iwait(objects: Collection<W>, timeoutNanos: Long, count: Int): Iterator<W> {
        if (objects.isNotEmpty()) Blocking.refuseOnHub("iwait()", "iwait() (a Flow)")
        return WaitIterator(objects, timeoutNanos, count)
    }

    fun <W : Waitable> wait(objects: Collection<W>, timeoutNanos: Long, count: Int): List<W> {
        if (objects.isNotEmpty()) Blocking.refuseOnHub("wait()", "waitAll()")
        val it = WaitIterator(objects, timeoutNanos, count, "wait()", "waitAll()")
        val out = ArrayList<W>()
        while (it.hasNext()) out.add(it.next())
        return out
    }

    fun joinAll(
        greenlets: Collection<Greenlet<*>>,
        timeoutNanos: Long,
        raiseError: Boolean,
        count: Int,
    ): List<Greenlet<*>> {
        if (greenlets.isNotEmpty()) Blocking.refuseOnHub("joinAll()", "joinAll()")
        val it = WaitIterator(greenlets, timeoutNanos, count, "joinAll()", "joinAll()")
        val out = ArrayList<Greenlet<*>>()
        try {
            while (it.hasNext()) {
                val g = it.next()
                out.add(g)
                if (raiseError && g.exception() != null) {
                    it.close()
                    g.get() // re-throws as Greenlet.get() does (MOD-16, MOD-17)
                }
            }
        } finally {
            it.close()
        }
        return out
    }

    fun killAll(greenlets: Collection<Greenlet<*>>, exception: Throwable, block: Boolean, timeoutNanos: Long) {
        if (greenlets.isEmpty()) return
        for (g in greenlets) requireNotNull(g) { "greenlets must not contain null" }
        if (greenlets.all { it.isDead }) return // nothing to kill or wait for (gevent returns too)
        // refused before any kill is delivered (a refused call has no effect), whenever one is alive: whether it
        // must wait then depends on no other hub's timing
        if (block) Blocking.refuseOnHub(KILL_ALL, KILL_ALL_TWIN)
        for (g in greenlets) KotlinGeventProvider.core(g).killAsync(exception)
        if (!block) return
        val done = wait(greenlets, timeoutNanos, 0)
        val distinct = greenlets.toSet().size
        if (done.size < distinct) throw Timeout(Duration.ofNanos(timeoutNanos))
    }

    private const val KILL_ALL = "Gevent.killAll()"
    private const val KILL_ALL_TWIN = "Gevent.killAll(gs, e, false, null) then joinAll(gs)"
}
