package io.gevent4j.kotlin.internal

/**
 * A timer of a hub: runs [action] on the hub thread once [deadline] (System.nanoTime) has passed. Timers with equal
 * deadlines fire in the order they were placed in the heap ([seq]).
 */
internal class Timer(
    @JvmField val deadline: Long,
    /** Placement order; hub-confined (a timer armed from outside gets it when the hub places it). */
    @JvmField var seq: Long,
    @JvmField val action: Runnable,
) {
    /** Position in the heap, -1 when not in it. Hub-confined. */
    @JvmField var index: Int = -1

    /** Set by a cancel from any thread; a cancelled timer never runs. */
    @Volatile @JvmField var cancelled: Boolean = false

    fun before(other: Timer): Boolean = deadline - other.deadline < 0 || (deadline == other.deadline && seq < other.seq)
}

/**
 * Binary min-heap of [Timer]s with index tracking, so that a cancel removes in O(log n) and cancelled timers never pile
 * up. Hub-confined: only the hub's context touches it.
 */
internal class TimerHeap {
    private var heap = arrayOfNulls<Timer>(64)
    var size: Int = 0
        private set

    fun peek(): Timer? = if (size == 0) null else heap[0]

    fun add(t: Timer) {
        if (size == heap.size) heap = heap.copyOf(size * 2)
        heap[size] = t
        t.index = size
        size++
        siftUp(t.index)
    }

    fun poll(): Timer? {
        if (size == 0) return null
        val top = heap[0]!!
        removeAt(0)
        return top
    }

    fun remove(t: Timer) {
        val i = t.index
        if (i < 0 || i >= size || heap[i] !== t) return
        removeAt(i)
    }

    private fun removeAt(i: Int) {
        val removed = heap[i]!!
        removed.index = -1
        size--
        if (i == size) {
            heap[size] = null
            return
        }
        val last = heap[size]!!
        heap[size] = null
        heap[i] = last
        last.index = i
        siftDown(i)
        if (heap[i] === last) siftUp(i)
    }

    private fun siftUp(start: Int) {
        var i = start
        val t = heap[i]!!
        while (i > 0) {
            val p = (i - 1) ushr 1
            val parent = heap[p]!!
            if (!t.before(parent)) break
            heap[i] = parent
            parent.index = i
            i = p
        }
        heap[i] = t
        t.index = i
    }

    private fun siftDown(start: Int) {
        var i = start
        val t = heap[i]!!
        while (true) {
            val l = 2 * i + 1
            if (l >= size) break
            val r = l + 1
            var c = l
            if (r < size && heap[r]!!.before(heap[l]!!)) c = r
            val child = heap[c]!!
            if (!child.before(t)) break
            heap[i] = child
            child.index = i
            i = c
        }
        heap[i] = t
        t.index = i
    }
}
