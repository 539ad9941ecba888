package io.gevent4j.benchmarks;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * W6's delays and statistics, bit-identical to the peers' ({@code benchlib.w6_delays} / {@code bench.Harness.w6Delays},
 * {@code lateness_stats} / {@code Harness.lateness}), so every runner sleeps the very same 10,000 durations and
 * reports the same keys.
 */
public final class Timers {
    private Timers() {}

    /**
     * Uniform delays in [0, {@code scale}) seconds from splitmix64({@code seed}).
     *
     * @param n how many
     * @param seed the splitmix64 seed (the peers use 42)
     * @param scale the upper bound, seconds (the peers use 0.1)
     * @return the delays in seconds
     */
    public static double[] w6Delays(int n, long seed, double scale) {
        double[] out = new double[n];
        long x = seed;
        for (int i = 0; i < n; i++) {
            x += 0x9E3779B97F4A7C15L;
            long z = x;
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            z ^= (z >>> 31);
            out[i] = (z >>> 11) * 0x1.0p-53 * scale;
        }
        return out;
    }

    /** @return W6's delays: {@link Workload#W6_N} of them, seed {@link Workload#W6_SEED}, scale {@link Workload#W6_SCALE} */
    public static double[] w6Delays() {
        return w6Delays(Workload.W6_N, Workload.W6_SEED, Workload.W6_SCALE);
    }

    /** @return {@code seconds} in whole nanoseconds, as the peers' JVM runners sleep them */
    public static long nanos(double seconds) {
        return (long) (seconds * 1e9);
    }

    /**
     * The W6 result: {@code wall_ms} first, then the lateness statistics in µs with the peers' keys
     * ({@code late_mean_us}, {@code late_p50_us}, {@code late_p99_us}, {@code late_max_us}, {@code late_min_us}).
     *
     * @param wallNanos first spawn to last join
     * @param lateSec each task's lateness: (wake - just before the sleep) - delay, seconds
     * @return the metrics
     */
    public static Map<String, Double> w6Result(long wallNanos, double[] lateSec) {
        double[] s = lateSec.clone();
        Arrays.sort(s);
        int n = s.length;
        double sum = 0;
        for (double v : s) {
            sum += v;
        }
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("wall_ms", wallNanos / 1e6);
        m.put("late_mean_us", sum / n * 1e6);
        m.put("late_p50_us", s[n / 2] * 1e6);
        m.put("late_p99_us", s[Math.min(n - 1, (int) (n * 0.99))] * 1e6);
        m.put("late_max_us", s[n - 1] * 1e6);
        m.put("late_min_us", s[0] * 1e6);
        return m;
    }
}
