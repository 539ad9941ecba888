package io.gevent4j.spi;

import io.gevent4j.Waitable;
import io.gevent4j.subprocess.CalledProcessErrorException;
import io.gevent4j.subprocess.Communicated;
import io.gevent4j.subprocess.CompletedProcess;
import io.gevent4j.subprocess.TimeoutExpiredException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * For implementors only: the implementation side of a {@link io.gevent4j.subprocess.Popen}, a started child.
 * Timeouts are nanoseconds, negative for none. Every waiting method refuses on a hub thread outside a Java
 * greenlet ({@link io.gevent4j.BlockingSwitchOutException}) before any side effect.
 */
public interface PopenPeer {
    /** @return the child's command line */
    List<String> args();

    /** @return the child's process id */
    long pid();

    /** @return the return code once the child has exited ({@code -N} after signal N), else null; never blocks */
    @Nullable
    Integer poll();

    /**
     * @param timeoutNanos negative for none
     * @return the return code
     * @throws TimeoutExpiredException when the child is still running after the timeout
     */
    int waitFor(long timeoutNanos) throws TimeoutExpiredException;

    /** Sends SIGKILL unless the child has exited; never blocks. */
    void kill();

    /** Sends SIGTERM unless the child has exited; never blocks. */
    void terminate();

    /**
     * gevent's {@code communicate}: writes {@code input} (then closes stdin), reads stdout and stderr to their
     * ends, waits for the exit.
     *
     * @param input bytes for the piped stdin, or null (stdin is then closed)
     * @param timeoutNanos negative for none
     * @return the output of the piped streams
     * @throws TimeoutExpiredException on expiry; the output read so far is kept for the next call
     */
    Communicated communicate(byte @Nullable [] input, long timeoutNanos) throws TimeoutExpiredException;

    /**
     * gevent's {@code run} on this child: communicate, killing the child on expiry or on any failure, then
     * closing the pipes.
     *
     * @param input bytes for the piped stdin, or null
     * @param timeoutNanos negative for none
     * @param check whether a non-zero return code throws
     * @return the finished child
     * @throws TimeoutExpiredException on expiry (the child killed and waited for), with the output read before it
     * @throws CalledProcessErrorException when {@code check} and the return code is not 0
     */
    CompletedProcess run(byte @Nullable [] input, long timeoutNanos, boolean check)
            throws TimeoutExpiredException, CalledProcessErrorException;

    /** @return the cooperative stream of the piped stdout, or null when not piped */
    @Nullable
    InputStream stdout();

    /** @return the cooperative stream of the piped stderr, or null when not piped */
    @Nullable
    InputStream stderr();

    /** @return the cooperative stream of the piped stdin, or null when not piped */
    @Nullable
    OutputStream stdin();

    /** @return whether the child has exited */
    boolean isReady();

    /** @param callback run on the caller's hub once the child has exited */
    void rawlink(Consumer<? super Waitable> callback);

    /** @param callback a callback to remove */
    void unlink(Consumer<? super Waitable> callback);

    /** Closes the pipes, then waits for the child. */
    void close();
}
