package io.gevent4j.benchmarks;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code vthreads-raw}: plain virtual threads on the JDK's default scheduler (a ForkJoinPool with one
 * carrier per core), driven from the main thread. Events are {@code Semaphore(0)} in W2 (release = set,
 * acquire = wait + clear) and a {@code CountDownLatch} in W7; sleep(0) is {@code Thread.yield()}; the W2b
 * channels are {@code SynchronousQueue}s and the W5 queue an {@code ArrayBlockingQueue(1000)}, as the peers'
 * {@code VThreadsRaw}. W6 sleeps with {@code Thread.sleep(Duration)}; W8's server is a {@code ServerSocket} with a
 * virtual thread per connection, its clients virtual threads, as the peers' {@code VThreadsRaw.w8}; L8 runs
 * against the same server.
 *
 * <p>{@code vthreads-raw-1carrier} is the same code in a child JVM started with
 * {@code -Djdk.virtualThreadScheduler.parallelism=1 -Djdk.virtualThreadScheduler.maxPoolSize=1}
 * ({@link Bench#extraFlags}): one carrier, the nearest virtual-thread analogue of a single-threaded hub.
 */
final class VThreadsBench implements BenchImpl {
    static final String NAME = "vthreads-raw";
    static final String ONE_CARRIER = "vthreads-raw-1carrier";

    private static final Runnable NOOP = () -> {};

    private final String name;

    VThreadsBench(String name) {
        this.name = name;
        if (ONE_CARRIER.equals(name) && !"1".equals(System.getProperty("jdk.virtualThreadScheduler.parallelism"))) {
            throw new IllegalStateException(ONE_CARRIER + " needs -Djdk.virtualThreadScheduler.parallelism=1 "
                    + "-Djdk.virtualThreadScheduler.maxPoolSize=1 (the launcher adds them to its child JVM)");
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Map<String, String> meta() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(
                "scheduler_parallelism",
                System.getProperty(
                        "jdk.virtualThreadScheduler.parallelism",
                        String.valueOf(Runtime.getRuntime().availableProcessors())));
        m.put("scheduler_max_pool_size", System.getProperty("jdk.virtualThreadScheduler.maxPoolSize", "default"));
        return m;
    }

    @Override
    public double w1() throws InterruptedException {
        int n = Workload.W1_N;
        Thread[] ts = new Thread[n];
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            ts[i] = Thread.startVirtualThread(NOOP);
        }
        for (Thread t : ts) {
            t.join();
        }
        return (System.nanoTime() - t0) / (double) n;
    }

    @Override
    public double w2() throws InterruptedException {
        int rounds = Workload.W2_ROUNDS;
        Semaphore a = new Semaphore(0);
        Semaphore b = new Semaphore(0);
        long t0 = System.nanoTime();
        Thread ping = Thread.startVirtualThread(() -> {
            for (int i = 0; i < rounds; i++) {
                a.release();
                b.acquireUninterruptibly();
            }
        });
        Thread pong = Thread.startVirtualThread(() -> {
            for (int i = 0; i < rounds; i++) {
                a.acquireUninterruptibly();
                b.release();
            }
        });
        ping.join();
        pong.join();
        return (System.nanoTime() - t0) / (2.0 * rounds);
    }

    @Override
    public double w2b() throws InterruptedException {
        int rounds = Workload.W2B_ROUNDS;
        SynchronousQueue<Integer> a = new SynchronousQueue<>();
        SynchronousQueue<Integer> b = new SynchronousQueue<>();
        Throwable[] err = new Throwable[1];
        long t0 = System.nanoTime();
        Thread ping = Thread.startVirtualThread(() -> {
            try {
                for (int i = 0; i < rounds; i++) {
                    a.put(i);
                    b.take();
                }
            } catch (InterruptedException | RuntimeException e) {
                err[0] = e;
            }
        });
        Thread pong = Thread.startVirtualThread(() -> {
            try {
                for (int i = 0; i < rounds; i++) {
                    b.put(a.take());
                }
            } catch (InterruptedException | RuntimeException e) {
                err[0] = e;
            }
        });
        ping.join();
        pong.join();
        long dt = System.nanoTime() - t0;
        if (err[0] != null) {
            throw new IllegalStateException("W2b failed", err[0]);
        }
        return dt / (2.0 * rounds);
    }

    // W4: as the peers' VThreadsRaw: a Semaphore(100) acquired before each launch, released by the task;
    // each task yields once and stores 2x in an array.
    @Override
    public double w4() throws InterruptedException {
        int n = Workload.W4_N;
        int[] out = new int[n];
        Semaphore slots = new Semaphore(Workload.W4_POOL);
        Thread[] ts = new Thread[n];
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            slots.acquire();
            int x = i;
            ts[i] = Thread.startVirtualThread(() -> {
                try {
                    Thread.yield();
                    out[x] = 2 * x;
                } finally {
                    slots.release();
                }
            });
        }
        for (Thread t : ts) {
            t.join();
        }
        long dt = System.nanoTime() - t0;
        Harness.checkW4(out);
        return dt / (double) n;
    }

    @Override
    public double w5() throws InterruptedException {
        int n = Workload.W5_N;
        ArrayBlockingQueue<Integer> q = new ArrayBlockingQueue<>(Workload.W5_CAPACITY);
        long[] sum = new long[1];
        Throwable[] err = new Throwable[1];
        long t0 = System.nanoTime();
        Thread prod = Thread.startVirtualThread(() -> {
            try {
                for (int i = 0; i < n; i++) {
                    q.put(i);
                }
            } catch (InterruptedException | RuntimeException e) {
                err[0] = e;
            }
        });
        Thread cons = Thread.startVirtualThread(() -> {
            try {
                long s = 0;
                for (int i = 0; i < n; i++) {
                    s += q.take();
                }
                sum[0] = s;
            } catch (InterruptedException | RuntimeException e) {
                err[0] = e;
            }
        });
        prod.join();
        cons.join();
        long dt = System.nanoTime() - t0;
        if (err[0] != null) {
            throw new IllegalStateException("W5 failed", err[0]);
        }
        Harness.checkW5Sum(sum[0], n);
        return dt / (double) n;
    }

    @Override
    public double w3() throws InterruptedException {
        int n = Workload.W3_N;
        int k = Workload.W3_K;
        Runnable yielder = () -> {
            for (int j = 0; j < k; j++) {
                Thread.yield();
            }
        };
        Thread[] ts = new Thread[n];
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            ts[i] = Thread.startVirtualThread(yielder);
        }
        for (Thread t : ts) {
            t.join();
        }
        return (System.nanoTime() - t0) / (double) (n * k);
    }

    @Override
    public Map<String, Double> w7() throws InterruptedException {
        int n = Workload.W7_N;
        CountDownLatch ev = new CountDownLatch(1);
        AtomicInteger started = new AtomicInteger();
        Thread[] warm = new Thread[Workload.W7_WARM];
        for (int i = 0; i < warm.length; i++) {
            warm[i] = Thread.startVirtualThread(NOOP);
        }
        for (Thread t : warm) {
            t.join();
        }
        Memory.settleBlocking();
        long h0 = Memory.heapUsed();
        long r0 = Memory.rss();
        Runnable waiter = () -> {
            started.incrementAndGet();
            try {
                ev.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        Thread[] ts = new Thread[n];
        for (int i = 0; i < n; i++) {
            ts[i] = Thread.startVirtualThread(waiter);
        }
        while (started.get() < n) {
            Thread.sleep(1);
        }
        for (Thread t : ts) { // counted is not yet parked: wait until each one really waits
            while (t.getState() != Thread.State.WAITING) {
                Thread.sleep(1);
            }
        }
        Memory.settleBlocking();
        long h1 = Memory.heapUsed();
        long r1 = Memory.rss();
        ev.countDown();
        for (Thread t : ts) {
            t.join();
        }
        return Memory.result(n, h0, r0, h1, r1);
    }

    // W6: 10k virtual threads Thread.sleep(d), the peers' delays.
    @Override
    public Map<String, Double> w6() throws InterruptedException {
        int n = Workload.W6_N;
        double[] delays = Timers.w6Delays();
        double[] late = new double[n];
        Throwable[] err = new Throwable[1];
        Thread[] ts = new Thread[n];
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            int idx = i;
            ts[i] = Thread.startVirtualThread(() -> {
                long s = System.nanoTime();
                try {
                    Thread.sleep(Duration.ofNanos(Timers.nanos(delays[idx])));
                } catch (InterruptedException e) {
                    err[0] = e;
                }
                late[idx] = (System.nanoTime() - s) / 1e9 - delays[idx];
            });
        }
        for (Thread t : ts) {
            t.join();
        }
        long wall = System.nanoTime() - t0;
        if (err[0] != null) {
            throw new IllegalStateException("W6 failed", err[0]);
        }
        return Timers.w6Result(wall, late);
    }

    /** The echo server: a ServerSocket, an acceptor virtual thread, a virtual thread per connection. */
    private static final class Server {
        final ServerSocket ss;
        final Queue<Thread> handlers = new ConcurrentLinkedQueue<>();
        final AtomicLong echoed = new AtomicLong();
        final Queue<Throwable> errors = new ConcurrentLinkedQueue<>();
        final Thread acceptor;

        Server() throws IOException {
            ss = new ServerSocket();
            try {
                ss.bind(EchoLoad.loopback(0), Workload.W8_BACKLOG);
            } catch (IOException e) {
                ss.close();
                throw e;
            }
            acceptor = Thread.ofVirtual().name("acceptor").start(this::acceptLoop);
        }

        private void acceptLoop() {
            try {
                while (true) {
                    Socket c = ss.accept();
                    handlers.add(Thread.startVirtualThread(() -> handle(c)));
                }
            } catch (IOException e) {
                if (!ss.isClosed()) {
                    errors.add(e);
                }
            }
        }

        private void handle(Socket c) {
            try (c) {
                c.setTcpNoDelay(true);
                InputStream in = c.getInputStream();
                OutputStream out = c.getOutputStream();
                byte[] buf = new byte[EchoLoad.SERVER_BUF];
                long n = 0;
                int r;
                while ((r = in.read(buf)) > 0) {
                    out.write(buf, 0, r);
                    n += r;
                }
                echoed.addAndGet(n);
            } catch (IOException | RuntimeException e) {
                errors.add(e);
            }
        }

        /** Closes the listener, joins the acceptor and every handler, checks the bytes echoed. */
        void stop(long expectedBytes) throws IOException, InterruptedException {
            ss.close();
            joinOrFail(acceptor, "acceptor");
            for (Thread h : handlers) {
                joinOrFail(h, "handler");
            }
            if (!errors.isEmpty()) {
                throw new IllegalStateException("echo server failed", errors.peek());
            }
            EchoLoad.checkBytes("echo server", echoed.get(), expectedBytes);
        }
    }

    private static void joinOrFail(Thread t, String what) throws InterruptedException {
        if (!t.join(Duration.ofSeconds(EchoLoad.REP_TIMEOUT_S))) {
            throw new IllegalStateException(what + " " + t + " still running");
        }
    }

    // W8: the peers' VThreadsRaw.w8, with every byte count checked and every socket closed.
    @Override
    public Map<String, Double> w8() throws Exception {
        int clients = Workload.W8_CLIENTS;
        Server server = new Server();
        try {
            int port = server.ss.getLocalPort();
            CountDownLatch connected = new CountDownLatch(clients);
            CountDownLatch go = new CountDownLatch(1);
            AtomicLong received = new AtomicLong();
            Queue<Throwable> errors = new ConcurrentLinkedQueue<>();
            Thread[] cs = new Thread[clients];
            for (int i = 0; i < clients; i++) {
                int idx = i;
                cs[i] = Thread.startVirtualThread(() -> {
                    try {
                        received.addAndGet(client(port, idx, connected, go));
                    } catch (Exception | Error e) {
                        errors.add(e);
                        connected.countDown(); // do not keep the driver waiting for a client that failed
                    }
                });
            }
            if (!connected.await(EchoLoad.CONNECT_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                throw new IllegalStateException("clients not connected after " + EchoLoad.CONNECT_TIMEOUT);
            }
            if (!errors.isEmpty()) {
                go.countDown();
                throw new IllegalStateException("a client failed before go", errors.peek());
            }
            long cpu0 = EchoLoad.processCpuNanos();
            long t0 = System.nanoTime();
            go.countDown();
            for (Thread t : cs) {
                joinOrFail(t, "client");
            }
            long t1 = System.nanoTime();
            long cpu1 = EchoLoad.processCpuNanos();
            if (!errors.isEmpty()) {
                throw new IllegalStateException("a client failed", errors.peek());
            }
            EchoLoad.checkBytes("W8 clients", received.get(), EchoLoad.w8Bytes(clients));
            server.stop(EchoLoad.w8Bytes(clients));
            return EchoLoad.w8Result(t1 - t0, cpu1 - cpu0, clients);
        } finally {
            server.ss.close();
        }
    }

    private static long client(int port, int idx, CountDownLatch connected, CountDownLatch go)
            throws IOException, InterruptedException {
        byte[] msg = EchoLoad.message(idx);
        byte[] buf = new byte[msg.length];
        long received = 0;
        try (Socket s = new Socket()) {
            s.connect(EchoLoad.loopback(port), (int) EchoLoad.CONNECT_TIMEOUT.toMillis());
            s.setTcpNoDelay(true);
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            connected.countDown();
            go.await();
            for (int r = 0; r < Workload.W8_ROUNDS; r++) {
                out.write(msg);
                int n = in.readNBytes(buf, 0, buf.length);
                if (n != buf.length) {
                    throw new EOFException("client " + idx + " round " + r + ": end of stream after " + n + " bytes");
                }
                EchoLoad.checkReply(idx, r, msg, buf);
                received += n;
            }
        }
        EchoLoad.checkBytes("client " + idx, received, (long) Workload.W8_ROUNDS * msg.length);
        return received;
    }

    // L8: the same server, the one blocking client on this (main, platform) thread.
    @Override
    public Map<String, Double> l8() throws Exception {
        Server server = new Server();
        try {
            Map<String, Double> m = EchoLoad.latencyClient(server.ss.getLocalPort());
            server.stop((long) Workload.L8_ROUNDS * Workload.W8_SIZE);
            return m;
        } finally {
            server.ss.close();
        }
    }

    @Override
    public void close() {
        // nothing to release: the default scheduler's carriers are daemons
    }
}
