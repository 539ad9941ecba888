package io.gevent4j.benchmarks;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code vthreads-raw}: plain virtual threads on the JDK's default scheduler (a ForkJoinPool with one
 * carrier per core), driven from the main thread. Events are {@code Semaphore(0)} in W2 (release = set,
 * acquire = wait + clear) and a {@code CountDownLatch} in W7; sleep(0) is {@code Thread.yield()}; the W2b
 * channels are {@code SynchronousQueue}s and the W5 queue an {@code ArrayBlockingQueue(1000)}, as the peers'
 * {@code VThreadsRaw}.
 */
final class VThreadsBench implements BenchImpl {
    static final String NAME = "vthreads-raw";

    private static final Runnable NOOP = () -> { };

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, String> meta() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("scheduler_parallelism", System.getProperty("jdk.virtualThreadScheduler.parallelism",
                String.valueOf(Runtime.getRuntime().availableProcessors())));
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

    @Override
    public void close() {
        // nothing to release: the default scheduler's carriers are daemons
    }
}
