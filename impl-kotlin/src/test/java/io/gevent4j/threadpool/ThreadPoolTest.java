package io.gevent4j.threadpool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gevent4j.BlockingSwitchOutException;
import io.gevent4j.Gevent;
import io.gevent4j.Greenlet;
import io.gevent4j.GreenletFailedException;
import io.gevent4j.Hub;
import io.gevent4j.Timeout;
import io.gevent4j.event.AsyncResult;
import io.gevent4j.testing.GeventTestBase;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * gevent's {@code ThreadPool} (no case ids in the spec): platform workers, the FIFO line of spawners, delivery on the
 * creator's hub, inline apply on a worker, kill/close, the hub's own pool. Runs in both hub modes.
 */
class ThreadPoolTest extends GeventTestBase {

    // ---- helpers -------------------------------------------------------------------------------------

    /** Waits on the (foreign) test thread until {@code cond} holds, at most 10 s. */
    private static void eventually(BooleanSupplier cond, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 10 s: " + what);
            }
            Thread.onSpinWait();
            Thread.yield();
        }
    }

    /** The live threads whose name starts with {@code prefix}. */
    private static List<Thread> threadsNamed(String prefix) {
        List<Thread> out = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith(prefix)) {
                out.add(t);
            }
        }
        return out;
    }

    private static void assertAllExit(List<Thread> threads) throws InterruptedException {
        for (Thread t : threads) {
            t.join(10_000);
            assertFalse(t.isAlive(), t + " still alive");
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            assertTrue(latch.await(30, TimeUnit.SECONDS), "latch not released in 30 s");
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    // ---- bad input -----------------------------------------------------------------------------------

    @Test
    void badInputIsRefusedNamingTheArgument() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ThreadPool(0));
        assertEquals("maxsize must be at least 1: 0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new ThreadPool(-3, hub));
        assertEquals("maxsize must be at least 1: -3", e.getMessage());
        NullPointerException n = assertThrows(NullPointerException.class, () -> new ThreadPool(1, null));
        assertEquals("hub must not be null", n.getMessage());
        n = assertThrows(NullPointerException.class, () -> new ThreadPool(1, hub, null));
        assertEquals("name must not be null", n.getMessage());
        try (ThreadPool pool = new ThreadPool(1, hub)) {
            assertEquals(
                    "fn must not be null",
                    assertThrows(NullPointerException.class, () -> pool.spawn(null))
                            .getMessage());
            assertEquals(
                    "fn must not be null",
                    assertThrows(NullPointerException.class, () -> pool.apply(null))
                            .getMessage());
            assertEquals(
                    "fn must not be null",
                    assertThrows(NullPointerException.class, () -> pool.map(null, List.of(1)))
                            .getMessage());
            assertEquals(
                    "items must not be null",
                    assertThrows(NullPointerException.class, () -> pool.map(x -> x, null))
                            .getMessage());
            assertEquals(
                    "maxsize must be at least 1: 0",
                    assertThrows(IllegalArgumentException.class, () -> pool.setMaxsize(0))
                            .getMessage());
            assertTrue(assertThrows(IllegalArgumentException.class, () -> pool.join(Duration.ofSeconds(-1)))
                    .getMessage()
                    .startsWith("timeout must not be negative"));
            assertEquals(1, pool.maxsize());
            assertEquals(0, pool.size(), "nothing was handed over, so no thread was started");
            assertEquals(0, pool.unfinishedTasks());
        }
    }

    @Test
    void aPoolOnAClosedHubIsRefused() {
        Hub other = Hub.create("tp-closed");
        other.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new ThreadPool(1, other));
        assertTrue(e.getMessage().contains("tp-closed"), e.getMessage());
        assertThrows(IllegalStateException.class, other::threadpool);
    }

    // ---- workers, results ----------------------------------------------------------------------------

    @Test
    void aTaskRunsOnAPlatformDaemonWorkerOutsideEveryGreenlet() {
        ThreadGroup hubGroup = Thread.currentThread().getThreadGroup(); // the hub thread was made by this thread
        inGreenlet(() -> {
            try (ThreadPool pool = new ThreadPool(2, hub, "tp-plain")) {
                AsyncResult<String> r = pool.spawn(() -> {
                    Thread t = Thread.currentThread();
                    return t.isVirtual() + " " + t.isDaemon() + " " + t.getName() + " " + (Gevent.getcurrent() == null)
                            + " " + (t.getThreadGroup() == hubGroup);
                });
                // made from a greenlet, still a platform thread in the hub thread's group
                assertEquals("false true tp-plain-1 true true", r.get());
                assertEquals(1, pool.size());
            }
        });
    }

    @Test
    void applyRethrowsUncheckedAsTheSameInstanceAndWrapsChecked() {
        inGreenlet(() -> {
            try (ThreadPool pool = new ThreadPool(1, hub)) {
                assertEquals(42, pool.apply(() -> 42));
                IllegalStateException boom = new IllegalStateException("boom");
                assertSame(
                        boom,
                        assertThrows(
                                IllegalStateException.class,
                                () -> pool.apply(() -> {
                                    throw boom;
                                })));
                IOException io = new IOException("disk");
                GreenletFailedException w = assertThrows(
                        GreenletFailedException.class,
                        () -> pool.apply(() -> {
                            throw io;
                        }));
                assertSame(io, w.getCause());
                AsyncResult<Object> r = pool.spawn(() -> {
                    throw io;
                });
                assertSame(
                        io, assertThrows(GreenletFailedException.class, r::get).getCause());
                assertSame(io, r.exception());
            }
        });
    }

    @Test
    void aForeignThreadBlocksInApply() {
        try (ThreadPool pool = new ThreadPool(1, hub)) {
            assertEquals("x", pool.apply(() -> "x"));
            assertEquals(List.of(2, 4, 6), pool.map(x -> x * 2, List.of(1, 2, 3)));
        }
    }

    @Test
    void mapReturnsResultsInInputOrderAndThrowsTheFirstFailureInInputOrder() {
        inGreenlet(() -> {
            try (ThreadPool pool = new ThreadPool(3, hub)) {
                List<Integer> items = List.of(9, 1, 7, 3, 5, 2, 8, 4, 6);
                // workers finish out of order (a bigger item sleeps longer on its platform thread); results do not
                List<Integer> out = pool.map(
                        x -> {
                            Thread.sleep(x);
                            return x * 10;
                        },
                        items);
                assertEquals(List.of(90, 10, 70, 30, 50, 20, 80, 40, 60), out);
                assertEquals(List.of(), pool.map(x -> x, List.of()));

                RuntimeException second = new RuntimeException("item 2");
                RuntimeException fourth = new RuntimeException("item 4");
                CountDownLatch fourthThrown = new CountDownLatch(1);
                RuntimeException thrown = assertThrows(
                        RuntimeException.class,
                        () -> pool.map(
                                x -> {
                                    if (x == 4) {
                                        fourthThrown.countDown();
                                        throw fourth;
                                    }
                                    if (x == 2) {
                                        await(fourthThrown); // the later item fails first; the earlier one is still
                                        // what map throws
                                        throw second;
                                    }
                                    return x;
                                },
                                List.of(1, 2, 3, 4)));
                assertSame(second, thrown);
            }
        });
    }

    @Test
    void resultsAreDeliveredOnTheCreatorsHub() {
        inGreenlet(() -> {
            try (ThreadPool pool = new ThreadPool(1)) { // created in a greenlet: Hub.current() is the test hub
                AtomicReference<Thread> worker = new AtomicReference<>();
                CountDownLatch ran = new CountDownLatch(1);
                AsyncResult<String> r = pool.spawn(() -> {
                    worker.set(Thread.currentThread());
                    ran.countDown();
                    return "done";
                });
                // hold the hub (no yield) until the worker has finished and parked idle: the delivery is queued then
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (ran.getCount() > 0 || worker.get().getState() != Thread.State.WAITING) {
                    assertTrue(System.nanoTime() < deadline, "worker did not go idle in 10 s");
                    Thread.onSpinWait();
                }
                assertFalse(r.isReady(), "set on the worker thread: it must be set by a callback on the hub");
                assertEquals(1, pool.unfinishedTasks());
                assertEquals("done", r.get()); // yields: the hub runs the delivery
                assertEquals(0, pool.unfinishedTasks());
            }
        });
    }

    @Test
    void applyRunsInlineOnOneOfItsOwnWorkers() {
        inGreenlet(() -> {
            try (ThreadPool pool = new ThreadPool(1, hub)) {
                // with one worker, waiting there for a worker would deadlock; gevent runs it inline
                List<Thread> threads = pool.apply(() -> {
                    Thread outer = Thread.currentThread();
                    Thread inner = pool.apply(Thread::currentThread);
                    List<Integer> mapped = pool.map(x -> x + 1, List.of(1, 2));
                    assertEquals(List.of(2, 3), mapped);
                    return List.of(outer, inner);
                });
                assertSame(threads.get(0), threads.get(1));
                assertEquals(0, pool.unfinishedTasks());
            }
        });
    }

    // ---- the hub keeps running; FIFO line ------------------------------------------------------------

    @Test
    void aTaskThatNeverReturnsDoesNotStallTheHub() {
        CountDownLatch never = new CountDownLatch(1);
        try (ThreadPool pool = new ThreadPool(1, hub)) {
            try {
                inGreenlet(() -> {
                    steps.expect(1);
                    AsyncResult<String> stuck = pool.spawn(() -> {
                        await(never);
                        return "released";
                    });
                    Greenlet<String> waiter = Gevent.spawn(() -> {
                        steps.expect(3);
                        String v = pool.apply(() -> "second"); // waits for the only worker, cooperatively
                        steps.expect(7);
                        return v;
                    });
                    Greenlet<Void> ticker = Gevent.spawn(() -> {
                        steps.expect(4);
                        for (int i = 0; i < 3; i++) {
                            Gevent.sleep(0.01); // timers fire: the hub runs while the worker is stuck
                        }
                        steps.expect(5);
                    });
                    steps.expect(2);
                    ticker.join();
                    steps.expect(6);
                    assertFalse(waiter.isReady());
                    assertFalse(stuck.isReady());
                    never.countDown();
                    assertEquals("released", stuck.get());
                    assertEquals("second", waiter.get());
                    steps.finish(8);
                });
            } finally {
                never.countDown();
            }
        }
        steps.assertFinished();
    }

    @Test
    void waitingSpawnersAreServedInFifoOrder() {
        CountDownLatch gate = new CountDownLatch(1);
        try (ThreadPool pool = new ThreadPool(1, hub)) {
            try {
                inGreenlet(() -> {
                    List<Integer> ranOnWorker = new CopyOnWriteArrayList<>();
                    List<Integer> spawnReturned = new ArrayList<>();
                    AsyncResult<Void> first = pool.spawn(() -> {
                        await(gate);
                        return null;
                    });
                    List<Greenlet<?>> spawners = new ArrayList<>();
                    for (int i = 1; i <= 4; i++) {
                        int n = i;
                        spawners.add(Gevent.spawn(() -> {
                            AsyncResult<Integer> r = pool.spawn(() -> {
                                ranOnWorker.add(n);
                                return n;
                            });
                            spawnReturned.add(n);
                            return r.get();
                        }));
                    }
                    Gevent.sleep(); // all four are now in the line, in spawn order
                    assertEquals(List.of(), spawnReturned);
                    gate.countDown();
                    first.get();
                    Gevent.joinAll(spawners);
                    assertEquals(List.of(1, 2, 3, 4), spawnReturned);
                    assertEquals(List.of(1, 2, 3, 4), ranOnWorker);
                });
            } finally {
                gate.countDown();
            }
        }
    }

    // ---- kills and Timeouts in the waits -------------------------------------------------------------

    @Test
    void aKillLandingInTheWaitForAWorkerHandsNothingOverAndLeavesTheLine() {
        CountDownLatch gate = new CountDownLatch(1);
        try (ThreadPool pool = new ThreadPool(1, hub)) {
            try {
                inGreenlet(() -> {
                    AsyncResult<String> busy = pool.spawn(() -> {
                        await(gate);
                        return "a";
                    });
                    AtomicBoolean killedRan = new AtomicBoolean();
                    Greenlet<String> killed = Gevent.spawn(() -> pool.apply(() -> {
                        killedRan.set(true);
                        return "never";
                    }));
                    Greenlet<String> next = Gevent.spawn(() -> pool.apply(() -> "b"));
                    Gevent.sleep(); // both wait in line, killed first
                    killed.kill();
                    assertTrue(killed.isDead());
                    assertTrue(killed.isSuccessful(), "killed with GreenletExit");
                    assertEquals(1, pool.unfinishedTasks(), "the killed spawner handed nothing over");
                    gate.countDown();
                    assertEquals("a", busy.get());
                    assertEquals("b", next.get(), "the next in line got the slot");
                    assertFalse(killedRan.get());
                });
            } finally {
                gate.countDown();
            }
        }
    }

    @Test
    void aKillLandingInApplysResultWaitLeavesTheTaskRunning() {
        CountDownLatch gate = new CountDownLatch(1);
        try (ThreadPool pool = new ThreadPool(2, hub)) {
            try {
                inGreenlet(() -> {
                    AtomicBoolean finished = new AtomicBoolean();
                    Greenlet<Integer> caller = Gevent.spawn(() -> pool.apply(() -> {
                        await(gate);
                        finished.set(true);
                        return 1;
                    }));
                    Gevent.sleep(); // the caller waits for the result
                    assertEquals(1, pool.unfinishedTasks());
                    caller.kill();
                    assertTrue(caller.isDead());
                    assertNull(caller.exception());
                    gate.countDown();
                    pool.join();
                    assertTrue(finished.get(), "the task ran on to its end");
                    assertEquals(0, pool.unfinishedTasks());
                });
            } finally {
                gate.countDown();
            }
        }
    }

    @Test
    void anOuterTimeoutLandsInApplyAndInSpawnsWaitForAWorker() {
        CountDownLatch gate = new CountDownLatch(1);
        try (ThreadPool pool = new ThreadPool(1, hub)) {
            try {
                inGreenlet(() -> {
                    Timeout t1 = Timeout.startNew(Duration.ofMillis(10));
                    Timeout caught = assertThrows(
                            Timeout.class,
                            () -> pool.apply(() -> {
                                await(gate);
                                return 1;
                            }));
                    assertSame(t1, caught, "the outer Timeout itself, in the wait for the result");
                    assertEquals(1, pool.unfinishedTasks());

                    Timeout t2 = Timeout.startNew(Duration.ofMillis(10));
                    assertSame(
                            t2,
                            assertThrows(Timeout.class, () -> pool.spawn(() -> 2)),
                            "the outer Timeout itself, in the wait for a worker");
                    assertEquals(1, pool.unfinishedTasks(), "nothing handed over");
                    gate.countDown();
                    assertEquals(3, pool.apply(() -> 3), "the line is free again");
                });
            } finally {
                gate.countDown();
            }
        }
    }

    // ---- refusing on the hub thread ------------------------------------------------------------------

    @Test
    void theBlockingCallsRefuseOnTheHubThreadNamingTheirTwins() {
        CountDownLatch gate = new CountDownLatch(1);
        try (ThreadPool pool = new ThreadPool(1, hub)) {
            try {
                AsyncResult<List<String>> messages = new AsyncResult<>();
                hub.asExecutor().execute(() -> {
                    List<String> out = new ArrayList<>();
                    out.add(assertThrows(BlockingSwitchOutException.class, () -> pool.apply(() -> 1))
                            .getMessage());
                    out.add(assertThrows(BlockingSwitchOutException.class, () -> pool.map(x -> x, List.of(1)))
                            .getMessage());
                    // a free slot: spawn hands over without waiting, as Pool.spawn does on a Group with room
                    AsyncResult<Integer> r = pool.spawn(() -> {
                        await(gate);
                        return 7;
                    });
                    out.add(assertThrows(BlockingSwitchOutException.class, () -> pool.spawn(() -> 1))
                            .getMessage());
                    out.add(assertThrows(BlockingSwitchOutException.class, pool::join)
                            .getMessage());
                    out.add(String.valueOf(r.isReady()));
                    messages.set(out);
                });
                List<String> m = messages.get(Duration.ofSeconds(10));
                assertTrue(
                        m.get(0).contains("ThreadPool.apply()") && m.get(0).contains("ThreadPool.awaitApply { }"),
                        m.get(0));
                assertTrue(m.get(1).contains("ThreadPool.awaitMap(items) { }"), m.get(1));
                assertTrue(m.get(2).contains("ThreadPool.awaitSpawn { }"), m.get(2));
                assertTrue(m.get(3).contains("ThreadPool.awaitJoin()"), m.get(3));
                assertEquals("false", m.get(4));
                assertEquals(1, pool.unfinishedTasks(), "the refused spawn handed nothing over");
            } finally {
                gate.countDown();
            }
            pool.join();
        }
    }

    // ---- size, join, kill, close ---------------------------------------------------------------------

    @Test
    void joinWaitsForEveryTaskAndTimesOutWithinTolerance() {
        CountDownLatch gate = new CountDownLatch(1);
        try (ThreadPool pool = new ThreadPool(2, hub)) {
            try {
                inGreenlet(() -> {
                    pool.join(); // nothing unfinished: at once
                    AsyncResult<Integer> r = pool.spawn(() -> {
                        await(gate);
                        return 5;
                    });
                    long t0 = System.nanoTime();
                    assertFalse(pool.join(Duration.ofMillis((long) (WAIT_TIMEOUT * 1000))));
                    assertWithin(WAIT_MIN, WAIT_MAX, since(t0));
                    gate.countDown();
                    assertTrue(pool.join(Duration.ofSeconds(10)));
                    assertTrue(r.isReady(), "join returns after the results are set");
                    assertEquals(0, pool.unfinishedTasks());
                });
            } finally {
                gate.countDown();
            }
        }
    }

    @Test
    void setMaxsizeLetsWaitingSpawnersGoOnAndRetiresIdleWorkers() throws InterruptedException {
        CountDownLatch gate = new CountDownLatch(1);
        ThreadPool pool = new ThreadPool(1, hub, "tp-resize");
        try {
            inGreenlet(() -> {
                AsyncResult<Integer> busy = pool.spawn(() -> {
                    await(gate);
                    return 1;
                });
                Greenlet<Integer> waiting = Gevent.spawn(() -> pool.apply(() -> 2));
                Gevent.sleep();
                assertFalse(waiting.isReady());
                pool.setMaxsize(3);
                assertEquals(2, waiting.get(), "a larger bound let the waiting spawner go on");
                assertFalse(busy.isReady());
                gate.countDown();
                busy.get();
                assertEquals(List.of(1, 2, 3), pool.map(x -> x, List.of(1, 2, 3)));
            });
        } finally {
            gate.countDown();
        }
        assertTrue(pool.size() >= 2);
        pool.setMaxsize(1);
        eventually(() -> pool.size() == 1, "the idle workers beyond the new bound exit");
        eventually(() -> threadsNamed("tp-resize-").size() == 1, "their threads end");
        pool.close();
        assertAllExit(threadsNamed("tp-resize-"));
    }

    @Test
    void killLetsRunningTasksFinishRetiresTheWorkersAndTheNextTaskStartsANewOne() throws InterruptedException {
        CountDownLatch gate = new CountDownLatch(1);
        ThreadPool pool = new ThreadPool(2, hub, "tp-kill");
        try {
            AsyncResult<String> a = pool.spawn(() -> {
                await(gate);
                return "a";
            });
            AsyncResult<String> b = pool.spawn(() -> {
                await(gate);
                return "b";
            });
            List<Thread> before = threadsNamed("tp-kill-");
            assertEquals(2, before.size());
            pool.kill();
            assertFalse(pool.isClosed());
            gate.countDown();
            assertEquals("a", a.get(Duration.ofSeconds(10)), "a running task finishes and delivers its result");
            assertEquals("b", b.get(Duration.ofSeconds(10)));
            assertAllExit(before);
            eventually(() -> pool.size() == 0, "every worker counted out");
            String name = pool.apply(() -> Thread.currentThread().getName());
            assertEquals("tp-kill-3", name, "a new worker after kill");
        } finally {
            gate.countDown();
            pool.close();
        }
    }

    @Test
    void closeRefusesLaterTasksAndNoWorkerThreadIsLeft() throws InterruptedException {
        ThreadPool pool = new ThreadPool(3, hub, "tp-close");
        CountDownLatch three = new CountDownLatch(3);
        List<Integer> out = pool.map(
                x -> {
                    three.countDown();
                    await(three); // all three at once: three workers
                    return x;
                },
                List.of(1, 2, 3));
        assertEquals(List.of(1, 2, 3), out);
        List<Thread> workers = threadsNamed("tp-close-");
        assertEquals(3, workers.size());
        pool.close();
        pool.close(); // idempotent
        assertTrue(pool.isClosed());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> pool.spawn(() -> 1));
        assertEquals("ThreadPool \"tp-close\" is closed", e.getMessage());
        assertThrows(IllegalStateException.class, () -> pool.apply(() -> 1));
        assertThrows(IllegalStateException.class, () -> pool.map(x -> x, List.of(1)));
        assertAllExit(workers);
        assertEquals(List.of(), threadsNamed("tp-close-"));
        assertEquals(0, pool.size());
        pool.join(); // nothing unfinished
    }

    @Test
    void closeFailsTheSpawnersWaitingForAWorker() {
        CountDownLatch gate = new CountDownLatch(1);
        ThreadPool pool = new ThreadPool(1, hub, "tp-close-waiting");
        try {
            inGreenlet(() -> {
                AsyncResult<Integer> running = pool.spawn(() -> {
                    await(gate);
                    return 1;
                });
                Greenlet<Object> waiting = Gevent.spawn(() -> {
                    try {
                        return pool.apply(() -> 2);
                    } catch (IllegalStateException e) {
                        return e;
                    }
                });
                Gevent.sleep();
                pool.close();
                Object outcome = waiting.get();
                assertTrue(
                        outcome instanceof IllegalStateException e
                                && e.getMessage().equals("ThreadPool \"tp-close-waiting\" is closed"),
                        String.valueOf(outcome));
                gate.countDown();
                assertEquals(1, running.get(), "a running task still delivers its result after close");
            });
        } finally {
            gate.countDown();
            pool.close();
        }
    }

    // ---- the hub's own pool --------------------------------------------------------------------------

    @Test
    void theHubsPoolIsLazyAndClosedWithTheHubWithTasksPending() throws Exception {
        Hub h = Hub.create("tp-hub");
        CountDownLatch gate = new CountDownLatch(1);
        try {
            ThreadPool pool = h.threadpool();
            assertSame(pool, h.threadpool());
            assertEquals("tp-hub-threadpool", pool.name());
            assertEquals(10, pool.maxsize());
            assertEquals(0, pool.size(), "no thread before the first task");
            List<AsyncResult<Integer>> running = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                int n = i;
                running.add(pool.spawn(() -> {
                    await(gate);
                    return n;
                }));
            }
            List<Thread> workers = threadsNamed("tp-hub-threadpool-");
            assertEquals(10, workers.size());
            // an 11th spawner on a plain thread and a 12th in a greenlet of the hub wait for a worker
            AtomicReference<Throwable> foreignOutcome = new AtomicReference<>();
            Thread foreign = new Thread(
                    () -> {
                        try {
                            pool.spawn(() -> -1);
                        } catch (Throwable t) {
                            foreignOutcome.set(t);
                        }
                    },
                    "tp-foreign-spawner");
            foreign.start();
            eventually(() -> foreign.getState() == Thread.State.WAITING, "the foreign spawner waits");
            Greenlet<Integer> inHub = h.spawn(() -> pool.apply(() -> -2));

            h.close(); // kills the greenlet, stops the loop, then closes the pool; does not wait for running tasks

            assertTrue(inHub.isDead());
            assertTrue(inHub.isSuccessful(), "killed with GreenletExit while waiting for a worker");
            foreign.join(10_000);
            assertTrue(foreignOutcome.get() instanceof IllegalStateException, String.valueOf(foreignOutcome.get()));
            assertTrue(pool.isClosed());
            assertEquals(10, pool.unfinishedTasks(), "only the ten running tasks were handed over");
            IllegalStateException e = assertThrows(IllegalStateException.class, h::threadpool);
            assertTrue(e.getMessage().contains("tp-hub"), e.getMessage());
            gate.countDown();
            for (int i = 0; i < 10; i++) {
                // delivered through the closed hub's fallback thread; a thread of no hub waits for it
                assertEquals(i, running.get(i).get(Duration.ofSeconds(10)));
            }
            pool.join();
            assertAllExit(workers);
        } finally {
            gate.countDown();
            h.close();
        }
    }

    @Test
    void everyHubHasItsOwnPool() {
        Hub other = Hub.create("tp-other");
        try {
            assertNotSame(hub.threadpool(), other.threadpool());
            assertNotNull(inGreenlet(() -> Hub.current().threadpool().apply(() -> "via the current hub")));
            assertEquals(0, other.threadpool().size());
        } finally {
            other.close();
        }
    }
}
