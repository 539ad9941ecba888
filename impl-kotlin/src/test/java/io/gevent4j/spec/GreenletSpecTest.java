package io.gevent4j.spec;

import static io.gevent4j.testing.Recording.recorder;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gevent4j.Gevent;
import io.gevent4j.GreenCallable;
import io.gevent4j.GreenRunnable;
import io.gevent4j.Greenlet;
import io.gevent4j.GreenletExit;
import io.gevent4j.GreenletFailedException;
import io.gevent4j.testing.ExpectedError;
import io.gevent4j.testing.GeventTestBase;
import io.gevent4j.testing.LogCapture;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * gevent-semantics.md section 2 (Greenlet), one test per applicable case, for Java greenlets. The scenario
 * greenlet ({@link #inGreenlet}) plays gevent's main greenlet. This file: 2.1, 2.7 and the helpers; 2.2 is in
 * GreenletJoinGetSpecTest, 2.3-2.4 in GreenletKillSpecTest, 2.5 in GreenletLinkSpecTest; the wait contract
 * (io.gevent4j.contract.GreenletContractTest) covers what every waitable shares.
 *
 * <p>Cases with no test, and why:
 * <ul>
 * <li>GL-06 exc_info: Python's {@code exc_info} tuple has no JVM counterpart ({@code exception()} is tested in GL-05/GL-29).</li>
 * <li>GL-11 (Python str/args of a subclass) and GL-12 ({@code str(g)} text): Python formatting; the subclass
 *     {@code run()} and {@code name()} / {@code name(String)} parts are tested in gl11 and gl12.</li>
 * <li>GL-13 spawn callbacks: {@code add_spawn_callback} is not in the Java API.</li>
 * <li>GL-20 a Timeout instance as {@code timeout=}: not in the Java API (timeouts are Durations or seconds).</li>
 * <li>GL-31 kill with an exc_info tuple: Python only.</li>
 * <li>GL-36 kill(42): Java's typing only accepts a Throwable ({@code kill(null)} is tested in gl50).</li>
 * <li>GL-50 link(5) TypeError: Java's typing; null callbacks -> NullPointerException naming the parameter instead.</li>
 * <li>GL-51..GL-54 context manager: Greenlet is not AutoCloseable in the Java API.</li>
 * <li>GL-56 spawn tree locals: optional gevent feature, not in the Java API.</li>
 * </ul>
 * GL-10 maps to: a null body is a NullPointerException naming "run"; a subclass that uses the protected
 * constructor without overriding run() is an IllegalStateException.
 * API deviation (API.md): a greenlet killed with GreenletExit is successful but get()/value() return null.
 */
class GreenletSpecTest extends GeventTestBase {
    static final String GREENLET_LOGGER = "io.gevent4j.Greenlet";
    static final String HUB_LOGGER = "io.gevent4j.Hub";

    // ---- helpers -------------------------------------------------------------------------------------

    /** A GreenletExit subclass (GL-38). */
    static final class MyExit extends GreenletExit {
        private static final long serialVersionUID = 1L;

        MyExit(String message) {
            super(message);
        }
    }

    /** Uses the protected constructor without overriding run() (GL-10). */
    static final class NoRun extends Greenlet<Object> {
        NoRun() {
            super();
        }
    }

    /** gevent's subclass overriding {@code _run} (GL-11). */
    static final class Doubler extends Greenlet<Integer> {
        private final int x;

        Doubler(int x) {
            super();
            this.x = x;
        }

        @Override
        protected Integer run() {
            return x * 2;
        }
    }

    /** Asserts gevent's flags: bool(g), started, dead, ready(), successful(). */
    static void assertFlags(
            Greenlet<?> g, boolean alive, boolean started, boolean dead, boolean ready, boolean successful) {
        assertEquals(
                Arrays.asList(alive, started, dead, ready, successful),
                Arrays.asList(g.isAlive(), g.isStarted(), g.isDead(), g.isReady(), g.isSuccessful()),
                "[alive, started, dead, ready, successful] of " + g);
    }

    /** Starts a marker greenlet and joins it: FIFO, so every greenlet scheduled before it has had its turn. */
    static void runQueuedGreenlets() {
        Gevent.spawn(() -> {}).join();
    }

    static int recurse(int n) {
        return recurse(n + 1) + 1;
    }

    // ---- 2.1 Construction and state flags -----------------------------------------------------------

    @Test
    @DisplayName(
            "GL-01: a new greenlet is not alive, started, dead, ready or successful, has no value or exception, and never runs")
    void gl01_newGreenletHasNoFlagsAndNoOutcome() {
        inGreenlet(() -> {
            AtomicInteger runs = new AtomicInteger();
            Greenlet<Integer> g = new Greenlet<>(() -> {
                runs.incrementAndGet();
                Gevent.sleep(0.01);
                return 5;
            });
            assertFlags(g, false, false, false, false, false);
            assertNull(g.value());
            assertNull(g.exception());
            runQueuedGreenlets();
            assertEquals(0, runs.get(), "a greenlet that is not started never runs");
            assertFlags(g, false, false, false, false, false);
        });
    }

    @Test
    @DisplayName("GL-02: start() makes it alive and started, not dead/ready/successful, and it has not run yet")
    void gl02_startMakesItStartedButNotRunYet() {
        inGreenlet(() -> {
            AtomicInteger runs = new AtomicInteger();
            Greenlet<Integer> g = new Greenlet<>(() -> {
                runs.incrementAndGet();
                Gevent.sleep(0.01);
                return 5;
            });
            assertSame(g, g.start());
            assertFlags(g, true, true, false, false, false);
            assertNull(g.value());
            assertNull(g.exception());
            assertEquals(0, runs.get(), "nothing runs until the caller yields");
        });
    }

    @Test
    @DisplayName("GL-03: while it sleeps the flags stay as after start() and no link has run")
    void gl03_whileRunningFlagsUnchangedAndNoLinksYet() {
        inGreenlet(() -> {
            AtomicInteger runs = new AtomicInteger();
            List<Object> links = recorder();
            Greenlet<Integer> g = new Greenlet<>(() -> {
                runs.incrementAndGet();
                Gevent.sleep(0.01);
                return 5;
            });
            g.rawlink(links::add);
            g.link(links::add);
            g.start();
            Gevent.sleep(0.001);
            assertEquals(1, runs.get(), "g entered its body");
            assertFlags(g, true, true, false, false, false);
            assertNull(g.value());
            assertNull(g.exception());
            assertEquals(List.of(), links);
            assertEquals(5, g.get());
        });
    }

    @Test
    @DisplayName("GL-04: after it returned 5: dead, ready, successful, value 5; a rawlink got exactly [g]")
    void gl04_afterReturnDeadSuccessfulWithValueAndRawlinkCalledOnce() {
        inGreenlet(() -> {
            List<Object> linkTest = recorder();
            Greenlet<Integer> g = new Greenlet<>(() -> {
                Gevent.sleep(0.01);
                return 5;
            });
            g.rawlink(linkTest::add);
            g.start();
            Gevent.sleep(0.001);
            Gevent.sleep(0.02);
            assertFlags(g, false, false, true, true, true);
            assertEquals(5, g.value());
            assertNull(g.exception());
            // the rawlink was queued when g died, before this greenlet's timer could fire; one sleep(0) puts
            // us behind it even if the hub was late and both timers expired in the same iteration
            Gevent.sleep();
            assertEquals(List.of(g), linkTest);
            Gevent.sleep(0.01);
            assertEquals(List.of(g), linkTest, "called exactly once");
        });
    }

    @Test
    @DisplayName(
            "GL-05: a greenlet that raised: dead, ready, not successful, value null, exception is the raised instance; rawlink got [g]; reported once")
    void gl05_errorExitKeepsTheExceptionAndIsReportedOnce() {
        ExpectedError err = new ExpectedError("expected", 5);
        try (LogCapture log = new LogCapture(GREENLET_LOGGER)) {
            inGreenlet(() -> {
                List<Object> linkTest = recorder();
                Greenlet<Object> g = new Greenlet<>(() -> {
                    throw err;
                });
                g.rawlink(linkTest::add);
                g.start();
                Gevent.sleep();
                // as gevent's test: join() would return at once (g is dead) before the link notification ran
                Gevent.sleep(0.2);
                assertFlags(g, false, false, true, true, false);
                assertNull(g.value());
                assertSame(err, g.exception());
                assertEquals(5, ((ExpectedError) Objects.requireNonNull(g.exception())).myattr);
                assertEquals(List.of(g), linkTest);
            });
            assertEquals(1, log.about(err), "the failure is reported exactly once");
        }
    }

    @Test
    @DisplayName("GL-07: inside the running greenlet: alive, started, not dead, not ready (also at bootstrap)")
    void gl07_runningGreenletSeesItselfAliveAndNotDead() {
        inGreenlet(() -> {
            List<Object> seen = recorder();
            Greenlet<Void> g = Gevent.spawn(() -> {
                Greenlet<?> me = Objects.requireNonNull(Gevent.getcurrent());
                seen.addAll(
                        Arrays.asList(me, me.isAlive(), me.isStarted(), me.isDead(), me.isReady(), me.isSuccessful()));
                Gevent.sleep();
                seen.addAll(Arrays.asList(me.isAlive(), me.isStarted(), me.isDead(), me.isReady()));
            });
            g.join();
            assertEquals(Arrays.asList(g, true, true, false, false, false, true, true, false, false), seen);
            Greenlet<?> scenario = Objects.requireNonNull(Gevent.getcurrent());
            assertFlags(scenario, true, true, false, false, false);
        });
    }

    @Test
    @DisplayName(
            "GL-08: a greenlet runs once: start() again is refused (API.md: IllegalStateException; gevent ignores it), before and after it finished")
    void gl08_startTwiceOrAfterDeathRunsOnce() {
        inGreenlet(() -> {
            AtomicInteger runs = new AtomicInteger();
            Greenlet<Void> g = Gevent.spawn(() -> {
                runs.incrementAndGet();
                Gevent.sleep(0.01);
            });
            assertTrue(g.isStarted());
            assertFalse(g.isDead());
            IllegalStateException again = assertThrows(IllegalStateException.class, g::start);
            assertTrue(again.getMessage().contains(g.name()), again.getMessage());
            assertTrue(g.isStarted());
            g.join();
            assertEquals(1, runs.get());
            assertFlags(g, false, false, true, true, true);
            assertThrows(IllegalStateException.class, g::start);
            runQueuedGreenlets();
            Gevent.sleep(0.02);
            assertEquals(1, runs.get(), "a finished greenlet never runs twice");
            assertFlags(g, false, false, true, true, true);
        });
    }

    @Test
    @DisplayName(
            "GL-09: startLater(0.05): after 0.02 s not run yet but alive and started; it runs 0.05 s after the call")
    void gl09_startLaterRunsAfterTheDelay() {
        inGreenlet(() -> {
            List<Integer> out = recorder();
            AtomicLong ranAt = new AtomicLong();
            Greenlet<Void> g = new Greenlet<Void>(() -> {
                ranAt.set(System.nanoTime());
                out.add(2);
            });
            long t0 = System.nanoTime();
            assertSame(g, g.startLater(0.05));
            Gevent.sleep(0.02);
            assertEquals(List.of(), out);
            assertFlags(g, true, true, false, false, false);
            g.join();
            assertEquals(List.of(2), out);
            assertWithin(0.05, WAIT_MAX, (ranAt.get() - t0) / 1e9);

            Greenlet<Void> h = new Greenlet<Void>(() -> {});
            assertThrows(IllegalArgumentException.class, () -> h.startLater(Duration.ofMillis(-1)));
            assertThrows(IllegalArgumentException.class, () -> h.startLater(-0.5));
            assertFlags(h, false, false, false, false, false);
        });
    }

    @Test
    @DisplayName(
            "GL-10: a null body is a NullPointerException naming run; a subclass not overriding run() is an IllegalStateException; at once")
    void gl10_nullBodyOrMissingRunIsRefusedAtOnce() {
        inGreenlet(() -> {
            List<GreenRunnable> refused = List.of(
                    () -> new Greenlet<>((GreenCallable<Object>) null),
                    () -> new Greenlet<Void>((GreenRunnable) null),
                    () -> new Greenlet<>(hub, (GreenCallable<Object>) null),
                    () -> new Greenlet<Void>(hub, (GreenRunnable) null));
            for (GreenRunnable r : refused) { // the constructors' parameter is "run"
                NullPointerException e = assertThrows(NullPointerException.class, r::run);
                assertTrue(String.valueOf(e.getMessage()).contains("run"), "message names run: " + e.getMessage());
            }
            List<GreenRunnable> refusedFn = List.of(
                    () -> Gevent.spawn((GreenCallable<Object>) null),
                    () -> Gevent.spawn((GreenRunnable) null),
                    () -> Greenlet.spawn((GreenCallable<Object>) null),
                    () -> hub.spawn((GreenCallable<Object>) null),
                    () -> Gevent.spawnLater(0.01, (GreenCallable<Object>) null),
                    () -> Gevent.spawnLater(Duration.ofMillis(10), (GreenRunnable) null));
            for (GreenRunnable r : refusedFn) { // the spawn functions' parameter is "fn"
                NullPointerException e = assertThrows(NullPointerException.class, r::run);
                assertTrue(String.valueOf(e.getMessage()).contains("fn"), "message names fn: " + e.getMessage());
            }
            NullPointerException d =
                    assertThrows(NullPointerException.class, () -> Gevent.spawnLater((Duration) null, () -> 1));
            assertTrue(String.valueOf(d.getMessage()).contains("delay"), d.getMessage());
            assertThrows(IllegalStateException.class, NoRun::new);
            runQueuedGreenlets(); // nothing was left scheduled that could fail later
        });
    }

    @Test
    @DisplayName("GL-11: a subclass overriding run() (gevent's _run) is the body")
    void gl11_subclassOverridingRunIsTheBody() {
        inGreenlet(() -> {
            Doubler g = new Doubler(21);
            assertFlags(g, false, false, false, false, false);
            assertEquals(42, g.start().get());
        });
    }

    @Test
    @DisplayName(
            "GL-12: name() is Greenlet-N by default and stable; name(String) renames, returns this, and survives the death")
    void gl12_defaultAndCustomNames() {
        inGreenlet(() -> {
            Greenlet<Void> a = new Greenlet<Void>(() -> {});
            Greenlet<Void> b = Gevent.spawn(() -> Gevent.sleep(0.001));
            assertTrue(a.name().matches("Greenlet-\\d+"), a.name());
            assertTrue(b.name().matches("Greenlet-\\d+"), b.name());
            assertNotEquals(a.name(), b.name());
            assertEquals(a.name(), a.name());
            String bName = b.name();
            assertSame(a, a.name("Foo"));
            assertEquals("Foo", a.name());
            a.start();
            a.join();
            b.join();
            assertEquals("Foo", a.name());
            assertEquals(bName, b.name());
            NullPointerException e = assertThrows(NullPointerException.class, () -> a.name(null));
            assertTrue(String.valueOf(e.getMessage()).contains("name"), e.getMessage());
            assertEquals("Foo", a.name());
        });
    }

    // ---- 2.7 Misc -----------------------------------------------------------------------------------

    @Test
    @DisplayName(
            "GL-55: infinite recursion: get() throws StackOverflowError, not successful, dead, reported exactly once")
    void gl55_recursionErrorIsKeptAndReportedOnce() {
        AtomicReference<Throwable> soe = new AtomicReference<>();
        try (LogCapture log = new LogCapture(GREENLET_LOGGER)) {
            inGreenlet(() -> {
                Greenlet<Integer> g = Gevent.spawn(() -> recurse(0));
                g.join();
                soe.set(assertThrows(StackOverflowError.class, g::get));
                assertFlags(g, false, false, true, true, false);
                assertSame(soe.get(), g.exception());
            });
            assertEquals(1, log.about(soe.get()));
            assertEquals(
                    1,
                    log.records.stream()
                            .filter(r -> r.getThrown() instanceof StackOverflowError)
                            .count());
        }
    }

    @Test
    @DisplayName("GL-18 (checked failure wrapper): the GreenletFailedException wraps the original and is unchecked")
    void gl18b_checkedFailureWrapperIsUnchecked() {
        quietly(List.of(GREENLET_LOGGER), () -> {
            Exception checked = new Exception("checked");
            Greenlet<Object> g = Gevent.spawn(() -> {
                throw checked;
            });
            g.join();
            RuntimeException w =
                    assertInstanceOf(GreenletFailedException.class, assertThrows(RuntimeException.class, g::get));
            assertSame(checked, w.getCause());
        });
    }
}
