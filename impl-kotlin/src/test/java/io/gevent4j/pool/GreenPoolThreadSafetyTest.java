package io.gevent4j.pool;

/*
 * GreenPool / GreenPile from several threads at once: the pool's state sits under one lock and spawners wait for a
 * slot on FIFO tickets (GreenPool.java). Spawners are platform threads (their tasks run on the default hub) and
 * Java greenlets on two hubs, so tasks of one pool run on three hub threads at the same time.
 *
 * Every assertion is deterministic: counts, maxima observed from inside the tasks, orders forced by FIFO tickets.
 * Waits for a state that must come ("until waiting() == 4") poll with a GUARD deadline that only turns a hang
 * into a failure. Sized for a 2-core box: a few thousand spawns in total.
 */

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gevent4j.Gevent;
import io.gevent4j.Greenlet;
import io.gevent4j.Hub;
import io.gevent4j.event.Event;
import io.gevent4j.lock.Semaphore;
import io.gevent4j.testing.ExpectedError;
import io.gevent4j.testing.GeventTestBase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("stress")
class GreenPoolThreadSafetyTest extends GeventTestBase {

    /** Bounds a wait that must succeed; never a timing claim. */
    static final Duration GUARD = Duration.ofSeconds(20);

    private Hub second;
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicReference<Throwable> threadFailure = new AtomicReference<>();

    @BeforeEach
    void createSecondHub() {
        second = Hub.create("second-hub");
    }

    @AfterEach
    void closeSecondHub() throws InterruptedException {
        for (Thread t : threads) {
            t.join(GUARD.toMillis());
        }
        second.close();
    }

    // ---- helpers -------------------------------------------------------------------------------------

    @FunctionalInterface
    interface Body {
        void run() throws Exception;
    }

    /** Starts a platform thread (no hub); a failure is kept for {@link #joinThreads()}. */
    private Thread thread(String name, Body body) {
        Thread t = new Thread(
                () -> {
                    try {
                        body.run();
                    } catch (Throwable e) {
                        threadFailure.compareAndSet(null, e);
                    }
                },
                name);
        t.setDaemon(true);
        threads.add(t);
        t.start();
        return t;
    }

    private void joinThreads() throws InterruptedException {
        for (Thread t : threads) {
            t.join(GUARD.toMillis());
            assertFalse(t.isAlive(), t.getName() + " did not finish");
        }
        assertNull(threadFailure.get(), () -> "a thread failed: " + threadFailure.get());
    }

    /** Polls {@code condition} until it holds; fails after GUARD. */
    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + GUARD.toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "never reached: " + what);
            Thread.sleep(1);
        }
    }

    /** Counts the tasks running at once and keeps the highest count seen. */
    static final class Gauge {
        private final AtomicInteger now = new AtomicInteger();
        private final AtomicInteger max = new AtomicInteger();

        int enter() {
            int n = now.incrementAndGet();
            max.accumulateAndGet(n, Math::max);
            return n;
        }

        void exit() {
            now.decrementAndGet();
        }
    }

    private static void assertIdle(GreenPool pool, int size) {
        assertEquals(size, pool.size());
        assertEquals(size, pool.free());
        assertEquals(0, pool.running());
        assertEquals(0, pool.waiting());
    }

    // ---- many spawners, one pool ---------------------------------------------------------------------

    @Test
    @DisplayName(
            "GreenPool: 3 threads and 4 greenlets on 2 hubs spawn 7,000 tasks; never more than size run, each runs once")
    void concurrentSpawnersNeverExceedTheSizeAndEveryTaskRunsOnce() throws Exception {
        final int size = 4;
        final int perSpawner = 1000;
        final int threadSpawners = 3;
        final int greenletSpawners = 4;
        final int total = (threadSpawners + greenletSpawners) * perSpawner;
        GreenPool pool = new GreenPool(size);
        Gauge gauge = new Gauge();
        AtomicInteger runningSeen = new AtomicInteger();
        AtomicInteger negativeFree = new AtomicInteger();
        AtomicIntegerArray ran = new AtomicIntegerArray(total);
        AtomicInteger spawnCalls = new AtomicInteger();
        Event go = new Event();

        class Spawner implements Body {
            final int first;

            Spawner(int index) {
                this.first = index * perSpawner;
            }

            @Override
            public void run() {
                go.waitFor();
                for (int i = first; i < first + perSpawner; i++) {
                    int id = i;
                    pool.spawnN(() -> {
                        gauge.enter();
                        try {
                            runningSeen.accumulateAndGet(pool.running(), Math::max);
                            if (pool.free() < 0) {
                                negativeFree.incrementAndGet();
                            }
                            Gevent.sleep(0);
                            ran.incrementAndGet(id);
                        } finally {
                            gauge.exit();
                        }
                    });
                    spawnCalls.incrementAndGet();
                }
            }
        }

        for (int t = 0; t < threadSpawners; t++) {
            thread("spawner-thread-" + t, new Spawner(t));
        }
        List<Greenlet<Void>> greenlets = new ArrayList<>();
        for (int g = 0; g < greenletSpawners; g++) {
            Spawner s = new Spawner(threadSpawners + g);
            greenlets.add((g % 2 == 0 ? hub : second).spawn(s::run));
        }
        go.set();

        joinThreads();
        for (Greenlet<Void> g : greenlets) {
            assertTrue(g.join(GUARD), "a spawner greenlet did not finish");
            g.get();
        }
        assertEquals(total, spawnCalls.get());
        pool.waitall();

        assertTrue(gauge.max.get() <= size, "tasks running at once: " + gauge.max.get() + " > " + size);
        assertTrue(gauge.max.get() >= 1);
        assertTrue(runningSeen.get() <= size, "running() seen from a task: " + runningSeen.get());
        assertEquals(0, negativeFree.get(), "free() < 0 seen from a task without any resize");
        assertEquals(0, gauge.now.get());
        for (int i = 0; i < total; i++) {
            assertEquals(1, ran.get(i), "task " + i + " ran " + ran.get(i) + " times");
        }
        assertIdle(pool, size);
    }

    // ---- FIFO tickets ----------------------------------------------------------------------------------

    @Test
    @DisplayName("GreenPool: spawners on different threads get their slots in the order they started waiting")
    void waitingSpawnersOnDifferentThreadsAreServedFifo() throws Exception {
        GreenPool pool = new GreenPool(1);
        Event gate = new Event();
        List<Integer> order = Collections.synchronizedList(new ArrayList<>());
        pool.spawnN(() -> gate.waitFor());
        final int spawners = 5;
        for (int i = 1; i <= spawners; i++) {
            int id = i;
            if (id % 2 == 0) {
                thread("fifo-" + id, () -> pool.spawnN(() -> order.add(id)));
            } else {
                (id % 4 == 1 ? hub : second).spawn(() -> pool.spawnN(() -> order.add(id)));
            }
            await("spawner " + id + " waits", () -> pool.waiting() == id);
        }
        assertEquals(1, pool.running());
        assertEquals(0, pool.free());
        gate.set();
        await("every waiter ran", () -> order.size() == spawners);
        joinThreads();
        pool.waitall();
        assertEquals(List.of(1, 2, 3, 4, 5), new ArrayList<>(order));
        assertIdle(pool, 1);
    }

    // ---- resize from another thread ------------------------------------------------------------------

    @Test
    @DisplayName("GreenPool: resize() from another thread admits waiting spawners; shrinking holds them back")
    void resizeFromAnotherThreadWhileSpawnersWait() throws Exception {
        GreenPool pool = new GreenPool(2);
        Event gate = new Event();
        Gauge gauge = new Gauge();
        AtomicInteger ranAfterGate = new AtomicInteger();
        AtomicInteger concurrentAfterGate = new AtomicInteger(-1);
        AtomicInteger finished = new AtomicInteger();
        Body task = () -> {
            boolean late = gate.isSet();
            int n = gauge.enter();
            try {
                if (late) {
                    ranAfterGate.incrementAndGet();
                    concurrentAfterGate.set(n);
                }
                gate.waitFor();
            } finally {
                gauge.exit();
                finished.incrementAndGet();
            }
        };
        pool.spawnN(task::run);
        pool.spawnN(task::run);
        final int waiters = 4;
        for (int i = 0; i < waiters; i++) {
            thread("waiter-" + i, () -> pool.spawnN(task::run));
        }
        await("4 spawners wait", () -> pool.waiting() == waiters);
        await("2 tasks entered", () -> gauge.now.get() == 2);
        assertEquals(2, pool.running());
        assertEquals(0, pool.free());

        thread("grow", () -> pool.resize(5)).join(GUARD.toMillis());
        await("3 waiters admitted", () -> pool.waiting() == 1 && pool.running() == 5);
        await("5 tasks entered", () -> gauge.now.get() == 5);
        assertEquals(5, pool.size());
        assertEquals(0, pool.free());

        thread("shrink", () -> pool.resize(1)).join(GUARD.toMillis());
        assertEquals(1, pool.size());
        assertEquals(-4, pool.free());
        assertEquals(1, pool.waiting());
        assertEquals(5, pool.running());

        gate.set(); // the 5 end; the last waiter gets a slot only once none of them is running
        joinThreads();
        pool.waitall();
        assertEquals(6, finished.get());
        assertEquals(1, ranAfterGate.get(), "one task was admitted after the gate opened");
        assertEquals(1, concurrentAfterGate.get(), "after shrinking to 1 the last task ran alone");
        assertEquals(5, gauge.max.get());
        assertIdle(pool, 1);
    }

    // ---- GreenPile -----------------------------------------------------------------------------------

    @Test
    @DisplayName(
            "GreenPile: fed from two threads, consumed by one greenlet: every result once, each feeder's in spawn order")
    void pileFedFromTwoThreadsIsConsumedExactlyOnce() throws Exception {
        final int perFeeder = 600;
        final int feeders = 2;
        final int total = feeders * perFeeder;
        GreenPool pool = new GreenPool(3);
        GreenPile<Integer> pile = new GreenPile<>(pool);
        Semaphore spawned = new Semaphore(0); // one permit per spawn that returned
        Event go = new Event();
        for (int f = 0; f < feeders; f++) {
            int first = f * perFeeder;
            thread("feeder-" + f, () -> {
                go.waitFor();
                for (int id = first; id < first + perFeeder; id++) {
                    int v = id;
                    pile.spawn(() -> {
                        Gevent.sleep(0);
                        if (v % 50 == 3) {
                            throw new ExpectedError("task " + v, v);
                        }
                        return v;
                    });
                    spawned.release();
                }
            });
        }
        Greenlet<List<Integer>> consumer = hub.spawn(() -> {
            List<Integer> got = new ArrayList<>(total);
            for (int i = 0; i < total; i++) {
                spawned.acquire();
                assertTrue(pile.hasNext());
                try {
                    got.add(pile.next());
                } catch (ExpectedError e) {
                    got.add(e.myattr);
                }
            }
            return got;
        });
        go.set();
        assertTrue(consumer.join(GUARD), "the consumer did not finish");
        List<Integer> got = consumer.get();
        joinThreads();

        assertEquals(total, got.size());
        AtomicIntegerArray seen = new AtomicIntegerArray(total);
        for (int v : got) {
            seen.incrementAndGet(v);
        }
        for (int i = 0; i < total; i++) {
            assertEquals(1, seen.get(i), "result " + i + " consumed " + seen.get(i) + " times");
        }
        for (int f = 0; f < feeders; f++) {
            int lo = f * perFeeder;
            List<Integer> mine =
                    got.stream().filter(v -> v >= lo && v < lo + perFeeder).toList();
            for (int i = 1; i < mine.size(); i++) {
                assertTrue(mine.get(i - 1) < mine.get(i), "feeder " + f + " results out of spawn order at " + i);
            }
        }
        assertFalse(pile.hasNext());
        assertThrows(NoSuchElementException.class, pile::next);
        pool.waitall();
        assertIdle(pool, 3);
    }
}
