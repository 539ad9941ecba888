package io.gevent4j.test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gevent4j.Gevent;
import io.gevent4j.Greenlet;
import io.gevent4j.JavaGreenletMode;
import io.gevent4j.Timeout;
import io.gevent4j.event.AsyncResult;
import io.gevent4j.event.Event;
import io.gevent4j.threadpool.ThreadPool;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** What the virtual-time hub promises (docs/testing.md): jumps when idle, real time while an outside wake-up can come. */
class VirtualTimeHubTest {
    private static final long MS = 1_000_000L;

    @Test
    void aLongSleepTakesNoRealTimeAndEndsAtItsExactVirtualTime() throws Exception {
        try (VirtualTimeHub h = VirtualTimeHub.open()) {
            // a 30 s real limit for an hour of virtual time: fails unless the clock jumps
            long at = h.run(Duration.ofSeconds(30), () -> {
                Gevent.sleep(Duration.ofHours(1));
                return h.elapsedNanos();
            });
            assertEquals(Duration.ofHours(1).toNanos(), at);
            assertEquals(Duration.ofHours(1), h.elapsed());
        }
    }

    @Test
    void runReturnsTheValueAndWaitsForTheGreenletsTheBodySpawned() throws Exception {
        try (VirtualTimeHub h = VirtualTimeHub.open()) {
            AtomicLong childEnded = new AtomicLong(-1);
            String v = h.run(() -> {
                Gevent.spawn(() -> {
                    Gevent.sleep(30);
                    childEnded.set(h.elapsedNanos());
                });
                return "body";
            });
            assertEquals("body", v);
            assertEquals(30_000 * MS, childEnded.get(), "run returned only after the child's 30 virtual seconds");
        }
    }

    @Test
    void theBodysFailureIsThrownUnwrapped() {
        IllegalStateException e = assertThrows(
                IllegalStateException.class,
                () -> VirtualTimeHub.runTest(h -> {
                    Gevent.sleep(5);
                    throw new IllegalStateException("boom at " + h.elapsed().toSeconds());
                }));
        assertEquals("boom at 5", e.getMessage());
    }

    @Test
    void aDeadlockIsReportedAtOnceNamingTheBlockedGreenlets() {
        AssertionError e = assertThrows(
                AssertionError.class,
                () -> VirtualTimeHub.runTest(Duration.ofSeconds(30), h -> {
                    Greenlet<Void> waiter = Gevent.spawn(() -> {
                        new Event().waitFor();
                    });
                    waiter.name("forever-waiter");
                    Gevent.sleep(2);
                }));
        assertTrue(e.getMessage().contains("deadlock"), e.getMessage());
        assertTrue(e.getMessage().contains("forever-waiter"), e.getMessage());
        assertTrue(e.getMessage().contains("+2000 ms"), e.getMessage());
    }

    @Test
    void aBodyStuckInRealTimeEndsWithTheRealTimeout() {
        AssertionError e = assertThrows(AssertionError.class, () -> {
            try (VirtualTimeHub h = VirtualTimeHub.open()) {
                RealTimeHold hold = h.holdRealTime(); // never released: the hub may always be woken from outside
                try {
                    h.run(Duration.ofMillis(200), () -> {
                        new Event().waitFor();
                        return null;
                    });
                } finally {
                    hold.close();
                }
            }
        });
        assertTrue(e.getMessage().contains("did not end within 200 ms of real time"), e.getMessage());
        assertTrue(e.getMessage().contains("running in real time"), e.getMessage());
    }

    @Test
    void aThreadPoolTaskKeepsTheClockInRealTime() throws Exception {
        // without the count, the idle hub would jump to the 10 s timeout before the task's result could arrive
        VirtualTimeHub.runTest(h -> {
            CountDownLatch release = new CountDownLatch(1);
            AsyncResult<String> r = h.hub().threadpool().spawn(() -> {
                release.await();
                return "from the pool";
            });
            Gevent.spawnLater(0.05, release::countDown); // a timer of the hub lets the worker go
            long realStart = System.nanoTime();
            assertEquals("from the pool", r.get(Duration.ofSeconds(10)));
            long virtual = h.elapsedNanos();
            assertTrue(virtual >= 50 * MS && virtual < 10_000 * MS, "real time ran: " + virtual);
            assertTrue(System.nanoTime() - realStart >= 50 * MS, "the 50 ms timer took real time");
        });
    }

    @Test
    void aRunEndsWhenNoGreenletIsAliveEvenWithAnOutsideSourceOpen() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (VirtualTimeHub h = VirtualTimeHub.open()) {
            // the body leaves a pool task running that nobody waits for: the run is over when the body ends
            String v = h.run(Duration.ofSeconds(20), () -> {
                h.hub().threadpool().spawn(() -> {
                    release.await();
                    return null;
                });
                return "done";
            });
            assertEquals("done", v);
            assertTrue(release.getCount() == 1, "returned while the task still ran");
        } finally {
            release.countDown();
        }
    }

    @Test
    void aUserThreadPoolOfTheHubCountsToo() throws Exception {
        VirtualTimeHub.runTest(h -> {
            try (ThreadPool pool = new ThreadPool(1, h.hub())) {
                AsyncResult<Integer> r = pool.spawn(() -> {
                    Thread.sleep(30);
                    return 7;
                });
                assertEquals(7, r.get(Duration.ofSeconds(5)));
                assertTrue(h.elapsedNanos() < 5_000 * MS);
            }
            // the pool is done: back to virtual time
            Gevent.sleep(100);
            assertFalse(h.isRunningInRealTime());
        });
    }

    @Test
    void aForeignThreadInAGeventWaitKeepsTheClockInRealTime() throws Exception {
        VirtualTimeHub.runTest(h -> {
            Event go = new Event();
            Thread t = new Thread(go::waitFor); // a gevent4j wait of a thread of no hub
            t.start();
            while (t.getState() != Thread.State.WAITING) Gevent.sleep(0.001); // parked in its wait
            long realStart = System.nanoTime();
            Gevent.sleep(0.02); // the hub goes idle while the thread waits: it sleeps for real
            assertTrue(h.isRunningInRealTime());
            assertTrue(System.nanoTime() - realStart >= 20 * MS, "the 20 ms took real time");
            go.set();
            t.join();
            Gevent.sleep(5);
            assertFalse(h.isRunningInRealTime(), "virtual again once the thread left its wait");
        });
    }

    @Test
    void aJdkSleepOfAJavaGreenletKeepsTheClockInRealTimeWhenScheduledOnTheHub() throws Exception {
        VirtualTimeHub.runTest(h -> {
            Assumptions.assumeTrue(
                    h.hub().javaGreenletMode() == JavaGreenletMode.SCHEDULED_ON_HUB,
                    "in HANDOFF a JDK sleep holds the hub: no idle moment to jump at");
            Greenlet<String> sleeper = Gevent.spawn(() -> {
                Thread.sleep(50); // parked by the JDK, not in a gevent4j wait
                return "woke";
            });
            // without the scan, the idle hub would jump to the 10 s timeout at once
            assertTrue(sleeper.join(Duration.ofSeconds(10)));
            assertEquals("woke", sleeper.get());
            assertTrue(h.elapsedNanos() < 10_000 * MS);
        });
    }

    @Test
    void aHoldKeepsRealTimeForAWakeUpTheHubCannotSee() throws Exception {
        VirtualTimeHub.runTest(h -> {
            AsyncResult<String> r = new AsyncResult<>();
            RealTimeHold hold = h.holdRealTime();
            Thread t = new Thread(() -> {
                try {
                    Thread.sleep(30);
                } catch (InterruptedException e) {
                    return;
                }
                r.set("plain thread"); // never waited in gevent4j: invisible to the hub
            });
            t.start();
            try {
                assertEquals("plain thread", r.get(Duration.ofSeconds(10)));
            } finally {
                hold.close();
                hold.close(); // idempotent
            }
            t.join();
            Gevent.sleep(1); // the hub's next idle moment finds no source: the clock stops
            assertFalse(h.isRunningInRealTime());
            long before = h.elapsedNanos();
            Gevent.sleep(60);
            assertEquals(before + 60_000 * MS, h.elapsedNanos(), "virtual again once released");
        });
    }

    @Test
    void advanceMovesTheClockAndDueTimersRunInDeadlineOrderAtTheNextStep() throws Exception {
        try (VirtualTimeHub h = VirtualTimeHub.open()) {
            StringBuilder out = new StringBuilder();
            h.run(() -> {
                Gevent.spawnLater(
                        0.2,
                        () -> out.append("b@").append(h.elapsedNanos() / MS).append(' '));
                Gevent.spawnLater(
                        0.1,
                        () -> out.append("a@").append(h.elapsedNanos() / MS).append(' '));
                h.advance(Duration.ofMillis(500));
                out.append("advanced@").append(h.elapsedNanos() / MS).append(' ');
                Gevent.idle(); // after the hub's next pass over its timers and what they started
                out.append("end@").append(h.elapsedNanos() / MS);
                return null;
            });
            assertEquals("advanced@500 a@500 b@500 end@500", out.toString());
            h.advance(Duration.ofSeconds(1)); // from the test thread: waits for the hub
            assertEquals(Duration.ofMillis(1500), h.elapsed());
            assertThrows(IllegalArgumentException.class, () -> h.advance(Duration.ofMillis(-1)));
        }
    }

    @Test
    void aTimeoutOfThirtySecondsEndsAtExactlyThirtySeconds() throws Exception {
        VirtualTimeHub.runTest(h -> {
            Timeout t = Timeout.startNew(Duration.ofSeconds(30));
            Timeout caught = null;
            try {
                new Event().waitFor();
            } catch (Timeout e) {
                caught = e;
            }
            assertSame(t, caught);
            assertEquals(Duration.ofSeconds(30), h.elapsed());
        });
    }

    @Test
    void badArgumentsAreRefusedNamingThem() {
        try (VirtualTimeHub h = VirtualTimeHub.open("named-virtual-hub")) {
            assertEquals("named-virtual-hub", h.hub().name());
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> h.run(Duration.ZERO, () -> null));
            assertTrue(e.getMessage().contains("realTimeout"), e.getMessage());
            assertNotNull(h.toString());
        }
    }
}
