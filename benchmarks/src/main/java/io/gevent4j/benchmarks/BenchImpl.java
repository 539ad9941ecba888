package io.gevent4j.benchmarks;

import java.util.Map;

/**
 * One implementation under test. Each instance lives in its own JVM (the launcher starts one child JVM
 * per implementation, so JIT profiles and heap state of one never leak into another).
 */
public interface BenchImpl extends AutoCloseable {
    /** @return the JSON {@code impl} name */
    String name();

    /** @return extra fields for the implementation's meta line */
    Map<String, String> meta();

    /**
     * One repetition of W1.
     *
     * @return ns per greenlet
     * @throws Exception on failure
     */
    double w1() throws Exception;

    /**
     * One repetition of W2.
     *
     * @return ns per hand-off
     * @throws Exception on failure
     */
    double w2() throws Exception;

    /**
     * One repetition of W2b: ping-pong through a pair of rendezvous channels.
     *
     * @return ns per hand-off
     * @throws Exception on failure
     */
    double w2b() throws Exception;

    /**
     * One repetition of W3.
     *
     * @return ns per sleep(0)
     * @throws Exception on failure
     */
    double w3() throws Exception;

    /**
     * One repetition of W4: {@code Pool(100).map} over 100,000 items, each doing one sleep(0) and returning 2x.
     *
     * @return ns per item
     * @throws Exception on failure
     */
    double w4() throws Exception;

    /**
     * One repetition of W5: one producer, one consumer, a queue bounded at {@link Workload#W5_CAPACITY}.
     *
     * @return ns per item
     * @throws Exception on failure
     */
    double w5() throws Exception;

    /**
     * W7 in this (fresh) JVM: see {@link Memory#result}.
     *
     * @return the metrics of {@link Memory#result}
     * @throws Exception on failure
     */
    Map<String, Double> w7() throws Exception;

    /** Releases the implementation's threads (hub). */
    @Override
    void close();
}
