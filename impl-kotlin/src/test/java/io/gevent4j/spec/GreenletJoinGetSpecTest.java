package io.gevent4j.spec;

import static io.gevent4j.spec.GreenletSpecTest.*;
import static io.gevent4j.testing.Recording.recorder;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gevent4j.Gevent;
import io.gevent4j.Greenlet;
import io.gevent4j.GreenletFailedException;
import io.gevent4j.Timeout;
import io.gevent4j.testing.ExpectedError;
import io.gevent4j.testing.GeventTestBase;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Spec section 2.2 (gevent-semantics.md): Greenlet join and get. Split from GreenletSpecTest, whose header lists
 * the skipped cases and deviations of section 2, and whose helpers this uses.
 */
class GreenletJoinGetSpecTest extends GeventTestBase {

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
            List<String> log = recorder();
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
    @DisplayName(
            "GL-16: get(0.01) on a sleeping greenlet throws Timeout('0.01 seconds') after [0.009, 0.12] s; the greenlet is unaffected")
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
    @DisplayName(
            "GL-17: getNowait() on a running greenlet throws Timeout() at once: no seconds, empty message, no yield")
    void gl17_getNowaitOnRunningThrowsEmptyTimeoutAtOnce() {
        inGreenlet(() -> {
            Greenlet<Void> g = Gevent.spawn(() -> Gevent.sleep(1));
            Gevent.sleep();
            List<String> log = recorder();
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
    @DisplayName(
            "GL-18: get() returns the value; re-throws the same failure every time; returns null after a GreenletExit kill")
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
            List<String> log = recorder();
            Greenlet<Void> g = Gevent.spawn(() -> Gevent.sleep(0.01));
            g.link(x -> log.add("cb1"));
            g.rawlink(x -> log.add("cb2"));
            g.linkValue(x -> log.add("cb3"));
            g.join();
            assertEquals(List.of("cb1", "cb2", "cb3"), log);
        });
    }
}
