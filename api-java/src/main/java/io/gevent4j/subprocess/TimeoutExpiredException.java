package io.gevent4j.subprocess;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * gevent's (and Python's) {@code subprocess.TimeoutExpired}: a child did not finish within the timeout given to
 * {@link Popen#waitFor(Duration)}, {@link Popen#communicate(byte[], Duration)} or one of {@link Subprocess}'s
 * functions. It is an ordinary checked exception, <em>not</em> a {@link io.gevent4j.Timeout} (SP-03): an outer
 * {@code Timeout} of the caller still arrives as that {@code Timeout}.
 *
 * <p>{@link #output()} and {@link #stderr()} hold what the child wrote to its piped stdout and stderr before the
 * timeout expired ({@code null} for a stream that is not piped, or when the call reads no output, as
 * {@code waitFor}). {@code Popen.communicate} keeps that output: a later {@code communicate} returns it again
 * together with the rest (SP-05).
 */
public class TimeoutExpiredException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String[] cmd;
    private final Duration timeout;
    private final byte @Nullable [] output;
    private final byte @Nullable [] stderr;

    /**
     * @param cmd the child's command line
     * @param timeout the timeout that expired
     * @param output the stdout read before the expiry, or null
     * @param stderr the stderr read before the expiry, or null
     * @throws NullPointerException if {@code cmd} or {@code timeout} is null
     */
    public TimeoutExpiredException(
            List<String> cmd, Duration timeout, byte @Nullable [] output, byte @Nullable [] stderr) {
        super("Command '" + Objects.requireNonNull(cmd, "cmd must not be null") + "' timed out after "
                + seconds(Objects.requireNonNull(timeout, "timeout must not be null")) + " seconds");
        this.cmd = cmd.toArray(new String[0]);
        this.timeout = timeout;
        this.output = output;
        this.stderr = stderr;
    }

    /** @return the child's command line */
    public List<String> cmd() {
        return List.of(cmd);
    }

    /** @return the timeout that expired */
    public Duration timeout() {
        return timeout;
    }

    /** @return the stdout read before the expiry; null when stdout is not piped or not read by the call */
    public byte @Nullable [] output() {
        return output;
    }

    /** @return the same as {@link #output()} (Python's {@code stdout} alias) */
    public byte @Nullable [] stdout() {
        return output;
    }

    /** @return the stderr read before the expiry; null when stderr is not piped or not read by the call */
    public byte @Nullable [] stderr() {
        return stderr;
    }

    static String seconds(Duration d) {
        return java.math.BigDecimal.valueOf(d.getSeconds())
                .add(java.math.BigDecimal.valueOf(d.getNano(), 9))
                .stripTrailingZeros()
                .toPlainString();
    }
}
