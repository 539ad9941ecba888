package io.gevent4j.benchmarks;

/**
 * The workloads, with the names and units of the peer baselines (gevent, eventlet, raw kotlinx, raw
 * virtual threads), so that our lines land in the same table.
 */
public enum Workload {
    /** Spawn {@link #W1_N} no-op greenlets, then join each; ns per greenlet. */
    W1("W1_spawn_join", "ns/greenlet"),
    /** {@link #W2_ROUNDS} ping-pong round trips through a pair of events; ns per hand-off (two per round). */
    W2("W2_switch_event", "ns/handoff"),
    /** {@link #W2B_ROUNDS} ping-pong round trips through a pair of rendezvous channels; ns per hand-off (two per round). */
    W2B("W2b_switch_channel", "ns/handoff"),
    /** {@link #W3_N} greenlets each call {@code sleep(0)} {@link #W3_K} times; ns per sleep(0), spawn and join included. */
    W3("W3_yield", "ns/sleep0"),
    /**
     * {@code Pool(}{@link #W4_POOL}{@code ).map} over {@link #W4_N} items, each task does one {@code sleep(0)} and
     * returns {@code 2x} (raw baselines: a semaphore of {@link #W4_POOL} acquired before each launch); ns per item.
     */
    W4("W4_pool_map", "ns/item"),
    /** {@link #W5_N} ints through a queue bounded at {@link #W5_CAPACITY}, one producer, one consumer; ns per item. */
    W5("W5_queue", "ns/item"),
    /** {@link #W7_N} greenlets blocked on one event, in a fresh JVM per repetition; bytes per greenlet. */
    W7("W7_memory", "bytes/greenlet");

    /** W1: greenlets spawned and joined. */
    public static final int W1_N = 100_000;
    /** W2: round trips (hand-offs = 2x). */
    public static final int W2_ROUNDS = 200_000;
    /** W2b: round trips (hand-offs = 2x). */
    public static final int W2B_ROUNDS = 200_000;
    /** W3: greenlets. */
    public static final int W3_N = 10_000;
    /** W3: sleep(0) calls per greenlet. */
    public static final int W3_K = 10;
    /** W4: items mapped. */
    public static final int W4_N = 100_000;
    /** W4: the pool's size (the bound on tasks running at once). */
    public static final int W4_POOL = 100;
    /** W5: items put by the producer and taken by the consumer. */
    public static final int W5_N = 1_000_000;
    /** W5: the queue's bound. */
    public static final int W5_CAPACITY = 1000;
    /** W7: blocked greenlets. */
    public static final int W7_N = 100_000;
    /** W7: no-op greenlets run before the baseline snapshot (warms the hub and the allocator). */
    public static final int W7_WARM = 100;

    private final String id;
    private final String unit;

    Workload(String id, String unit) {
        this.id = id;
        this.unit = unit;
    }

    /** @return the JSON {@code workload} name, e.g. {@code W1_spawn_join} */
    public String id() {
        return id;
    }

    /** @return the JSON {@code unit} */
    public String unit() {
        return unit;
    }

    /** @return the short key used by {@code --only}, e.g. {@code W1} or {@code W2b} */
    public String key() {
        return this == W2B ? "W2b" : name();
    }

    /**
     * @param key a short key, case-insensitive: {@code W1}, {@code W2}, {@code W2b}, {@code W3}, {@code W4}, {@code W5}, {@code W7}
     * @return the workload
     */
    public static Workload ofKey(String key) {
        for (Workload w : values()) {
            if (w.key().equalsIgnoreCase(key.trim())) {
                return w;
            }
        }
        throw new IllegalArgumentException("unknown workload " + key + "; known: W1, W2, W2b, W3, W4, W5, W7");
    }
}
