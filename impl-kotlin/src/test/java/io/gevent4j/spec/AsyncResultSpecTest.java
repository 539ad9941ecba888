package io.gevent4j.spec;

/*
 * Spec section 5 (gevent-semantics.md): AsyncResult. The scenario greenlet started by inGreenlet(...) plays
 * gevent's main greenlet; waiters are Java greenlets and foreign threads (platform threads of no hub) where a
 * case allows. Kotlin greenlets as waiters: EventKotlinSpecTest.
 *
 * AsyncResult has no linkCount(): a foreign waiter is known to be registered once it is parked in the call
 * (LockSupport.getBlocker(thread) != null: registration precedes the park). A foreign waiter runs in parallel
 * with the hub once woken, so the tests assert what it got, not where its record lands among the greenlets'.
 *
 * Skipped / adapted cases:
 *   AR-01  exc_info: Python's (type, value, traceback) triple has no JVM counterpart; the rest of AR-01 is tested.
 *   AR-08  JVM deviation (API.md): the last outcome wins, value or exception; tested as such.
 *   AR-11  g.link(ar) (ar as a callable): mapped to link / linkValue / linkException callbacks that set the
 *          AsyncResult from the source greenlet.
 *   AR-12  JVM deviation (API.md): a greenlet killed with GreenletExit is successful with value null (T cannot
 *          hold the GreenletExit), so the linked AsyncResult holds null, successfully.
 *   AR-13  futures aliases (result, set_result, done, cancel, cancelled): not in the API.
 */

import static io.gevent4j.testing.Recording.recorder;
import static io.gevent4j.testing.Recording.snapshot;
import static io.gevent4j.testing.Waiting.awaitBlocked;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.gevent4j.Gevent;
import io.gevent4j.Greenlet;
import io.gevent4j.GreenletFailedException;
import io.gevent4j.Timeout;
import io.gevent4j.event.AsyncResult;
import io.gevent4j.testing.Foreign;
import io.gevent4j.testing.GeventTestBase;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class AsyncResultSpecTest extends GeventTestBase {

    @BeforeAll
    static void warmUpOnce() {
        EventSpecTest.warmUp();
    }

    /** gevent's {@code g.link(ar)}: the source's value or exception goes into {@code ar}. */
    private static <T> Consumer<Greenlet<T>> into(AsyncResult<T> ar) {
        return src -> {
            if (src.isSuccessful()) {
                ar.set(src.value());
            } else {
                ar.setException(src.exception());
            }
        };
    }

    // ---- AR-01 .. AR-03 --------------------------------------------------------------------------------------

    @Test
    @DisplayName("AR-01: a new AsyncResult is not ready, not successful, value and exception null")
    void ar01_newAsyncResultIsEmpty() {
        AsyncResult<Integer> ar = new AsyncResult<>();
        assertFalse(ar.isReady());
        assertFalse(ar.isSuccessful());
        assertNull(ar.value());
        assertNull(ar.exception());
    }

    @Test
    @DisplayName("AR-02: getNowait() and get(0) on an empty AsyncResult raise Timeout at once")
    void ar02_nonBlockingGetRaisesTimeout() throws Exception {
        AsyncResult<Integer> ar = new AsyncResult<>();
        inGreenlet(() -> {
            long start = System.nanoTime();
            assertThrows(Timeout.class, ar::getNowait);
            assertThrows(Timeout.class, () -> ar.get(Duration.ZERO));
            assertWithin(0, GET_MAX, since(start)); // "at once": GET_MAX leaves room for first-use class loading
        });
        Foreign<Object> f = Foreign.call("ar02-foreign", () -> {
            assertThrows(Timeout.class, ar::getNowait);
            assertThrows(Timeout.class, () -> ar.get(Duration.ZERO));
            return "ok";
        });
        assertEquals("ok", f.get());
    }

    @Test
    @DisplayName(
            "AR-03: get(0.01) raises Timeout within [0.009, 0.12] s; waitFor(0.2) returns null within [0.1, 0.31] s")
    void ar03_getTimesOutWithTimeoutAndWaitTimesOutWithNull() throws Exception {
        AsyncResult<Integer> ar = new AsyncResult<>();
        inGreenlet(() -> {
            long start = System.nanoTime();
            assertThrows(Timeout.class, () -> ar.get(Duration.ofMillis(10)));
            assertWithin(GET_MIN, GET_MAX, since(start));
            start = System.nanoTime();
            assertNull(ar.waitFor(Duration.ofMillis(200)));
            assertWithin(WAIT_MIN, WAIT_MAX, since(start));
        });
        Foreign<double[]> f = Foreign.call("ar03-foreign", () -> {
            long start = System.nanoTime();
            assertThrows(Timeout.class, () -> ar.get(Duration.ofMillis(10)));
            double got = since(start);
            start = System.nanoTime();
            assertNull(ar.waitFor(Duration.ofMillis(200)));
            return new double[] {got, since(start)};
        });
        double[] elapsed = f.get();
        assertWithin(GET_MIN, GET_MAX, elapsed[0]);
        assertWithin(WAIT_MIN, WAIT_MAX, elapsed[1]);
        assertFalse(ar.isReady());
    }

    @Test
    @DisplayName(
            "AR-03 (timing.py a): an outer Timeout expiring during get(1) / waitFor(1) is raised, the same instance")
    void ar03_outerTimeoutIsNotLost() {
        AsyncResult<Integer> ar = new AsyncResult<>();
        inGreenlet(() -> {
            for (int i = 0; i < 2; i++) {
                Timeout t = Timeout.startNew(Duration.ofMillis(1));
                try {
                    if (i == 0) {
                        ar.get(Duration.ofSeconds(1));
                    } else {
                        ar.waitFor(Duration.ofSeconds(1));
                    }
                    fail("returned");
                } catch (Timeout caught) {
                    assertSame(t, caught);
                } finally {
                    t.cancel();
                }
            }
        });
    }

    // ---- AR-04 .. AR-06 --------------------------------------------------------------------------------------

    @Test
    @DisplayName("AR-04: spawnLater(0.01, set(42)) -> get() == 42, waitFor() == 42, value 42, successful")
    void ar04_valueSetLaterIsSeenByGetAndWait() throws Exception {
        AsyncResult<Integer> ar = new AsyncResult<>();
        Foreign<Integer> f = Foreign.call("ar04-foreign", ar::get);
        inGreenlet(() -> {
            awaitBlocked(f.thread);
            Gevent.spawnLater(0.01, () -> ar.set(42));
            assertEquals(42, ar.get());
            assertEquals(42, ar.waitFor());
            assertEquals(42, ar.value());
            assertTrue(ar.isSuccessful());
            assertTrue(ar.isReady());
            assertNull(ar.exception());
        });
        assertEquals(42, f.get(), "the foreign waiter");
    }

    @Test
    @DisplayName("AR-04: a foreign thread's set(42) wakes the greenlet waiters")
    void ar04_foreignSetterWakesGreenletWaiters() throws Exception {
        AsyncResult<Integer> ar = new AsyncResult<>();
        AsyncResult<Void> go = new AsyncResult<>();
        Foreign<Void> setter = Foreign.call("ar04-setter", () -> {
            go.get(Duration.ofSeconds(10));
            ar.set(42);
            return null;
        });
        inGreenlet(() -> {
            Greenlet<Integer> w = Gevent.spawn(() -> ar.waitFor());
            Gevent.sleep();
            go.set(null);
            assertEquals(42, ar.get());
            assertEquals(42, w.get());
        });
        setter.get();
    }

    @Test
    @DisplayName("AR-05: set(null) -> ready, successful, get() returns null")
    void ar05_setNullIsASuccessfulOutcome() {
        AsyncResult<Object> ar = new AsyncResult<>();
        inGreenlet(() -> {
            Greenlet<Object> w = Gevent.spawn(() -> ar.get());
            Gevent.sleep();
            ar.set(null);
            assertTrue(ar.isReady());
            assertTrue(ar.isSuccessful());
            assertNull(ar.get());
            assertNull(ar.getNowait());
            assertNull(w.get());
            assertTrue(w.isSuccessful());
        });
    }

    @Test
    @DisplayName("AR-06: set(42); set(43) -> get() == 43 (setting again is allowed, the last value wins)")
    void ar06_lastValueWins() throws Exception {
        AsyncResult<Integer> ar = new AsyncResult<>();
        inGreenlet(() -> {
            ar.set(42);
            ar.set(43);
            assertEquals(43, ar.get());
            assertEquals(43, ar.value());
        });
        assertEquals(43, Foreign.call("ar06-foreign", () -> ar.get()).get());
    }

    // ---- AR-07 .. AR-08 --------------------------------------------------------------------------------------

    @Test
    @DisplayName("AR-07: setException(obj) -> a waiter blocked in get() catches exactly obj; then exception() is obj")
    void ar07_waiterCatchesExactlyTheStoredException() throws Exception {
        AsyncResult<Integer> ar = new AsyncResult<>();
        IllegalStateException obj = new IllegalStateException("obj");
        Foreign<Throwable> f = Foreign.call("ar07-foreign", () -> assertThrows(IllegalStateException.class, ar::get));
        List<Throwable> caught = Collections.synchronizedList(new ArrayList<>());
        inGreenlet(() -> {
            Gevent.spawn(() -> {
                try {
                    ar.get();
                } catch (IllegalStateException e) {
                    caught.add(e);
                }
            });
            Gevent.sleep();
            awaitBlocked(f.thread);
            ar.setException(obj);
            Gevent.sleep();
            assertEquals(1, caught.size());
            assertSame(obj, caught.get(0));
            assertTrue(ar.isReady());
            assertFalse(ar.isSuccessful());
            assertSame(obj, ar.exception());
            assertNull(ar.waitFor());
            assertNull(ar.value());
            assertSame(obj, assertThrows(IllegalStateException.class, ar::get));
            assertSame(obj, assertThrows(IllegalStateException.class, ar::getNowait));
        });
        assertSame(obj, f.get(), "the foreign waiter");
    }

    @Test
    @DisplayName(
            "AR-07 (JVM): a checked exception arrives wrapped in GreenletFailedException, the same wrapper for every caller")
    void ar07_checkedExceptionArrivesInOneWrapper() throws Exception {
        AsyncResult<Integer> ar = new AsyncResult<>();
        IOException obj = new IOException("obj");
        Foreign<Throwable> f = Foreign.call("ar07-foreign", () -> assertThrows(GreenletFailedException.class, ar::get));
        inGreenlet(() -> {
            Greenlet<Throwable> w = Gevent.spawn(() -> assertThrows(GreenletFailedException.class, ar::get));
            Gevent.sleep();
            awaitBlocked(f.thread);
            ar.setException(obj);
            Throwable inGreenlet = w.get();
            assertSame(obj, inGreenlet.getCause());
            assertSame(inGreenlet, assertThrows(GreenletFailedException.class, ar::get));
            assertSame(inGreenlet, assertThrows(GreenletFailedException.class, () -> ar.get(Duration.ofSeconds(1))));
            assertSame(inGreenlet, assertThrows(GreenletFailedException.class, ar::getNowait));
            assertSame(obj, ar.exception(), "exception() is the original");
            assertNull(ar.waitFor());
            assertSame(inGreenlet, f.get(), "the foreign waiter's wrapper");
        });
    }

    @Test
    @DisplayName("AR-08 (JVM deviation): the last outcome wins: set(43) then setException(x) -> get() throws x")
    void ar08_lastOutcomeWinsValueOrException() {
        inGreenlet(() -> {
            AsyncResult<Integer> ar = new AsyncResult<>();
            IllegalArgumentException x = new IllegalArgumentException("x");
            ar.set(43);
            ar.setException(x);
            assertSame(x, assertThrows(IllegalArgumentException.class, ar::get));
            assertSame(x, ar.exception());
            assertNull(ar.value());
            assertNull(ar.waitFor());
            assertFalse(ar.isSuccessful());
            assertTrue(ar.isReady());

            AsyncResult<Integer> ar2 = new AsyncResult<>();
            ar2.setException(x);
            ar2.set(5);
            assertEquals(5, ar2.get());
            assertTrue(ar2.isSuccessful());
            assertNull(ar2.exception());
        });
    }

    // ---- AR-09 .. AR-12 --------------------------------------------------------------------------------------

    @Test
    @DisplayName("AR-09: withTimeout(DELAY, ar::get, X) with nothing set returns X")
    void ar09_withTimeoutReturnsTheTimeoutValue() {
        AsyncResult<String> ar = new AsyncResult<>();
        inGreenlet(() -> {
            long start = System.nanoTime();
            assertEquals("X", Gevent.withTimeout(Duration.ofMillis(10), ar::get, "X"));
            assertWithin(GET_MIN, GET_MAX, since(start));
            assertFalse(ar.isReady());
        });
    }

    @Test
    @DisplayName(
            "AR-10: waiters blocked in get() (Java greenlets and foreign threads mixed) wake in the order they blocked")
    void ar10_waitersWakeInFifoOrder() throws Exception {
        AsyncResult<String> ar = new AsyncResult<>();
        List<String> res = recorder();
        List<Foreign<String>> foreign = new ArrayList<>();
        inGreenlet(() -> {
            // blocking order: g0, f1 (foreign), g2, g3, f4 (foreign), g5
            for (int i = 0; i < 6; i++) {
                int n = i;
                if (n == 1 || n == 4) {
                    Foreign<String> f = Foreign.call("ar10-f" + n, ar::get);
                    foreign.add(f);
                    awaitBlocked(f.thread);
                } else {
                    Gevent.spawn(() -> {
                        res.add("(" + n + "," + ar.get() + ")");
                    });
                    Gevent.sleep();
                }
            }
            ar.set("v");
            res.add("after-set");
            Gevent.sleep();
        });
        assertEquals(List.of("after-set", "(0,v)", "(2,v)", "(3,v)", "(5,v)"), snapshot(res));
        for (Foreign<String> f : foreign) {
            assertEquals("v", f.get());
        }
    }

    @Test
    @DisplayName(
            "AR-11: AsyncResult as a link target: a greenlet returning 1 fills link and linkValue targets, not linkException")
    void ar11_linkTargetsOfASuccessfulGreenlet() {
        inGreenlet(() -> {
            AsyncResult<Integer> s1 = new AsyncResult<>();
            AsyncResult<Integer> s2 = new AsyncResult<>();
            AsyncResult<Integer> s3 = new AsyncResult<>();
            Greenlet<Integer> g = Gevent.spawn(() -> 1);
            g.link(into(s1));
            g.linkValue(into(s2));
            g.linkException(into(s3));
            assertEquals(1, s1.get());
            assertEquals(1, s2.get());
            assertThrows(Timeout.class, () -> s3.get(Duration.ofMillis(10)));
        });
    }

    @Test
    @DisplayName(
            "AR-11: AsyncResult as a link target: a failing greenlet fills link and linkException targets, not linkValue")
    void ar11_linkTargetsOfAFailingGreenlet() {
        inGreenlet(() -> {
            AsyncResult<Integer> s1 = new AsyncResult<>();
            AsyncResult<Integer> s2 = new AsyncResult<>();
            AsyncResult<Integer> s3 = new AsyncResult<>();
            IllegalStateException boom = new IllegalStateException("expected failure, AR-11");
            Greenlet<Integer> g = Gevent.spawn(() -> {
                throw boom;
            });
            g.link(into(s1));
            g.linkValue(into(s2));
            g.linkException(into(s3));
            assertSame(boom, assertThrows(IllegalStateException.class, s1::get));
            assertThrows(Timeout.class, () -> s2.get(Duration.ofMillis(10)));
            assertSame(boom, assertThrows(IllegalStateException.class, s3::get));
        });
    }

    @Test
    @DisplayName("AR-12 (JVM deviation): a killed greenlet linked into an AsyncResult makes it successful, value null")
    void ar12_killedGreenletLinkedIntoAnAsyncResultIsSuccessful() {
        inGreenlet(() -> {
            AsyncResult<Void> ar = new AsyncResult<>();
            Greenlet<Void> g = Gevent.spawn(() -> Gevent.sleep(10));
            g.link(into(ar));
            Gevent.sleep();
            g.kill();
            assertNull(ar.get(Duration.ofSeconds(1)));
            assertTrue(ar.isSuccessful());
            assertNull(ar.exception());
        });
    }

    @Test
    @DisplayName("AR (JVM): a value set while a foreign thread waits in get(timeout) reaches it before the timeout")
    void arForeignTimedWaiterGetsTheValue() throws Exception {
        AsyncResult<String> ar = new AsyncResult<>();
        Foreign<String> f = Foreign.call("ar-foreign-timed", () -> ar.get(Duration.ofSeconds(10)));
        inGreenlet(() -> {
            awaitBlocked(f.thread);
            ar.set("v");
        });
        assertEquals("v", f.get());
    }
}
