package io.gevent4j.spec;

import static io.gevent4j.spec.GreenletSpecTest.*;
import static io.gevent4j.testing.Recording.recorder;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gevent4j.Gevent;
import io.gevent4j.Greenlet;
import io.gevent4j.GreenletExit;
import io.gevent4j.GreenletFailedException;
import io.gevent4j.Timeout;
import io.gevent4j.testing.ExpectedError;
import io.gevent4j.testing.GeventTestBase;
import io.gevent4j.testing.LogCapture;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Spec sections 2.3 and 2.4 (gevent-semantics.md): Greenlet kill and GreenletExit. Split from GreenletSpecTest
 * (skipped cases, deviations, helpers).
 */
class GreenletKillSpecTest extends GeventTestBase {

    // ---- 2.3 kill -----------------------------------------------------------------------------------

    @Test
    @DisplayName(
            "GL-22: kill before start: dead and successful at once, links fire in the next iteration (link in a greenlet, rawlink on the hub), the body never runs")
    void gl22_killBeforeStartNeverRunsAndLinksFireNextIteration() {
        inGreenlet(() -> {
            AtomicInteger runs = new AtomicInteger();
            List<String> log = recorder();
            List<Object> linkCtx = recorder();
            List<Object> rawCtx = recorder();
            Greenlet<Void> g = new Greenlet<Void>(() -> {
                runs.incrementAndGet();
            });
            g.link(x -> {
                log.add("L");
                linkCtx.addAll(Arrays.asList(
                        Gevent.getcurrent(), Thread.currentThread().isVirtual(), hub.isHubThread()));
            });
            g.rawlink(x -> {
                log.add("R");
                rawCtx.addAll(Arrays.asList(
                        Gevent.getcurrent(), Thread.currentThread().isVirtual(), hub.isHubThread()));
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
    @DisplayName(
            "GL-23: spawn then kill before the loop switched to it: the body never runs; successful, value null (GreenletExit)")
    void gl23_killAfterSpawnBeforeItRanNeverRuns() {
        inGreenlet(() -> {
            AtomicInteger runs = new AtomicInteger();
            List<String> log = recorder();
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
    @DisplayName(
            "GL-25: kill while it sleeps: GreenletExit at the blocking call, except/finally run, kill() returns after the death")
    void gl25_killWhileRunningRaisesAtTheBlockingCallAndWaits() {
        inGreenlet(() -> {
            List<String> state = recorder();
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
            List<String> log = recorder();
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
            List<String> log = recorder();
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
    @DisplayName(
            "GL-29: kill(exception) on a running greenlet fails it with that very instance; get() throws it; it is reported")
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
                assertSame(
                        io, assertThrows(GreenletFailedException.class, h::get).getCause());
            });
            assertEquals(1, log.about(boom), "reported once");
            assertEquals(1, log.about(io), "reported once");
        }
    }

    @Test
    @DisplayName(
            "GL-30: kill(new Exception()) before start or while running: not successful, exception() is that instance")
    void gl30_killWithPlainExceptionBeforeStartOrWhileRunning() {
        quietly(List.of(GREENLET_LOGGER), () -> {
            Exception before = new Exception();
            Greenlet<Void> g = new Greenlet<Void>(() -> {});
            g.kill(before);
            assertFlags(g, false, false, true, true, false);
            assertSame(before, g.exception());
            assertSame(
                    before, assertThrows(GreenletFailedException.class, g::get).getCause());

            Exception during = new Exception();
            Greenlet<Void> h = Gevent.spawn(() -> Gevent.sleep(10));
            Gevent.sleep();
            h.kill(during);
            assertFlags(h, false, false, true, true, false);
            assertSame(during, h.exception());
        });
    }

    @Test
    @DisplayName(
            "GL-32: kill(timeout=0.2) of a greenlet that swallows GreenletExit returns quietly after [0.1, 0.31] s; it lives on")
    void gl32_killTimeoutNeverThrowsAndTargetMayLiveOn() {
        inGreenlet(() -> {
            AtomicBoolean stop = new AtomicBoolean();
            List<String> log = recorder();
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
            List<String> log = recorder();
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
    @DisplayName(
            "GL-34: a target looping over sleep(0) runs one more step before the kill lands: [0, 1, 'GreenletExit at iteration 1']")
    void gl34_killLandsAtTheNextSleep0() {
        inGreenlet(() -> {
            List<Object> out = recorder();
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
    @DisplayName(
            "GL-35: the kill request is a FIFO loop callback: spawn(X); kill(g, block=false); spawn(Y) -> [X, g killed, Y]")
    void gl35_killIsAFifoLoopCallback() {
        inGreenlet(() -> {
            List<String> log = recorder();
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
    @DisplayName(
            "GL-38: a greenlet ending with a GreenletExit subclass is successful, value null, no exception, nothing reported")
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
}
