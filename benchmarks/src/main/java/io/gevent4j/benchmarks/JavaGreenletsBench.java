package io.gevent4j.benchmarks;

import io.gevent4j.Gevent;
import io.gevent4j.GreenCallable;
import io.gevent4j.GreenRunnable;
import io.gevent4j.Greenlet;
import io.gevent4j.Hub;
import io.gevent4j.event.Event;
import io.gevent4j.pool.Pool;
import io.gevent4j.queue.Channel;
import io.gevent4j.queue.SimpleQueue;
import io.gevent4j.socket.GreenServerSocket;
import io.gevent4j.socket.GreenSocket;
import java.io.IOException;
import java.net.SocketException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code gevent4j-java}: Java greenlets (virtual threads scheduled on the hub, or the baton hand-off
 * fallback; the meta line says which). Every repetition runs inside one driver greenlet on a hub created
 * for the benchmark; the main thread only waits for that greenlet. The clock runs inside the driver.
 * W6, W6io and the echo workloads (W8, W8h2, L8: {@link JavaGreenletEcho} on {@link GreenSocket}) make hubs of
 * their own per repetition and close them, so that a selector made by one never changes how another sleeps.
 */
final class JavaGreenletsBench implements BenchImpl {
    static final String NAME = "gevent4j-java";
    /** The same, in a child JVM with {@code -Dgevent4j.monitor=false} (W1-W5 only): the monitor's cost on the hot path. */
    static final String NO_MONITOR = "gevent4j-java-nomonitor";

    private static final Duration REP_TIMEOUT = Duration.ofSeconds(Harness.envInt("BENCH_REP_TIMEOUT", 120));
    private static final GreenRunnable NOOP = () -> {};

    private final Hub hub = Hub.create("bench");
    private final String name;

    JavaGreenletsBench(String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean runs(Workload w) {
        return BenchImpl.super.runs(w) && (!name.equals(NO_MONITOR) || Harness.isHotPath(w));
    }

    @Override
    public Map<String, String> meta() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("hub_mode", hub.javaGreenletMode().name());
        m.put("monitor", Harness.monitorSetting());
        m.put(
                "driver",
                "Hub.create(\"bench\").spawn(driver).get() from main; Gevent.spawn / Greenlet.join / Gevent.sleep() / Event / SimpleQueue / Channel / Pool.map");
        m.put("io", EchoTransport.GREEN.describe() + "; W6/W6io/W8/W8h2/L8 on hubs made per repetition");
        return m;
    }

    /** Runs {@code body} as a Java greenlet on the hub and waits for its result from the main thread. */
    private <T> T drive(GreenCallable<T> body) {
        Greenlet<T> g = hub.spawn(body);
        return Objects.requireNonNull(g.get(REP_TIMEOUT), "driver greenlet returned null");
    }

    @Override
    public double w1() {
        GreenCallable<Double> body = JavaGreenletsBench::w1Body;
        return drive(body);
    }

    @Override
    public double w2() {
        GreenCallable<Double> body = JavaGreenletsBench::w2Body;
        return drive(body);
    }

    @Override
    public double w2b() {
        GreenCallable<Double> body = JavaGreenletsBench::w2bBody;
        return drive(body);
    }

    @Override
    public double w4() {
        GreenCallable<Double> body = JavaGreenletsBench::w4Body;
        return drive(body);
    }

    @Override
    public double w5() {
        GreenCallable<Double> body = JavaGreenletsBench::w5Body;
        return drive(body);
    }

    @Override
    public double w3() {
        GreenCallable<Double> body = JavaGreenletsBench::w3Body;
        return drive(body);
    }

    @Override
    public Map<String, Double> w7() {
        GreenCallable<Map<String, Double>> body = JavaGreenletsBench::w7Body;
        return drive(body);
    }

    @Override
    public Map<String, Double> w6() {
        return w6OnNewHub(false);
    }

    @Override
    public Map<String, Double> w6io() {
        return w6OnNewHub(true);
    }

    @Override
    public Map<String, Double> w8() {
        return JavaGreenletEcho.w8(EchoTransport.GREEN, 1);
    }

    @Override
    public Map<String, Double> w8h2() {
        return JavaGreenletEcho.w8(EchoTransport.GREEN, 2);
    }

    @Override
    public Map<String, Double> l8() throws IOException {
        return JavaGreenletEcho.l8(EchoTransport.GREEN);
    }

    @Override
    public void close() {
        hub.close();
    }

    // W6 / W6io: a hub of its own per repetition (W6io's selector would stay with the hub).
    private static Map<String, Double> w6OnNewHub(boolean idleListener) {
        try (Hub h = Hub.create(idleListener ? "w6io" : "w6")) {
            GreenCallable<Map<String, Double>> body = () -> w6Body(idleListener);
            return Objects.requireNonNull(h.spawn(body).get(REP_TIMEOUT), "driver greenlet returned null");
        }
    }

    // W6: 10k greenlets each Gevent.sleep(d), d from the peers' delays; lateness = (wake - before the sleep) - d.
    // W6io: the same after an idle listener was registered on the hub (one greenlet waiting in accept).
    private static Map<String, Double> w6Body(boolean idleListener) throws IOException {
        GreenServerSocket listener = idleListener ? GreenServerSocket.listen(EchoLoad.loopback(0)) : null;
        Greenlet<Void> acceptor = null;
        try {
            if (listener != null) {
                acceptor = Gevent.spawn(() -> idleAccept(listener));
                // the acceptor runs (and waits in the hub's selector) before this timer fires
                Gevent.sleep(Duration.ofMillis(1));
                if (acceptor.isReady()) {
                    acceptor.get();
                    throw new IllegalStateException("W6io: the idle acceptor ended early");
                }
            }
            int n = Workload.W6_N;
            double[] delays = Timers.w6Delays();
            double[] late = new double[n];
            Greenlet<?>[] gs = new Greenlet<?>[n];
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                int idx = i;
                gs[i] = Gevent.spawn(() -> {
                    long s = System.nanoTime();
                    Gevent.sleep(Duration.ofNanos(Timers.nanos(delays[idx])));
                    late[idx] = (System.nanoTime() - s) / 1e9 - delays[idx];
                });
            }
            for (Greenlet<?> g : gs) {
                g.join();
            }
            long wall = System.nanoTime() - t0;
            for (Greenlet<?> g : gs) {
                checkOk(g);
            }
            return Timers.w6Result(wall, late);
        } finally {
            if (listener != null) {
                listener.close();
            }
            if (acceptor != null) {
                acceptor.join();
                checkOk(acceptor);
            }
        }
    }

    /** W6io's acceptor: waits in accept until the listener is closed; a connection is an error. */
    static void idleAccept(GreenServerSocket listener) throws IOException {
        GreenSocket s;
        try {
            s = listener.accept();
        } catch (SocketException closed) {
            if (listener.isOpen()) {
                throw closed;
            }
            return;
        }
        s.close();
        throw new IllegalStateException("W6io: the idle listener got a connection");
    }

    // W1: spawn 100k no-op greenlets, join each.
    private static double w1Body() {
        int n = Workload.W1_N;
        Greenlet<?>[] gs = new Greenlet<?>[n];
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            gs[i] = Gevent.spawn(NOOP);
        }
        for (Greenlet<?> g : gs) {
            g.join();
        }
        return (System.nanoTime() - t0) / (double) n;
    }

    // W2: ping-pong through a pair of Events, as gevent's set / wait / clear.
    private static double w2Body() {
        int rounds = Workload.W2_ROUNDS;
        Event a = new Event();
        Event b = new Event();
        long t0 = System.nanoTime();
        Greenlet<Void> ping = Gevent.spawn(() -> {
            for (int i = 0; i < rounds; i++) {
                a.set();
                b.waitFor();
                b.clear();
            }
        });
        Greenlet<Void> pong = Gevent.spawn(() -> {
            for (int i = 0; i < rounds; i++) {
                a.waitFor();
                a.clear();
                b.set();
            }
        });
        ping.join();
        pong.join();
        long dt = System.nanoTime() - t0;
        checkOk(ping);
        checkOk(pong);
        return dt / (2.0 * rounds);
    }

    // W2b: ping-pong through a pair of Channels (rendezvous), as gevent's Channel put / get.
    private static double w2bBody() {
        int rounds = Workload.W2B_ROUNDS;
        Channel<Integer> a = new Channel<>();
        Channel<Integer> b = new Channel<>();
        long t0 = System.nanoTime();
        Greenlet<Void> ping = Gevent.spawn(() -> {
            for (int i = 0; i < rounds; i++) {
                a.put(i);
                b.get();
            }
        });
        Greenlet<Void> pong = Gevent.spawn(() -> {
            for (int i = 0; i < rounds; i++) {
                b.put(a.get());
            }
        });
        ping.join();
        pong.join();
        long dt = System.nanoTime() - t0;
        checkOk(ping);
        checkOk(pong);
        return dt / (2.0 * rounds);
    }

    // W4: Pool(100).map over 100k items; each task does one sleep(0) and returns 2x (input order checked).
    private static double w4Body() {
        int n = Workload.W4_N;
        List<Integer> items = Harness.w4Items();
        Pool pool = new Pool(Workload.W4_POOL);
        long t0 = System.nanoTime();
        List<Integer> out = pool.map(
                x -> {
                    Gevent.sleep();
                    return 2 * x;
                },
                items);
        long dt = System.nanoTime() - t0;
        Harness.checkW4(out, n);
        return dt / (double) n;
    }

    // W5: 1M ints through SimpleQueue(1000), one producer, one consumer (checked by their sum).
    private static double w5Body() {
        int n = Workload.W5_N;
        SimpleQueue<Integer> q = new SimpleQueue<>(Workload.W5_CAPACITY);
        long[] sum = new long[1];
        long t0 = System.nanoTime();
        Greenlet<Void> prod = Gevent.spawn(() -> {
            for (int i = 0; i < n; i++) {
                q.put(i);
            }
        });
        Greenlet<Void> cons = Gevent.spawn(() -> {
            long s = 0;
            for (int i = 0; i < n; i++) {
                s += q.get();
            }
            sum[0] = s;
        });
        prod.join();
        cons.join();
        long dt = System.nanoTime() - t0;
        checkOk(prod);
        checkOk(cons);
        Harness.checkW5Sum(sum[0], n);
        return dt / (double) n;
    }

    // W3: 10k greenlets x 10 sleep(0); spawn and join included.
    private static double w3Body() {
        int n = Workload.W3_N;
        int k = Workload.W3_K;
        GreenRunnable yielder = () -> {
            for (int j = 0; j < k; j++) {
                Gevent.sleep();
            }
        };
        Greenlet<?>[] gs = new Greenlet<?>[n];
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            gs[i] = Gevent.spawn(yielder);
        }
        for (Greenlet<?> g : gs) {
            g.join();
        }
        return (System.nanoTime() - t0) / (double) (n * k);
    }

    // W7: 100k greenlets blocked on one Event; heap (and RSS) growth after GC.
    private static Map<String, Double> w7Body() {
        int n = Workload.W7_N;
        Event ev = new Event();
        AtomicInteger started = new AtomicInteger();
        Greenlet<?>[] warm = new Greenlet<?>[Workload.W7_WARM];
        for (int i = 0; i < warm.length; i++) {
            warm[i] = Gevent.spawn(NOOP);
        }
        for (Greenlet<?> g : warm) {
            g.join();
        }
        settle();
        long h0 = Memory.heapUsed();
        long r0 = Memory.rss();
        Greenlet<?>[] gs = new Greenlet<?>[n];
        GreenRunnable waiter = () -> {
            started.incrementAndGet();
            ev.waitFor();
        };
        for (int i = 0; i < n; i++) {
            gs[i] = Gevent.spawn(waiter);
        }
        // One greenlet runs at a time, so each one that counted itself has blocked in waitFor() before
        // the driver runs again.
        while (started.get() < n) {
            Gevent.sleep();
        }
        settle();
        long h1 = Memory.heapUsed();
        long r1 = Memory.rss();
        ev.set();
        for (Greenlet<?> g : gs) {
            g.join();
        }
        return Memory.result(n, h0, r0, h1, r1);
    }

    private static void settle() {
        for (int i = 0; i < Memory.SETTLE_GCS; i++) {
            System.gc();
            Gevent.sleep(Duration.ofMillis(Memory.SETTLE_MS));
        }
    }

    private static void checkOk(Greenlet<?> g) {
        if (!g.isSuccessful()) {
            throw new IllegalStateException(g + " failed", g.exception());
        }
    }
}
