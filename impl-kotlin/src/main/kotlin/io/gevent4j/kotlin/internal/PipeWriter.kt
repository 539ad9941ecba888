package io.gevent4j.kotlin.internal

import java.io.IOException
import java.io.OutputStream
import java.util.ArrayDeque
import java.util.concurrent.locks.LockSupport

/**
 * A child's piped stdin, written by a platform daemon thread: callers queue [Op]s (bytes, or the close) under a short
 * [SpinLock] and wait for their op through [register], so no hub thread ever blocks in a pipe `write`. Ops run in
 * submission order. The thread starts with the first write; a close with nothing ever written closes the pipe at once
 * (closing a pipe never blocks). The thread ends after the close, after a failed write (the pipe is broken then; later
 * ops fail with that error), or when the child has exited and nothing is queued; ops still queued then fail, so nobody
 * waits for ever.
 */
internal class PipeWriter(private val stream: OutputStream, private val threadName: String) {
    /** One queued write (or close); [done] is set last, after [error]. */
    class Op(@JvmField val data: ByteArray?, @JvmField val close: Boolean) {
        @JvmField var error: IOException? = null
        @Volatile @JvmField var done: Boolean = false
    }

    private val lock = SpinLock()
    private val ops = ArrayDeque<Op>()
    private var waiters: ArrayList<Wait>? = null
    private var closeQueued = false
    private var finished = false
    private var broken: IOException? = null
    private var threadStarted = false
    @Volatile private var thread: Thread? = null
    @Volatile private var childExited = false

    /**
     * Queues [data] (owned by the writer from now on), and the close after it when [closeAfter]. Never blocks.
     *
     * @throws IOException when the stream was closed or the writer has ended (the child exited, a write failed)
     */
    fun submitWrite(data: ByteArray, closeAfter: Boolean = false): Op {
        val op = Op(data, closeAfter)
        val startNew: Boolean
        lock.locked {
            if (closeQueued) throw IOException("Stream closed")
            broken?.let { throw IOException(it.message, it) }
            if (finished) throw IOException("Stream closed: the child has exited")
            if (closeAfter) closeQueued = true
            ops.addLast(op)
            startNew = !threadStarted
            threadStarted = true
        }
        if (startNew) {
            val t =
                Thread.ofPlatform().name(threadName).daemon().inheritInheritableThreadLocals(false).unstarted(::loop)
            thread = t
            t.start()
        } else {
            LockSupport.unpark(thread) // a thread not yet assigned polls the queue when it starts
        }
        return op
    }

    /**
     * Queues the close behind the writes before it, or closes at once when nothing was ever written. Never blocks;
     * idempotent.
     *
     * @return the close op, or null when a close was queued already or the writer has ended
     */
    fun submitClose(): Op? {
        val op = Op(null, true)
        val closeNow: Boolean
        lock.locked {
            if (closeQueued || finished) {
                closeQueued = true
                return null
            }
            closeQueued = true
            closeNow = !threadStarted
            if (closeNow) {
                threadStarted = true
                finished = true
            } else {
                ops.addLast(op)
            }
        }
        if (closeNow) {
            closeQuietly()
            op.done = true
        } else {
            LockSupport.unpark(thread)
        }
        return op
    }

    private fun loop() {
        try {
            while (true) {
                val op = lock.locked { ops.pollFirst() }
                if (op == null) {
                    if (childExited) return
                    LockSupport.park(this)
                    continue
                }
                try {
                    val d = op.data
                    if (d != null) {
                        stream.write(d)
                        stream.flush()
                    }
                    if (op.close) stream.close()
                } catch (e: IOException) {
                    op.error = e
                    lock.locked { broken = e }
                    complete(op)
                    return
                }
                complete(op)
                if (op.close) return
            }
        } finally {
            closeQuietly()
            val left =
                lock.locked {
                    finished = true
                    val l = ArrayList(ops)
                    ops.clear()
                    l
                }
            for (op in left) {
                op.error =
                    broken?.let { IOException(it.message, it) } ?: IOException("Stream closed: the child has exited")
                complete(op)
            }
        }
    }

    private fun complete(op: Op) {
        val batch =
            lock.locked {
                op.done = true
                val w = waiters
                waiters = null
                w
            }
        if (batch != null) for (w in batch) w.wake(Unit)
    }

    private fun closeQuietly() {
        try {
            stream.close()
        } catch (ignored: IOException) {
            // a broken pipe: the child stopped reading; nothing to report on close
        }
    }

    /** Registers [w] to be woken when [op] is done (at once if it is). */
    fun register(w: Wait, op: Op): Runnable? {
        lock.locked {
            if (op.done) {
                w.wake(Unit)
                return null
            }
            val list = waiters ?: ArrayList<Wait>(2).also { waiters = it }
            list.add(w)
        }
        return Runnable { lock.locked { waiters?.remove(w) } }
    }

    /** The child has exited: the thread ends once nothing is queued. */
    fun childExited() {
        childExited = true
        LockSupport.unpark(thread)
    }
}
