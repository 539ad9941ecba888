package io.gevent4j.subprocess;

import io.gevent4j.Waitable;
import io.gevent4j.spi.Arguments;
import io.gevent4j.spi.Internals;
import io.gevent4j.spi.PopenPeer;
import io.gevent4j.spi.Providers;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.ProcessBuilder.Redirect;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * gevent's {@code subprocess.Popen}: a child process whose waits are cooperative. Waiting for it
 * ({@link #waitFor()}), talking to it ({@link #communicate}) and reading or writing its pipes ({@link #stdout()},
 * {@link #stderr()}, {@link #stdin()}) are wait points like {@code Event.waitFor}: inside a Java greenlet they
 * yield to the hub (in both hub modes), on a thread of no hub they block that thread, and on a hub thread
 * outside a Java greenlet (a Kotlin greenlet's body, a rawlink callback, a hub task) they throw
 * {@link io.gevent4j.BlockingSwitchOutException} at once, before any side effect, naming the suspend twin
 * ({@code Popen.awaitExit()}, {@code Popen.awaitCommunicate()}, {@code Popen.awaitClose()},
 * {@code Popen.awaitReadStdout()}, {@code Popen.awaitReadStderr()}, {@code Popen.awaitWriteStdin()} in
 * {@code io.gevent4j.kotlin}). A kill or an outer {@link io.gevent4j.Timeout} of the caller lands in each of
 * these waits and leaves the child running, as in gevent. Nothing here blocks a hub thread: pipes are read
 * and written by platform daemon threads (named {@code gevent4j-pipe-<pid>-<stream>}) that end when their pipe
 * ends; the exit is reported by the JDK ({@link Process#onExit()}).
 *
 * <p>Several greenlets may wait for the same child: they all wake when it exits, in the order they started
 * waiting. A Popen is a {@link Waitable} (ready once the child has exited), so {@code Gevent.wait(popens)}
 * waits for several children at once (SP-02).
 *
 * <p>Return codes follow gevent: the exit status, or {@code -N} for a child killed by signal N. The JDK reports
 * a signalled child as {@code 128 + N}, like a shell; gevent4j turns that into {@code -N} when it sent signal N
 * itself ({@link #kill()}: 9, {@link #terminate()}: 15), and reports {@code 128 + N} otherwise (see the
 * deviations in the docs).
 *
 * <p>Starting the child ({@code ProcessBuilder.start}, a fork and exec) runs on the caller's thread, as
 * gevent's fork does: a short native call, not a wait.
 */
public final class Popen implements Waitable, AutoCloseable {
    static {
        Internals.install(Popen.class, p -> ((Popen) p).peer);
    }

    private final PopenPeer peer;

    /**
     * Starts {@code args} with the parent's stdin, stdout and stderr inherited (gevent's default: no pipes).
     *
     * @param args the program and its arguments
     * @throws IOException when the child cannot be started, e.g. a missing program (SP-07)
     * @throws NullPointerException if {@code args} or one of its elements is null
     * @throws IllegalArgumentException if {@code args} is empty
     */
    public Popen(List<String> args) throws IOException {
        this(new ProcessBuilder(checkArgs(args, "args")).inheritIO(), true);
    }

    /**
     * Starts the command of {@code builder} with its directory, environment and redirects. A stream redirected to
     * {@link Redirect#PIPE} (the {@code ProcessBuilder} default) is gevent's {@code PIPE}: read it with
     * {@link #stdout()}/{@link #stderr()}/{@link #communicate}, write it with {@link #stdin()}. With
     * {@code redirectErrorStream(true)} (gevent's {@code stderr=STDOUT}) stderr is not piped separately.
     *
     * @param builder what to start; only read here
     * @throws IOException when the child cannot be started, e.g. a missing program (SP-07)
     * @throws NullPointerException if {@code builder}, or an element of its command, is null
     * @throws IllegalArgumentException if its command is empty
     */
    public Popen(ProcessBuilder builder) throws IOException {
        this(checkBuilder(builder), true);
    }

    @SuppressWarnings("this-escape") // the provider only keeps the reference
    private Popen(ProcessBuilder checked, boolean unused) throws IOException {
        this.peer = Providers.get().newPopen(this, checked);
    }

    /**
     * gevent's {@code Popen(command, shell=True)}: starts {@code sh -c command}, stdio inherited.
     *
     * @param command a shell command line
     * @return the started child
     * @throws IOException when {@code sh} cannot be started
     * @throws NullPointerException if {@code command} is null
     */
    public static Popen shell(String command) throws IOException {
        Objects.requireNonNull(command, "command must not be null");
        return new Popen(List.of("sh", "-c", command));
    }

    static List<String> checkArgs(List<String> args, String name) {
        Objects.requireNonNull(args, name + " must not be null");
        if (args.isEmpty()) {
            throw new IllegalArgumentException(name + " must not be empty");
        }
        for (int i = 0; i < args.size(); i++) {
            if (args.get(i) == null) {
                throw new NullPointerException(name + " must not contain null: element " + i + " of " + args);
            }
        }
        return args;
    }

    static ProcessBuilder checkBuilder(ProcessBuilder builder) {
        Objects.requireNonNull(builder, "builder must not be null");
        checkArgs(builder.command(), "builder.command()");
        return builder;
    }

    PopenPeer peer() {
        return peer;
    }

    /**
     * Waits for the child to exit (gevent's {@code wait()}).
     *
     * @return the return code ({@code -N} after signal N)
     * @throws io.gevent4j.BlockingSwitchOutException on a hub thread outside a Java greenlet (Kotlin:
     *     {@code Popen.awaitExit()})
     * @throws io.gevent4j.Timeout an outer Timeout of the caller that expires meanwhile (the child runs on)
     */
    public int waitFor() {
        try {
            return peer.waitFor(-1);
        } catch (TimeoutExpiredException e) {
            throw new AssertionError("no timeout given", e);
        }
    }

    /**
     * Waits for the child to exit, at most {@code timeout} (gevent's {@code wait(timeout)}).
     *
     * @param timeout at most this long; {@code null} waits for ever
     * @return the return code ({@code -N} after signal N)
     * @throws TimeoutExpiredException when the child still runs after {@code timeout} (not a gevent Timeout,
     *     SP-03); the child runs on
     * @throws IllegalArgumentException if {@code timeout} is negative
     * @throws io.gevent4j.BlockingSwitchOutException on a hub thread outside a Java greenlet
     */
    public int waitFor(@Nullable Duration timeout) throws TimeoutExpiredException {
        return peer.waitFor(Arguments.timeoutNanos(timeout, "timeout"));
    }

    /**
     * {@link #waitFor(Duration)} in seconds.
     *
     * @param seconds not negative
     * @return the return code
     * @throws TimeoutExpiredException when the child still runs after {@code seconds}
     */
    public int waitFor(double seconds) throws TimeoutExpiredException {
        return peer.waitFor(Arguments.secondsNanos(seconds, "seconds"));
    }

    /** @return the return code once the child has exited ({@code -N} after signal N), else null; never blocks */
    public @Nullable Integer poll() {
        return peer.poll();
    }

    /** @return gevent's {@code returncode} attribute: the same as {@link #poll()}; never blocks */
    public @Nullable Integer returncode() {
        return peer.poll();
    }

    /** @return the child's process id */
    public long pid() {
        return peer.pid();
    }

    /** @return the child's command line */
    public List<String> args() {
        return peer.args();
    }

    /** Sends SIGKILL to the child (nothing once it has exited). Never blocks; its return code becomes -9. */
    public void kill() {
        peer.kill();
    }

    /** Sends SIGTERM to the child (nothing once it has exited). Never blocks; killed by it, the code is -15. */
    public void terminate() {
        peer.terminate();
    }

    /**
     * gevent's {@code communicate()}: closes the child's piped stdin, reads its piped stdout and stderr to their
     * ends (both at once, so a child filling both pipes never deadlocks) and waits for it to exit.
     *
     * @return the output: {@code null} for a stream that is not piped
     * @throws io.gevent4j.BlockingSwitchOutException on a hub thread outside a Java greenlet (Kotlin:
     *     {@code Popen.awaitCommunicate()})
     * @throws io.gevent4j.Timeout an outer Timeout of the caller that expires meanwhile (the child runs on, the
     *     output read so far is kept for the next call)
     */
    public Communicated communicate() {
        return communicate(null);
    }

    /**
     * gevent's {@code communicate(input)}: writes {@code input} to the piped stdin (by a writer thread, while the
     * output is read), closes it, reads the piped stdout and stderr to their ends and waits for the exit. A child
     * that stops reading its stdin early (a broken pipe) is not an error.
     *
     * @param input bytes for the child's stdin, or null to just close it
     * @return the output: {@code null} for a stream that is not piped
     * @throws IllegalStateException if {@code input} is given but stdin is not piped, or input was given to an
     *     earlier communicate
     * @throws io.gevent4j.BlockingSwitchOutException on a hub thread outside a Java greenlet
     */
    public Communicated communicate(byte @Nullable [] input) {
        try {
            return peer.communicate(input, -1);
        } catch (TimeoutExpiredException e) {
            throw new AssertionError("no timeout given", e);
        }
    }

    /**
     * {@link #communicate(byte[])} with a timeout (SP-04, SP-05).
     *
     * @param input bytes for the child's stdin, or null to just close it
     * @param timeout at most this long; {@code null} waits for ever
     * @return the output: {@code null} for a stream that is not piped
     * @throws TimeoutExpiredException on expiry, carrying the output read so far; the child runs on and that
     *     output is kept: a later {@code communicate} returns it together with the rest (SP-05)
     * @throws IllegalArgumentException if {@code timeout} is negative
     * @throws IllegalStateException if {@code input} is given but stdin is not piped, or input was given to an
     *     earlier communicate
     */
    public Communicated communicate(byte @Nullable [] input, @Nullable Duration timeout)
            throws TimeoutExpiredException {
        return peer.communicate(input, Arguments.timeoutNanos(timeout, "timeout"));
    }

    /**
     * {@link #communicate(byte[], Duration)} in seconds.
     *
     * @param input bytes for the child's stdin, or null
     * @param seconds not negative
     * @return the output
     * @throws TimeoutExpiredException on expiry
     */
    public Communicated communicate(byte @Nullable [] input, double seconds) throws TimeoutExpiredException {
        return peer.communicate(input, Arguments.secondsNanos(seconds, "seconds"));
    }

    /**
     * The child's piped stdout as a cooperative stream: {@code read} waits (as every wait point here) until at
     * least one byte is there, and returns -1 at its end. {@code available()} never blocks; {@code close()} never
     * blocks. A read on a hub thread outside a Java greenlet throws {@link io.gevent4j.BlockingSwitchOutException}
     * (Kotlin: {@code Popen.awaitReadStdout()}).
     *
     * @return the stream, or null when stdout is not piped
     */
    public @Nullable InputStream stdout() {
        return peer.stdout();
    }

    /**
     * The child's piped stderr as a cooperative stream (see {@link #stdout()}; Kotlin:
     * {@code Popen.awaitReadStderr()}).
     *
     * @return the stream, or null when stderr is not piped
     */
    public @Nullable InputStream stderr() {
        return peer.stderr();
    }

    /**
     * The child's piped stdin as a cooperative stream: {@code write} hands the bytes to a writer thread and waits
     * until they are written (so a child that does not read makes the writer wait, cooperatively); a write to a
     * child that has exited throws {@link IOException}. {@code flush()} and {@code close()} never block (close
     * takes effect after the writes before it). Kotlin: {@code Popen.awaitWriteStdin()}.
     *
     * @return the stream, or null when stdin is not piped
     */
    public @Nullable OutputStream stdin() {
        return peer.stdin();
    }

    /** @return whether the child has exited (the wait protocol) */
    @Override
    public boolean isReady() {
        return peer.isReady();
    }

    /**
     * @param callback run on the caller's hub once the child has exited (at once, in the next loop iteration, when
     *     it has exited already)
     */
    @Override
    public void rawlink(Consumer<? super Waitable> callback) {
        peer.rawlink(Objects.requireNonNull(callback, "callback must not be null"));
    }

    /** @param callback a callback given to {@link #rawlink}; null or unknown: nothing happens. Never blocks. */
    @Override
    public void unlink(@Nullable Consumer<? super Waitable> callback) {
        if (callback != null) {
            peer.unlink(callback);
        }
    }

    /**
     * gevent's {@code with Popen(...)} exit: closes the pipes (a child still writing to a closed stdout gets
     * SIGPIPE), then waits for the child. Does not kill it.
     *
     * @throws io.gevent4j.BlockingSwitchOutException on a hub thread outside a Java greenlet (Kotlin:
     *     {@code Popen.awaitClose()}), before closing anything
     * @throws io.gevent4j.Timeout an outer Timeout of the caller that expires while waiting (the pipes are closed)
     */
    @Override
    public void close() {
        peer.close();
    }

    @Override
    public String toString() {
        Integer rc = poll();
        return "<Popen pid=" + pid() + " args=" + args() + " returncode=" + (rc == null ? "None" : rc) + ">";
    }
}
