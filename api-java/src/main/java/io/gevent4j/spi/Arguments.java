package io.gevent4j.spi;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Argument checks shared by every timeout parameter of the API (and usable by implementors): a negative
 * duration is an {@link IllegalArgumentException} naming the argument and its value, at the call.
 */
public final class Arguments {
    private Arguments() {}

    /**
     * @param d an optional timeout
     * @param name the argument's name, for the message
     * @return its nanoseconds (saturated), or -1 for {@code null}
     */
    public static long timeoutNanos(@Nullable Duration d, String name) {
        if (d == null) {
            return -1;
        }
        if (d.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative: " + d);
        }
        return saturatedNanos(d);
    }

    /**
     * @param d a required delay
     * @param name the argument's name, for the message
     * @return its nanoseconds (saturated)
     */
    public static long delayNanos(Duration d, String name) {
        if (d == null) {
            throw new NullPointerException(name + " must not be null");
        }
        if (d.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative: " + d);
        }
        return saturatedNanos(d);
    }

    /**
     * @param seconds a duration in seconds
     * @param name the argument's name, for the message
     * @return its nanoseconds (saturated)
     */
    public static long secondsNanos(double seconds, String name) {
        if (Double.isNaN(seconds) || seconds < 0) {
            throw new IllegalArgumentException(name + " must be a non-negative number of seconds: " + seconds);
        }
        double n = seconds * 1e9;
        return n >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) n;
    }

    /**
     * @param seconds a duration in seconds
     * @param name the argument's name, for the message
     * @return it as a Duration
     */
    public static Duration ofSeconds(double seconds, String name) {
        long n = secondsNanos(seconds, name);
        return Duration.ofNanos(n);
    }

    private static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }
}
