package io.gevent4j.spec;

/*
 * Spec section 8 (gevent-semantics.md), Semaphore and BoundedSemaphore (SEM-01..SEM-12), and section 1.4's
 * MOD-07 / MOD-12 (Gevent.wait / iwait on Semaphores). RLock (SEM-15..SEM-18) is in RLockSpecTest; the Kotlin
 * twins (awaitAcquire, awaitReady, withPermit) and Kotlin waiters are in LockKotlinSpecTest.
 * The scenario greenlet started by inGreenlet(...) plays gevent's main greenlet; the JUnit thread and threads
 * started here are "foreign threads" (no hub): their blocking calls block the thread.
 *
 * JVM decisions (API.md): Semaphore(-1) -> IllegalArgumentException; a BoundedSemaphore released past its
 * initial value -> IllegalStateException; waitFor returns a boolean (true when a permit is free, false on
 * timeout) instead of the counter; permit() is gevent's `with sem:`; tryAcquire() is acquire(blocking=False).
 *
 * Skipped cases (cannot apply on the JVM):
 *   SEM-13  Semaphore(0).acquire() in main with nobody else -> LoopExit: gevent4j has no LoopExit; another
 *           thread may always release a permit, so the acquire blocks (SCH-19 skipped for the same reason).
 *   SEM-14  DummySemaphore: not in the API (API.md's io.gevent4j.lock has Semaphore, BoundedSemaphore, RLock).
 */

import static io.gevent4j.testing.Recording.recorder;
import static io.gevent4j.testing.Recording.snapshot;
import static io.gevent4j.testing.Waiting.awaitParkedIn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gevent4j.Gevent;
import io.gevent4j.Greenlet;
import io.gevent4j.Hub;
import io.gevent4j.Waitable;
import io.gevent4j.lock.BoundedSemaphore;
import io.gevent4j.lock.Semaphore;
import io.gevent4j.testing.Foreign;
import io.gevent4j.testing.GeventTestBase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SemaphoreSpecTest extends GeventTestBase {

    /** SchedulingSpecTest's warm-up, plus the timed semaphore paths, untimed, on a throw-away hub. */
    @BeforeAll
    static void warmUpOnce() {
        SchedulingSpecTest.warmUp();
        try (Hub h = Hub.create("semaphore-warm-up")) {
            Greenlet<Void> g = h.spawn(() -> {
                Semaphore s = new Semaphore(0);
                s.acquire(Duration.ofMillis(1));
                s.waitFor(Duration.ofMillis(1));
                Gevent.wait(List.of(s), Duration.ofMillis(1), 0);
                s.release();
                var p = s.permit();
                s.tryAcquire();
                p.close();
            });
            g.join(Duration.ofSeconds(10));
        }
        new Semaphore(0).acquire(Duration.ofMillis(1));
    }

    static boolean awaitParkedInAcquire(Thread t) throws Exception {
        return awaitParkedIn(t, Semaphore.class.getName(), "acquire");
    }

    // ---- SEM-01 ------------------------------------------------------------------------------------------

    @Test
    @DisplayName(
            "SEM-01: Semaphore() has counter 1, is not locked and is ready; Semaphore(-1) -> IllegalArgumentException")
    void sem01_defaultSemaphoreHasOnePermitAndNegativeValueIsRefused() {
        Semaphore onForeignThread = new Semaphore();
        assertEquals(1, onForeignThread.counter());
        assertFalse(onForeignThread.isLocked());
        assertTrue(onForeignThread.isReady());
        inGreenlet(() -> {
            Semaphore s = new Semaphore();
            assertEquals(1, s.counter());
            assertFalse(s.isLocked());
            assertTrue(s.isReady());
            Semaphore zero = new Semaphore(0);
            assertEquals(0, zero.counter());
            assertTrue(zero.isLocked());
            assertFalse(zero.isReady());
        });
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Semaphore(-1));
        assertTrue(
                e.getMessage().contains("value") && e.getMessage().contains("-1"),
                "names the parameter and its value: " + e.getMessage());
        IllegalArgumentException b = assertThrows(IllegalArgumentException.class, () -> new BoundedSemaphore(-1));
        assertTrue(b.getMessage().contains("-1"), b.getMessage());
        assertEquals(1, new BoundedSemaphore().counter());
    }

    // ---- SEM-02 ------------------------------------------------------------------------------------------

    @Test
    @DisplayName(
            "SEM-02: acquire() takes the permit; then tryAcquire() -> false, acquire(timeout) -> false after the timeout, acquire(0) -> false at once")
    void sem02_acquireOnALockedSemaphoreFailsWithoutBlockingOrAfterTheTimeout() throws Exception {
        inGreenlet(() -> {
            Semaphore s = new Semaphore();
            s.acquire();
            assertEquals(0, s.counter());
            assertTrue(s.isLocked());
            long t0 = System.nanoTime();
            assertFalse(s.tryAcquire());
            assertFalse(s.acquire(Duration.ZERO), "a zero timeout does not wait");
            assertTrue(since(t0) < AT_ONCE_MAX, "tryAcquire()/acquire(0) return at once");
            long t1 = System.nanoTime();
            assertFalse(s.acquire(Duration.ofMillis((long) (WAIT_TIMEOUT * 1000))));
            assertWithin(WAIT_MIN, WAIT_MAX, since(t1));
            assertEquals(0, s.counter(), "a failed acquire takes nothing");
        });
        // a thread of no hub blocks itself for the timeout
        Semaphore held = new Semaphore(0);
        long t2 = System.nanoTime();
        assertFalse(held.acquire(Duration.ofMillis((long) (WAIT_TIMEOUT * 1000))));
        assertWithin(WAIT_MIN, WAIT_MAX, since(t2));
        assertFalse(held.tryAcquire());
        assertEquals(0, held.counter());
    }

    // ---- SEM-03 ------------------------------------------------------------------------------------------

    @Test
    @DisplayName("SEM-03: release() returns the new counter; a plain Semaphore may be released past its initial value")
    void sem03_releaseReturnsTheNewCounterAndOverReleaseIsAllowed() {
        inGreenlet(() -> {
            Semaphore s = new Semaphore();
            s.acquire();
            assertEquals(1, s.release());
            assertEquals(2, s.release());
            assertEquals(2, s.counter());
        });
        Semaphore onForeignThread = new Semaphore(0);
        assertEquals(1, onForeignThread.release());
        assertEquals(2, onForeignThread.release());
        assertEquals(2, onForeignThread.counter());
    }

    // ---- SEM-04 ------------------------------------------------------------------------------------------

    @Test
    @DisplayName("SEM-04: a BoundedSemaphore released past its initial value -> IllegalStateException, nothing changed")
    void sem04_boundedSemaphoreRefusesAReleasePastItsInitialValue() {
        inGreenlet(() -> {
            BoundedSemaphore two = new BoundedSemaphore(2);
            IllegalStateException e = assertThrows(IllegalStateException.class, two::release);
            assertTrue(e.getMessage().contains("released too many times"), e.getMessage());
            assertEquals(2, two.counter(), "thrown before any side effect");
            two.acquire();
            assertEquals(2, two.release());

            BoundedSemaphore one = new BoundedSemaphore();
            assertThrows(IllegalStateException.class, one::release);
            one.acquire();
            assertEquals(1, one.release());
            assertThrows(IllegalStateException.class, one::release);
            assertEquals(1, one.counter());
        });
        BoundedSemaphore onForeignThread = new BoundedSemaphore(1);
        assertThrows(IllegalStateException.class, onForeignThread::release);
        assertTrue(onForeignThread.tryAcquire());
        assertEquals(1, onForeignThread.release());
        assertThrows(IllegalStateException.class, onForeignThread::release);
        assertEquals(1, onForeignThread.counter());
    }

    // ---- SEM-05 ------------------------------------------------------------------------------------------

    @Test
    @DisplayName(
            "SEM-05: waitFor() with a free permit -> true at once, taking none; waitFor(timeout) on Semaphore(0) -> false after the timeout")
    void sem05_waitForReportsAFreePermitWithoutTakingIt() throws Exception {
        inGreenlet(() -> {
            Semaphore s = new Semaphore(2);
            assertTrue(s.waitFor());
            assertTrue(s.waitFor(Duration.ofSeconds(1)));
            assertEquals(2, s.counter(), "waitFor takes no permit");

            Semaphore zero = new Semaphore(0);
            long t0 = System.nanoTime();
            assertFalse(zero.waitFor(Duration.ofMillis((long) (WAIT_TIMEOUT * 1000))));
            assertWithin(WAIT_MIN, WAIT_MAX, since(t0));
            assertEquals(0, zero.counter());

            // a waiting greenlet wakes on a release and still takes nothing
            Greenlet<Boolean> w = Gevent.spawn(() -> zero.waitFor());
            Gevent.sleep();
            assertFalse(w.isReady(), "waits while no permit is free");
            assertEquals(1, zero.release());
            assertTrue(w.get(Duration.ofSeconds(10)));
            assertEquals(1, zero.counter(), "the woken waitFor took nothing");
        });

        // a greenlet's waitFor woken by a release on a foreign thread
        Semaphore zero = new Semaphore(0);
        Greenlet<Boolean> w = hub.spawn(() -> zero.waitFor(Duration.ofSeconds(10)));
        assertEquals(1, zero.release());
        assertTrue(w.get(Duration.ofSeconds(10)));
        assertEquals(1, zero.counter());

        // a foreign thread's waitFor woken by a greenlet's release
        Semaphore other = new Semaphore(0);
        AtomicBoolean result = new AtomicBoolean();
        Foreign<Void> f = Foreign.run("sem05-waiter", () -> result.set(other.waitFor(Duration.ofSeconds(10))));
        inGreenlet(() -> {
            assertTrue(awaitParkedIn(f.thread, Semaphore.class.getName(), "waitFor"), "the foreign thread waits");
            other.release();
        });
        f.finish();
        assertTrue(result.get());
        assertEquals(1, other.counter());
    }

    // ---- SEM-06 ------------------------------------------------------------------------------------------

    @Test
    @DisplayName("SEM-06: Semaphore(2): tryAcquire() -> true, true, false; after release(), true")
    void sem06_tryAcquireTakesFreePermitsOnly() {
        inGreenlet(() -> {
            Semaphore s = new Semaphore(2);
            assertEquals(List.of(true, true, false), List.of(s.tryAcquire(), s.tryAcquire(), s.tryAcquire()));
            s.release();
            assertTrue(s.tryAcquire());
            assertEquals(0, s.counter());
        });
        Semaphore onForeignThread = new Semaphore(2);
        assertEquals(
                List.of(true, true, false),
                List.of(onForeignThread.tryAcquire(), onForeignThread.tryAcquire(), onForeignThread.tryAcquire()));
        onForeignThread.release();
        assertTrue(onForeignThread.tryAcquire());
    }

    // ---- SEM-07 ------------------------------------------------------------------------------------------

    @Test
    @DisplayName(
            "SEM-07: Semaphore(4) with 1 taken; 4 greenlets and a foreign thread each tryAcquire() twice -> 3 true, 7 false")
    void sem07_contendedTryAcquireHandsOutExactlyTheFreePermits() throws Exception {
        Semaphore s = new Semaphore(4);
        List<Boolean> results = Collections.synchronizedList(new ArrayList<>());
        AtomicReference<Foreign<Void>> foreign = new AtomicReference<>();
        inGreenlet(() -> {
            s.acquire();
            List<Greenlet<?>> gs = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                gs.add(Gevent.spawn(() -> {
                    results.add(s.tryAcquire());
                    results.add(s.tryAcquire());
                }));
            }
            foreign.set(Foreign.run("sem07-contender", () -> {
                results.add(s.tryAcquire());
                results.add(s.tryAcquire());
            }));
            Gevent.joinAll(gs);
        });
        foreign.get().finish();
        List<Boolean> sorted;
        synchronized (results) {
            sorted = new ArrayList<>(results);
        }
        Collections.sort(sorted);
        List<Boolean> expected = new ArrayList<>(Collections.nCopies(7, false));
        expected.addAll(Collections.nCopies(3, true));
        assertEquals(expected, sorted);
        assertEquals(0, s.counter());
    }

    // ---- SEM-08 ------------------------------------------------------------------------------------------

    private static Greenlet<Void> spawnFifoWaiter(Semaphore s, String name, List<String> order) {
        return Gevent.spawn(() -> {
            s.acquire();
            order.add(name);
            Gevent.sleep(0.001);
            s.release();
        });
    }

    @Test
    @DisplayName(
            "SEM-08: waiters (greenlets and a foreign thread) acquire in the order they started waiting; a foreign release wakes the first")
    void sem08_waitersAcquireInFifoOrder() throws Exception {
        List<String> order = recorder();
        AtomicReference<Foreign<Void>> foreign = new AtomicReference<>();
        inGreenlet(() -> {
            Semaphore s = new Semaphore(1);
            s.acquire();
            List<Greenlet<?>> gs = new ArrayList<>();
            gs.add(spawnFifoWaiter(s, "0", order));
            gs.add(spawnFifoWaiter(s, "1", order));
            Gevent.sleep();
            foreign.set(Foreign.run("sem08-waiter-2", () -> {
                s.acquire();
                order.add("2");
                s.release();
            }));
            assertTrue(awaitParkedInAcquire(foreign.get().thread), "the foreign waiter is queued");
            gs.add(spawnFifoWaiter(s, "3", order));
            gs.add(spawnFifoWaiter(s, "4", order));
            Gevent.sleep();
            assertEquals(List.of(), snapshot(order));
            s.release();
            Gevent.joinAll(gs);
        });
        foreign.get().finish();
        assertEquals(List.of("0", "1", "2", "3", "4"), snapshot(order));

        // the JUnit thread (no hub) releases the permit that queued greenlets wait for
        Semaphore s2 = new Semaphore(0);
        List<String> order2 = recorder();
        CompletableFuture<Void> queued = new CompletableFuture<>();
        Greenlet<Void> scenario = hub.spawn(() -> {
            List<Greenlet<?>> gs = new ArrayList<>();
            for (String n : List.of("a", "b", "c")) {
                gs.add(spawnFifoWaiter(s2, n, order2));
            }
            Gevent.sleep();
            queued.complete(null);
            Gevent.joinAll(gs);
        });
        queued.get(10, TimeUnit.SECONDS);
        assertEquals(List.of(), snapshot(order2));
        assertEquals(1, s2.release());
        assertTrue(scenario.join(Duration.ofSeconds(10)));
        scenario.get();
        assertEquals(List.of("a", "b", "c"), snapshot(order2));
        assertEquals(1, s2.counter());
    }

    // ---- SEM-09 ------------------------------------------------------------------------------------------

    @Test
    @DisplayName("SEM-09: release() does not switch: 'after release' comes before the waiter's 'acq'")
    void sem09_releaseDoesNotSwitchToTheWaiter() {
        List<String> out = recorder();
        inGreenlet(() -> {
            Semaphore s = new Semaphore(0);
            steps.expect(1);
            Greenlet<Void> w = Gevent.spawn(() -> {
                steps.expect(2);
                s.acquire();
                steps.expect(5);
                out.add("acq");
            });
            Gevent.sleep();
            steps.expect(3);
            s.release();
            out.add("after release");
            steps.expect(4);
            assertFalse(w.isDead());
            Gevent.sleep();
            steps.finish(6);
            assertTrue(w.isDead());
        });
        steps.assertFinished();
        assertEquals(List.of("after release", "acq"), snapshot(out));
    }

    // ---- SEM-10 ------------------------------------------------------------------------------------------

    @Test
    @DisplayName(
            "SEM-10: a caller that is not waiting keeps the permit it released; the waiter waits for a later release and keeps its place")
    void sem10_aCallerThatIsNotWaitingKeepsTheReleasedPermit() {
        List<String> out = recorder();
        inGreenlet(() -> {
            Semaphore s = new Semaphore(0);
            Greenlet<Void> first = Gevent.spawn(() -> {
                s.acquire();
                out.add("first");
            });
            Greenlet<Void> second = Gevent.spawn(() -> {
                s.acquire();
                out.add("second");
            });
            Gevent.sleep();
            assertEquals(1, s.release());
            assertTrue(s.tryAcquire(), "barging: the releasing greenlet takes the permit back");
            assertEquals(0, s.counter());
            Gevent.sleep();
            Gevent.sleep(0.01);
            assertEquals(List.of(), snapshot(out), "no waiter got a permit");
            assertFalse(first.isDead());
            assertEquals(1, s.release());
            Gevent.sleep();
            Gevent.sleep(0.01);
            assertEquals(List.of("first"), snapshot(out), "the barged waiter kept its place at the front");
            assertFalse(second.isDead());
            s.release();
            assertTrue(second.join(Duration.ofSeconds(10)));
            assertEquals(List.of("first", "second"), snapshot(out));
            assertEquals(0, s.counter());
        });
    }

    // ---- SEM-11 ------------------------------------------------------------------------------------------

    /** lock_tests' test_with: two nested permits of a Semaphore(2), optionally throwing inside. */
    private static void withNestedPermits(Semaphore sem, RuntimeException err) {
        try (var outer = sem.permit()) {
            assertNotNull(outer);
            assertEquals(1, sem.counter());
            assertTrue(sem.tryAcquire());
            sem.release();
            try (var inner = sem.permit()) {
                assertNotNull(inner);
                assertEquals(0, sem.counter());
                assertFalse(sem.tryAcquire());
                if (err != null) {
                    throw err;
                }
            }
        }
    }

    @Test
    @DisplayName(
            "SEM-11: permit() in try-with-resources is `with sem:`: nested, released on an exception, which propagates")
    void sem11_permitIsTheContextManager() {
        inGreenlet(() -> {
            Semaphore s = new Semaphore(2);
            withNestedPermits(s, null);
            assertEquals(2, s.counter());
            assertTrue(s.tryAcquire());
            s.release();
            IllegalArgumentException boom = new IllegalArgumentException("boom");
            assertSame(boom, assertThrows(IllegalArgumentException.class, () -> withNestedPermits(s, boom)));
            assertEquals(2, s.counter(), "fully released after the exception");
            assertTrue(s.tryAcquire());
            s.release();

            // close() a second time gives nothing back
            var p = s.permit();
            assertEquals(1, s.counter());
            p.close();
            p.close();
            assertEquals(2, s.counter());

            // permit() waits while no permit is free, and the waiter gets it when a permit closes
            List<String> out = recorder();
            try (var a = s.permit();
                    var b = s.permit()) {
                assertNotNull(a);
                assertNotNull(b);
                Gevent.spawn(() -> {
                    try (var c = s.permit()) {
                        out.add("in " + s.counter());
                        assertNotNull(c);
                    }
                });
                Gevent.sleep();
                assertEquals(List.of(), snapshot(out));
            }
            Gevent.sleep();
            assertEquals(List.of("in 1"), snapshot(out));
            assertEquals(2, s.counter());
        });
        Semaphore onForeignThread = new Semaphore(2);
        withNestedPermits(onForeignThread, null);
        RuntimeException boom = new RuntimeException("boom");
        assertSame(boom, assertThrows(RuntimeException.class, () -> withNestedPermits(onForeignThread, boom)));
        assertEquals(2, onForeignThread.counter());
    }

    // ---- SEM-12 ------------------------------------------------------------------------------------------

    @Test
    @DisplayName(
            "SEM-12: rawlink(cb) then release() -> cb(s) runs on the next loop iteration with counter 1; two links both run")
    void sem12_rawlinkCallbackRunsOnTheNextIterationAfterARelease() throws Exception {
        List<String> out = recorder();
        inGreenlet(() -> {
            Semaphore s = new Semaphore(0);
            AtomicReference<Waitable> arg = new AtomicReference<>();
            AtomicInteger counterSeen = new AtomicInteger(-1);
            Consumer<Waitable> cb = w -> {
                arg.set(w);
                counterSeen.set(s.counter());
                out.add("cb");
            };
            s.rawlink(cb);
            Gevent.sleep();
            assertEquals(List.of(), snapshot(out), "not called while no permit is free");
            assertEquals(1, s.release());
            assertEquals(List.of(), snapshot(out), "not called by release() itself");
            Gevent.sleep();
            assertEquals(List.of("cb"), snapshot(out));
            assertSame(s, arg.get());
            assertEquals(1, counterSeen.get());

            List<String> result = recorder();
            Semaphore t = new Semaphore();
            t.rawlink(w -> result.add("a"));
            t.release();
            t.rawlink(w -> result.add("b"));
            t.release();
            Gevent.sleep(0.001);
            List<String> sorted = snapshot(result);
            Collections.sort(sorted);
            assertEquals(List.of("a", "b"), sorted);
        });

        // linked in a greenlet, released by a foreign thread: the callback runs on the greenlet's hub
        Semaphore f = new Semaphore(0);
        CompletableFuture<String> called = new CompletableFuture<>();
        inGreenlet(
                () -> f.rawlink(w -> called.complete("hub thread " + hub.isHubThread() + ", counter " + f.counter())));
        assertFalse(called.isDone());
        assertEquals(1, f.release());
        assertEquals("hub thread true, counter 1", called.get(10, TimeUnit.SECONDS));
    }

    // ---- MOD-07 / MOD-12 -----------------------------------------------------------------------------------

    @Test
    @DisplayName("MOD-07: iwait over Semaphores yields the released one first; an already ready Semaphore counts")
    void mod07_iwaitOnSemaphoresYieldsTheReadyOne() throws Exception {
        inGreenlet(() -> {
            Semaphore sem1 = new Semaphore();
            Semaphore sem2 = new Semaphore();
            Gevent.spawn(() -> {
                sem1.release();
            });
            assertSame(sem1, Gevent.iwait(List.of(sem1, sem2)).iterator().next());

            Semaphore a = new Semaphore(0);
            Semaphore b = new Semaphore(0);
            Gevent.spawn(() -> {
                b.release();
            });
            Iterator<Semaphore> it = Gevent.iwait(List.of(a, b)).iterator();
            assertSame(b, it.next());
            assertEquals(0, a.counter());
            assertEquals(1, b.counter(), "iwait takes no permit");
        });
        // a foreign thread's release ends a greenlet's iwait
        Semaphore c = new Semaphore(0);
        Semaphore d = new Semaphore(0);
        Greenlet<Semaphore> g = hub.spawn(() -> Gevent.iwait(List.of(c, d), Duration.ofSeconds(10), 0)
                .iterator()
                .next());
        d.release();
        assertSame(d, g.get(Duration.ofSeconds(10)));
    }

    @Test
    @DisplayName(
            "MOD-12: wait([Semaphore(1)]) returns [s] at once, taking nothing; wait([Semaphore(0)], 0.2 s) -> [] after the timeout")
    void mod12_waitOnAnUnacquiredSemaphoreReturnsAtOnce() {
        inGreenlet(() -> {
            Semaphore s = new Semaphore(1);
            long t0 = System.nanoTime();
            assertEquals(List.of(s), Gevent.wait(List.of(s)));
            assertTrue(since(t0) < AT_ONCE_MAX, "at once");
            assertEquals(1, s.counter());
            Semaphore zero = new Semaphore(0);
            long t1 = System.nanoTime();
            assertEquals(List.of(), Gevent.wait(List.of(zero), Duration.ofMillis((long) (WAIT_TIMEOUT * 1000)), 0));
            assertWithin(WAIT_MIN, WAIT_MAX, since(t1));
        });
        Semaphore onForeignThread = new Semaphore(1);
        assertEquals(List.of(onForeignThread), Gevent.wait(List.of(onForeignThread)));
        assertEquals(1, onForeignThread.counter());
    }
}
