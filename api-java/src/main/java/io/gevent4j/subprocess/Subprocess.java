package io.gevent4j.subprocess;

import io.gevent4j.spi.Arguments;
import io.gevent4j.spi.Providers;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * gevent's {@code subprocess} module functions: {@code run}, {@code check_output}, {@code call},
 * {@code check_call}. Each starts a child, waits for it cooperatively (a wait point like {@link Popen#waitFor()}:
 * it yields in a Java greenlet, blocks a thread of no hub, and on a hub thread outside a Java greenlet throws
 * {@link io.gevent4j.BlockingSwitchOutException} naming the Kotlin twin before starting anything) and closes
 * its pipes. A timeout or any other failure of the wait (a kill, an outer Timeout) kills the child (SP-06).
 * Streams that are not captured are inherited from the parent, as in gevent.
 */
public final class Subprocess {
    private Subprocess() {}

    /**
     * gevent's {@code run(args, capture_output=capture, timeout=timeout, check=check)}.
     *
     * @param args the program and its arguments
     * @param capture pipe stdout and stderr and return them ({@code capture_output}); else they are inherited
     * @param timeout at most this long; {@code null} waits for ever
     * @param check whether a non-zero return code throws
     * @return the finished child
     * @throws IOException when the child cannot be started (SP-07)
     * @throws TimeoutExpiredException on expiry: the child is killed and waited for; the exception carries the
     *     output captured before the expiry (SP-06)
     * @throws CalledProcessErrorException when {@code check} and the return code is not 0 (SP-08)
     * @throws IllegalArgumentException if {@code timeout} is negative or {@code args} empty
     * @throws io.gevent4j.BlockingSwitchOutException on a hub thread outside a Java greenlet (Kotlin: {@code awaitRun()})
     */
    public static CompletedProcess run(List<String> args, boolean capture, @Nullable Duration timeout, boolean check)
            throws IOException, TimeoutExpiredException, CalledProcessErrorException {
        Popen.checkArgs(args, "args");
        long nanos = Arguments.timeoutNanos(timeout, "timeout");
        ProcessBuilder b = new ProcessBuilder(args).redirectInput(Redirect.INHERIT);
        if (!capture) {
            b.redirectOutput(Redirect.INHERIT).redirectError(Redirect.INHERIT);
        }
        return start(b, "Subprocess.run()", "awaitRun()").run(null, nanos, check);
    }

    /**
     * gevent's {@code run(..., input=input, timeout=timeout, check=check)} with the redirects of {@code builder}
     * ({@code Redirect.PIPE} streams are captured; {@code input} needs a piped stdin).
     *
     * @param builder what to start; only read here
     * @param input bytes for the child's stdin, or null (a piped stdin is then closed at once)
     * @param timeout at most this long; {@code null} waits for ever
     * @param check whether a non-zero return code throws
     * @return the finished child
     * @throws IOException when the child cannot be started (SP-07)
     * @throws TimeoutExpiredException on expiry: the child is killed and waited for (SP-06)
     * @throws CalledProcessErrorException when {@code check} and the return code is not 0 (SP-08)
     * @throws IllegalStateException if {@code input} is given but stdin is not piped
     */
    public static CompletedProcess run(
            ProcessBuilder builder, byte @Nullable [] input, @Nullable Duration timeout, boolean check)
            throws IOException, TimeoutExpiredException, CalledProcessErrorException {
        Popen.checkBuilder(builder);
        long nanos = Arguments.timeoutNanos(timeout, "timeout");
        if (input != null && builder.redirectInput() != Redirect.PIPE) {
            throw new IllegalArgumentException(
                    "input given but the builder's stdin is not Redirect.PIPE: " + builder.redirectInput());
        }
        return start(builder, "Subprocess.run()", "awaitRun()").run(input, nanos, check);
    }

    /**
     * gevent's {@code check_output(args)}: runs the child with stdout captured (stdin and stderr inherited).
     *
     * @param args the program and its arguments
     * @return its stdout
     * @throws IOException when the child cannot be started
     * @throws CalledProcessErrorException when the return code is not 0 (SP-08), with the output
     */
    public static byte[] checkOutput(List<String> args) throws IOException, CalledProcessErrorException {
        try {
            return checkOutput(args, null);
        } catch (TimeoutExpiredException e) {
            throw new AssertionError("no timeout given", e);
        }
    }

    /**
     * gevent's {@code check_output(args, timeout=timeout)}.
     *
     * @param args the program and its arguments
     * @param timeout at most this long; {@code null} waits for ever
     * @return its stdout
     * @throws IOException when the child cannot be started
     * @throws TimeoutExpiredException on expiry: the child is killed (SP-06), the output read so far attached
     * @throws CalledProcessErrorException when the return code is not 0 (SP-08)
     */
    public static byte[] checkOutput(List<String> args, @Nullable Duration timeout)
            throws IOException, TimeoutExpiredException, CalledProcessErrorException {
        Popen.checkArgs(args, "args");
        long nanos = Arguments.timeoutNanos(timeout, "timeout");
        ProcessBuilder b =
                new ProcessBuilder(args).redirectInput(Redirect.INHERIT).redirectError(Redirect.INHERIT);
        byte[] out = start(b, "Subprocess.checkOutput()", "awaitCheckOutput()")
                .run(null, nanos, true)
                .stdout();
        return out == null ? new byte[0] : out;
    }

    /**
     * gevent's {@code call(args)}: runs the child with stdio inherited and returns its return code.
     *
     * @param args the program and its arguments
     * @return the return code ({@code -N} after signal N)
     * @throws IOException when the child cannot be started
     */
    public static int call(List<String> args) throws IOException {
        try {
            return call(args, null);
        } catch (TimeoutExpiredException e) {
            throw new AssertionError("no timeout given", e);
        }
    }

    /**
     * gevent's {@code call(args, timeout=timeout)}.
     *
     * @param args the program and its arguments
     * @param timeout at most this long; {@code null} waits for ever
     * @return the return code
     * @throws IOException when the child cannot be started
     * @throws TimeoutExpiredException on expiry: the child is killed (SP-06)
     */
    public static int call(List<String> args, @Nullable Duration timeout) throws IOException, TimeoutExpiredException {
        Popen.checkArgs(args, "args");
        long nanos = Arguments.timeoutNanos(timeout, "timeout");
        try {
            return start(new ProcessBuilder(args).inheritIO(), "Subprocess.call()", "awaitCall()")
                    .run(null, nanos, false)
                    .returncode();
        } catch (CalledProcessErrorException e) {
            throw new AssertionError("check is false", e);
        }
    }

    /**
     * gevent's {@code check_call(args)}: runs the child with stdio inherited.
     *
     * @param args the program and its arguments
     * @throws IOException when the child cannot be started
     * @throws CalledProcessErrorException when the return code is not 0 (SP-08)
     */
    public static void checkCall(List<String> args) throws IOException, CalledProcessErrorException {
        Popen.checkArgs(args, "args");
        try {
            start(new ProcessBuilder(args).inheritIO(), "Subprocess.checkCall()", "awaitCheckCall()")
                    .run(null, -1, true);
        } catch (TimeoutExpiredException e) {
            throw new AssertionError("no timeout given", e);
        }
    }

    /** Refuses on a hub thread outside a Java greenlet (before the child starts), then starts it. */
    private static io.gevent4j.spi.PopenPeer start(ProcessBuilder b, String op, String twin) throws IOException {
        Providers.get().checkMayBlock(op, twin);
        return new Popen(b).peer();
    }
}
