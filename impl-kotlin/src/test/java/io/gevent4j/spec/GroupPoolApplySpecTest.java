package io.gevent4j.spec;

import static io.gevent4j.spec.GroupPoolSpecTest.*;
import static io.gevent4j.testing.Recording.recorder;
import static io.gevent4j.testing.Recording.snapshot;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gevent4j.Gevent;
import io.gevent4j.Greenlet;
import io.gevent4j.GreenletFailedException;
import io.gevent4j.Timeout;
import io.gevent4j.event.Event;
import io.gevent4j.pool.Group;
import io.gevent4j.pool.IMap;
import io.gevent4j.pool.Pool;
import io.gevent4j.queue.Queue;
import io.gevent4j.testing.ExpectedError;
import io.gevent4j.testing.GeventTestBase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Spec section 7.4 (gevent-semantics.md): apply, applyAsync, map and imap of Group / Pool. Split from
 * GroupPoolSpecTest (skipped cases, helpers); the map family across every pool kind is in GroupMapSpecTest.
 */
class GroupPoolApplySpecTest extends GeventTestBase {

    @BeforeAll
    static void warmUpOnce() {
        GroupPoolSpecTest.warmUp();
    }

    // ---- 7.4 apply / applyAsync / map / imap ---------------------------------------------------------

    @Test
    @DisplayName("PL-20: apply returns the function's result")
    void pl20_applyReturnsTheResult() {
        inGreenlet(() -> {
            assertEquals(25, new Pool(2).apply(() -> 5 * 5));
            assertEquals(9, new Pool(2).apply(() -> 3 * 3));
            assertEquals(List.of("foo", 1), new Pool().apply(() -> List.of("foo", 1)));
            assertEquals("g", new Group().apply(() -> "g"));
        });
    }

    @Test
    @DisplayName("PL-21: apply raises the function's error in the caller")
    void pl21_applyRaisesInTheCaller() {
        inGreenlet(() -> {
            ExpectedError boom = new ExpectedError("apply");
            assertSame(
                    boom,
                    assertThrows(
                            ExpectedError.class,
                            () -> new Pool(1).apply(() -> {
                                throw boom;
                            })));
            GreenletFailedException wrapped = assertThrows(
                    GreenletFailedException.class,
                    () -> new Pool(1).apply(() -> {
                        throw new java.io.IOException("checked");
                    }));
            assertInstanceOf(java.io.IOException.class, wrapped.getCause());
        });
    }

    @Test
    @DisplayName("PL-22: a nested apply from a member runs inline, so a full Pool(1) does not deadlock")
    void pl22_nestedApplyRunsInline() {
        inGreenlet(() -> {
            Pool pool = new Pool(1);
            assertEquals(6, pool.apply(() -> pool.apply(() -> 5 + 1)));
            assertEquals(List.of(2, 3), pool.apply(() -> pool.map(x -> x + 1, List.of(1, 2))));
            Event evt = new Event();
            pool.applyAsync(() -> {
                evt.set();
                return null;
            });
            assertTrue(evt.waitFor(Duration.ofSeconds(1)));
        });
    }

    @Test
    @DisplayName("PL-24: applyAsync callback runs in its own greenlet, on success only")
    void pl24_applyAsyncCallbackOnSuccessOnly() {
        List<Integer> result = recorder();
        List<Object> failed = recorder();
        inGreenlet(() -> {
            Pool p = new Pool(2);
            long t0 = System.nanoTime();
            Greenlet<Integer> g = p.applyAsync(
                    () -> {
                        Gevent.sleep(0.082);
                        return 7 * 7;
                    },
                    result::add);
            assertEquals(49, g.get());
            assertWithin(0.08, 0.082 + GET_MAX, since(t0));
            Gevent.sleep(0);
            assertEquals(List.of(49), snapshot(result));

            Greenlet<Integer> bad = p.applyAsync(
                    () -> {
                        throw new ExpectedError("no callback");
                    },
                    failed::add);
            bad.join();
            Gevent.sleep(0.01);
            assertEquals(List.of(), snapshot(failed));
        });
    }

    @Test
    @DisplayName("PL-25: applyAsync(...).get(timeout) raises Timeout after the timeout")
    void pl25_applyAsyncGetTimesOut() {
        inGreenlet(() -> {
            Pool p = new Pool(2);
            Greenlet<Integer> g = p.applyAsync(() -> {
                Gevent.sleep(0.235);
                return 36;
            });
            long t0 = System.nanoTime();
            assertThrows(Timeout.class, () -> g.get(0.035));
            assertWithin(0.033, 0.035 + GET_MAX, since(t0));
            p.kill();
        });
    }

    @Test
    @DisplayName("PL-26: map returns results in input order; map over [] is []")
    void pl26_mapKeepsInputOrder() {
        inGreenlet(() -> {
            Pool p = new Pool(3);
            assertEquals(
                    List.of(0, 1, 4, 9, 16),
                    p.map(
                            x -> {
                                Gevent.sleep((5 - x) * 0.005);
                                return x * x;
                            },
                            range(5)));
            List<Integer> expected = range(100).stream().map(x -> x * x).collect(Collectors.toList());
            assertEquals(expected, p.map(x -> x * x, range(100)));
            assertEquals(List.of(), p.map(x -> x, List.of()));
            assertEquals(List.of(2, 3), new Group().map(x -> x + 1, List.of(1, 2)));
        });
    }

    @Test
    @DisplayName("PL-27: imap over two iterables zips them, the shorter one wins")
    void pl27_imapZipsTwoIterables() {
        inGreenlet(() -> {
            assertEquals(
                    List.of(11, 22, 33),
                    drain(new Pool(2)
                            .imap((Integer a, Integer b) -> a + b, List.of(1, 2, 3), List.of(10, 20, 30, 40))));
            assertEquals(
                    List.of(11, 22),
                    drain(new Group().imap((Integer a, Integer b) -> a + b, List.of(1, 2, 3), List.of(10, 20))));
        });
    }

    @Test
    @DisplayName("PL-28: map raises the task's error")
    void pl28_mapRaisesTheError() {
        inGreenlet(() -> {
            assertThrows(ArithmeticException.class, () -> new Pool(2).map(x -> 1 / x, List.of(1, 0, 2)));
        });
    }

    @Test
    @DisplayName("PL-29: map raises the first error at once, without cancelling the other tasks")
    void pl29_mapRaisesAtOnceWithoutCancelling() {
        List<Integer> done = recorder();
        inGreenlet(() -> {
            ExpectedError boom = new ExpectedError("item 0");
            Pool p = new Pool(3);
            ExpectedError e = assertThrows(
                    ExpectedError.class,
                    () -> p.map(
                            x -> {
                                if (x == 0) {
                                    throw boom;
                                }
                                Gevent.sleep(0.02);
                                done.add(x);
                                return x;
                            },
                            List.of(0, 1, 2)));
            assertSame(boom, e);
            assertEquals(List.of(), snapshot(done), "map raised at once, before the other tasks ended");
            assertTrue(p.join(1.0, false));
            List<Integer> later = snapshot(done);
            Collections.sort(later);
            assertEquals(List.of(1, 2), later);

            // the first error in input order wins, even when a later item fails first
            ExpectedError first = new ExpectedError("first");
            ExpectedError second = new ExpectedError("second");
            assertSame(
                    first,
                    assertThrows(
                            ExpectedError.class,
                            () -> new Group()
                                    .map(
                                            x -> {
                                                if (x == 0) {
                                                    Gevent.sleep(0.02);
                                                    throw first;
                                                }
                                                throw second;
                                            },
                                            List.of(0, 1))));
        });
    }

    @Test
    @DisplayName("PL-30: imap and imapUnordered go on after an error")
    void pl30_imapContinuesAfterAnError() {
        inGreenlet(() -> {
            IMap<Double> it = new Pool(1)
                    .imap(
                            x -> {
                                if (x == 0) {
                                    throw new ArithmeticException("/ by zero");
                                }
                                return 1.0 / x;
                            },
                            List.of(1, 0, 2));
            assertSame(it, it.iterator());
            assertEquals(1.0, it.next());
            assertThrows(ArithmeticException.class, it::next);
            assertEquals(0.5, it.next());
            assertFalse(it.hasNext());
            assertThrows(NoSuchElementException.class, it::next);

            IMap<Double> un =
                    new Pool(1).imapUnordered(x -> 1.0 / (x == 0 ? Integer.valueOf(1 / x) : x), List.of(1, 0, 2));
            assertEquals(1.0, un.next());
            assertThrows(ArithmeticException.class, un::next);
            assertEquals(0.5, un.next());
            assertFalse(un.hasNext());
        });
    }

    static Iterable<Integer> failingAfterTwo(ExpectedError boom) {
        return () -> new Iterator<>() {
            int n;

            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public Integer next() {
                if (n == 2) {
                    throw boom;
                }
                return ++n;
            }
        };
    }

    @Test
    @DisplayName("PL-31: an error of the input iterator is raised in the caller")
    void pl31_inputIteratorErrorReachesTheCaller() {
        inGreenlet(() -> {
            ExpectedError boom = new ExpectedError("input");
            assertSame(boom, assertThrows(ExpectedError.class, () -> new Pool(3).map(x -> x, failingAfterTwo(boom))));
            assertSame(
                    boom,
                    assertThrows(
                            ExpectedError.class,
                            () -> drain(new Pool(3).imapUnordered(x -> x, failingAfterTwo(boom)))));
            IMap<Integer> ordered = new Pool(3).imap(x -> x, failingAfterTwo(boom));
            assertEquals(1, ordered.next());
            assertEquals(2, ordered.next());
            assertSame(boom, assertThrows(ExpectedError.class, ordered::next));
            assertFalse(ordered.hasNext());
        });
    }

    /** gevent's sleep_tenths, in hundredths of a second. */
    static final class GreenSleep {
        String apply(Integer n) {
            Gevent.sleep(n * 0.01);
            return String.valueOf(n);
        }
    }

    @Test
    @DisplayName("PL-33: imap keeps input order; past the end is NoSuchElementException; empty input is empty")
    void pl33_imapInputOrder() {
        inGreenlet(() -> {
            java.util.Random rnd = new java.util.Random(42);
            List<Double> delays = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                delays.add(rnd.nextDouble() * 0.01);
            }
            IMap<Integer> it = new Pool(4)
                    .imap(
                            i -> {
                                Gevent.sleep(delays.get(i));
                                return i * i;
                            },
                            range(10));
            List<Integer> expected = range(10).stream().map(x -> x * x).collect(Collectors.toList());
            assertEquals(expected, drain(it));
            assertThrows(NoSuchElementException.class, it::next);
            assertEquals(List.of(), drain(new Pool(2).imap(x -> x, List.of())));
            assertEquals(List.of(), drain(new Pool(2).imapUnordered(x -> x, List.of())));
            List<Integer> squares = drain(new Pool(10).imapUnordered(x -> x * x, range(1000)));
            Collections.sort(squares);
            assertEquals(range(1000).stream().map(x -> x * x).collect(Collectors.toList()), squares);
        });
    }

    @Test
    @DisplayName("PL-34: imap over a blocking input ends when the input ends")
    void pl34_imapOverABlockingInput() {
        inGreenlet(() -> {
            for (boolean ordered : new boolean[] {true, false}) {
                Queue<Integer> q = new Queue<>();
                q.put(123);
                Gevent.spawnLater(0.1, () -> q.put(-1)); // -1 plays StopIteration
                Iterable<Integer> items = () -> new Iterator<>() {
                    Integer next;

                    @Override
                    public boolean hasNext() {
                        if (next == null) {
                            next = q.get();
                        }
                        return next != -1;
                    }

                    @Override
                    public Integer next() {
                        hasNext();
                        Integer n = next;
                        next = null;
                        return n;
                    }
                };
                Pool p = new Pool(2);
                assertEquals(List.of(123), drain(ordered ? p.imap(x -> x, items) : p.imapUnordered(x -> x, items)));
            }
            Iterable<Integer> gen = () -> new Iterator<>() {
                int n;

                @Override
                public boolean hasNext() {
                    if (n == 3) {
                        Gevent.sleep(0.2);
                        return false;
                    }
                    return true;
                }

                @Override
                public Integer next() {
                    return n++;
                }
            };
            assertEquals(List.of(0, 1, 4), drain(new Pool(2).imap(x -> x * x, gen)));
        });
    }

    @Test
    @DisplayName("PL-36: mapAsync returns a greenlet whose value is the list; the callback receives the list")
    void pl36_mapAsync() {
        List<List<Integer>> seen = recorder();
        inGreenlet(() -> {
            Pool p = new Pool(2);
            Greenlet<List<Integer>> g = p.mapAsync(x -> x * 2, List.of(1, 2, 3));
            assertFalse(p.contains(g));
            assertEquals(List.of(2, 4, 6), g.get());
            Greenlet<List<Integer>> h = p.mapAsync(x -> x + 1, List.of(1, 2), seen::add);
            assertEquals(List.of(2, 3), h.get());
            Gevent.sleep(0);
            assertEquals(List.of(List.of(2, 3)), snapshot(seen));
        });
    }

    @Test
    @DisplayName("PL-37: consumer and producer in a Pool(2) interleave as cons1, prod, cons2")
    void pl37_consumerAndProducer() {
        List<String> log = recorder();
        inGreenlet(() -> {
            Pool p = new Pool(2);
            Event evt = new Event();
            Greenlet<Void> done = p.spawn(() -> {
                log.add("cons1");
                evt.waitFor();
                log.add("cons2");
            });
            p.applyAsync(() -> {
                Gevent.sleep(0.001);
                log.add("prod");
                evt.set();
                return null;
            });
            done.get();
            assertEquals(List.of("cons1", "prod", "cons2"), snapshot(log));
        });
    }
}
