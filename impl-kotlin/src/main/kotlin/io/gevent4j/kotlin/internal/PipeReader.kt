package io.gevent4j.kotlin.internal

import java.io.IOException
import java.io.InputStream
import java.util.ArrayDeque
import java.util.concurrent.atomic.AtomicBoolean
import java.util.concurrent.locks.LockSupport

/**
 * One piped output of a child (its stdout or stderr), read by a platform daemon thread into a hub-side buffer that
 * greenlets and threads wait on. Nothing here blocks a hub thread: only the reader thread calls the blocking `read`,
 * and consumers take bytes under a short [SpinLock] and wait through [register] (a [Wait], so the wait is a Java
 * greenlet's park, a foreign thread's park or a coroutine's suspension).
 *
 * The thread starts on first use ([start]: a pipe nobody reads stays in the OS, so a child that fills it waits, as with
 * gevent's pipes). It reads while the buffer holds less than [CAPACITY] bytes (the pipe keeps its back-pressure), and
 * without that bound once the child has exited (what is left is finite, so the thread can always finish). It ends at
 * the end of the pipe, on a read error, or at its next wake-up after [close] (then it closes the pipe: a child still
 * writing gets SIGPIPE, as when gevent closes the pipe).
 *
 * Besides the buffer read by the cooperative stream, [collect] moves bytes into a second list kept across calls: what
 * `communicate` has read so far, kept when it times out (SP-05).
 *
 * ```
 * thread:  NOT_STARTED --start()--> READING --(end | error | closed)--> gone
 * buffer:  chunks in arrival order; ended once eof/failure/closed is set (under the lock)
 * ```
 */
internal class PipeReader(private val stream: InputStream, private val threadName: String) {
    private val lock = SpinLock()
    private val chunks = ArrayDeque<ByteArray>()
    private var headOff = 0
    @Volatile private var buffered = 0
    private var eof = false
    private var failure: IOException? = null
    @Volatile private var closed = false
    @Volatile private var childExited = false
    private var waiters: ArrayList<Wait>? = null
    private val collected = ArrayList<ByteArray>()
    private val started = AtomicBoolean()
    @Volatile private var thread: Thread? = null

    /** Starts the reader thread unless it ran already (or the pipe was closed first). Never blocks. */
    fun start() {
        if (started.get() || !started.compareAndSet(false, true)) return
        val vc = HubClocks.callerVirtual() // a virtual-time hub runs in real time while this thread reads
        val t =
            Thread.ofPlatform().name(threadName).daemon().inheritInheritableThreadLocals(false).unstarted {
                try {
                    pump()
                } finally {
                    vc?.lower()
                }
            }
        thread = t
        vc?.raise()
        try {
            t.start()
        } catch (e: Throwable) {
            vc?.lower() // no thread, no wake-up to wait for
            throw e
        }
    }

    /** The reader thread's loop. */
    private fun pump() {
        val buf = ByteArray(CHUNK)
        try {
            while (awaitRoom()) {
                val n =
                    try {
                        stream.read(buf)
                    } catch (e: IOException) {
                        if (!closed) end(e)
                        return
                    }
                if (n < 0) {
                    end(null)
                    return
                }
                if (n > 0 && !deliver(buf.copyOf(n))) return
            }
        } finally {
            closeQuietly()
        }
    }

    /** Parks the reader while the buffer is full (and the child alive); false once closed. */
    private fun awaitRoom(): Boolean {
        while (true) {
            if (closed) return false
            if (childExited || buffered < CAPACITY) return true
            LockSupport.park(this)
        }
    }

    private fun deliver(chunk: ByteArray): Boolean {
        val batch =
            lock.locked {
                if (closed) return false
                chunks.addLast(chunk)
                buffered += chunk.size
                takeWaiters()
            }
        wakeAll(batch)
        return true
    }

    private fun end(e: IOException?) {
        val batch =
            lock.locked {
                if (e == null) eof = true else failure = e
                takeWaiters()
            }
        wakeAll(batch)
    }

    /** Under the lock. */
    private fun takeWaiters(): ArrayList<Wait>? {
        val w = waiters
        if (w == null || w.isEmpty()) return null
        waiters = null
        return w
    }

    private fun wakeAll(batch: ArrayList<Wait>?) {
        if (batch != null) for (w in batch) w.wake(Unit)
    }

    private fun closeQuietly() {
        try {
            stream.close()
        } catch (ignored: IOException) {
            // nothing to report: the pipe is gone either way
        }
    }

    /**
     * Takes up to [len] buffered bytes into [into].
     *
     * @return how many (> 0); -1 at the end of the pipe; 0 when nothing is there yet
     * @throws IOException when the stream was closed, or the pipe failed (after its data)
     */
    fun tryRead(into: ByteArray, off: Int, len: Int): Int {
        var n = 0
        lock.locked {
            if (closed) throw IOException("Stream closed")
            while (n < len && chunks.isNotEmpty()) {
                val head = chunks.peekFirst()
                val k = minOf(len - n, head.size - headOff)
                System.arraycopy(head, headOff, into, off + n, k)
                n += k
                headOff += k
                if (headOff == head.size) {
                    chunks.pollFirst()
                    headOff = 0
                }
            }
            buffered -= n
            if (n == 0) {
                failure?.let { throw IOException(it.message, it) }
                if (eof) return -1
            }
        }
        if (n > 0) LockSupport.unpark(thread) // room again for a paused reader
        return n
    }

    /**
     * Moves every buffered byte to the collected list (communicate's output).
     *
     * @return true once the pipe has ended (or was closed): nothing more will come
     * @throws IOException when the pipe failed
     */
    fun collect(): Boolean {
        val ended: Boolean
        lock.locked {
            while (chunks.isNotEmpty()) {
                val head = chunks.pollFirst()
                collected.add(if (headOff == 0) head else head.copyOfRange(headOff, head.size))
                headOff = 0
            }
            buffered = 0
            failure?.let { throw IOException(it.message, it) }
            ended = eof || closed
        }
        LockSupport.unpark(thread)
        return ended
    }

    /** The collected bytes so far; with [clear], forgets them (they were handed out). */
    fun collected(clear: Boolean): ByteArray =
        lock.locked {
            var size = 0
            for (c in collected) size += c.size
            val out = ByteArray(size)
            var at = 0
            for (c in collected) {
                System.arraycopy(c, 0, out, at, c.size)
                at += c.size
            }
            if (clear) collected.clear()
            out
        }

    /** Registers [w] to be woken when bytes, the end, a failure or a close are there (at once if so). */
    fun register(w: Wait): Runnable? {
        lock.locked {
            if (closed || buffered > 0 || eof || failure != null) {
                w.wake(Unit)
                return null
            }
            val list = waiters ?: ArrayList<Wait>(2).also { waiters = it }
            list.add(w)
        }
        return Runnable { lock.locked { waiters?.remove(w) } }
    }

    /** @return the bytes buffered now; never blocks */
    fun available(): Int = buffered

    /**
     * Closes the stream from the consumer's side: buffered bytes are dropped, reads fail with IOException, waiters
     * wake. The pipe itself is closed by the reader thread at its next wake-up (the end of a blocked read), or here
     * when no thread was started. Never blocks; idempotent.
     */
    fun close() {
        val batch =
            lock.locked {
                if (closed) return
                closed = true
                chunks.clear()
                buffered = 0
                headOff = 0
                takeWaiters()
            }
        wakeAll(batch)
        if (started.compareAndSet(false, true)) closeQuietly() else LockSupport.unpark(thread)
    }

    /** The child has exited: what is left in the pipe is finite, read it without the bound. */
    fun childExited() {
        childExited = true
        LockSupport.unpark(thread)
    }

    private companion object {
        const val CHUNK = 16 * 1024
        const val CAPACITY = 256 * 1024
    }
}
