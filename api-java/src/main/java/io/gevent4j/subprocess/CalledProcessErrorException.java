package io.gevent4j.subprocess;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * gevent's (and Python's) {@code subprocess.CalledProcessError}: a child run by {@link Subprocess#checkOutput},
 * {@link Subprocess#checkCall}, {@code Subprocess.run(..., check = true)} or
 * {@link CompletedProcess#checkReturncode()} ended with a non-zero return code (SP-08). A child killed by
 * signal N has the return code {@code -N}.
 */
public class CalledProcessErrorException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int returncode;
    private final String[] cmd;
    private final byte @Nullable [] output;
    private final byte @Nullable [] stderr;

    /**
     * @param returncode the child's return code (not 0)
     * @param cmd the child's command line
     * @param output its captured stdout, or null
     * @param stderr its captured stderr, or null
     * @throws NullPointerException if {@code cmd} is null
     */
    public CalledProcessErrorException(
            int returncode, List<String> cmd, byte @Nullable [] output, byte @Nullable [] stderr) {
        super(message(returncode, Objects.requireNonNull(cmd, "cmd must not be null")));
        this.returncode = returncode;
        this.cmd = cmd.toArray(new String[0]);
        this.output = output;
        this.stderr = stderr;
    }

    private static String message(int returncode, List<String> cmd) {
        return returncode < 0
                ? "Command '" + cmd + "' died with signal " + -returncode + "."
                : "Command '" + cmd + "' returned non-zero exit status " + returncode + ".";
    }

    /** @return the child's return code: its exit status, or {@code -N} when killed by signal N */
    public int returncode() {
        return returncode;
    }

    /** @return the child's command line */
    public List<String> cmd() {
        return List.of(cmd);
    }

    /** @return the captured stdout, or null when it was not captured */
    public byte @Nullable [] output() {
        return output;
    }

    /** @return the same as {@link #output()} (Python's {@code stdout} alias) */
    public byte @Nullable [] stdout() {
        return output;
    }

    /** @return the captured stderr, or null when it was not captured */
    public byte @Nullable [] stderr() {
        return stderr;
    }
}
