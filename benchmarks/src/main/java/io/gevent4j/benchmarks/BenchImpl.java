package io.gevent4j.benchmarks;

import java.util.Map;

/**
 * One implementation under test. Each instance lives in its own JVM (the launcher starts one child JVM
 * per implementation, so JIT profiles and heap state of one never leak into another).
 *
 * <p>Every workload method has a default that throws {@link UnsupportedOperationException}: an implementation
 * overrides the workloads it runs, and {@link Bench} skips the others silently (it asks {@link #runs}, so an
 * {@code UnsupportedOperationException} thrown from inside a workload that is run is still reported as a
 * failure).
 */
public interface BenchImpl extends AutoCloseable {
    /** @return the JSON {@code impl} name */
    String name();

    /** @return extra fields for the implementation's meta line */
    Map<String, String> meta();

    /**
     * @param w a workload
     * @return whether this implementation runs {@code w}: whether its class overrides the workload's method
     */
    default boolean runs(Workload w) {
        String method =
                switch (w) {
                    case W1 -> "w1";
                    case W2 -> "w2";
                    case W2B -> "w2b";
                    case W3 -> "w3";
                    case W4 -> "w4";
                    case W5 -> "w5";
                    case W6 -> "w6";
                    case W6IO -> "w6io";
                    case W7 -> "w7";
                    case W8 -> "w8";
                    case W8H2 -> "w8h2";
                    case L8 -> "l8";
                };
        try {
            return getClass().getMethod(method).getDeclaringClass() != BenchImpl.class;
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException("BenchImpl has no method " + method, e);
        }
    }

    private UnsupportedOperationException notRun(Workload w) {
        return new UnsupportedOperationException(name() + " does not run " + w.id());
    }

    /**
     * One repetition of W1.
     *
     * @return ns per greenlet
     * @throws Exception on failure
     */
    default double w1() throws Exception {
        throw notRun(Workload.W1);
    }

    /**
     * One repetition of W2.
     *
     * @return ns per hand-off
     * @throws Exception on failure
     */
    default double w2() throws Exception {
        throw notRun(Workload.W2);
    }

    /**
     * One repetition of W2b: ping-pong through a pair of rendezvous channels.
     *
     * @return ns per hand-off
     * @throws Exception on failure
     */
    default double w2b() throws Exception {
        throw notRun(Workload.W2B);
    }

    /**
     * One repetition of W3.
     *
     * @return ns per sleep(0)
     * @throws Exception on failure
     */
    default double w3() throws Exception {
        throw notRun(Workload.W3);
    }

    /**
     * One repetition of W4: {@code Pool(100).map} over 100,000 items, each doing one sleep(0) and returning 2x.
     *
     * @return ns per item
     * @throws Exception on failure
     */
    default double w4() throws Exception {
        throw notRun(Workload.W4);
    }

    /**
     * One repetition of W5: one producer, one consumer, a queue bounded at {@link Workload#W5_CAPACITY}.
     *
     * @return ns per item
     * @throws Exception on failure
     */
    default double w5() throws Exception {
        throw notRun(Workload.W5);
    }

    /**
     * One repetition of W6: {@link Workload#W6_N} tasks each sleep one of {@link Timers#w6Delays()}.
     *
     * @return {@link Timers#w6Result}
     * @throws Exception on failure
     */
    default Map<String, Double> w6() throws Exception {
        throw notRun(Workload.W6);
    }

    /**
     * One repetition of W6 with an idle listener registered on the hub first (one greenlet waiting in accept),
     * so that the hub sleeps in its selector.
     *
     * @return {@link Timers#w6Result}
     * @throws Exception on failure
     */
    default Map<String, Double> w6io() throws Exception {
        throw notRun(Workload.W6IO);
    }

    /**
     * W7 in this (fresh) JVM: see {@link Memory#result}.
     *
     * @return the metrics of {@link Memory#result}
     * @throws Exception on failure
     */
    default Map<String, Double> w7() throws Exception {
        throw notRun(Workload.W7);
    }

    /**
     * One repetition of W8: echo server and clients in this process, on one hub (or loop, or carrier).
     *
     * @return {@link EchoLoad#w8Result}
     * @throws Exception on failure, including a wrong byte count
     */
    default Map<String, Double> w8() throws Exception {
        throw notRun(Workload.W8);
    }

    /**
     * One repetition of W8 with the server and the clients spread over two hubs.
     *
     * @return {@link EchoLoad#w8Result}
     * @throws Exception on failure, including a wrong byte count
     */
    default Map<String, Double> w8h2() throws Exception {
        throw notRun(Workload.W8H2);
    }

    /**
     * One repetition of L8: this implementation's echo server, {@link EchoLoad#latencyClient} on the calling thread.
     *
     * @return the L8 metrics of {@link EchoLoad}
     * @throws Exception on failure, including a wrong byte count
     */
    default Map<String, Double> l8() throws Exception {
        throw notRun(Workload.L8);
    }

    /** Releases the implementation's threads (hub). */
    @Override
    void close();
}
