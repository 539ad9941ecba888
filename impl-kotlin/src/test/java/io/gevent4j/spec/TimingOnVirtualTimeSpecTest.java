package io.gevent4j.spec;

import static io.gevent4j.spec.GreenletSpecTest.assertFlags;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gevent4j.Gevent;
import io.gevent4j.Greenlet;
import io.gevent4j.Timeout;
import io.gevent4j.pool.Group;
import io.gevent4j.pool.Pool;
import io.gevent4j.test.VirtualTimeHub;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Spec cases whose subject is an order or an outcome, not real time, moved from the real-time spec tests
 * (GreenletKillSpecTest, TimeoutSpecTest, ModuleFunctionsSpecTest, GroupPoolSpecTest, GroupPoolApplySpecTest) to the
 * virtual-time hub: the same observable results, now at exact virtual times, in milliseconds of real time. The cases
 * about real time itself (SCH-06, SCH-07, SCH-10, TO-14, the wall-clock tolerances of section 0) stay on real hubs.
 */
class TimingOnVirtualTimeSpecTest {
    private static final long MS = 1_000_000L;

    private static long ms(VirtualTimeHub h) {
        return h.elapsedNanos() / MS;
    }

    @Test
    @DisplayName("GL-24: kill() after startLater(): the body never runs, links still fire")
    void gl24_killAfterStartLaterNeverRuns() throws Exception {
        VirtualTimeHub.runTest(h -> {
            AtomicInteger runs = new AtomicInteger();
            List<String> log = new CopyOnWriteArrayList<>();
            Greenlet<Void> g = new Greenlet<Void>(() -> {
                runs.incrementAndGet();
                return null;
            });
            g.link(x -> log.add("L"));
            g.rawlink(x -> log.add("R"));
            g.startLater(Duration.ofMillis(200));
            g.kill();
            assertFlags(g, false, false, true, true, true);
            Gevent.sleep(0.25); // past the start it would have had
            assertEquals(250, ms(h));
            assertEquals(0, runs.get());
            assertFlags(g, false, false, true, true, true);
            assertEquals(List.of("L", "R"), log);
        });
    }

    @Test
    @DisplayName("TO-17: an inner silent Timeout does not swallow the outer one")
    void to17_innerSilentTimeoutDoesNotSwallowTheOuter() throws Exception {
        VirtualTimeHub.runTest(h -> {
            List<String> reached = new ArrayList<>();
            String r = Gevent.withTimeout(
                    Duration.ofMillis(20),
                    () -> {
                        String inner = Gevent.withTimeout(
                                Duration.ofMillis(200),
                                () -> {
                                    Gevent.sleep(1.2);
                                    reached.add("after sleep");
                                    return "inner result";
                                },
                                "inner timeoutValue");
                        reached.add("after inner: " + inner);
                        return inner;
                    },
                    "outer timeoutValue");
            assertEquals("outer timeoutValue", r);
            assertEquals(20, ms(h), "the outer timer fired at its exact time");
            assertEquals(List.of(), reached);
            Gevent.sleep(0.25); // the inner timer (0.2 s) was cancelled, it must not fire now
            assertEquals(270, ms(h));
        });
    }

    @Test
    @DisplayName("TO-19: withTimeout raises Timeout, returns timeoutValue, or the function's result")
    void to19_withTimeout() throws Exception {
        VirtualTimeHub.runTest(h -> {
            Timeout e = assertThrows(
                    Timeout.class,
                    () -> Gevent.withTimeout(Duration.ofMillis(10), () -> {
                        Gevent.sleep(1.0);
                        return "result";
                    }));
            assertEquals("0.01 seconds", e.getMessage());
            assertEquals(10, ms(h));
            assertEquals(
                    "X",
                    Gevent.withTimeout(
                            Duration.ofMillis(10),
                            () -> {
                                Gevent.sleep(1.0);
                                return "result";
                            },
                            "X"));
            assertEquals(20, ms(h));
            assertEquals(
                    "result",
                    Gevent.withTimeout(
                            Duration.ofMillis(200),
                            () -> {
                                Gevent.sleep(0.01);
                                return "result";
                            },
                            "X"));
            assertEquals(30, ms(h));
            assertNull(
                    Gevent.withTimeout(
                            Duration.ofMillis(200),
                            () -> {
                                Gevent.sleep(0.01);
                                return null;
                            },
                            "X"),
                    "the function's own null result, not timeoutValue");
            assertEquals(40, ms(h));
            Gevent.sleep(0.3); // the timers of the calls that finished in time were cancelled
            assertEquals(340, ms(h));
        });
    }

    @Test
    @DisplayName("MOD-23: joinAll(timeout) waits the full timeout, also for an unstarted greenlet")
    void mod23_joinAllTimeoutWaitsFullTimeoutAlsoForUnstarted() throws Exception {
        VirtualTimeHub.runTest(h -> {
            Greenlet<Void> sleeper = Gevent.spawn(() -> Gevent.sleep(10));
            assertEquals(List.of(), Gevent.joinAll(List.of(sleeper), Duration.ofMillis(200), false, 0));
            assertEquals(200, ms(h));
            sleeper.kill();

            Greenlet<Void> unstarted = new Greenlet<>(() -> {});
            assertEquals(List.of(), Gevent.joinAll(List.of(unstarted), Duration.ofMillis(200), false, 0));
            assertEquals(400, ms(h));
            assertFalse(unstarted.isStarted());
        });
    }

    @Test
    @DisplayName("PL-04: Pool(1): a second spawn blocks until the first member finishes")
    void pl04_secondSpawnBlocksUntilTheFirstFinishes() throws Exception {
        VirtualTimeHub.runTest(h -> {
            Pool p = new Pool(1);
            Greenlet<Void> first = p.spawn(() -> Gevent.sleep(0.1));
            assertEquals(1, p.size());
            p.spawn(() -> Gevent.sleep(0.1));
            assertEquals(100, ms(h), "the second spawn returned when the first member ended");
            assertTrue(first.isDead());
            assertEquals(1, p.size());
            Gevent.sleep(0.19);
            assertEquals(0, p.size());
        });
    }

    @Test
    @DisplayName("PL-32: imapUnordered yields in completion order")
    void pl32_imapUnorderedCompletionOrder() throws Exception {
        VirtualTimeHub.runTest(h -> {
            assertEquals(
                    List.of("10", "1", "2"),
                    drain(new Pool(1).imapUnordered(TimingOnVirtualTimeSpecTest::sleepHundredths, List.of(10, 1, 2))));
            assertEquals(130, ms(h), "one at a time: 0.1 + 0.01 + 0.02 s");
            assertEquals(
                    List.of("1", "2", "10"),
                    drain(new Pool(2).imapUnordered(TimingOnVirtualTimeSpecTest::sleepHundredths, List.of(10, 1, 2))));
            assertEquals(230, ms(h));
            assertEquals(
                    List.of("1", "2", "10"),
                    drain(new Pool().imapUnordered(TimingOnVirtualTimeSpecTest::sleepHundredths, List.of(10, 1, 2))));
            assertEquals(330, ms(h));
            assertEquals(
                    List.of("1", "2", "10"),
                    drain(new Group().imapUnordered(TimingOnVirtualTimeSpecTest::sleepHundredths, List.of(10, 1, 2))));
            assertEquals(430, ms(h));
        });
    }

    /** gevent's sleep_tenths, in hundredths of a second. */
    private static String sleepHundredths(Integer n) {
        Gevent.sleep(n * 0.01);
        return String.valueOf(n);
    }

    private static <T> List<T> drain(Iterable<T> it) {
        List<T> out = new ArrayList<>();
        for (T t : it) out.add(t);
        return out;
    }
}
