package io.gevent4j.subprocess;

import java.util.Arrays;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What {@link Popen#communicate} returns: the child's whole stdout and stderr (Python's {@code (stdout, stderr)}
 * tuple). A stream that is not piped is {@code null}. {@code equals}, {@code hashCode} and {@code toString}
 * compare and show the bytes' contents.
 *
 * @param stdout everything the child wrote to its piped stdout, or null when stdout is not piped
 * @param stderr everything the child wrote to its piped stderr, or null when stderr is not piped
 */
public record Communicated(byte @Nullable [] stdout, byte @Nullable [] stderr) {
    /**
     * @param stdout everything the child wrote to its piped stdout, or null when stdout is not piped
     * @param stderr everything the child wrote to its piped stderr, or null when stderr is not piped
     */
    // declared: javac drops the type annotations (@Nullable) of an implicit canonical constructor's parameters from
    // the class file, so Kotlin would see non-null parameters
    public Communicated(byte @Nullable [] stdout, byte @Nullable [] stderr) {
        this.stdout = stdout;
        this.stderr = stderr;
    }

    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof Communicated c && Arrays.equals(stdout, c.stdout) && Arrays.equals(stderr, c.stderr);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(stdout), Arrays.hashCode(stderr));
    }

    @Override
    public String toString() {
        return "Communicated[stdout=" + CompletedProcess.show(stdout) + ", stderr=" + CompletedProcess.show(stderr)
                + "]";
    }
}
