package io.gevent4j.subprocess;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What {@link Subprocess#run} returns: a child that has finished (Python's {@code CompletedProcess}).
 * {@code equals}, {@code hashCode} and {@code toString} compare and show the bytes' contents.
 *
 * @param args the child's command line
 * @param returncode its exit status, or {@code -N} when killed by signal N
 * @param stdout its captured stdout, or null when not captured
 * @param stderr its captured stderr, or null when not captured
 */
public record CompletedProcess(List<String> args, int returncode, byte @Nullable [] stdout, byte @Nullable [] stderr) {
    /**
     * @throws NullPointerException if {@code args} is null
     */
    // not a compact constructor: javac drops the type annotations (@Nullable) of a compact canonical constructor's
    // parameters from the class file, so Kotlin would see non-null stdout and stderr parameters
    public CompletedProcess(List<String> args, int returncode, byte @Nullable [] stdout, byte @Nullable [] stderr) {
        this.args = List.copyOf(Objects.requireNonNull(args, "args must not be null"));
        this.returncode = returncode;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /**
     * Python's {@code check_returncode()}: never blocks.
     *
     * @throws CalledProcessErrorException if {@link #returncode()} is not 0 (SP-08)
     */
    public void checkReturncode() throws CalledProcessErrorException {
        if (returncode != 0) {
            throw new CalledProcessErrorException(returncode, args, stdout, stderr);
        }
    }

    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof CompletedProcess c
                && returncode == c.returncode
                && args.equals(c.args)
                && Arrays.equals(stdout, c.stdout)
                && Arrays.equals(stderr, c.stderr);
    }

    @Override
    public int hashCode() {
        return Objects.hash(args, returncode, Arrays.hashCode(stdout), Arrays.hashCode(stderr));
    }

    @Override
    public String toString() {
        return "CompletedProcess[args=" + args + ", returncode=" + returncode + ", stdout=" + show(stdout) + ", stderr="
                + show(stderr) + "]";
    }

    /** Bytes shown as text (ISO-8859-1, so that every byte shows), or "null". */
    static String show(byte @Nullable [] b) {
        if (b == null) {
            return "null";
        }
        String s = new String(b, 0, Math.min(b.length, 200), StandardCharsets.ISO_8859_1);
        return "b'" + s.replace("\n", "\\n") + (b.length > 200 ? "...' (" + b.length + " bytes)" : "'");
    }
}
