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
    W2B("W2b_switch_channel", "ns/handoff", "W2b"),
    /** {@link #W3_N} greenlets each call {@code sleep(0)} {@link #W3_K} times; ns per sleep(0), spawn and join included. */
    W3("W3_yield", "ns/sleep0"),
    /**
     * {@code Pool(}{@link #W4_POOL}{@code ).map} over {@link #W4_N} items, each task does one {@code sleep(0)} and
     * returns {@code 2x} (raw baselines: a semaphore of {@link #W4_POOL} acquired before each launch); ns per item.
     */
    W4("W4_pool_map", "ns/item"),
    /** {@link #W5_N} ints through a queue bounded at {@link #W5_CAPACITY}, one producer, one consumer; ns per item. */
    W5("W5_queue", "ns/item"),
    /**
     * {@link #W6_N} tasks each sleep a delay from {@link Timers#w6Delays} (uniform [0, 0.1) s, splitmix64 seed 42, the
     * peers' very delays); wall time from the first spawn to the last join, and the lateness statistics.
     */
    W6("W6_timers", "ms_wall"),
    /**
     * W6 on a hub that sleeps in its selector: an idle listener (one greenlet waiting in accept) is registered on
     * the hub first. gevent4j only.
     */
    W6IO("W6io_timers", "ms_wall", "W6io"),
    /** {@link #W7_N} greenlets blocked on one event, in a fresh JVM per repetition; bytes per greenlet. */
    W7("W7_memory", "bytes/greenlet"),
    /**
     * Echo on 127.0.0.1, server and clients in one process on one hub (or one event loop, or one carrier):
     * {@link #W8_CLIENTS} clients x {@link #W8_ROUNDS} round trips of {@link #W8_SIZE} bytes; round trips per second.
     */
    W8("W8_echo", "roundtrips/s"),
    /** W8 with the server and the clients spread over two hubs. gevent4j only. */
    W8H2("W8_echo_2hubs", "roundtrips/s", "W8h2"),
    /**
     * One client (a blocking {@code java.net.Socket} on a platform thread, the same for every server) x
     * {@link #L8_ROUNDS} round trips of {@link #W8_SIZE} bytes against each implementation's echo server; µs per
     * round trip (mean, p50, p99).
     */
    L8("L8_echo_latency", "us/roundtrip");

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
    /** W6: sleeping tasks. */
    public static final int W6_N = 10_000;
    /** W6: the splitmix64 seed of the delays (the peers'). */
    public static final long W6_SEED = 42;
    /** W6: the delays are uniform in [0, W6_SCALE) seconds. */
    public static final double W6_SCALE = 0.1;
    /** W8: clients. */
    public static final int W8_CLIENTS = 200;
    /** W8: round trips per client. */
    public static final int W8_ROUNDS = 500;
    /** W8 and L8: bytes per message. */
    public static final int W8_SIZE = 64;
    /** W8: the listener's backlog. */
    public static final int W8_BACKLOG = 512;
    /** L8: round trips of the one client. */
    public static final int L8_ROUNDS = 20_000;
    /** W7: blocked greenlets. */
    public static final int W7_N = 100_000;
    /** W7: no-op greenlets run before the baseline snapshot (warms the hub and the allocator). */
    public static final int W7_WARM = 100;

    private final String id;
    private final String unit;
    private final String key;

    Workload(String id, String unit) {
        this(id, unit, null);
    }

    Workload(String id, String unit, String key) {
        this.id = id;
        this.unit = unit;
        this.key = key;
    }

    /** @return the JSON {@code workload} name, e.g. {@code W1_spawn_join} */
    public String id() {
        return id;
    }

    /** @return the JSON {@code unit} */
    public String unit() {
        return unit;
    }

    /** @return the short key used by {@code --only}, e.g. {@code W1}, {@code W2b} or {@code W8h2} */
    public String key() {
        return key != null ? key : name();
    }

    /** @return every key, comma separated, in run order */
    public static String keys() {
        StringBuilder sb = new StringBuilder();
        for (Workload w : values()) {
            sb.append(sb.length() == 0 ? "" : ", ").append(w.key());
        }
        return sb.toString();
    }

    /**
     * @param key a short key, case-insensitive: one of {@link #keys()}
     * @return the workload
     */
    public static Workload ofKey(String key) {
        for (Workload w : values()) {
            if (w.key().equalsIgnoreCase(key.trim())) {
                return w;
            }
        }
        throw new IllegalArgumentException("unknown workload " + key + "; known: " + keys());
    }
}
