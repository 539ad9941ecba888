package io.gevent4j.spec;

/*
 * Spec section 3 (Timeout / with_timeout, TO-01..TO-25) and section 0's "outer timeout never lost" check,
 * for Java callers. gevent's main greenlet is played by a scenario greenlet (inGreenlet); "foreign thread"
 * variants run on a fresh platform thread that belongs to no hub (a Java service thread).
 *
 * Adapted or skipped cases (no JVM equivalent, or a decided deviation):
 *  - TO-05, second half: Timeout(D, ValueError) with an exception CLASS (and one taken from sys.exc_info()):
 *    Java passes Throwable instances only; the instance form is tested.
 *  - TO-06 / TO-07: Timeout(x, False) ("silent" with-block): there is no False exception on the JVM. The JVM
 *    form of a silent timeout is Gevent.withTimeout(d, fn, timeoutValue), tested by TO-17, TO-19 and TO-20.
 *  - TO-08: Timeout(x, 'XXX') with a string: the parameter is a Throwable; a string cannot be passed. The
 *    message of a Timeout with an exception is checked in TO-23.
 *  - TO-09: exception object()/non-exception classes: ruled out by the type system (Throwable parameter).
 *  - TO-12: decided deviation: a negative duration is an IllegalArgumentException at construction.
 *  - TO-18, middle part: Timeout.start_new(t) with a Timeout instance: no such overload in the Java API (and
 *    start() while pending is an IllegalStateException, TO-02).
 *  - TO-19: "timeout_value is not passed to the function": a GreenCallable takes no arguments.
 *  - TO-21: adapted: Timeout extends Error, so catch (Exception e) cannot catch it.
 *  - TO-24: loop.update_now has no API; adapted: after the greenlet hogged the hub without yielding, a
 *    Timeout started then still counts its delay from start().
 *  - TO-25: Timeout(0) < 1 / ordering by seconds: Timeout is not Comparable in the Java API (compare
 *    duration() instead); skipped.
 */

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gevent4j.Gevent;
import io.gevent4j.GreenRunnable;
import io.gevent4j.Greenlet;
import io.gevent4j.Timeout;
import io.gevent4j.event.Event;
import io.gevent4j.testing.Foreign;
import io.gevent4j.testing.GeventTestBase;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class TimeoutSpecTest extends GeventTestBase {

    /** Where a scenario runs: gevent's main greenlet role, or a thread of no hub. */
    enum Where {
        IN_GREENLET,
        FOREIGN_THREAD
    }

    /** A timer of {@code delay} seconds fired after {@code elapsed}: gevent's get-style bounds, scaled. */
    private static void assertFiredAfter(double delay, double elapsed) {
        assertWithin(delay * (GET_MIN / GET_TIMEOUT), delay + (GET_MAX - GET_TIMEOUT), elapsed);
    }

    private void run(Where where, GreenRunnable scenario) throws Exception {
        if (where == Where.IN_GREENLET) {
            inGreenlet(scenario);
        } else {
            Foreign.runAndWait("foreign-test-thread", scenario);
        }
    }

    private static void busyFor(double seconds) {
        long end = System.nanoTime() + (long) (seconds * 1e9);
        while (System.nanoTime() - end < 0) {
            Thread.onSpinWait();
        }
    }

    // ---- TO-01 .. TO-05 ----------------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(Where.class)
    @DisplayName(
            "TO-01: Timeout(0.05) is not pending, says '0.05 seconds'; started, sleep(1) raises the Timeout itself after ~0.05 s")
    void to01_startedTimeoutRaisesItselfAtTheNextSleep(Where where) throws Exception {
        run(where, () -> {
            Timeout t = new Timeout(0.05);
            assertFalse(t.isPending());
            assertEquals("0.05 seconds", t.getMessage());
            assertEquals(Duration.ofMillis(50), t.duration());
            assertEquals("0.05 seconds", new Timeout(Duration.ofMillis(50)).getMessage());
            long start = System.nanoTime();
            t.start();
            assertTrue(t.isPending());
            Timeout caught = assertThrows(Timeout.class, () -> Gevent.sleep(1.0));
            double elapsed = since(start);
            assertSame(t, caught);
            assertFalse(t.isPending());
            assertFiredAfter(0.05, elapsed);
            t.close();
        });
    }

    @ParameterizedTest
    @EnumSource(Where.class)
    @DisplayName(
            "TO-02: start() while pending -> IllegalStateException '... is already started; to restart it, cancel it first'; the timer is unaffected")
    void to02_startWhilePendingIsRefused(Where where) throws Exception {
        run(where, () -> {
            Timeout t = new Timeout(0.05);
            try (t) {
                t.start();
                IllegalStateException e = assertThrows(IllegalStateException.class, t::start);
                assertTrue(
                        e.getMessage().contains("is already started; to restart it, cancel it first"), e.getMessage());
                assertTrue(e.getMessage().contains("0.05 seconds"), "names the timeout: " + e.getMessage());
                assertTrue(t.isPending());
                assertSame(
                        t, assertThrows(Timeout.class, () -> Gevent.sleep(1.0)), "the first start's timer still fires");
            }
        });
    }

    @Test
    @DisplayName(
            "TO-03: with Timeout(2D): sleep(D) -> no exception, pending inside, not pending after the block, nothing fires later")
    void to03_blockFinishingInTimeCancelsTheTimeout() {
        double d = 0.05;
        inGreenlet(() -> {
            Timeout t = new Timeout(2 * d);
            try (t) {
                t.start();
                Gevent.sleep(d);
                assertTrue(t.isPending());
            }
            assertFalse(t.isPending());
            Gevent.sleep(3 * d); // the cancelled timer must not fire here
        });
    }

    @Test
    @DisplayName("TO-04: with Timeout(D) as t: sleep(10D) -> raises t itself")
    void to04_expiringBlockRaisesTheTimeoutItself() {
        double d = 0.01;
        inGreenlet(() -> {
            Timeout t = new Timeout(d);
            Timeout caught = assertThrows(Timeout.class, () -> {
                try (t) {
                    t.start();
                    Gevent.sleep(10 * d);
                }
            });
            assertSame(t, caught);
            assertFalse(t.isPending());
        });
    }

    @Test
    @DisplayName("TO-05: Timeout(D, new IOException(..)) -> raises that very IOException instance")
    void to05_timeoutWithExceptionRaisesThatInstance() {
        double d = 0.01;
        inGreenlet(() -> {
            IOException io = new IOException("custom timeout");
            Timeout t = new Timeout(d, io);
            assertSame(io, t.exceptionToRaise());
            Throwable caught = assertThrows(Throwable.class, () -> {
                try (t) {
                    t.start();
                    Gevent.sleep(10 * d);
                }
            });
            assertSame(io, caught);
            assertFalse(t.isPending());

            IllegalStateException unchecked = new IllegalStateException("unchecked custom timeout");
            Timeout t2 = Timeout.startNew(Duration.ofMillis(10), unchecked);
            try (t2) {
                assertSame(unchecked, assertThrows(IllegalStateException.class, () -> Gevent.sleep(1.0)));
            }
        });
    }

    // ---- TO-10 .. TO-14 ----------------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(Where.class)
    @DisplayName("TO-10: Timeout() / Timeout(null) never fires, message '', never pending, start() is a no-op")
    void to10_timeoutWithoutDurationNeverFires(Where where) throws Exception {
        run(where, () -> {
            List<Timeout> none = List.of(
                    new Timeout(),
                    new Timeout((Duration) null),
                    new Timeout((Duration) null, new IOException("never")),
                    Timeout.startNew(null));
            for (Timeout t : none) {
                assertEquals("", t.getMessage());
                assertNull(t.duration());
                assertFalse(t.isPending());
                assertSame(t, t.start());
                assertFalse(t.isPending());
                assertSame(t, t.start(), "start() again is a no-op, not an IllegalStateException");
                try (t) {
                    Gevent.sleep(0.02);
                    assertFalse(t.isPending());
                }
            }
        });
    }

    @Test
    @DisplayName(
            "TO-11: Timeout(0) does not fire at sleep(0) nor in CPU work, fires at sleep(0.001); startNew(0, exc) around get() raises exc")
    void to11_zeroTimeout() {
        inGreenlet(() -> {
            try (Timeout t = Timeout.startNew(Duration.ZERO)) {
                Gevent.sleep();
                Gevent.sleep(0);
                assertTrue(t.isPending(), "sleep(0) does not run expired timers: Timeout(0) has not fired");
            }
            Timeout t1 = Timeout.startNew(Duration.ZERO);
            try (t1) {
                assertSame(t1, assertThrows(Timeout.class, () -> Gevent.sleep(0.001)));
            }
            try (Timeout t2 = Timeout.startNew(Duration.ZERO)) {
                busyFor(0.005);
                assertTrue(t2.isPending(), "a CPU-bound block cannot be interrupted; the timer has not run");
            }
            Gevent.sleep(0.01); // nothing stale fires after the cancelled ones

            Greenlet<String> late = Gevent.spawn(() -> {
                Gevent.sleep(0.12);
                return "set";
            });
            RuntimeException exc = new RuntimeException("zero timeout");
            Timeout t3 = Timeout.startNew(Duration.ZERO, exc);
            try (t3) {
                assertSame(exc, assertThrows(RuntimeException.class, late::get));
            }
            assertFalse(late.isDead());
            assertEquals("set", late.get());
        });
    }

    @Test
    @DisplayName(
            "TO-12 (deviation): a negative duration -> IllegalArgumentException at construction, naming argument and value")
    void to12_negativeDurationIsRefused() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> new Timeout(Duration.ofMillis(-1)));
        assertTrue(e.getMessage().contains("duration") && e.getMessage().contains("PT-0.001S"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Timeout(-1.0));
        assertTrue(e.getMessage().contains("seconds") && e.getMessage().contains("-1.0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Timeout.startNew(Duration.ofSeconds(-1)));
        assertTrue(e.getMessage().contains("PT-1S"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Timeout(Duration.ofSeconds(-1), new IOException()));
        assertTrue(e.getMessage().contains("PT-1S"), e.getMessage());
    }

    @ParameterizedTest
    @EnumSource(Where.class)
    @DisplayName(
            "TO-13: start(); cancel() -> not pending, nothing fires; start() again works and fires; close() releases it")
    void to13_cancelThenRestart(Where where) throws Exception {
        double d = 0.02;
        run(where, () -> {
            Timeout t = new Timeout(d);
            t.start();
            t.cancel();
            assertFalse(t.isPending());
            Gevent.sleep(3 * d); // a cancelled timer must not fire
            assertSame(t, t.start());
            assertTrue(t.isPending());
            assertSame(t, assertThrows(Timeout.class, () -> Gevent.sleep(10 * d)));
            assertFalse(t.isPending());
            t.start();
            t.close();
            assertFalse(t.isPending());
            Gevent.sleep(3 * d); // close() released it too
        });
    }

    @Test
    @DisplayName("TO-14: with Timeout(0.05): a 0.2 s busy loop without a switch completes without an exception")
    void to14_timeoutCannotInterruptCpuBoundCode() {
        inGreenlet(() -> {
            List<String> reached = new ArrayList<>();
            try (Timeout t = Timeout.startNew(Duration.ofMillis(50))) {
                busyFor(0.2);
                reached.add("end of busy loop");
                assertTrue(t.isPending(), "the timer cannot run while this greenlet computes without a switch");
            }
            Gevent.sleep(0.05); // the timer was cancelled by close(): nothing stale fires later
            assertEquals(List.of("end of busy loop"), reached);
        });
    }

    // ---- TO-15 .. TO-17: nesting ---------------------------------------------------------------------------

    @Test
    @DisplayName(
            "TO-15: outer Timeout(D) shorter than inner Timeout(20D): sleep(30D) raises the outer; outer not pending, inner pending until its block exits")
    void to15_outerShorterTimeoutWins() {
        double d = 0.02;
        inGreenlet(() -> {
            Timeout t1 = new Timeout(d);
            Timeout t2 = new Timeout(20 * d);
            List<String> seen = new ArrayList<>();
            try (t1) {
                t1.start();
                try (t2) {
                    t2.start();
                    try {
                        Gevent.sleep(30 * d);
                        seen.add("sleep returned");
                    } catch (Timeout e) {
                        assertSame(t1, e);
                        assertFalse(t1.isPending());
                        assertTrue(t2.isPending());
                        seen.add("inner saw t1");
                        throw e;
                    }
                }
            } catch (Timeout e) {
                assertSame(t1, e);
                assertFalse(t2.isPending(), "the inner block's close() cancelled t2");
                seen.add("outer saw t1");
            }
            assertEquals(List.of("inner saw t1", "outer saw t1"), seen);
        });
    }

    @Test
    @DisplayName(
            "TO-16: inner Timeout(D) shorter than outer Timeout(20D): raises the inner; outer still pending until its block exits")
    void to16_innerShorterTimeoutWins() {
        double d = 0.02;
        inGreenlet(() -> {
            Timeout t1 = new Timeout(20 * d);
            Timeout t2 = new Timeout(d);
            List<String> seen = new ArrayList<>();
            try (t1) {
                t1.start();
                try (t2) {
                    t2.start();
                    Gevent.sleep(30 * d);
                    seen.add("sleep returned");
                } catch (Timeout e) {
                    assertSame(t2, e);
                    assertTrue(t1.isPending());
                    assertFalse(t2.isPending());
                    seen.add("caught t2");
                }
                assertTrue(t1.isPending());
            }
            assertFalse(t1.isPending());
            Gevent.sleep(2 * d); // nothing else fires
            assertEquals(List.of("caught t2"), seen);
        });
    }

    // ---- TO-18 .. TO-20: startNew, withTimeout -------------------------------------------------------------

    @Test
    @DisplayName(
            "TO-18: Timeout.startNew(0.01) is started and fires; startNew(0.01, exc) raises exc; startNew(null) is never pending")
    void to18_startNew() {
        inGreenlet(() -> {
            Timeout t = Timeout.startNew(Duration.ofMillis(10));
            assertTrue(t.isPending());
            assertEquals("0.01 seconds", t.getMessage());
            assertSame(t, assertThrows(Timeout.class, () -> Gevent.sleep(1.0)));

            IllegalArgumentException exc = new IllegalArgumentException("value error");
            Timeout t2 = Timeout.startNew(Duration.ofMillis(10), exc);
            try (t2) {
                assertTrue(t2.isPending());
                assertSame(exc, assertThrows(IllegalArgumentException.class, () -> Gevent.sleep(1.0)));
            }
            Timeout never = Timeout.startNew(null);
            assertFalse(never.isPending());
        });
    }

    @Test
    @DisplayName(
            "TO-20: withTimeout(0.1, f) where f returns withTimeout(0.2, sleep 2, timeoutValue=1) -> raises the outer Timeout")
    void to20_innerTimeoutValueAppliesOnlyToTheInnerTimeout() {
        inGreenlet(() -> {
            Timeout e = assertThrows(
                    Timeout.class,
                    () -> Gevent.withTimeout(
                            Duration.ofMillis(100),
                            () -> Gevent.withTimeout(
                                    Duration.ofMillis(200),
                                    () -> {
                                        Gevent.sleep(2.0);
                                        return 0;
                                    },
                                    1)));
            assertEquals("0.1 seconds", e.getMessage());
        });
    }

    // ---- TO-21 .. TO-24 ------------------------------------------------------------------------------------

    @Test
    @DisplayName(
            "TO-21 (adapted): Timeout is an Error, not an Exception: catch (Exception e) inside the block does not catch it")
    void to21_catchExceptionDoesNotCatchATimeout() {
        assertTrue(Error.class.isAssignableFrom(Timeout.class));
        assertFalse(Exception.class.isAssignableFrom(Timeout.class));
        inGreenlet(() -> {
            List<String> seen = new ArrayList<>();
            Timeout t = new Timeout(0.01);
            try (t) {
                t.start();
                try {
                    Gevent.sleep(1.0);
                } catch (Exception e) {
                    seen.add("catch (Exception) " + e);
                }
                seen.add("after the inner try");
            } catch (Timeout e) {
                assertSame(t, e);
                seen.add("catch (Timeout)");
            }
            assertEquals(List.of("catch (Timeout)"), seen);
        });
    }

    @Test
    @DisplayName(
            "TO-22: the Timeout fires only in the greenlet that started it: main gets it in join(), g completes normally later")
    void to22_timeoutFiresOnlyInTheStartingGreenlet() {
        inGreenlet(() -> {
            steps.expect(1);
            Timeout t = Timeout.startNew(Duration.ofMillis(10));
            Greenlet<String> g = Gevent.spawn(() -> {
                steps.expect(2);
                Gevent.sleep(0.05);
                steps.expect(4);
                return "done";
            });
            Timeout caught = assertThrows(Timeout.class, () -> g.join());
            steps.expect(3);
            assertSame(t, caught);
            assertFalse(g.isDead());
            assertEquals("done", g.get());
            assertTrue(g.isSuccessful());
            steps.finish(5);
        });
        steps.assertFinished();
    }

    @Test
    @DisplayName(
            "TO-23: messages '1 second', '2 seconds', '1.5 seconds', '0 seconds', '1 second: <exception>'; a thrown, unstarted Timeout is not pending")
    void to23_messagesAndDirectRaise() {
        assertEquals("1 second", new Timeout(1.0).getMessage());
        assertEquals("1 second", new Timeout(Duration.ofSeconds(1)).getMessage());
        assertEquals("2 seconds", new Timeout(2.0).getMessage());
        assertEquals("1.5 seconds", new Timeout(Duration.ofMillis(1500)).getMessage());
        assertEquals("0 seconds", new Timeout(Duration.ZERO).getMessage());
        RuntimeException xx = new RuntimeException("XX");
        assertEquals("1 second: " + xx, new Timeout(1.0, xx).getMessage());
        Timeout t = new Timeout(1.0);
        try {
            throw t;
        } catch (Timeout e) {
            assertSame(t, e);
            assertFalse(e.isPending());
        }
    }

    @Test
    @DisplayName(
            "TO-24 (adapted): after the greenlet hogged the hub for 0.05 s, Timeout(0.05) still counts from start()")
    void to24_timerCountsFromStartEvenAfterTheHubWasHogged() {
        inGreenlet(() -> {
            busyFor(0.05);
            long start = System.nanoTime();
            Timeout t = Timeout.startNew(Duration.ofMillis(50));
            assertSame(t, assertThrows(Timeout.class, () -> Gevent.sleep(1.0)));
            assertFiredAfter(0.05, since(start));
        });
    }

    // ---- section 0: an outer timeout is never lost ---------------------------------------------------------

    /** With an outer Timeout.startNew(1 ms) running, {@code call} (timeout 1 s) must throw that very Timeout. */
    private void assertOuterTimeoutNotLost(Where where, GreenRunnable call) throws Exception {
        run(where, () -> {
            Timeout outer = Timeout.startNew(Duration.ofMillis(1));
            try {
                long start = System.nanoTime();
                Timeout caught = assertThrows(Timeout.class, call::run);
                assertSame(outer, caught, "the outer Timeout instance, not the call's own timeout");
                assertTrue(since(start) < 0.9, "raised by the 1 ms outer timeout, not after the call's 1 s");
            } finally {
                outer.cancel();
            }
        });
    }

    /** A greenlet that never finishes by itself (the hub's close() kills it). */
    private Greenlet<Boolean> blocker(Event never) {
        return hub.spawn(() -> never.waitFor());
    }

    @ParameterizedTest
    @EnumSource(Where.class)
    @DisplayName("Section 0: outer Timeout(1 ms) around join(timeout=1 s) raises that outer Timeout")
    void outerTimeoutNotLost_join(Where where) throws Exception {
        Greenlet<Boolean> g = blocker(new Event());
        assertOuterTimeoutNotLost(where, () -> g.join(Duration.ofSeconds(1)));
        assertOuterTimeoutNotLost(where, () -> g.join(1.0));
        assertFalse(g.isDead());
    }

    @ParameterizedTest
    @EnumSource(Where.class)
    @DisplayName("Section 0: outer Timeout(1 ms) around get(timeout=1 s) raises that outer Timeout")
    void outerTimeoutNotLost_get(Where where) throws Exception {
        Greenlet<Boolean> g = blocker(new Event());
        assertOuterTimeoutNotLost(where, () -> g.get(Duration.ofSeconds(1)));
        assertOuterTimeoutNotLost(where, () -> g.get(1.0));
        assertFalse(g.isDead());
    }

    @ParameterizedTest
    @EnumSource(Where.class)
    @DisplayName("Section 0: outer Timeout(1 ms) around Event.waitFor(timeout=1 s) raises that outer Timeout")
    void outerTimeoutNotLost_eventWaitFor(Where where) throws Exception {
        Event never = new Event();
        assertOuterTimeoutNotLost(where, () -> never.waitFor(Duration.ofSeconds(1)));
        assertOuterTimeoutNotLost(where, () -> never.waitFor(1.0));
    }

    @ParameterizedTest
    @EnumSource(Where.class)
    @DisplayName("Section 0: outer Timeout(1 ms) around Gevent.joinAll(timeout=1 s) raises that outer Timeout")
    void outerTimeoutNotLost_joinAll(Where where) throws Exception {
        Greenlet<Boolean> g = blocker(new Event());
        assertOuterTimeoutNotLost(where, () -> Gevent.joinAll(List.of(g), Duration.ofSeconds(1), false, 0));
        assertFalse(g.isDead());
    }

    @ParameterizedTest
    @EnumSource(Where.class)
    @DisplayName("Section 0: outer Timeout(1 ms) around Gevent.wait(timeout=1 s) raises that outer Timeout")
    void outerTimeoutNotLost_wait(Where where) throws Exception {
        Event never = new Event();
        Greenlet<Boolean> g = blocker(new Event());
        assertOuterTimeoutNotLost(where, () -> Gevent.wait(List.of(never), Duration.ofSeconds(1), 0));
        assertOuterTimeoutNotLost(where, () -> Gevent.wait(List.of(g), Duration.ofSeconds(1), 0));
    }

    @ParameterizedTest
    @EnumSource(Where.class)
    @DisplayName("Section 0: outer Timeout(1 ms) around Gevent.iwait(timeout=1 s) raises that outer Timeout")
    void outerTimeoutNotLost_iwait(Where where) throws Exception {
        Event never = new Event();
        assertOuterTimeoutNotLost(
                where,
                () -> Gevent.iwait(List.of(never), Duration.ofSeconds(1), 0)
                        .iterator()
                        .hasNext());
    }

    @ParameterizedTest
    @EnumSource(Where.class)
    @DisplayName("Section 0 (c): an outer Timeout built with an exception raises that exception from get(timeout=1 s)")
    void outerTimeoutWithExceptionRaisesThatException(Where where) throws Exception {
        Greenlet<Boolean> g = blocker(new Event());
        run(where, () -> {
            IllegalStateException exc = new IllegalStateException("outer");
            Timeout outer = Timeout.startNew(Duration.ofMillis(1), exc);
            try (outer) {
                assertSame(exc, assertThrows(IllegalStateException.class, () -> g.get(Duration.ofSeconds(1))));
            }
        });
    }

    @ParameterizedTest
    @EnumSource(Where.class)
    @DisplayName(
            "Section 0 / GL-16: get(timeout=0.01) raises a Timeout '0.01 seconds' within [0.009, 0.12] s; the greenlet is unaffected")
    void getStyleTimeoutWithinGeventBounds(Where where) throws Exception {
        Greenlet<Boolean> g = blocker(new Event());
        run(where, () -> {
            long start = System.nanoTime();
            Timeout e = assertThrows(Timeout.class, () -> g.get(GET_TIMEOUT));
            assertWithin(GET_MIN, GET_MAX, since(start));
            assertEquals("0.01 seconds", e.getMessage());
            start = System.nanoTime();
            assertThrows(Timeout.class, () -> g.get(Duration.ofMillis(10)));
            assertWithin(GET_MIN, GET_MAX, since(start));
            assertFalse(g.isDead());
        });
    }
}
