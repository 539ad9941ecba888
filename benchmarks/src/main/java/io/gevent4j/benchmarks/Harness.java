package io.gevent4j.benchmarks;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Repetitions, statistics and JSON lines. One line per workload: {@code value} is the median of
 * {@code BENCH_REPS} repetitions taken after {@code BENCH_WARMUP} discarded ones (defaults 1 and 5, as the
 * peers), {@code min}/{@code max} of the same repetitions, and the raw repetitions in {@code reps}.
 * Repetitions run back to back without a {@code System.gc()} in between (a full GC shrinks the heap and
 * every repetition would pay for regrowing it; with {@code -Xms = -Xmx} it would not, but the peers do the
 * same). W7 runs one fresh JVM per repetition instead.
 */
final class Harness {
    private Harness() {}

    static final int WARMUP = envInt("BENCH_WARMUP", 1);
    static final int REPS = Math.max(1, envInt("BENCH_REPS", 5));
    /** Seconds one W7 child JVM may take. */
    static final int CHILD_TIMEOUT_S = envInt("BENCH_CHILD_TIMEOUT", 120);

    /** One timed repetition returning the main metric. */
    @FunctionalInterface
    interface Rep {
        double run() throws Exception;
    }

    /** One timed repetition returning several metrics (the main one among them). */
    @FunctionalInterface
    interface MultiRep {
        Map<String, Double> run() throws Exception;
    }

    static int envInt(String k, int d) {
        String v = System.getenv(k);
        return v == null || v.isBlank() ? d : Integer.parseInt(v.trim());
    }

    /** W4: the results must be 2 * i at index i (in input order). */
    static void checkW4(java.util.List<Integer> results, int n) {
        if (results.size() != n) {
            throw new IllegalStateException("W4: " + results.size() + " results != " + n);
        }
        for (int i = 0; i < n; i++) {
            if (results.get(i) != 2 * i) {
                throw new IllegalStateException("W4: result " + i + " is " + results.get(i) + ", not " + 2 * i);
            }
        }
    }

    /** W4: the raw baselines' result array must hold 2 * i at index i. */
    static void checkW4(int[] results) {
        for (int i = 0; i < results.length; i++) {
            if (results[i] != 2 * i) {
                throw new IllegalStateException("W4: result " + i + " is " + results[i] + ", not " + 2 * i);
            }
        }
    }

    /**
     * W4's inputs 0 .. W4_N - 1, boxed once per JVM: the same immutable list for every repetition, so that neither
     * the own harness's clock nor JMH's (which covers the whole invocation) sees the boxing.
     */
    private static final java.util.List<Integer> W4_ITEMS =
            java.util.stream.IntStream.range(0, Workload.W4_N).boxed().toList();

    /** @return W4's inputs 0 .. W4_N - 1, boxed once per JVM */
    static java.util.List<Integer> w4Items() {
        return W4_ITEMS;
    }

    /** W5: the consumer's sum must be 0 + 1 + ... + (n - 1). */
    static void checkW5Sum(long sum, int n) {
        long want = (long) n * (n - 1) / 2;
        if (sum != want) {
            throw new IllegalStateException("W5 sum " + sum + " != " + want);
        }
    }

    // monitor-ok: called by the benchmark's driver and output-pump platform threads only, never by a hub thread
    static synchronized void println(String line) {
        System.out.println(line);
        System.out.flush();
    }

    static double median(double[] xs) {
        double[] s = xs.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2.0;
    }

    /** Runs warm-ups and repetitions in this JVM and prints the line. */
    static void measure(String impl, Workload w, Rep rep) throws Exception {
        for (int i = 0; i < WARMUP; i++) {
            rep.run();
        }
        List<Double> reps = new ArrayList<>(REPS);
        for (int i = 0; i < REPS; i++) {
            reps.add(rep.run());
        }
        double[] xs = reps.stream().mapToDouble(Double::doubleValue).toArray();
        Json j = head(impl, w)
                .put("value", median(xs))
                .put("min", Arrays.stream(xs).min().orElseThrow())
                .put("max", Arrays.stream(xs).max().orElseThrow())
                .putNums("reps", reps)
                .put("reps_n", REPS)
                .put("warmup", WARMUP);
        println(j.toString());
    }

    /**
     * Runs warm-ups and repetitions of a multi-metric workload in this JVM and prints one line in the shape of
     * {@link #measureInChildren}'s (and of the peers' W6 lines): {@code value} is the median of {@code mainKey},
     * {@code medians} holds every metric's median, {@code reps} the repetitions' objects. {@code open_fds} lists
     * this process's open descriptors before the first warm-up and after each repetition (warm-ups included),
     * so that a leak shows as growth.
     */
    static void measureMulti(String impl, Workload w, String mainKey, MultiRep rep) throws Exception {
        List<Double> fds = new ArrayList<>();
        fds.add((double) EchoLoad.openFds());
        for (int i = 0; i < WARMUP; i++) {
            rep.run();
            fds.add((double) EchoLoad.openFds());
        }
        List<Map<String, Double>> reps = new ArrayList<>(REPS);
        for (int i = 0; i < REPS; i++) {
            Map<String, Double> m = rep.run();
            if (!m.containsKey(mainKey)) {
                throw new IllegalStateException(w.id() + " repetition lacks " + mainKey + ": " + m.keySet());
            }
            reps.add(m);
            fds.add((double) EchoLoad.openFds());
        }
        Map<String, Double> medians = new LinkedHashMap<>();
        for (String k : reps.get(0).keySet()) {
            medians.put(k, median(reps.stream().mapToDouble(m -> m.get(k)).toArray()));
        }
        double[] xs = reps.stream().mapToDouble(m -> m.get(mainKey)).toArray();
        Json j = head(impl, w)
                .put("value", medians.get(mainKey))
                .put("min", Arrays.stream(xs).min().orElseThrow())
                .put("max", Arrays.stream(xs).max().orElseThrow())
                .put("value_key", mainKey)
                .putObj("medians", medians)
                .putObjs("reps", reps)
                .put("reps_n", REPS)
                .put("warmup", WARMUP)
                .putRaw(
                        "open_fds",
                        fds.stream()
                                .map(d -> String.valueOf(d.longValue()))
                                .collect(java.util.stream.Collectors.joining(", ", "[", "]")));
        println(j.toString());
    }

    /**
     * Runs {@code REPS} fresh JVMs (same JVM flags and class path) with {@code childArgs}; each prints one
     * flat JSON object as its last stdout line. Prints one line whose {@code value} is the median of
     * {@code mainKey}, with every metric's median in {@code medians}.
     */
    static void measureInChildren(String impl, Workload w, String mainKey, List<String> childArgs) throws Exception {
        List<Map<String, Double>> reps = new ArrayList<>(REPS);
        for (int i = 0; i < REPS; i++) {
            reps.add(runChild(childArgs));
        }
        Map<String, Double> medians = new LinkedHashMap<>();
        for (String k : reps.get(0).keySet()) {
            medians.put(k, median(reps.stream().mapToDouble(m -> m.get(k)).toArray()));
        }
        double[] xs = reps.stream().mapToDouble(m -> m.get(mainKey)).toArray();
        Json j = head(impl, w)
                .put("value", medians.get(mainKey))
                .put("min", Arrays.stream(xs).min().orElseThrow())
                .put("max", Arrays.stream(xs).max().orElseThrow())
                .put("value_key", mainKey)
                .putObj("medians", medians)
                .putObjs("reps", reps)
                .put("reps_n", REPS)
                .put("warmup", 0)
                .put("fresh_process_per_rep", true);
        println(j.toString());
    }

    private static Json head(String impl, Workload w) {
        return new Json().put("impl", impl).put("workload", w.id()).put("unit", w.unit());
    }

    /** This JVM's command line minus the main class and its arguments. */
    static List<String> javaCommand() {
        return javaCommand(List.of());
    }

    /** This JVM's command line minus the main class and its arguments, with {@code extraFlags} after its flags. */
    static List<String> javaCommand(List<String> extraFlags) {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java"));
        cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        cmd.addAll(extraFlags);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Bench.class.getName());
        return cmd;
    }

    private static Map<String, Double> runChild(List<String> args) throws Exception {
        List<String> cmd = javaCommand();
        cmd.remove("-XX:+AlwaysPreTouch"); // the children measure RSS growth: a pre-touched heap would hide it
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        String last = null;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (!line.isBlank()) {
                    last = line;
                }
            }
        }
        boolean done = p.waitFor(CHILD_TIMEOUT_S, TimeUnit.SECONDS);
        if (!done) {
            p.destroyForcibly();
            throw new IllegalStateException("child JVM timed out: " + args);
        }
        if (p.exitValue() != 0 || last == null) {
            throw new IllegalStateException("child JVM failed (exit " + p.exitValue() + "): " + args);
        }
        return Json.parseFlat(last);
    }

    /** Prints the implementation's meta line: JDK, heap, GC, JVM flags, repetitions, and {@code extra}. */
    static void meta(String impl, Map<String, String> extra) {
        List<String> gcs = new ArrayList<>();
        for (GarbageCollectorMXBean b : ManagementFactory.getGarbageCollectorMXBeans()) {
            gcs.add(b.getName());
        }
        Json j = new Json()
                .put("impl", impl)
                .put("workload", "meta")
                .put("java", System.getProperty("java.vm.vendor") + " " + Runtime.version())
                .put("java_home", System.getProperty("java.home"))
                .put("nproc", Runtime.getRuntime().availableProcessors())
                .put("max_heap_mb", Runtime.getRuntime().maxMemory() >> 20)
                .put("gc", String.join("+", gcs))
                .put(
                        "jvm_args",
                        String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()))
                .put("warmup", WARMUP)
                .put("reps", REPS);
        extra.forEach(j::put);
        println(j.toString());
    }

    /** Prints an {@code "impl": "error"} line (skipped by table.py) and the stack trace on stderr. */
    static void error(String impl, String what, Throwable t) {
        System.err.println("[bench] " + impl + " " + what + " failed:");
        t.printStackTrace(System.err);
        println(new Json()
                .put("impl", "error")
                .put("workload", impl + " " + what + " failed")
                .put("exception", String.valueOf(t))
                .toString());
    }

    /** W1-W5: the hub's hot path, run with the monitor on and off. */
    static boolean isHotPath(Workload w) {
        return switch (w) {
            case W1, W2, W2B, W3, W4, W5 -> true;
            default -> false;
        };
    }

    /** How the gevent4j monitor is set in this JVM, for the meta line. */
    static String monitorSetting() {
        return "gevent4j.monitor=" + System.getProperty("gevent4j.monitor", "true (default)")
                + ", gevent4j.maxBlockingTime=" + System.getProperty("gevent4j.maxBlockingTime", "1 (default)");
    }
}
