package io.gevent4j.benchmarks;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The micro workloads W1, W2, W2b, W3, W4 and W5 as JMH benchmarks. One invocation is one repetition of the
 * workload as the own harness runs it ({@link BenchImpl#w1()} ...: 100,000 greenlets spawned and joined, 400,000
 * hand-offs, ...), and {@link OperationsPerInvocation} divides JMH's time per invocation by the workload's count,
 * so the score is in the peers' unit (ns per greenlet, per hand-off, per {@code sleep(0)}, per item).
 *
 * <p>JMH's clock covers the whole invocation: besides the workload's own clocked part, the driver greenlet's spawn
 * and its result's hand-back to the benchmark thread (a few microseconds against the 10-100 ms of an invocation).
 * The value the workload method returns (its own clock's figure) goes to JMH's blackhole.
 *
 * <p>{@link #impl} picks the implementation; JMH runs each one in forks of its own, so one's JIT profile and heap
 * never touch another's. The values:
 * <ul>
 *   <li>{@code gevent4j-java}: Java greenlets, which must run {@code SCHEDULED_ON_HUB} (the forks get the
 *       {@code --add-opens}; the setup fails otherwise rather than measure the fallback under this name);</li>
 *   <li>{@code gevent4j-java-handoff}: the same code with {@code gevent4j.hub.mode=HANDOFF} set in the setup,
 *       before the fork's first hub exists (the mode is read once per JVM);</li>
 *   <li>{@code gevent4j-kotlin}: Kotlin greenlets and suspend twins;</li>
 *   <li>{@code kotlin-raw-eventloop}: kotlinx.coroutines on {@code runBlocking}'s event loop;</li>
 *   <li>{@code vthreads-raw}: virtual threads on the default scheduler.</li>
 * </ul>
 * Not in the default set, but accepted by {@code -p impl=}: {@code gevent4j-java-nomonitor} and
 * {@code gevent4j-kotlin-nomonitor} ({@code gevent4j.monitor=false}, set the same way).
 *
 * <p>The annotations' forks and iterations are the defaults for a run started by hand; {@code benchmarks/run.sh}
 * passes its own (sized for 2 cores: see the script's header) and the JVM flags every fork gets.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(
        value = 3,
        jvmArgs = {"--add-opens", "java.base/java.lang=ALL-UNNAMED", "-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 4, time = 1)
public class MicroBenchmarks {
    /** The Java column in HANDOFF mode. */
    static final String JAVA_HANDOFF = "gevent4j-java-handoff";

    /** The implementation under test (a name of {@link Bench#IMPLS}, or {@link #JAVA_HANDOFF}). */
    @Param({JavaGreenletsBench.NAME, JAVA_HANDOFF, KotlinGreenletsBench.NAME, KotlinRawBench.NAME, VThreadsBench.NAME})
    public String impl;

    private BenchImpl bench;

    /**
     * Makes the implementation (its hub, for gevent4j) once per fork, after setting the system properties its
     * name stands for, and checks that they took: a Java column that silently ran in the other mode, or with the
     * monitor in the wrong state, would be measured under a wrong name.
     */
    @Setup(Level.Trial)
    public void setUp() {
        String expectedMode = null;
        boolean monitorOff = false;
        switch (impl) {
            case JAVA_HANDOFF -> {
                System.setProperty("gevent4j.hub.mode", "HANDOFF");
                expectedMode = "HANDOFF";
            }
            case JavaGreenletsBench.NAME -> expectedMode = "SCHEDULED_ON_HUB";
            case JavaGreenletsBench.NO_MONITOR, KotlinGreenletsBench.NO_MONITOR -> {
                System.setProperty("gevent4j.monitor", "false");
                monitorOff = true;
            }
            case KotlinGreenletsBench.NAME, KotlinRawBench.NAME, VThreadsBench.NAME -> {}
            default ->
                throw new IllegalArgumentException("impl: " + impl + " is not a JMH column; known: "
                        + List.of(
                                JavaGreenletsBench.NAME,
                                JAVA_HANDOFF,
                                KotlinGreenletsBench.NAME,
                                KotlinRawBench.NAME,
                                VThreadsBench.NAME,
                                JavaGreenletsBench.NO_MONITOR,
                                KotlinGreenletsBench.NO_MONITOR));
        }
        bench = Bench.create(impl.equals(JAVA_HANDOFF) ? JavaGreenletsBench.NAME : impl);
        Map<String, String> meta = bench.meta();
        if (expectedMode != null && !expectedMode.equals(meta.get("hub_mode"))) {
            bench.close();
            throw new IllegalStateException(impl + " runs in " + meta.get("hub_mode") + ", not " + expectedMode
                    + " (SCHEDULED_ON_HUB needs --add-opens java.base/java.lang=ALL-UNNAMED in the fork's flags)");
        }
        String monitor = String.valueOf(meta.get("monitor"));
        if (monitorOff != monitor.startsWith("gevent4j.monitor=false")) {
            bench.close();
            throw new IllegalStateException(
                    impl + " runs with " + monitor + ", not the monitor " + (monitorOff ? "off" : "on"));
        }
    }

    /** Closes the implementation's hub or threads at the end of the fork. */
    @TearDown(Level.Trial)
    public void tearDown() {
        if (bench != null) {
            bench.close();
        }
    }

    /**
     * W1: spawn 100,000 no-op greenlets, then join each.
     *
     * @return the workload's own figure (consumed by JMH)
     * @throws Exception a failed repetition
     */
    @Benchmark
    @OperationsPerInvocation(Workload.W1_N)
    public double W1_spawn_join() throws Exception {
        return bench.w1();
    }

    /**
     * W2: 200,000 round trips through a pair of events (400,000 hand-offs).
     *
     * @return the workload's own figure (consumed by JMH)
     * @throws Exception a failed repetition
     */
    @Benchmark
    @OperationsPerInvocation(2 * Workload.W2_ROUNDS)
    public double W2_switch_event() throws Exception {
        return bench.w2();
    }

    /**
     * W2b: 200,000 round trips through a pair of rendezvous channels (400,000 hand-offs).
     *
     * @return the workload's own figure (consumed by JMH)
     * @throws Exception a failed repetition
     */
    @Benchmark
    @OperationsPerInvocation(2 * Workload.W2B_ROUNDS)
    public double W2b_switch_channel() throws Exception {
        return bench.w2b();
    }

    /**
     * W3: 10,000 greenlets each {@code sleep(0)} 10 times.
     *
     * @return the workload's own figure (consumed by JMH)
     * @throws Exception a failed repetition
     */
    @Benchmark
    @OperationsPerInvocation(Workload.W3_N * Workload.W3_K)
    public double W3_yield() throws Exception {
        return bench.w3();
    }

    /**
     * W4: a pool of 100 maps 100,000 items, each task one {@code sleep(0)} (results checked in order).
     *
     * @return the workload's own figure (consumed by JMH)
     * @throws Exception a failed repetition
     */
    @Benchmark
    @OperationsPerInvocation(Workload.W4_N)
    public double W4_pool_map() throws Exception {
        return bench.w4();
    }

    /**
     * W5: one producer, one consumer, 1,000,000 ints through a queue bounded at 1000 (checked by their sum).
     *
     * @return the workload's own figure (consumed by JMH)
     * @throws Exception a failed repetition
     */
    @Benchmark
    @OperationsPerInvocation(Workload.W5_N)
    public double W5_queue() throws Exception {
        return bench.w5();
    }
}
