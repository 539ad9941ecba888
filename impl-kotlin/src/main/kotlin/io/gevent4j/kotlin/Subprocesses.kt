@file:JvmMultifileClass
@file:JvmName("GeventCoroutines")

package io.gevent4j.kotlin

import io.gevent4j.kotlin.internal.SuspendAccess
import io.gevent4j.kotlin.spi.SuspendPopenPeer
import io.gevent4j.subprocess.CalledProcessErrorException
import io.gevent4j.subprocess.Communicated
import io.gevent4j.subprocess.CompletedProcess
import io.gevent4j.subprocess.Popen
import io.gevent4j.subprocess.TimeoutExpiredException
import java.io.IOException
import java.lang.ProcessBuilder.Redirect
import java.util.Objects
import kotlin.time.Duration

// The suspend twins of gevent4j's subprocess facades (gevent.subprocess). None of them blocks the hub: pipes are
// read and written by the Popen's own platform threads, and the exit comes from the JDK's Process.onExit().
// Starting a child (a fork and exec) runs on the caller's thread, as gevent's fork does.

private fun peer(p: Popen, op: String): SuspendPopenPeer = SuspendAccess.peer(p, op)

/**
 * Starts the child of [builder] for [op] and returns its suspend peer. The provider is checked before the child starts;
 * a peer without the suspend form (a provider breaking its promise) has its child killed before the error.
 */
private fun start(builder: ProcessBuilder, op: String): SuspendPopenPeer {
    SuspendAccess.provider(op)
    val p = Popen(builder)
    try {
        return peer(p, op)
    } catch (e: IllegalStateException) {
        p.kill()
        throw e
    }
}

/**
 * Suspends until the child exits — the twin of [Popen.waitFor]. Several waiters wake in the order they started waiting.
 * Cancelling the caller stops the wait and leaves the child running (as a kill landing in gevent's `wait()` does).
 *
 * @param timeout at most this long; `null` waits for ever
 * @return the return code (`-N` after signal N sent by [Popen.kill]/[Popen.terminate])
 * @throws TimeoutExpiredException when the child still runs after [timeout] (not a gevent Timeout, SP-03)
 * @throws IllegalArgumentException if [timeout] is negative
 */
@Throws(TimeoutExpiredException::class)
public suspend fun Popen.awaitExit(timeout: Duration? = null): Int =
    peer(this, "Popen.awaitExit()").awaitExit(timeoutNanos(timeout))

/**
 * gevent's `communicate(input, timeout)` — the twin of [Popen.communicate]: writes [input] to the piped stdin (then
 * closes it; `null` just closes it), reads the piped stdout and stderr to their ends, both at once, and suspends until
 * the child exits. Cancelling the caller (or a kill, or an outer Timeout) leaves the child running and keeps the output
 * read so far for the next call.
 *
 * @return the output: `null` for a stream that is not piped
 * @throws TimeoutExpiredException on expiry, with the output read so far, which a later call returns again (SP-05)
 * @throws IllegalStateException if [input] is given but stdin is not piped, or input was given to an earlier call
 * @throws IllegalArgumentException if [timeout] is negative
 */
@Throws(TimeoutExpiredException::class)
public suspend fun Popen.awaitCommunicate(input: ByteArray? = null, timeout: Duration? = null): Communicated =
    peer(this, "Popen.awaitCommunicate()").awaitCommunicate(input, timeoutNanos(timeout))

/**
 * The twin of [Popen.close]: closes the pipes (a child still writing to its closed stdout gets SIGPIPE), then suspends
 * until the child exits. Does not kill it; cancelling the caller stops the wait (the pipes stay closed).
 */
public suspend fun Popen.awaitClose() {
    return peer(this, "Popen.awaitClose()").awaitClose()
}

/**
 * Reads from the child's piped stdout — the twin of `stdout().read(into, off, len)`: suspends until at least one byte
 * is there. Several readers are served as bytes arrive; cancelling the caller loses no byte.
 *
 * @return how many bytes were read, or -1 at the end of the stream
 * @throws IllegalStateException if stdout is not piped
 * @throws IOException if the stream was closed
 */
@Throws(IOException::class)
public suspend fun Popen.awaitReadStdout(into: ByteArray, off: Int = 0, len: Int = into.size - off): Int {
    Objects.checkFromIndexSize(off, len, into.size)
    return peer(this, "Popen.awaitReadStdout()").awaitReadStdout(into, off, len)
}

/**
 * Reads from the child's piped stderr — the twin of `stderr().read(into, off, len)`; see [awaitReadStdout]. Cancelling
 * the caller loses no byte.
 *
 * @return how many bytes were read, or -1 at the end of the stream
 * @throws IllegalStateException if stderr is not piped
 * @throws IOException if the stream was closed
 */
@Throws(IOException::class)
public suspend fun Popen.awaitReadStderr(into: ByteArray, off: Int = 0, len: Int = into.size - off): Int {
    Objects.checkFromIndexSize(off, len, into.size)
    return peer(this, "Popen.awaitReadStderr()").awaitReadStderr(into, off, len)
}

/**
 * Writes to the child's piped stdin — the twin of `stdin().write(data, off, len)`: the writer thread writes the bytes;
 * this suspends until they are written. Cancelling the caller does not take the bytes back: they are still written, in
 * order. Close stdin with `stdin()!!.close()`, which never blocks.
 *
 * @throws IllegalStateException if stdin is not piped
 * @throws IOException if stdin was closed, or the child has exited (a broken pipe)
 */
@Throws(IOException::class)
public suspend fun Popen.awaitWriteStdin(data: ByteArray, off: Int = 0, len: Int = data.size - off) {
    Objects.checkFromIndexSize(off, len, data.size)
    return peer(this, "Popen.awaitWriteStdin()").awaitWriteStdin(data, off, len)
}

private fun checkArgs(args: List<String>): List<String> {
    require(args.isNotEmpty()) { "args must not be empty" }
    args.forEachIndexed { i, a ->
        if (Objects.isNull(a)) throw NullPointerException("args must not contain null: element $i of $args")
    }
    return args
}

/**
 * gevent's `run(args, capture_output=capture, timeout=timeout, check=check)` — the twin of `Subprocess.run`: starts the
 * child (stdin inherited; stdout and stderr piped when [capture], else inherited) and suspends until it has finished.
 * On expiry, or when the caller is cancelled (or killed, or an outer Timeout lands), the child is killed (SP-06).
 *
 * @throws IOException when the child cannot be started (SP-07)
 * @throws TimeoutExpiredException on expiry, with the output read before it (the child killed and waited for)
 * @throws CalledProcessErrorException when [check] and the return code is not 0 (SP-08)
 * @throws IllegalArgumentException if [timeout] is negative or [args] empty
 */
@Throws(IOException::class, TimeoutExpiredException::class, CalledProcessErrorException::class)
public suspend fun awaitRun(
    args: List<String>,
    capture: Boolean = false,
    timeout: Duration? = null,
    check: Boolean = false,
): CompletedProcess {
    checkArgs(args)
    val nanos = timeoutNanos(timeout)
    val b = ProcessBuilder(args).redirectInput(Redirect.INHERIT)
    if (!capture) b.redirectOutput(Redirect.INHERIT).redirectError(Redirect.INHERIT)
    return start(b, "awaitRun()").awaitRun(null, nanos, check)
}

/**
 * gevent's `run(..., input=input, timeout=timeout, check=check)` with the redirects of [builder] — the twin of
 * `Subprocess.run(builder, input, timeout, check)`; see the other [awaitRun]. Cancelling the caller kills the child.
 *
 * @throws IllegalArgumentException if [input] is given but the builder's stdin is not `Redirect.PIPE`
 */
@Throws(IOException::class, TimeoutExpiredException::class, CalledProcessErrorException::class)
public suspend fun awaitRun(
    builder: ProcessBuilder,
    input: ByteArray? = null,
    timeout: Duration? = null,
    check: Boolean = false,
): CompletedProcess {
    checkArgs(builder.command())
    val nanos = timeoutNanos(timeout)
    require(input == null || builder.redirectInput() == Redirect.PIPE) {
        "input given but the builder's stdin is not Redirect.PIPE: ${builder.redirectInput()}"
    }
    return start(builder, "awaitRun()").awaitRun(input, nanos, check)
}

/**
 * gevent's `check_output(args, timeout=timeout)` — the twin of `Subprocess.checkOutput`: stdout captured, stdin and
 * stderr inherited. Cancelling the caller kills the child.
 *
 * @return the child's stdout
 * @throws IOException when the child cannot be started
 * @throws TimeoutExpiredException on expiry (the child killed)
 * @throws CalledProcessErrorException when the return code is not 0 (SP-08)
 */
@Throws(IOException::class, TimeoutExpiredException::class, CalledProcessErrorException::class)
public suspend fun awaitCheckOutput(args: List<String>, timeout: Duration? = null): ByteArray {
    checkArgs(args)
    val nanos = timeoutNanos(timeout)
    val b = ProcessBuilder(args).redirectInput(Redirect.INHERIT).redirectError(Redirect.INHERIT)
    return start(b, "awaitCheckOutput()").awaitRun(null, nanos, true).stdout() ?: ByteArray(0)
}

/**
 * gevent's `call(args, timeout=timeout)` — the twin of `Subprocess.call`: stdio inherited. Cancelling the caller kills
 * the child.
 *
 * @return the return code
 * @throws IOException when the child cannot be started
 * @throws TimeoutExpiredException on expiry (the child killed)
 */
@Throws(IOException::class, TimeoutExpiredException::class)
public suspend fun awaitCall(args: List<String>, timeout: Duration? = null): Int {
    checkArgs(args)
    val nanos = timeoutNanos(timeout)
    return start(ProcessBuilder(args).inheritIO(), "awaitCall()").awaitRun(null, nanos, false).returncode()
}

/**
 * gevent's `check_call(args)` — the twin of `Subprocess.checkCall`: stdio inherited. Cancelling the caller kills the
 * child.
 *
 * @throws IOException when the child cannot be started
 * @throws CalledProcessErrorException when the return code is not 0 (SP-08)
 */
@Throws(IOException::class, CalledProcessErrorException::class)
public suspend fun awaitCheckCall(args: List<String>) {
    checkArgs(args)
    start(ProcessBuilder(args).inheritIO(), "awaitCheckCall()").awaitRun(null, -1, true)
}
