package io.gevent4j.kotlin.spi

import io.gevent4j.GreenCallable
import io.gevent4j.GreenFunction
import io.gevent4j.event.AsyncResult
import io.gevent4j.spi.SocketPeer
import io.gevent4j.subprocess.CalledProcessErrorException
import io.gevent4j.subprocess.Communicated
import io.gevent4j.subprocess.CompletedProcess
import io.gevent4j.subprocess.TimeoutExpiredException
import java.io.IOException
import java.nio.ByteBuffer

// For implementors only: the suspend forms of the I/O families' peers (sockets, StreamServer, Popen, ThreadPool),
// on the same terms as SuspendPeers.kt.

/** The suspend side of a `GreenSocket`'s peer; the socket's per-call timeout applies to each call. */
public interface SuspendSocketPeer {
    /**
     * Reads what is there into [into], suspending until at least one byte is.
     *
     * @param into where to read
     * @return bytes read, -1 at end of stream, 0 only when [into] has no room
     * @throws IOException a `SocketTimeoutException` on expiry, a `SocketException` when closed
     */
    public suspend fun awaitRecv(into: ByteBuffer): Int

    /**
     * Sends what the kernel takes now, suspending until it takes at least one byte.
     *
     * @param from what to send
     * @return bytes sent, 0 only when [from] is empty
     * @throws IOException as [awaitRecv]
     */
    public suspend fun awaitSend(from: ByteBuffer): Int

    /**
     * Sends all of [from], suspending for room as often as needed.
     *
     * @param from what to send; its position tells what was sent when this throws
     * @throws IOException as [awaitRecv]
     */
    public suspend fun awaitSendAll(from: ByteBuffer)
}

/** The suspend side of a `GreenServerSocket`'s peer. */
public interface SuspendServerSocketPeer {
    /**
     * Suspends until the next connection.
     *
     * @param timeoutNanos negative for none
     * @return the accepted connection's peer, or null on expiry
     * @throws IOException a `SocketException` when the listener is or gets closed
     */
    public suspend fun awaitAccept(timeoutNanos: Long): SocketPeer?
}

/** The suspend side of a `StreamServer`'s peer. */
public interface SuspendStreamServerPeer {
    /**
     * Starts the server if needed, suspends until it is stopped, then stops as [awaitStop] with the default timeout
     * does; a cancelled caller stops the server before the cancellation goes on.
     *
     * @throws IOException from starting
     */
    public suspend fun awaitServeForever()

    /**
     * Closes the listener; with a group, suspends until its members are done, at most [timeoutNanos], then kills the
     * rest.
     *
     * @param timeoutNanos the wait for the handlers, negative for the default (1 s)
     */
    public suspend fun awaitStop(timeoutNanos: Long)
}

/** The suspend side of a `Popen`'s peer. */
public interface SuspendPopenPeer {
    /**
     * Suspends until the child exits.
     *
     * @param timeoutNanos negative for none
     * @return the return code
     * @throws TimeoutExpiredException when the child still runs in time
     */
    public suspend fun awaitExit(timeoutNanos: Long): Int

    /**
     * gevent's `communicate`: writes [input] (then closes stdin), reads stdout and stderr to their ends, suspends until
     * the child exits.
     *
     * @param input bytes for the piped stdin, or null
     * @param timeoutNanos negative for none
     * @return the output of the piped streams
     * @throws TimeoutExpiredException on expiry; the output read so far is kept for the next call
     */
    public suspend fun awaitCommunicate(input: ByteArray?, timeoutNanos: Long): Communicated

    /** Closes the pipes, then suspends until the child exits. */
    public suspend fun awaitClose()

    /**
     * gevent's `run` on this child: [awaitCommunicate], killing the child on expiry, on any failure and when the caller
     * is cancelled, then closing the pipes.
     *
     * @param input bytes for the piped stdin, or null
     * @param timeoutNanos negative for none
     * @param check whether a non-zero return code throws
     * @return the finished child
     * @throws TimeoutExpiredException on expiry
     * @throws CalledProcessErrorException when [check] and the return code is not 0
     */
    public suspend fun awaitRun(input: ByteArray?, timeoutNanos: Long, check: Boolean): CompletedProcess

    /**
     * Reads from the piped stdout, suspending until at least one byte is there.
     *
     * @return bytes read, -1 at the end
     * @throws IllegalStateException if stdout is not piped
     * @throws IOException if the stream was closed
     */
    public suspend fun awaitReadStdout(into: ByteArray, off: Int, len: Int): Int

    /**
     * Reads from the piped stderr, as [awaitReadStdout].
     *
     * @return bytes read, -1 at the end
     * @throws IllegalStateException if stderr is not piped
     */
    public suspend fun awaitReadStderr(into: ByteArray, off: Int, len: Int): Int

    /**
     * Writes `data[off, off + len)` to the piped stdin, suspending until written.
     *
     * @throws IllegalStateException if stdin is not piped
     * @throws IOException if stdin was closed or the child has exited
     */
    public suspend fun awaitWriteStdin(data: ByteArray, off: Int, len: Int)
}

/** The suspend side of a `ThreadPool`'s peer. The functions run on the pool's platform worker threads. */
public interface SuspendThreadPoolPeer {
    /**
     * Suspends (FIFO) for a free worker, then hands [fn] to it.
     *
     * @param fn the task
     * @return the result, set on the pool's hub when the task ends
     * @throws IllegalStateException when the pool is or gets closed
     */
    public suspend fun <T> awaitSpawn(fn: GreenCallable<T>): AsyncResult<T>

    /**
     * Runs [fn] on a worker and suspends until its result is delivered; inline on one of the pool's own workers.
     *
     * @param fn the task
     * @return its result; what it threw is thrown, the same instance
     */
    public suspend fun <T> awaitApply(fn: GreenCallable<T>): T

    /**
     * Applies [fn] to every item on the workers.
     *
     * @return the results in input order; the first failure in input order is thrown
     */
    public suspend fun <A, R> awaitMap(fn: GreenFunction<in A, out R>, items: Iterable<A>): List<R>

    /**
     * Suspends until every task handed over has delivered its result.
     *
     * @param timeoutNanos negative for none
     * @return true when none is unfinished on return
     */
    public suspend fun awaitJoin(timeoutNanos: Long): Boolean
}
