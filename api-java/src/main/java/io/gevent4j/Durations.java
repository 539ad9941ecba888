package io.gevent4j;

import java.time.Duration;

/** Argument checks shared by the API's timeout parameters. */
final class Durations {
    private Durations() {}

    /** Nanoseconds of an optional timeout; -1 for none. Negative durations are refused. */
    static long timeoutNanos(Duration d, String name) {
        if (d == null) {
            return -1;
        }
        if (d.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative: " + d);
        }
        return saturatedNanos(d);
    }

    /** Nanoseconds of a required delay; negative refused. */
    static long delayNanos(Duration d, String name) {
        if (d == null) {
            throw new NullPointerException(name + " must not be null");
        }
        if (d.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative: " + d);
        }
        return saturatedNanos(d);
    }

    static long secondsNanos(double seconds, String name) {
        if (Double.isNaN(seconds) || seconds < 0) {
            throw new IllegalArgumentException(name + " must be a non-negative number of seconds: " + seconds);
        }
        double n = seconds * 1e9;
        return n >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) n;
    }

    static Duration ofSeconds(double seconds, String name) {
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
