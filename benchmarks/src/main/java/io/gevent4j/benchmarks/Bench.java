package io.gevent4j.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The benchmark entry point. Prints JSON lines on stdout, in the format of the peer baselines
 * ({@code /work/shared/bench}), so {@code table.py} can put them beside gevent, eventlet, raw kotlinx and
 * raw virtual threads.
 *
 * <pre>
 *   java --add-opens java.base/java.lang=ALL-UNNAMED -Xms1g -Xmx1g -cp 'target/classes:target/lib/*' \
 *        io.gevent4j.benchmarks.Bench [--only W1,W2,W2b,W3,W4,W5,W6,W6io,W7,W8,W8h2,L8] [--impls gevent4j-java,vthreads-raw]
 * </pre>
 *
 * <p>Without {@code --impl}, this JVM is only a launcher: it runs every implementation in a child JVM of
 * its own (same flags and class path), one after another, forwards their lines, and after each prints a
 * {@code "workload": "contention"} line with the CPU other processes used meanwhile (as the peers'
 * {@code run-all.sh}). An implementation's child JVM gets its {@link #extraFlags} too (vthreads-raw-1carrier: one
 * carrier; gevent4j-java-nomonitor and gevent4j-kotlin-nomonitor: {@code -Dgevent4j.monitor=false}, W1-W5 only, to
 * compare the hot path with the monitor on and off in one run). With {@code --impl NAME} it runs that implementation in-process (the workloads it does not run are
 * skipped silently: {@link BenchImpl#runs}); with
 * {@code --child w7 --impl NAME} it runs one W7 repetition and prints one flat JSON object.
 *
 * <p>Environment: {@code BENCH_WARMUP} (1), {@code BENCH_REPS} (5), {@code IMPLS} (comma or space
 * separated), {@code BENCH_IMPL_TIMEOUT} (seconds per implementation, 900), {@code BENCH_CHILD_TIMEOUT}
 * (seconds per W7 JVM, 120), {@code BENCH_REP_TIMEOUT} (seconds per greenlet-driven repetition, 120).
 */
public final class Bench {
    private Bench() {}

    /** Implementations, in the order they run. */
    public static final List<String> IMPLS = List.of(
            JavaGreenletsBench.NAME,
            KotlinGreenletsBench.NAME,
            JavaGreenletsBench.NO_MONITOR,
            KotlinGreenletsBench.NO_MONITOR,
            JdkSockGreenletsBench.NAME,
            KotlinRawBench.NAME,
            VThreadsBench.NAME,
            VThreadsBench.ONE_CARRIER,
            NettyBench.NAME);

    static BenchImpl create(String name) {
        return switch (name) {
            case JavaGreenletsBench.NAME, JavaGreenletsBench.NO_MONITOR -> new JavaGreenletsBench(name);
            case KotlinGreenletsBench.NAME, KotlinGreenletsBench.NO_MONITOR -> new KotlinGreenletsBench(name);
            case JdkSockGreenletsBench.NAME -> new JdkSockGreenletsBench();
            case KotlinRawBench.NAME -> new KotlinRawBench();
            case VThreadsBench.NAME, VThreadsBench.ONE_CARRIER -> new VThreadsBench(name);
            case NettyBench.NAME -> new NettyBench();
            default -> throw new IllegalArgumentException("unknown impl " + name + "; known: " + IMPLS);
        };
    }

    /**
     * JVM flags of one implementation's child JVM only (after the launcher's own flags, so its W7 children
     * inherit them too).
     */
    static List<String> extraFlags(String name) {
        return switch (name) {
            case VThreadsBench.ONE_CARRIER ->
                List.of("-Djdk.virtualThreadScheduler.parallelism=1", "-Djdk.virtualThreadScheduler.maxPoolSize=1");
            case JavaGreenletsBench.NO_MONITOR, KotlinGreenletsBench.NO_MONITOR -> List.of("-Dgevent4j.monitor=false");
            default -> List.of();
        };
    }

    private static String opt(String[] args, String name) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return null;
    }

    private static List<String> split(String s) {
        List<String> out = new ArrayList<>();
        for (String x : s.split("[,\\s]+")) {
            if (!x.isBlank()) {
                out.add(x.trim());
            }
        }
        return out;
    }

    public static void main(String[] args) throws Exception {
        if (Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h")) {
            System.out.println("usage: Bench [--only " + Workload.keys().replace(" ", "") + "] [--impls "
                    + String.join(",", IMPLS) + "]");
            return;
        }
        String only = opt(args, "--only");
        // Always in the enum's order (W1 W2 W2b W3 W4 W5 W6 W6io W7 W8 W8h2 L8), whatever the order of --only.
        Set<Workload> selected = EnumSet.noneOf(Workload.class);
        if (only == null) {
            selected.addAll(Arrays.asList(Workload.values()));
        } else {
            for (String k : split(only)) {
                selected.add(Workload.ofKey(k));
            }
        }
        String impl = opt(args, "--impl");
        String child = opt(args, "--child");
        int rc;
        if (child != null) {
            rc = runW7Child(impl, child);
        } else if (impl != null) {
            rc = runImpl(impl, selected);
        } else {
            String impls = opt(args, "--impls");
            if (impls == null) {
                impls = System.getenv("IMPLS");
            }
            List<String> names = impls == null || impls.isBlank() ? IMPLS : split(impls);
            for (String n : names) {
                if (!IMPLS.contains(n)) {
                    throw new IllegalArgumentException("unknown impl " + n + "; known: " + IMPLS);
                }
            }
            rc = launch(names, only);
        }
        System.out.flush();
        // Hub and carrier threads are daemons, but a stuck implementation must not keep the JVM alive.
        System.exit(rc);
    }

    // ---- one W7 repetition in a fresh JVM ----------------------------------------------------------

    private static int runW7Child(String impl, String what) throws Exception {
        if (!"w7".equals(what) || impl == null) {
            throw new IllegalArgumentException("--child w7 --impl NAME");
        }
        try (BenchImpl b = create(impl)) {
            Map<String, Double> m = b.w7();
            Harness.println(Json.obj(m));
        }
        return 0;
    }

    // ---- one implementation, in this JVM -----------------------------------------------------------

    private static int runImpl(String name, Set<Workload> selected) {
        int failures = 0;
        try (BenchImpl b = create(name)) {
            Harness.meta(name, b.meta());
            for (Workload w : selected) {
                if (!b.runs(w)) {
                    continue; // not one of this implementation's workloads
                }
                try {
                    switch (w) {
                        case W1 -> Harness.measure(name, w, b::w1);
                        case W2 -> Harness.measure(name, w, b::w2);
                        case W2B -> Harness.measure(name, w, b::w2b);
                        case W3 -> Harness.measure(name, w, b::w3);
                        case W4 -> Harness.measure(name, w, b::w4);
                        case W5 -> Harness.measure(name, w, b::w5);
                        case W6 -> Harness.measureMulti(name, w, "wall_ms", b::w6);
                        case W6IO -> Harness.measureMulti(name, w, "wall_ms", b::w6io);
                        case W7 ->
                            Harness.measureInChildren(
                                    name, w, "heap_bytes_per_greenlet", List.of("--impl", name, "--child", "w7"));
                        case W8 -> Harness.measureMulti(name, w, "roundtrips_per_s", b::w8);
                        case W8H2 -> Harness.measureMulti(name, w, "roundtrips_per_s", b::w8h2);
                        case L8 -> Harness.measureMulti(name, w, "rt_mean_us", b::l8);
                    }
                } catch (Throwable t) {
                    failures++;
                    Harness.error(name, w.id(), t);
                }
            }
        } catch (Throwable t) {
            failures++;
            Harness.error(name, "setup/close", t);
        }
        return failures == 0 ? 0 : 1;
    }

    // ---- launcher -----------------------------------------------------------------------------------

    private static int launch(List<String> names, String only) throws Exception {
        hostLine();
        int timeout = Harness.envInt("BENCH_IMPL_TIMEOUT", 900);
        long tck = clockTicks();
        int failures = 0;
        for (String name : names) {
            List<String> cmd = Harness.javaCommand(extraFlags(name));
            cmd.add("--impl");
            cmd.add(name);
            if (only != null) {
                cmd.add("--only");
                cmd.add(only);
            }
            long[] cpu0 = systemCpu();
            long own0 = childCpuTicks();
            long t0 = System.nanoTime();
            Process p = new ProcessBuilder(cmd)
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            Thread pump = Thread.ofPlatform().name("pump-" + name).start(() -> {
                try (BufferedReader r =
                        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = r.readLine()) != null; ) {
                        Harness.println(line);
                    }
                } catch (IOException e) {
                    System.err.println("[bench] lost output of " + name + ": " + e);
                }
            });
            boolean done = p.waitFor(timeout, TimeUnit.SECONDS);
            if (!done) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
            pump.join(10_000);
            double wall = (System.nanoTime() - t0) / 1e9;
            long[] cpu1 = systemCpu();
            long own = childCpuTicks() - own0;
            if (!done || p.exitValue() != 0) {
                failures++;
                Harness.println(new Json()
                        .put("impl", "error")
                        .put(
                                "workload",
                                "runner failed " + (done ? "rc=" + p.exitValue() : "timeout " + timeout + " s"))
                        .put("cmd", String.join(" ", cmd))
                        .toString());
            }
            Json j = new Json()
                    .put("impl", "host")
                    .put("workload", "contention")
                    .put("runner", name)
                    .putRaw("wall_s", round1(wall));
            if (tck > 0 && cpu0 != null && cpu1 != null && own0 >= 0) {
                j.putRaw("runner_cpu_s", round1(own / (double) tck))
                        .putRaw("other_cpu_s", round1((cpu1[0] - cpu0[0] - own) / (double) tck))
                        .putRaw("steal_s", round1((cpu1[1] - cpu0[1]) / (double) tck));
            }
            Harness.println(j.toString());
        }
        return failures == 0 ? 0 : 1;
    }

    private static String round1(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    private static void hostLine() {
        Json j = new Json().put("impl", "host").put("workload", "env");
        try {
            String[] la = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            j.putRaw("loadavg", "[" + la[0] + ", " + la[1] + ", " + la[2] + "]");
        } catch (IOException | RuntimeException e) {
            // not Linux: leave it out
        }
        j.put("nproc", Runtime.getRuntime().availableProcessors())
                .put("kernel", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        try {
            for (String l : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (l.startsWith("model name")) {
                    j.put("cpu", l.substring(l.indexOf(':') + 1).trim());
                    break;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        Harness.println(j.toString());
    }

    /** @return {busy, steal} ticks of all CPUs from /proc/stat, or null */
    private static long[] systemCpu() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/stat"))) {
                if (l.startsWith("cpu ")) {
                    String[] f = l.trim().split("\\s+");
                    long busy = Long.parseLong(f[1])
                            + Long.parseLong(f[2])
                            + Long.parseLong(f[3])
                            + Long.parseLong(f[6])
                            + Long.parseLong(f[7]);
                    return new long[] {busy, Long.parseLong(f[8])};
                }
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return null;
    }

    /**
     * CPU ticks of this launcher and of its reaped children (and theirs, recursively): utime + stime +
     * cutime + cstime from /proc/self/stat. A child JVM's own W7 children are reaped by it, so they count.
     */
    private static long childCpuTicks() {
        try {
            String s = Files.readString(Path.of("/proc/self/stat"));
            String[] f = s.substring(s.lastIndexOf(')') + 2).trim().split("\\s+");
            // after "pid (comm) ": f[0] = field 3 (state); utime..cstime = fields 14..17
            return Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static long clockTicks() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK")
                    .redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            p.waitFor(5, TimeUnit.SECONDS);
            return Long.parseLong(out);
        } catch (IOException | RuntimeException e) {
            return 100;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 100;
        }
    }
}
