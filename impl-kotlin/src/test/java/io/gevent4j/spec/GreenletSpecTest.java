package io.gevent4j.spec;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gevent4j.BlockingSwitchOutException;
import io.gevent4j.GreenCallable;
import io.gevent4j.GreenRunnable;
import io.gevent4j.Gevent;
import io.gevent4j.Greenlet;
import io.gevent4j.GreenletExit;
import io.gevent4j.GreenletFailedException;
import io.gevent4j.Timeout;
import io.gevent4j.Waitable;
import io.gevent4j.event.Event;
import io.gevent4j.testing.ExpectedError;
import io.gevent4j.testing.GeventTestBase;
import io.gevent4j.testing.LogCapture;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * gevent-semantics.md section 2 (Greenlet), one test per applicable case, for Java greenlets. The scenario
 * greenlet ({@link #inGreenlet}) plays gevent's main greenlet.
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

    /** Runs {@code body} as the scenario greenlet with the given loggers captured (failures it provokes stay off the console). */
    void quietly(List<String> loggers, GreenRunnable body) {
        LogCapture capture = new LogCapture(loggers.toArray(String[]::new));
        try {
            inGreenlet(body);
        } finally {
            capture.close();
        }
    }

    static <T> List<T> syncList() {
        return Collections.synchronizedList(new ArrayList<>());
    }

    /** Asserts gevent's flags: bool(g), started, dead, ready(), successful(). */
    static void assertFlags(Greenlet<?> g, boolean alive, boolean started, boolean dead, boolean ready, boolean successful) {
        assertEquals(Arrays.asList(alive, started, dead, ready, successful),
                Arrays.asList(g.isAlive(), g.isStarted(), g.isDead(), g.isReady(), g.isSuccessful()),
                "[alive, started, dead, ready, successful] of " + g);
    }

    /** Starts a marker greenlet and joins it: FIFO, so every greenlet scheduled before it has had its turn. */
    static void runQueuedGreenlets() {
        Gevent.spawn(() -> { }).join();
    }

    static int recurse(int n) {
        return recurse(n + 1) + 1;
    }

    // ---- 2.1 Construction and state flags -----------------------------------------------------------

    @Test
    @DisplayName("GL-01: a new greenlet is not alive, started, dead, ready or successful, has no value or exception, and never runs")
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
            List<Object> links = syncList();
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
            List<Object> linkTest = syncList();
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
    @DisplayName("GL-05: a greenlet that raised: dead, ready, not successful, value null, exception is the raised instance; rawlink got [g]; reported once")
    void gl05_errorExitKeepsTheExceptionAndIsReportedOnce() {
        ExpectedError err = new ExpectedError("expected", 5);
        try (LogCapture log = new LogCapture(GREENLET_LOGGER)) {
            inGreenlet(() -> {
                List<Object> linkTest = syncList();
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
            List<Object> seen = syncList();
            Greenlet<Void> g = Gevent.spawn(() -> {
                Greenlet<?> me = Objects.requireNonNull(Gevent.getcurrent());
                seen.addAll(Arrays.asList(me, me.isAlive(), me.isStarted(), me.isDead(), me.isReady(), me.isSuccessful()));
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
    @DisplayName("GL-08: a greenlet runs once: start() again is refused (API.md: IllegalStateException; gevent ignores it), before and after it finished")
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
    @DisplayName("GL-09: startLater(0.05): after 0.02 s not run yet but alive and started; it runs 0.05 s after the call")
    void gl09_startLaterRunsAfterTheDelay() {
        inGreenlet(() -> {
            List<Integer> out = syncList();
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

            Greenlet<Void> h = new Greenlet<Void>(() -> { });
            assertThrows(IllegalArgumentException.class, () -> h.startLater(Duration.ofMillis(-1)));
            assertThrows(IllegalArgumentException.class, () -> h.startLater(-0.5));
            assertFlags(h, false, false, false, false, false);
        });
    }

    @Test
    @DisplayName("GL-10: a null body is a NullPointerException naming run; a subclass not overriding run() is an IllegalStateException; at once")
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
            NullPointerException d = assertThrows(NullPointerException.class,
                    () -> Gevent.spawnLater((Duration) null, () -> 1));
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
    @DisplayName("GL-12: name() is Greenlet-N by default and stable; name(String) renames, returns this, and survives the death")
    void gl12_defaultAndCustomNames() {
        inGreenlet(() -> {
            Greenlet<Void> a = new Greenlet<Void>(() -> { });
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

    // ---- 2.2 join / get -----------------------------------------------------------------------------

    @Test
    @DisplayName("GL-14: join(0.2) on a sleeping greenlet returns false after [0.1, 0.31] s and leaves it alive")
    void gl14_joinTimeoutReturnsFalseInTimeAndLeavesGreenletAlone() {
        inGreenlet(() -> {
            Greenlet<Void> g = Gevent.spawn(() -> Gevent.sleep(10));
            long t0 = System.nanoTime();
            boolean r = g.join(WAIT_TIMEOUT);
            assertWithin(WAIT_MIN, WAIT_MAX, since(t0));
            assertFalse(r);
            assertFlags(g, true, true, false, false, false);

            t0 = System.nanoTime();
            r = g.join(Duration.ofMillis(200));
            assertWithin(WAIT_MIN, WAIT_MAX, since(t0));
            assertFalse(r);
            assertFlags(g, true, true, false, false, false);
            g.kill();
        });
    }

    @Test
    @DisplayName("GL-15: join() on a finished or failed greenlet returns at once, without yielding, and never throws")
    void gl15_joinOnDeadReturnsAtOnceAndNeverThrows() {
        quietly(List.of(GREENLET_LOGGER), () -> {
            Greenlet<Integer> ok = Gevent.spawn(() -> 1);
            Greenlet<Object> bad = Gevent.spawn(() -> {
                throw new ExpectedError("fails", 0);
            });
            Greenlet<Object> badChecked = Gevent.spawn(() -> {
                throw new IOException("checked");
            });
            ok.join();
            assertDoesNotThrow(() -> bad.join());
            assertDoesNotThrow(() -> badChecked.join());
            List<String> log = syncList();
            Gevent.spawn(() -> {
                log.add("other");
            });
            ok.join();
            assertTrue(ok.join(1.0));
            assertTrue(ok.join(Duration.ZERO));
            assertDoesNotThrow(() -> bad.join());
            assertTrue(bad.join(Duration.ofSeconds(1)));
            assertDoesNotThrow(() -> badChecked.join());
            assertEquals(List.of(), log, "join() on a dead greenlet does not yield");
        });
    }

    @Test
    @DisplayName("GL-16: get(0.01) on a sleeping greenlet throws Timeout('0.01 seconds') after [0.009, 0.12] s; the greenlet is unaffected")
    void gl16_getTimeoutThrowsTimeoutInTime() {
        inGreenlet(() -> {
            Greenlet<Void> g = Gevent.spawn(() -> Gevent.sleep(1));
            long t0 = System.nanoTime();
            Timeout t = assertThrows(Timeout.class, () -> g.get(GET_TIMEOUT));
            assertWithin(GET_MIN, GET_MAX, since(t0));
            assertEquals("0.01 seconds", t.getMessage());
            assertFlags(g, true, true, false, false, false);

            t0 = System.nanoTime();
            t = assertThrows(Timeout.class, () -> g.get(Duration.ofMillis(10)));
            assertWithin(GET_MIN, GET_MAX, since(t0));
            assertEquals("0.01 seconds", t.getMessage());
            assertFlags(g, true, true, false, false, false);
            g.kill();
        });
    }

    @Test
    @DisplayName("GL-17: getNowait() on a running greenlet throws Timeout() at once: no seconds, empty message, no yield")
    void gl17_getNowaitOnRunningThrowsEmptyTimeoutAtOnce() {
        inGreenlet(() -> {
            Greenlet<Void> g = Gevent.spawn(() -> Gevent.sleep(1));
            Gevent.sleep();
            List<String> log = syncList();
            Gevent.spawn(() -> {
                log.add("other");
            });
            Timeout t = assertThrows(Timeout.class, g::getNowait);
            assertNull(t.duration());
            assertEquals("", t.getMessage());
            assertEquals(List.of(), log, "getNowait() does not yield");
            assertThrows(Timeout.class, new Greenlet<Integer>(() -> 1)::getNowait);
            assertFlags(g, true, true, false, false, false);
            g.kill();
        });
    }

    @Test
    @DisplayName("GL-18: get() returns the value; re-throws the same failure every time; returns null after a GreenletExit kill")
    void gl18_getReturnsValueRethrowsSameFailureAndReturnsNullAfterExit() {
        quietly(List.of(GREENLET_LOGGER), () -> {
            assertEquals(6, Gevent.spawn(() -> 1 + 5).get());

            ExpectedError err = new ExpectedError("boom", 1);
            Greenlet<Object> bad = Gevent.spawn(() -> {
                throw err;
            });
            assertSame(err, assertThrows(ExpectedError.class, bad::get));
            assertSame(err, assertThrows(ExpectedError.class, bad::get));
            assertSame(err, assertThrows(ExpectedError.class, bad::getNowait));

            Error error = new Error("an Error");
            Greenlet<Object> badError = Gevent.spawn(() -> {
                throw error;
            });
            assertSame(error, assertThrows(Error.class, badError::get));

            IOException io = new IOException("checked");
            Greenlet<Object> badChecked = Gevent.spawn(() -> {
                throw io;
            });
            GreenletFailedException w1 = assertThrows(GreenletFailedException.class, badChecked::get);
            GreenletFailedException w2 = assertThrows(GreenletFailedException.class, badChecked::get);
            assertSame(w1, w2);
            assertSame(io, w1.getCause());
            assertSame(io, badChecked.exception());

            Greenlet<Integer> killed = Gevent.spawn(() -> {
                Gevent.sleep(10);
                return 7;
            });
            Gevent.sleep();
            killed.kill();
            assertNull(assertDoesNotThrow(() -> killed.get()));
            assertNull(killed.getNowait());
            assertTrue(killed.isSuccessful());
            assertNull(killed.value());
            assertNull(killed.exception());
        });
    }

    @Test
    @DisplayName("GL-19: an outer Timeout expiring during join(1)/get(1) is thrown, the same instance")
    void gl19_outerTimeoutIsNotLost() {
        inGreenlet(() -> {
            Greenlet<Void> g = Gevent.spawn(() -> Gevent.sleep(10));
            Timeout outer = Timeout.startNew(Duration.ofMillis(1));
            try {
                assertSame(outer, assertThrows(Timeout.class, () -> g.join(1.0)));
            } finally {
                outer.cancel();
            }
            Timeout outer2 = Timeout.startNew(Duration.ofMillis(1));
            try {
                assertSame(outer2, assertThrows(Timeout.class, () -> g.get(1.0)));
            } finally {
                outer2.cancel();
            }
            assertFlags(g, true, true, false, false, false);
            g.kill();
        });
    }

    @Test
    @DisplayName("GL-21: links registered before join() have all run, in order, when join() returns")
    void gl21_linksBeforeJoinHaveRunWhenJoinReturns() {
        inGreenlet(() -> {
            List<String> log = syncList();
            Greenlet<Void> g = Gevent.spawn(() -> Gevent.sleep(0.01));
            g.link(x -> log.add("cb1"));
            g.rawlink(x -> log.add("cb2"));
            g.linkValue(x -> log.add("cb3"));
            g.join();
            assertEquals(List.of("cb1", "cb2", "cb3"), log);
        });
    }

    // ---- 2.3 kill -----------------------------------------------------------------------------------

    @Test
    @DisplayName("GL-22: kill before start: dead and successful at once, links fire in the next iteration (link in a greenlet, rawlink on the hub), the body never runs")
    void gl22_killBeforeStartNeverRunsAndLinksFireNextIteration() {
        inGreenlet(() -> {
            AtomicInteger runs = new AtomicInteger();
            List<String> log = syncList();
            List<Object> linkCtx = syncList();
            List<Object> rawCtx = syncList();
            Greenlet<Void> g = new Greenlet<Void>(() -> {
                runs.incrementAndGet();
            });
            g.link(x -> {
                log.add("L");
                linkCtx.addAll(Arrays.asList(Gevent.getcurrent(), Thread.currentThread().isVirtual(), hub.isHubThread()));
            });
            g.rawlink(x -> {
                log.add("R");
                rawCtx.addAll(Arrays.asList(Gevent.getcurrent(), Thread.currentThread().isVirtual(), hub.isHubThread()));
            });
            g.kill();
            assertFlags(g, false, false, true, true, true);
            assertNull(g.value());
            assertNull(g.exception());
            assertEquals(List.of(), log, "links do not run synchronously");

            Gevent.sleep(0.01);
            assertEquals(List.of("L", "R"), log);
            Greenlet<?> linkGreenlet = (Greenlet<?>) linkCtx.get(0);
            assertNotNull(linkGreenlet, "link runs in a greenlet");
            assertNotSame(g, linkGreenlet);
            assertNotSame(Gevent.getcurrent(), linkGreenlet);
            assertEquals(List.of(true, true), linkCtx.subList(1, 3), "[virtual thread, hub context] of the link");
            assertEquals(Arrays.asList(null, false, true), rawCtx, "[getcurrent, virtual, hub context] of the rawlink");

            assertThrows(IllegalStateException.class, g::start, "a greenlet killed before start cannot be started");
            runQueuedGreenlets();
            Gevent.sleep(0.01);
            assertEquals(0, runs.get(), "the body never runs, even after start()");
            assertFlags(g, false, false, true, true, true);
            assertEquals(List.of("L", "R"), log, "links fired once");
        });
    }

    @Test
    @DisplayName("GL-23: spawn then kill before the loop switched to it: the body never runs; successful, value null (GreenletExit)")
    void gl23_killAfterSpawnBeforeItRanNeverRuns() {
        inGreenlet(() -> {
            AtomicInteger runs = new AtomicInteger();
            List<String> log = syncList();
            Greenlet<Void> g = Gevent.spawn(() -> {
                runs.incrementAndGet();
            });
            g.link(x -> log.add("L"));
            g.kill();
            assertFlags(g, false, false, true, true, true);
            assertNull(g.value());
            assertNull(g.exception());
            assertNull(g.get());
            runQueuedGreenlets();
            Gevent.sleep(0.01);
            assertEquals(0, runs.get());
            assertEquals(List.of("L"), log);
        });
    }

    @Test
    @DisplayName("GL-24: startLater(0.2) then kill: the body never runs, dead and ready, links fire once")
    void gl24_killAfterStartLaterNeverRuns() {
        inGreenlet(() -> {
            AtomicInteger runs = new AtomicInteger();
            List<String> log = syncList();
            Greenlet<Void> g = new Greenlet<Void>(() -> {
                runs.incrementAndGet();
            });
            g.link(x -> log.add("L"));
            g.rawlink(x -> log.add("R"));
            g.startLater(WAIT_TIMEOUT);
            g.kill();
            assertFlags(g, false, false, true, true, true);
            Gevent.sleep(WAIT_MAX + 0.05);
            assertEquals(0, runs.get());
            assertFlags(g, false, false, true, true, true);
            assertEquals(List.of("L", "R"), log);
        });
    }

    @Test
    @DisplayName("GL-25: kill while it sleeps: GreenletExit at the blocking call, except/finally run, kill() returns after the death")
    void gl25_killWhileRunningRaisesAtTheBlockingCallAndWaits() {
        inGreenlet(() -> {
            List<String> state = syncList();
            AtomicReference<Throwable> caught = new AtomicReference<>();
            Greenlet<Void> g = Gevent.spawn(() -> {
                try {
                    state.add("start");
                    Gevent.sleep(0.3);
                    state.add("woke");
                } catch (GreenletExit e) {
                    caught.set(e);
                    state.add("except");
                }
                state.add("finished");
            });
            Gevent.sleep();
            assertEquals(List.of("start"), state);
            GreenletExit exit = new GreenletExit("bye");
            g.kill(exit, true, null);
            assertEquals(List.of("start", "except", "finished"), state);
            assertSame(exit, caught.get());
            assertFlags(g, false, false, true, true, true);

            state.clear();
            Greenlet<Void> h = Gevent.spawn(() -> {
                try {
                    state.add("start");
                    Gevent.sleep(0.3);
                } finally {
                    state.add("finally");
                }
            });
            Gevent.sleep();
            h.kill();
            assertEquals(List.of("start", "finally"), state);
            assertFlags(h, false, false, true, true, true);
        });
    }

    @Test
    @DisplayName("GL-26: a finally that blocks delays kill() until it completes")
    void gl26_killWaitsForABlockingFinally() {
        inGreenlet(() -> {
            List<String> log = syncList();
            Greenlet<Void> g = Gevent.spawn(() -> {
                try {
                    Gevent.sleep(10);
                } finally {
                    log.add("finally");
                    Gevent.sleep(0.02);
                    log.add("finally done");
                }
            });
            Gevent.sleep();
            long t0 = System.nanoTime();
            g.kill();
            log.add("kill returned");
            assertTrue(since(t0) >= 0.02, "kill() waited for the finally's sleep(0.02): " + since(t0));
            assertEquals(List.of("finally", "finally done", "kill returned"), log);
            assertTrue(g.isDead());
            assertTrue(g.isSuccessful());
        });
    }

    @Test
    @DisplayName("GL-27: kill(block=false) returns at once with the target alive; after sleep(0) it is dead")
    void gl27_nonBlockingKillReturnsAtOnceAndTargetDiesAfterSleep0() {
        inGreenlet(() -> {
            Greenlet<Void> g = Gevent.spawn(() -> Gevent.sleep(10));
            Gevent.sleep();
            g.kill(new GreenletExit(), false, null);
            assertFalse(g.isDead(), "kill(block=false) does not switch to the target");
            Gevent.sleep();
            assertTrue(g.isDead(), "the kill callback ran the target to its death before sleep(0) returned");
            assertTrue(g.isSuccessful());
        });
    }

    @Test
    @DisplayName("GL-28: kill() on a dead greenlet returns at once without yielding; a second kill is harmless")
    void gl28_killOnDeadReturnsWithoutYielding() {
        inGreenlet(() -> {
            Greenlet<Integer> g = Gevent.spawn(() -> 1);
            g.join();
            List<String> log = syncList();
            Gevent.spawn(() -> {
                log.add("spawned");
            });
            g.kill();
            assertEquals(List.of(), log, "kill() of a dead greenlet does not yield");
            g.kill();
            g.kill(new ExpectedError("late", 0));
            g.kill(new GreenletExit(), true, Duration.ofSeconds(1));
            assertEquals(List.of(), log);
            assertFlags(g, false, false, true, true, true);
            assertEquals(1, g.value());
            assertEquals(1, g.get());
            assertNull(g.exception());
        });
    }

    @Test
    @DisplayName("GL-29: kill(exception) on a running greenlet fails it with that very instance; get() throws it; it is reported")
    void gl29_killWithExceptionFailsTheGreenlet() {
        ExpectedError boom = new ExpectedError("boom", 0);
        IOException io = new IOException("checked");
        try (LogCapture log = new LogCapture(GREENLET_LOGGER)) {
            inGreenlet(() -> {
                Greenlet<Void> g = Gevent.spawn(() -> Gevent.sleep(10));
                Gevent.sleep();
                g.kill(boom);
                assertFlags(g, false, false, true, true, false);
                assertSame(boom, g.exception());
                assertNull(g.value());
                assertSame(boom, assertThrows(ExpectedError.class, g::get));

                Greenlet<Void> h = Gevent.spawn(() -> Gevent.sleep(10));
                Gevent.sleep();
                h.kill(io, true, null);
                assertFalse(h.isSuccessful());
                assertSame(io, h.exception());
                assertSame(io, assertThrows(GreenletFailedException.class, h::get).getCause());
            });
            assertEquals(1, log.about(boom), "reported once");
            assertEquals(1, log.about(io), "reported once");
        }
    }

    @Test
    @DisplayName("GL-30: kill(new Exception()) before start or while running: not successful, exception() is that instance")
    void gl30_killWithPlainExceptionBeforeStartOrWhileRunning() {
        quietly(List.of(GREENLET_LOGGER), () -> {
            Exception before = new Exception();
            Greenlet<Void> g = new Greenlet<Void>(() -> { });
            g.kill(before);
            assertFlags(g, false, false, true, true, false);
            assertSame(before, g.exception());
            assertSame(before, assertThrows(GreenletFailedException.class, g::get).getCause());

            Exception during = new Exception();
            Greenlet<Void> h = Gevent.spawn(() -> Gevent.sleep(10));
            Gevent.sleep();
            h.kill(during);
            assertFlags(h, false, false, true, true, false);
            assertSame(during, h.exception());
        });
    }

    @Test
    @DisplayName("GL-32: kill(timeout=0.2) of a greenlet that swallows GreenletExit returns quietly after [0.1, 0.31] s; it lives on")
    void gl32_killTimeoutNeverThrowsAndTargetMayLiveOn() {
        inGreenlet(() -> {
            AtomicBoolean stop = new AtomicBoolean();
            List<String> log = syncList();
            Greenlet<Void> g = Gevent.spawn(() -> {
                while (!stop.get()) {
                    try {
                        Gevent.sleep(10);
                    } catch (GreenletExit e) {
                        log.add("swallowed");
                    }
                }
            });
            Gevent.sleep();
            long t0 = System.nanoTime();
            assertDoesNotThrow(() -> g.kill(new GreenletExit(), true, Duration.ofMillis(200)));
            assertWithin(WAIT_MIN, WAIT_MAX, since(t0));
            assertEquals(List.of("swallowed"), log);
            assertFlags(g, true, true, false, false, false);
            stop.set(true);
            g.kill();
            assertTrue(g.isDead());
        });
    }

    @Test
    @DisplayName("GL-33: a greenlet killing itself gets GreenletExit at once; successful, value null")
    void gl33_selfKillRaisesAtOnce() {
        inGreenlet(() -> {
            List<String> log = syncList();
            Greenlet<Void> g = Gevent.spawn(() -> {
                try {
                    Objects.requireNonNull(Gevent.getcurrent()).kill();
                    log.add("after kill");
                } catch (GreenletExit e) {
                    log.add("GreenletExit");
                    throw e;
                }
            });
            g.join();
            assertEquals(List.of("GreenletExit"), log);
            assertFlags(g, false, false, true, true, true);
            assertNull(g.value());
            assertNull(g.exception());
        });
    }

    @Test
    @DisplayName("GL-34: a target looping over sleep(0) runs one more step before the kill lands: [0, 1, 'GreenletExit at iteration 1']")
    void gl34_killLandsAtTheNextSleep0() {
        inGreenlet(() -> {
            List<Object> out = syncList();
            Greenlet<Void> g = Gevent.spawn(() -> {
                int[] i = {0};
                try {
                    for (i[0] = 0; i[0] < 5; i[0]++) {
                        out.add(i[0]);
                        Gevent.sleep();
                    }
                } catch (GreenletExit e) {
                    out.add("GreenletExit at iteration " + i[0]);
                }
            });
            Gevent.sleep();
            g.kill();
            assertEquals(List.of(0, 1, "GreenletExit at iteration 1"), out);
        });
    }

    @Test
    @DisplayName("GL-35: the kill request is a FIFO loop callback: spawn(X); kill(g, block=false); spawn(Y) -> [X, g killed, Y]")
    void gl35_killIsAFifoLoopCallback() {
        inGreenlet(() -> {
            List<String> log = syncList();
            Greenlet<Void> g = Gevent.spawn(() -> {
                try {
                    Gevent.sleep(10);
                } catch (GreenletExit e) {
                    log.add("g killed");
                    throw e;
                }
            });
            Gevent.sleep();
            Gevent.spawn(() -> {
                log.add("X");
            });
            g.kill(new GreenletExit(), false, null);
            Gevent.spawn(() -> {
                log.add("Y");
            });
            Gevent.sleep(0.01);
            assertEquals(List.of("X", "g killed", "Y"), log);
        });
    }

    // ---- 2.4 GreenletExit ---------------------------------------------------------------------------

    @Test
    @DisplayName("GL-37: GreenletExit is an Error (gevent: BaseException), not an Exception")
    void gl37_greenletExitIsNotAnException() {
        assertTrue(Error.class.isAssignableFrom(GreenletExit.class));
        assertFalse(Exception.class.isAssignableFrom(GreenletExit.class));
        assertFalse(Exception.class.isAssignableFrom(Timeout.class));
    }

    @Test
    @DisplayName("GL-38: a greenlet ending with a GreenletExit subclass is successful, value null, no exception, nothing reported")
    void gl38_greenletExitSubclassIsSuccessAndSilent() {
        try (LogCapture log = new LogCapture(GREENLET_LOGGER)) {
            inGreenlet(() -> {
                MyExit bye = new MyExit("bye");
                Greenlet<Object> g = Gevent.spawn(() -> {
                    throw bye;
                });
                g.join();
                assertFlags(g, false, false, true, true, true);
                assertNull(g.value());
                assertNull(g.exception());
                assertNull(assertDoesNotThrow(() -> g.get()));
            });
            assertEquals(List.of(), log.records, "nothing is reported");
        }
    }

    // ---- 2.5 link / linkValue / linkException / rawlink / unlink -----------------------------------

    @ParameterizedTest(name = "N = {0}")
    @ValueSource(ints = {2, 3, 4, 1000})
    @DisplayName("GL-39: links run in the order they were added")
    void gl39_linksRunInRegistrationOrder(int n) {
        inGreenlet(() -> {
            List<Integer> lst = syncList();
            Greenlet<Void> g = Gevent.spawn(() -> {
                lst.add(0);
            });
            for (int i = 1; i < n; i++) {
                int v = i;
                g.link(x -> lst.add(v));
            }
            g.join();
            assertEquals(IntStream.range(0, n).boxed().toList(), lst);
        });
    }

    @Test
    @DisplayName("GL-40: link callbacks run in a new greenlet (they may block); rawlink callbacks run on the hub and must not block")
    void gl40_linkRunsInAGreenletRawlinkOnTheHub() {
        inGreenlet(() -> {
            List<Object> linkCtx = syncList();
            List<Object> rawCtx = syncList();
            Greenlet<Void> g = Gevent.spawn(() -> Gevent.sleep(0.001));
            g.link(src -> {
                Greenlet<?> me = Gevent.getcurrent();
                linkCtx.addAll(Arrays.asList(me, Thread.currentThread().isVirtual(), hub.isHubThread()));
                Gevent.sleep(0.001); // a link greenlet may block
                linkCtx.add("slept");
            });
            g.rawlink(src -> {
                rawCtx.addAll(Arrays.asList(src, Gevent.getcurrent(), Thread.currentThread().isVirtual(), hub.isHubThread()));
                try {
                    Gevent.sleep(0.001);
                    rawCtx.add("slept");
                } catch (BlockingSwitchOutException e) {
                    rawCtx.add("BlockingSwitchOutException");
                }
            });
            g.join();
            Gevent.sleep(0.02);
            Greenlet<?> linkGreenlet = (Greenlet<?>) linkCtx.get(0);
            assertNotNull(linkGreenlet);
            assertNotSame(g, linkGreenlet);
            assertNotSame(Gevent.getcurrent(), linkGreenlet);
            assertEquals(List.of(true, true, "slept"), linkCtx.subList(1, 4));
            assertEquals(Arrays.asList(g, null, false, true, "BlockingSwitchOutException"), rawCtx);
        });
    }

    @Test
    @DisplayName("GL-41: a link added after the death is not called synchronously, but by the next loop iteration (after sleep(0))")
    void gl41_linkAfterDeathRunsInTheNextIteration() {
        inGreenlet(() -> {
            Greenlet<Integer> g = Gevent.spawn(() -> 1);
            g.join();
            List<String> log = syncList();
            g.rawlink(x -> log.add("rawlink"));
            assertEquals(List.of(), log);
            Gevent.sleep();
            assertEquals(List.of("rawlink"), log);

            g.link(x -> log.add("link"));
            g.linkValue(x -> log.add("linkValue"));
            assertEquals(List.of("rawlink"), log, "not called synchronously");
            Gevent.sleep();
            assertEquals(List.of("rawlink", "link", "linkValue"), log, "called by the next loop iteration");
        });
    }

    @Test
    @DisplayName("GL-42: a greenlet returning 25: link and linkValue targets see 25, linkException targets are untouched; again when linked 3 more times")
    void gl42_successNotifiesLinkAndLinkValueOnly() {
        inGreenlet(() -> {
            Greenlet<Integer> g = Gevent.spawn(() -> 25);
            List<Object> got = syncList();
            List<Object> exc = syncList();
            AtomicBoolean flag = new AtomicBoolean();
            g.link(src -> got.add(src.get()));
            g.link(src -> flag.set(true));
            g.linkValue(src -> got.add("value " + src.get()));
            g.linkException(src -> exc.add(src));
            g.join();
            assertEquals(List.of(25, "value 25"), got);
            assertTrue(flag.get());
            assertEquals(List.of(), exc);

            got.clear();
            for (int i = 0; i < 3; i++) {
                g.link(src -> got.add(src.get()));
                g.linkValue(src -> got.add("value " + src.get()));
                g.linkException(src -> exc.add(src));
            }
            Event done = new Event();
            g.link(src -> done.set());
            assertTrue(done.waitFor(Duration.ofSeconds(5)));
            assertEquals(List.of(25, "value 25", 25, "value 25", 25, "value 25"), got);
            assertEquals(List.of(), exc);
        });
    }

    @Test
    @DisplayName("GL-43: killed with GreenletExit: link and linkValue fire (successful, value null), linkException does not; kill(error): link and linkException only")
    void gl43_killNotifiesByOutcome() {
        quietly(List.of(GREENLET_LOGGER), () -> {
            List<String> log = syncList();
            Greenlet<Integer> g = Gevent.spawn(() -> {
                Gevent.sleep(10);
                return 1;
            });
            Gevent.sleep();
            g.link(src -> log.add("link " + src.isSuccessful() + " " + src.get()));
            g.linkValue(src -> log.add("linkValue " + src.isSuccessful() + " " + src.get()));
            g.linkException(src -> log.add("linkException"));
            g.kill();
            g.join();
            assertEquals(List.of("link true null", "linkValue true null"), log);

            log.clear();
            ExpectedError err = new ExpectedError("killed", 0);
            Greenlet<Integer> h = Gevent.spawn(() -> {
                Gevent.sleep(10);
                return 1;
            });
            Gevent.sleep();
            h.link(src -> log.add("link " + src.isSuccessful()));
            h.linkValue(src -> log.add("linkValue"));
            h.linkException(src -> log.add("linkException " + (src.exception() == err)));
            h.kill(err);
            h.join();
            assertEquals(List.of("link false", "linkException true"), log);
        });
    }

    @Test
    @DisplayName("GL-44: a greenlet that raised: link and linkException targets get g and get() re-throws; linkValue targets are not called")
    void gl44_failureNotifiesLinkAndLinkExceptionOnly() {
        quietly(List.of(GREENLET_LOGGER), () -> {
            ExpectedError err = new ExpectedError("raised", 0);
            Greenlet<Integer> g = Gevent.spawn(() -> {
                throw err;
            });
            List<Object> got = syncList();
            List<Object> values = syncList();
            g.link(src -> {
                got.add(src);
                got.add(assertThrows(ExpectedError.class, src::get));
            });
            g.linkValue(values::add);
            g.linkException(src -> {
                got.add(src);
                got.add(assertThrows(ExpectedError.class, src::get));
            });
            g.join();
            assertEquals(List.of(g, err, g, err), got);
            assertSame(err, got.get(1));
            assertSame(err, got.get(3));
            assertEquals(List.of(), values);
        });
    }

    @Test
    @DisplayName("GL-45: every link target sees the very exception instance the greenlet raised")
    void gl45_linkTargetsSeeTheSameExceptionInstance() {
        quietly(List.of(GREENLET_LOGGER), () -> {
            ExpectedError err = new ExpectedError("same", 0);
            Greenlet<Integer> p = Gevent.spawn(() -> {
                throw err;
            });
            List<Throwable> seen = syncList();
            for (int i = 0; i < 4; i++) {
                p.link(src -> seen.add(assertThrows(Throwable.class, src::get)));
            }
            p.join();
            assertEquals(4, seen.size());
            for (Throwable t : seen) {
                assertSame(err, t);
            }
        });
    }

    @Test
    @DisplayName("GL-46: three greenlets linked to one collector deliver 101, 102, 103")
    void gl46_severalGreenletsLinkedToOneCollector() {
        inGreenlet(() -> {
            List<Integer> q = syncList();
            List<Greenlet<Integer>> ps = List.of(Gevent.spawn(() -> 101), Gevent.spawn(() -> 102), Gevent.spawn(() -> 103));
            for (Greenlet<Integer> p : ps) {
                p.link(src -> q.add(src.get()));
            }
            for (Greenlet<Integer> p : ps) {
                p.join();
            }
            List<Integer> sorted = new ArrayList<>(q);
            Collections.sort(sorted);
            assertEquals(List.of(101, 102, 103), sorted);
        });
    }

    @Test
    @DisplayName("GL-47: removeLink/unlink by the original callback removes link, linkValue, linkException and rawlink; unknown ones are ignored; unlinkAll removes all")
    void gl47_unlinkRemovesCallbacks() {
        quietly(List.of(GREENLET_LOGGER), () -> {
            List<String> log = syncList();
            Consumer<Greenlet<Integer>> f = src -> log.add("link");
            Consumer<Greenlet<Integer>> fv = src -> log.add("linkValue");
            Consumer<Waitable> r = src -> log.add("rawlink");
            Greenlet<Integer> g = new Greenlet<>(() -> 1);
            g.link(f);
            g.removeLink(f);
            g.linkValue(fv);
            g.removeLink(fv);
            g.rawlink(r);
            g.unlink(r);
            g.removeLink(src -> log.add("unknown"));
            g.unlink(src -> log.add("unknown"));
            g.link(src -> log.add("kept"));
            g.start();
            g.join();
            assertEquals(List.of("kept"), log);

            log.clear();
            Consumer<Greenlet<Integer>> fe = src -> log.add("linkException");
            Greenlet<Integer> e = new Greenlet<>(() -> {
                throw new ExpectedError("for linkException", 0);
            });
            e.linkException(fe);
            e.removeLink(fe);
            e.link(src -> log.add("kept"));
            e.start();
            e.join();
            assertEquals(List.of("kept"), log);

            log.clear();
            Greenlet<Integer> h = new Greenlet<>(() -> 1);
            h.link(f);
            h.linkValue(fv);
            h.rawlink(r);
            h.unlinkAll();
            h.link(src -> log.add("after unlinkAll"));
            h.start();
            h.join();
            assertEquals(List.of("after unlinkAll"), log);
        });
    }

    @Test
    @DisplayName("GL-48: callbacks that throw do not stop the others, and each error is reported (successful and failed greenlets)")
    void gl48_failingCallbacksDoNotStopTheOthers() {
        List<RuntimeException> errors = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            errors.add(new ExpectedError("callback " + i, i));
        }
        try (LogCapture log = new LogCapture(GREENLET_LOGGER, HUB_LOGGER)) {
            inGreenlet(() -> {
                List<GreenCallable<Integer>> bodies = List.of(() -> 1, () -> {
                    throw new ExpectedError("greenlet fails", 0);
                });
                int k = 0;
                for (GreenCallable<Integer> body : bodies) {
                    List<Integer> results = syncList();
                    Greenlet<Integer> g = Gevent.spawn(body);
                    RuntimeException e1 = errors.get(k++), e2 = errors.get(k++), e3 = errors.get(k++);
                    g.link(src -> {
                        results.add(10);
                        throw e1;
                    });
                    g.link(src -> {
                        results.add(20);
                        throw e2;
                    });
                    g.link(src -> {
                        throw e3;
                    });
                    g.join();
                    assertTrue(results.equals(List.of(10, 20)) || results.equals(List.of(20, 10)), "link: " + results);

                    results.clear();
                    Greenlet<Integer> h = Gevent.spawn(body);
                    RuntimeException e4 = errors.get(k++), e5 = errors.get(k++), e6 = errors.get(k++);
                    h.rawlink(src -> {
                        results.add(10);
                        throw e4;
                    });
                    h.rawlink(src -> {
                        results.add(20);
                        throw e5;
                    });
                    h.rawlink(src -> {
                        throw e6;
                    });
                    h.join();
                    assertTrue(results.equals(List.of(10, 20)) || results.equals(List.of(20, 10)), "rawlink: " + results);
                }
            });
            for (RuntimeException e : errors) {
                assertEquals(1, log.about(e), "reported exactly once: " + e.getMessage());
            }
        }
    }

    @Test
    @DisplayName("GL-49: a callback unlinking a later one prevents it even while notification runs (link and rawlink)")
    void gl49_unlinkInsideACallbackPreventsALaterOne() {
        quietly(List.of(GREENLET_LOGGER, HUB_LOGGER), () -> {
            List<Integer> results = syncList();
            AtomicReference<Consumer<Greenlet<Integer>>> l1 = new AtomicReference<>();
            AtomicReference<Consumer<Greenlet<Integer>>> l2 = new AtomicReference<>();
            l1.set(src -> {
                src.removeLink(l2.get());
                results.add(5);
                throw new ExpectedError("listener1", 1);
            });
            l2.set(src -> {
                src.removeLink(l1.get());
                results.add(5);
                throw new ExpectedError("listener2", 2);
            });
            Greenlet<Integer> g = Gevent.spawn(() -> 1);
            g.link(l1.get());
            g.link(l2.get());
            g.join();
            assertEquals(List.of(5), results, "link");

            results.clear();
            AtomicReference<Consumer<Waitable>> r1 = new AtomicReference<>();
            AtomicReference<Consumer<Waitable>> r2 = new AtomicReference<>();
            r1.set(src -> {
                src.unlink(r2.get());
                results.add(5);
                throw new ExpectedError("raw listener1", 1);
            });
            r2.set(src -> {
                src.unlink(r1.get());
                results.add(5);
                throw new ExpectedError("raw listener2", 2);
            });
            Greenlet<Integer> h = Gevent.spawn(() -> 1);
            h.rawlink(r1.get());
            h.rawlink(r2.get());
            h.join();
            assertEquals(List.of(5), results, "rawlink");
        });
    }

    @Test
    @DisplayName("GL-50 (JVM form): null callbacks, kill exceptions and names are NullPointerExceptions naming the parameter")
    void gl50_nullArgumentsAreRefusedNamingTheParameter() {
        inGreenlet(() -> {
            Greenlet<Integer> g = new Greenlet<>(() -> 1);
            List<GreenRunnable> calls = List.of(() -> g.link(null), () -> g.linkValue(null), () -> g.linkException(null),
                    () -> g.rawlink(null));
            for (GreenRunnable c : calls) {
                NullPointerException e = assertThrows(NullPointerException.class, c::run);
                assertTrue(String.valueOf(e.getMessage()).contains("callback"), e.getMessage());
            }
            NullPointerException k1 = assertThrows(NullPointerException.class, () -> g.kill(null));
            assertTrue(String.valueOf(k1.getMessage()).contains("exception"), k1.getMessage());
            NullPointerException k2 = assertThrows(NullPointerException.class, () -> g.kill(null, false, null));
            assertTrue(String.valueOf(k2.getMessage()).contains("exception"), k2.getMessage());
            assertFlags(g, false, false, false, false, false);
            assertEquals(1, g.start().get());
        });
    }

    // ---- 2.7 Misc -----------------------------------------------------------------------------------

    @Test
    @DisplayName("GL-55: infinite recursion: get() throws StackOverflowError, not successful, dead, reported exactly once")
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
            assertEquals(1, log.records.stream().filter(r -> r.getThrown() instanceof StackOverflowError).count());
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
            RuntimeException w = assertInstanceOf(GreenletFailedException.class,
                    assertThrows(RuntimeException.class, g::get));
            assertSame(checked, w.getCause());
        });
    }
}
