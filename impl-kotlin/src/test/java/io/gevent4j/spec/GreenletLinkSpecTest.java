package io.gevent4j.spec;

import static io.gevent4j.spec.GreenletSpecTest.*;
import static io.gevent4j.testing.Recording.recorder;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gevent4j.BlockingSwitchOutException;
import io.gevent4j.Gevent;
import io.gevent4j.GreenCallable;
import io.gevent4j.GreenRunnable;
import io.gevent4j.Greenlet;
import io.gevent4j.Waitable;
import io.gevent4j.event.Event;
import io.gevent4j.testing.ExpectedError;
import io.gevent4j.testing.GeventTestBase;
import io.gevent4j.testing.LogCapture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Spec section 2.5 (gevent-semantics.md): link, linkValue, linkException, rawlink and unlink of a Greenlet.
 * Split from GreenletSpecTest (skipped cases, deviations, helpers).
 */
class GreenletLinkSpecTest extends GeventTestBase {

    // ---- 2.5 link / linkValue / linkException / rawlink / unlink -----------------------------------

    @ParameterizedTest(name = "N = {0}")
    @ValueSource(ints = {2, 3, 4, 1000})
    @DisplayName("GL-39: links run in the order they were added")
    void gl39_linksRunInRegistrationOrder(int n) {
        inGreenlet(() -> {
            List<Integer> lst = recorder();
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
    @DisplayName(
            "GL-40: link callbacks run in a new greenlet (they may block); rawlink callbacks run on the hub and must not block")
    void gl40_linkRunsInAGreenletRawlinkOnTheHub() {
        inGreenlet(() -> {
            List<Object> linkCtx = recorder();
            List<Object> rawCtx = recorder();
            Greenlet<Void> g = Gevent.spawn(() -> Gevent.sleep(0.001));
            g.link(src -> {
                Greenlet<?> me = Gevent.getcurrent();
                linkCtx.addAll(Arrays.asList(me, Thread.currentThread().isVirtual(), hub.isHubThread()));
                Gevent.sleep(0.001); // a link greenlet may block
                linkCtx.add("slept");
            });
            g.rawlink(src -> {
                rawCtx.addAll(Arrays.asList(
                        src, Gevent.getcurrent(), Thread.currentThread().isVirtual(), hub.isHubThread()));
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
    @DisplayName(
            "GL-41: a link added after the death is not called synchronously, but by the next loop iteration (after sleep(0))")
    void gl41_linkAfterDeathRunsInTheNextIteration() {
        inGreenlet(() -> {
            Greenlet<Integer> g = Gevent.spawn(() -> 1);
            g.join();
            List<String> log = recorder();
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
    @DisplayName(
            "GL-42: a greenlet returning 25: link and linkValue targets see 25, linkException targets are untouched; again when linked 3 more times")
    void gl42_successNotifiesLinkAndLinkValueOnly() {
        inGreenlet(() -> {
            Greenlet<Integer> g = Gevent.spawn(() -> 25);
            List<Object> got = recorder();
            List<Object> exc = recorder();
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
    @DisplayName(
            "GL-43: killed with GreenletExit: link and linkValue fire (successful, value null), linkException does not; kill(error): link and linkException only")
    void gl43_killNotifiesByOutcome() {
        quietly(List.of(GREENLET_LOGGER), () -> {
            List<String> log = recorder();
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
    @DisplayName(
            "GL-44: a greenlet that raised: link and linkException targets get g and get() re-throws; linkValue targets are not called")
    void gl44_failureNotifiesLinkAndLinkExceptionOnly() {
        quietly(List.of(GREENLET_LOGGER), () -> {
            ExpectedError err = new ExpectedError("raised", 0);
            Greenlet<Integer> g = Gevent.spawn(() -> {
                throw err;
            });
            List<Object> got = recorder();
            List<Object> values = recorder();
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
            List<Throwable> seen = recorder();
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
            List<Integer> q = recorder();
            List<Greenlet<Integer>> ps =
                    List.of(Gevent.spawn(() -> 101), Gevent.spawn(() -> 102), Gevent.spawn(() -> 103));
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
    @DisplayName(
            "GL-47: removeLink/unlink by the original callback removes link, linkValue, linkException and rawlink; unknown ones are ignored; unlinkAll removes all")
    void gl47_unlinkRemovesCallbacks() {
        quietly(List.of(GREENLET_LOGGER), () -> {
            List<String> log = recorder();
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
    @DisplayName(
            "GL-48: callbacks that throw do not stop the others, and each error is reported (successful and failed greenlets)")
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
                    List<Integer> results = recorder();
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
                    assertTrue(
                            results.equals(List.of(10, 20)) || results.equals(List.of(20, 10)), "rawlink: " + results);
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
            List<Integer> results = recorder();
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
    @DisplayName(
            "GL-50 (JVM form): null callbacks, kill exceptions and names are NullPointerExceptions naming the parameter")
    void gl50_nullArgumentsAreRefusedNamingTheParameter() {
        inGreenlet(() -> {
            Greenlet<Integer> g = new Greenlet<>(() -> 1);
            List<GreenRunnable> calls = List.of(
                    () -> g.link(null), () -> g.linkValue(null), () -> g.linkException(null), () -> g.rawlink(null));
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
}
