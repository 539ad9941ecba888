package io.gevent4j.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gevent4j.Gevent;
import io.gevent4j.Greenlet;
import io.gevent4j.Hub;
import io.gevent4j.event.Event;
import io.gevent4j.lock.Semaphore;
import io.gevent4j.queue.SimpleQueue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The "hubmonitor" trap of design/jvm-runtime.md, reached through the primitives themselves: one Semaphore,
 * Event and SimpleQueue shared by Java greenlets on two hubs, two platform threads, and death callbacks running on
 * the hub threads. With the primitives' state behind monitors, a greenlet that met contention unmounted as the
 * monitor's next owner while its own hub thread, in a callback, blocked on that monitor: the hub hung in the first
 * of 100 rounds. Every round must finish, with every operation done (counted), in both hub modes.
 */
@Tag("stress")
class HubMonitorStressTest {
    private static final Duration GUARD = Duration.ofSeconds(30);
    private static final int ROUNDS = 40;
    private static final int PER_WORKER = 3000;

    private Hub h1;
    private Hub h2;

    @BeforeEach
    void hubs() {
        h1 = Hub.create("monitor-stress-1");
        h2 = Hub.create("monitor-stress-2");
    }

    /** Closes the hubs only when the test passed: a hung hub would hang its close() too. */
    private void closeHubs() {
        h1.close();
        h2.close();
    }

    @Test
    @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a hang fails the test, not the build
    void primitivesSharedByTwoHubsThreadsAndHubCallbacksNeverHang() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            Semaphore sem = new Semaphore(1);
            Event ev = new Event();
            SimpleQueue<Integer> q = new SimpleQueue<>();
            AtomicInteger ops = new AtomicInteger();
            AtomicInteger callbacks = new AtomicInteger();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Runnable step = () -> {
                if (sem.tryAcquire()) {
                    sem.release();
                }
                ev.set();
                ev.clear();
                q.putNowait(1);
                q.getNowait(); // one put per get on every worker: never empty here
                ops.incrementAndGet();
            };
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                Thread th = new Thread(
                        () -> {
                            try {
                                for (int i = 0; i < PER_WORKER; i++) {
                                    step.run();
                                }
                            } catch (Throwable e) {
                                failure.compareAndSet(null, e);
                            }
                        },
                        "monitor-stress-thread-" + t);
                th.setDaemon(true);
                th.start();
                threads.add(th);
            }
            List<Greenlet<Void>> workers = new ArrayList<>();
            for (int g = 0; g < 4; g++) {
                workers.add((g % 2 == 0 ? h1 : h2).spawn(() -> {
                    for (int i = 0; i < PER_WORKER; i++) {
                        step.run();
                        if (i % 50 == 0) {
                            // a death callback runs on the hub thread and takes the same primitives' locks
                            Greenlet<Integer> child = Gevent.spawn(() -> 1);
                            child.rawlink(w -> {
                                if (sem.tryAcquire()) {
                                    sem.release();
                                }
                                ev.set();
                                callbacks.incrementAndGet();
                            });
                            Gevent.sleep(0);
                        }
                    }
                }));
            }
            for (Thread th : threads) {
                th.join(GUARD.toMillis());
                assertFalse(th.isAlive(), "round " + round + ": " + th.getName() + " hung");
            }
            for (Greenlet<Void> w : workers) {
                assertTrue(w.join(GUARD), "round " + round + ": a greenlet worker hung");
                w.get();
            }
            assertNull(failure.get(), () -> "a thread failed: " + failure.get());
            assertEquals(6 * PER_WORKER, ops.get(), "round " + round);
            int expectedCallbacks = 4 * (PER_WORKER / 50);
            for (int spin = 0; callbacks.get() < expectedCallbacks && spin < 3000; spin++) {
                Thread.sleep(1); // the last callbacks run on the hubs just after the workers ended
            }
            assertEquals(expectedCallbacks, callbacks.get(), "round " + round);
            assertEquals(0, q.qsize());
            assertEquals(1, sem.counter());
        }
        closeHubs();
    }
}
