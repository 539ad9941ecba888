package io.gevent4j.kotlin.internal

import io.gevent4j.Waitable
import io.gevent4j.kotlin.spi.SuspendPopenPeer
import io.gevent4j.spi.PopenPeer
import io.gevent4j.subprocess.CalledProcessErrorException
import io.gevent4j.subprocess.Communicated
import io.gevent4j.subprocess.CompletedProcess
import io.gevent4j.subprocess.TimeoutExpiredException
import java.io.IOException
import java.io.InputStream
import java.io.OutputStream
import java.io.UncheckedIOException
import java.lang.ProcessBuilder.Redirect
import java.time.Duration
import java.util.concurrent.atomic.AtomicInteger
import java.util.function.Consumer

/**
 * gevent's `subprocess.Popen` (spec section 10): a started child, its exit as a [ChildExit] completed from the JDK's
 * `Process.onExit()` (SP-01, SP-02), its piped stdout and stderr as [PipeReader]s and its piped stdin as a
 * [PipeWriter], each served by a platform daemon thread of its own, so that no hub thread and no Kotlin greenlet ever
 * reads or writes a pipe.
 *
 * Each algorithm ([waitLoop], [communicateLoop], [runLoop], [readLoop], [writeLoop]) is written once, as an inline
 * function taking the wait as a lambda (as [QueueCore]'s loops do): the blocking forms pass [Blocking.await], the
 * Kotlin twins [Blocking.awaitSuspend]. A kill or a Timeout of the caller ends any of those waits with that exception
 * and leaves the child running; the output `communicate` read so far stays in the readers for the next call (SP-05).
 *
 * Return codes: the JDK reports a child killed by signal N as 128 + N; when this Popen sent signal N itself ([kill]: 9,
 * [terminate]: 15) it is reported as -N, gevent's convention; otherwise as the JDK saw it.
 */
internal class PopenCore(owner: Waitable, builder: ProcessBuilder) : PopenPeer, SuspendPopenPeer {
    private val args: List<String> = java.util.List.copyOf(builder.command())
    private val outPiped = builder.redirectOutput().type() == Redirect.Type.PIPE
    private val errPiped = !builder.redirectErrorStream() && builder.redirectError().type() == Redirect.Type.PIPE
    private val inPiped = builder.redirectInput().type() == Redirect.Type.PIPE
    private val process: Process = builder.start()
    private val pid: Long = process.pid()
    private val exit = ChildExit(owner)
    private val signalsSent = AtomicInteger()

    @JvmField
    val stdoutReader: PipeReader? = if (outPiped) PipeReader(process.inputStream, "$THREAD_PREFIX$pid-stdout") else null
    @JvmField
    val stderrReader: PipeReader? = if (errPiped) PipeReader(process.errorStream, "$THREAD_PREFIX$pid-stderr") else null
    @JvmField
    val stdinWriter: PipeWriter? = if (inPiped) PipeWriter(process.outputStream, "$THREAD_PREFIX$pid-stdin") else null
    private val stdoutStream =
        stdoutReader?.let { PipeInputStream(this, it, "Popen.stdout().read()", "Popen.awaitReadStdout()") }
    private val stderrStream =
        stderrReader?.let { PipeInputStream(this, it, "Popen.stderr().read()", "Popen.awaitReadStderr()") }
    private val stdinStream = stdinWriter?.let { PipeOutputStream(this, it) }

    private val commLock = SpinLock()
    private var communicating = false
    @Volatile private var inputOp: PipeWriter.Op? = null

    /** The virtual-time hub this child was started from, if any: it runs in real time until the exit is delivered. */
    private val virtual: VirtualClock? = HubClocks.callerVirtual()?.also { it.raise() }

    init {
        // last: the callback may run at once, on this thread, when the child has exited already
        process.onExit().whenComplete { _, _ -> exited() }
    }

    /** On the JDK thread completing `onExit()`: the return code, then the pipes' threads may finish. */
    private fun exited() {
        val raw =
            try {
                process.exitValue()
            } catch (e: IllegalThreadStateException) {
                -1
            }
        val sig = raw - 128
        val code = if ((sig == SIGKILL || sig == SIGTERM) && signalsSent.get() and (1 shl sig) != 0) -sig else raw
        stdoutReader?.childExited()
        stderrReader?.childExited()
        stdinWriter?.childExited()
        exit.set(code)
        virtual?.lower()
    }

    override fun args(): List<String> = args

    override fun pid(): Long = pid

    override fun poll(): Int? = exit.code

    override fun kill() = signal(SIGKILL)

    override fun terminate() = signal(SIGTERM)

    private fun signal(n: Int) {
        if (exit.code != null) return
        signalsSent.getAndUpdate { it or (1 shl n) }
        val h = process.toHandle() // not Process.destroy: that also closes the pipes, losing unread output (SP-05)
        if (n == SIGKILL) h.destroyForcibly() else h.destroy()
    }

    override fun isReady(): Boolean = (exit.code != null)

    override fun rawlink(callback: Consumer<in Waitable>) = exit.rawlink(callback)

    override fun unlink(callback: Consumer<in Waitable>) = exit.unlink(callback)

    override fun stdout(): InputStream? = stdoutStream

    override fun stderr(): InputStream? = stderrStream

    override fun stdin(): OutputStream? = stdinStream

    // ---- wait ---------------------------------------------------------------------------------------------

    override fun waitFor(timeoutNanos: Long): Int {
        Blocking.refuseOnHub(OP_WAIT, TWIN_WAIT)
        return waitLoop(timeoutNanos) { left, r -> Blocking.await(OP_WAIT, TWIN_WAIT, null, left, r) }
    }

    /** The suspend twin of [waitFor]. */
    override suspend fun awaitExit(timeoutNanos: Long): Int =
        waitLoop(timeoutNanos) { left, r -> Blocking.awaitSuspend(null, left, r) }

    private inline fun waitLoop(timeoutNanos: Long, await: (Long, (Wait) -> Runnable?) -> Any?): Int {
        val deadline = deadline(timeoutNanos)
        while (true) {
            exit.code?.let {
                return it
            }
            val left = remaining(deadline)
            if (left == 0L) throw TimeoutExpiredException(args, Duration.ofNanos(timeoutNanos), null, null)
            await(left, exit)
        }
    }

    // ---- communicate --------------------------------------------------------------------------------------

    override fun communicate(input: ByteArray?, timeoutNanos: Long): Communicated {
        Blocking.refuseOnHub(OP_COMM, TWIN_COMM)
        return communicateLoop(input, timeoutNanos) { left, r -> Blocking.await(OP_COMM, TWIN_COMM, null, left, r) }
    }

    /** The suspend twin of [communicate]. */
    override suspend fun awaitCommunicate(input: ByteArray?, timeoutNanos: Long): Communicated =
        communicateLoop(input, timeoutNanos) { left, r -> Blocking.awaitSuspend(null, left, r) }

    /**
     * Reads both outputs into their readers' collected lists as bytes arrive (so a child filling both pipes never waits
     * for us) while the writer thread feeds stdin, then waits for the exit; on expiry the output read so far goes into
     * the exception and stays collected for the next call.
     */
    private inline fun communicateLoop(
        input: ByteArray?,
        timeoutNanos: Long,
        await: (Long, (Wait) -> Runnable?) -> Any?,
    ): Communicated {
        val deadline = deadline(timeoutNanos)
        val inOp = startCommunication(input)
        while (true) {
            val outEnd = collect(stdoutReader)
            val errEnd = collect(stderrReader)
            val inEnd = inOp == null || inOp.done
            if (outEnd && errEnd && inEnd) break
            val left = remaining(deadline)
            if (left == 0L) throw expired(timeoutNanos)
            await(left) { w ->
                registerAny(
                    w,
                    if (outEnd) null else stdoutReader,
                    if (errEnd) null else stderrReader,
                    if (inEnd) null else inOp,
                )
            }
        }
        while (true) {
            if (exit.code != null) break
            val left = remaining(deadline)
            if (left == 0L) throw expired(timeoutNanos)
            await(left, exit)
        }
        return Communicated(stdoutReader?.collected(true), stderrReader?.collected(true))
    }

    /** The first call starts the readers and queues the input (then the close) or just closes stdin. */
    private fun startCommunication(input: ByteArray?): PipeWriter.Op? {
        val writer = stdinWriter
        if (input != null && writer == null) {
            throw IllegalStateException(
                "communicate(input) needs a piped stdin (Redirect.PIPE); it is not piped in $args"
            )
        }
        val first: Boolean
        commLock.locked {
            if (communicating && input != null)
                throw IllegalStateException("cannot send input after starting communication")
            first = !communicating
            communicating = true
        }
        if (!first) return inputOp
        stdoutReader?.start()
        stderrReader?.start()
        if (writer == null) return null
        val op =
            if (input != null && input.isNotEmpty()) {
                try {
                    writer.submitWrite(input.copyOf(), closeAfter = true)
                } catch (e: IOException) {
                    null // stdin closed already: as a broken pipe, not an error of communicate
                }
            } else {
                writer.submitClose()
                null
            }
        inputOp = op
        return op
    }

    private fun collect(reader: PipeReader?): Boolean =
        try {
            reader?.collect() ?: true
        } catch (e: IOException) {
            throw UncheckedIOException("reading a pipe of $args failed", e)
        }

    private fun registerAny(w: Wait, out: PipeReader?, err: PipeReader?, inOp: PipeWriter.Op?): Runnable? {
        val c1 = out?.register(w)
        val c2 = err?.register(w)
        val c3 = if (inOp != null) stdinWriter!!.register(w, inOp) else null
        if (c1 == null && c2 == null && c3 == null) return null
        return Runnable {
            c1?.run()
            c2?.run()
            c3?.run()
        }
    }

    private fun expired(timeoutNanos: Long) =
        TimeoutExpiredException(
            args,
            Duration.ofNanos(timeoutNanos),
            stdoutReader?.collected(false),
            stderrReader?.collected(false),
        )

    // ---- run ----------------------------------------------------------------------------------------------

    override fun run(input: ByteArray?, timeoutNanos: Long, check: Boolean): CompletedProcess {
        Blocking.refuseOnHub(OP_RUN, TWIN_RUN)
        return runLoop(input, timeoutNanos, check) { left, r -> Blocking.await(OP_RUN, TWIN_RUN, null, left, r) }
    }

    /** The suspend twin of [run]. */
    override suspend fun awaitRun(input: ByteArray?, timeoutNanos: Long, check: Boolean): CompletedProcess =
        runLoop(input, timeoutNanos, check) { left, r -> Blocking.awaitSuspend(null, left, r) }

    /**
     * gevent's `run` on this child: communicate; on expiry kill the child, wait for it and rethrow (with the output
     * read before the expiry, SP-06); on any other failure (a kill, a Timeout, a cancellation) kill it and rethrow;
     * then close the pipes and check the return code (SP-08).
     */
    private inline fun runLoop(
        input: ByteArray?,
        timeoutNanos: Long,
        check: Boolean,
        await: (Long, (Wait) -> Runnable?) -> Any?,
    ): CompletedProcess {
        val out =
            try {
                communicateLoop(input, timeoutNanos, await)
            } catch (e: TimeoutExpiredException) {
                signal(SIGKILL)
                try {
                    waitLoop(-1, await)
                } finally {
                    closePipes()
                }
                throw e
            } catch (t: Throwable) {
                signal(SIGKILL)
                closePipes()
                throw t
            }
        closePipes()
        val code = exit.code!!
        if (check && code != 0) throw CalledProcessErrorException(code, args, out.stdout(), out.stderr())
        return CompletedProcess(args, code, out.stdout(), out.stderr())
    }

    // ---- close --------------------------------------------------------------------------------------------

    override fun close() {
        Blocking.refuseOnHub(OP_CLOSE, TWIN_CLOSE)
        closePipes()
        waitLoop(-1) { left, r -> Blocking.await(OP_CLOSE, TWIN_CLOSE, null, left, r) }
    }

    /** The suspend twin of [close]. */
    override suspend fun awaitClose() {
        closePipes()
        waitLoop(-1) { left, r -> Blocking.awaitSuspend(null, left, r) }
    }

    private fun closePipes() {
        stdoutReader?.close()
        stderrReader?.close()
        stdinWriter?.submitClose()
    }

    // ---- the cooperative streams ----------------------------------------------------------------------------

    override suspend fun awaitReadStdout(into: ByteArray, off: Int, len: Int): Int {
        val reader =
            stdoutReader
                ?: throw IllegalStateException("stdout of the child $args (pid $pid) is not piped (use Redirect.PIPE)")
        return awaitRead(reader, into, off, len)
    }

    override suspend fun awaitReadStderr(into: ByteArray, off: Int, len: Int): Int {
        val reader =
            stderrReader
                ?: throw IllegalStateException("stderr of the child $args (pid $pid) is not piped (use Redirect.PIPE)")
        return awaitRead(reader, into, off, len)
    }

    private suspend fun awaitRead(reader: PipeReader, into: ByteArray, off: Int, len: Int): Int {
        if (len == 0) return 0
        return readLoop(reader, into, off, len) { register -> Blocking.awaitSuspend(null, -1, register) }
    }

    override suspend fun awaitWriteStdin(data: ByteArray, off: Int, len: Int) {
        val writer =
            stdinWriter
                ?: throw IllegalStateException("stdin of the child $args (pid $pid) is not piped (use Redirect.PIPE)")
        if (len == 0) return
        writeLoop(writer, data.copyOfRange(off, off + len)) { register -> Blocking.awaitSuspend(null, -1, register) }
    }

    /** Reads at least one byte into [b] (-1 at the end), waiting with [await]; shared by the stream and its twin. */
    inline fun readLoop(
        reader: PipeReader,
        b: ByteArray,
        off: Int,
        len: Int,
        await: ((Wait) -> Runnable?) -> Any?,
    ): Int {
        reader.start()
        while (true) {
            val n = reader.tryRead(b, off, len)
            if (n != 0) return n
            await { w -> reader.register(w) }
        }
    }

    /** Writes [data] (owned from now on) through the writer thread, waiting until written; shared with the twin. */
    inline fun writeLoop(writer: PipeWriter, data: ByteArray, await: ((Wait) -> Runnable?) -> Any?) {
        val op = writer.submitWrite(data)
        while (!op.done) await { w -> writer.register(w, op) }
        op.error?.let { throw IOException(it.message, it) }
    }

    override fun toString(): String = "PopenCore(pid=$pid, args=$args)"

    companion object {
        /** The name prefix of every pipe thread: `gevent4j-pipe-<pid>-<stdout|stderr|stdin>`. */
        const val THREAD_PREFIX: String = "gevent4j-pipe-"
        private const val SIGKILL = 9
        private const val SIGTERM = 15
        private const val OP_WAIT = "Popen.waitFor()"
        private const val TWIN_WAIT = "Popen.awaitExit()"
        private const val OP_COMM = "Popen.communicate()"
        private const val TWIN_COMM = "Popen.awaitCommunicate()"
        private const val OP_RUN = "Subprocess.run()"
        private const val TWIN_RUN = "awaitRun()"
        private const val OP_CLOSE = "Popen.close()"
        private const val TWIN_CLOSE = "Popen.awaitClose()"

        private fun deadline(timeoutNanos: Long): Long =
            if (timeoutNanos < 0) -1L else Blocking.deadlineOf(timeoutNanos)

        /** -1 for no deadline, else the nanoseconds left (0 once passed). */
        private fun remaining(deadline: Long): Long = if (deadline < 0) -1L else maxOf(0L, deadline - HubClocks.now())
    }
}
