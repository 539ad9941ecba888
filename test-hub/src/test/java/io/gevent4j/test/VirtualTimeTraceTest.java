package io.gevent4j.test;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gevent4j.Gevent;
import io.gevent4j.Greenlet;
import io.gevent4j.GreenletExit;
import io.gevent4j.Hub;
import io.gevent4j.Timeout;
import io.gevent4j.event.Event;
import io.gevent4j.queue.QueueEmptyException;
import io.gevent4j.queue.SimpleQueue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The virtual-time hub keeps the real hub's order: each scenario (spec sections 1-3, plus the timed waits of 4 and 6)
 * runs on a real hub and on a virtual-time hub; both record the order of their events, which must be equal, and the
 * virtual run's times must be the exact sums of the delays.
 */
class VirtualTimeTraceTest {
    interface Scenario {
        void run(Trace t) throws Exception;
    }

    static Stream<Arguments> scenarios() {
        return Stream.of(
                Arguments.of(
                        "SCH-02 FIFO spawns, sleep(0) re-queues",
                        (Scenario) t -> {
                            for (String n : List.of("1", "2", "3")) {
                                Gevent.spawn(() -> {
                                    t.add(n + "A");
                                    Gevent.sleep(0);
                                    t.add(n + "B");
                                });
                            }
                            t.add("M1");
                            Gevent.sleep(0);
                            t.add("M2");
                            Gevent.sleep(0.01);
                            t.add("end");
                        },
                        List.of("M1@0", "1A@0", "2A@0", "3A@0", "M2@0", "1B@0", "2B@0", "3B@0", "end@10")),
                Arguments.of(
                        "SCH-04 spawnLater in deadline order",
                        (Scenario) t -> {
                            Gevent.spawnLater(0.02, () -> t.add("L20"));
                            Gevent.spawnLater(0.01, () -> t.add("L10"));
                            Gevent.spawnLater(0, () -> t.add("L0"));
                            Gevent.spawn(() -> t.add("S"));
                            Gevent.sleep(0.05);
                            t.add("end");
                        },
                        List.of("S@0", "L0@0", "L10@10", "L20@20", "end@50")),
                Arguments.of(
                        "SCH-05 sleep(0.001) after sleep(0)",
                        (Scenario) t -> {
                            Gevent.spawn(() -> {
                                t.add("a1");
                                Gevent.sleep(0.001);
                                t.add("a2");
                            });
                            Gevent.spawn(() -> {
                                t.add("b1");
                                Gevent.sleep(0);
                                t.add("b2");
                            });
                            Gevent.sleep(0.05);
                            t.add("end");
                        },
                        List.of("a1@0", "b1@0", "b2@0", "a2@1", "end@50")),
                Arguments.of(
                        "SCH-11 idle() after the busy ones",
                        (Scenario) t -> {
                            Gevent.spawn(() -> {
                                Gevent.idle();
                                t.add("idle");
                            });
                            Gevent.spawn(() -> {
                                for (int i = 0; i < 3; i++) {
                                    t.add("s" + i);
                                    Gevent.sleep(0);
                                }
                            });
                            Gevent.sleep(0.02);
                            t.add("end");
                        },
                        List.of("s0@0", "s1@0", "s2@0", "idle@0", "end@20")),
                Arguments.of(
                        "SCH-13 a timer outlives a short sleep",
                        (Scenario) t -> {
                            Greenlet<Void> f = Gevent.spawn(() -> {
                                Gevent.spawnLater(0.01, () -> t.add("pop"));
                                Gevent.sleep(0.02);
                                t.add("func-end");
                            });
                            f.join();
                            t.add("joined");
                        },
                        List.of("pop@10", "func-end@20", "joined@20")),
                Arguments.of(
                        "GL join(timeout) then join()",
                        (Scenario) t -> {
                            Greenlet<String> g = Gevent.spawn(() -> {
                                Gevent.sleep(0.1);
                                t.add("g-done");
                                return "v";
                            });
                            t.add("join1:" + g.join(Duration.ofMillis(50)));
                            t.add("get:" + g.get());
                        },
                        List.of("join1:false@50", "g-done@100", "get:v@100")),
                Arguments.of(
                        "GL kill lands in the sleep, links in order",
                        (Scenario) t -> {
                            Greenlet<Void> g = Gevent.spawn(() -> {
                                try {
                                    Gevent.sleep(1);
                                } catch (GreenletExit e) {
                                    t.add("exit");
                                    throw e;
                                }
                            });
                            g.link(x -> t.add("link1"));
                            g.rawlink(x -> t.add("rawlink2"));
                            Gevent.sleep(0.03);
                            g.kill();
                            t.add("killed:" + g.isDead());
                        },
                        List.of("exit@30", "link1@30", "rawlink2@30", "killed:true@30")),
                Arguments.of(
                        "TO-04 Timeout(0.2) in a long sleep",
                        (Scenario) t -> {
                            Timeout to = new Timeout(0.2).start();
                            try {
                                Gevent.sleep(2);
                                t.add("no timeout");
                            } catch (Timeout e) {
                                t.add("timeout:" + (e == to));
                            } finally {
                                to.cancel();
                            }
                        },
                        List.of("timeout:true@200")),
                Arguments.of(
                        "TO-06/TO-19 withTimeout with and without a value",
                        (Scenario) t -> {
                            t.add(Gevent.withTimeout(
                                    Duration.ofMillis(100),
                                    () -> {
                                        Gevent.sleep(0.2);
                                        return "slept";
                                    },
                                    "fallback"));
                            try {
                                Gevent.withTimeout(Duration.ofMillis(10), () -> {
                                    Gevent.sleep(1);
                                    return null;
                                });
                            } catch (Timeout e) {
                                t.add("raised");
                            }
                        },
                        List.of("fallback@100", "raised@110")),
                Arguments.of(
                        "TO-15/TO-16 nested Timeouts: the shorter fires",
                        (Scenario) t -> {
                            Timeout outer = new Timeout(0.05).start();
                            try {
                                Timeout inner = new Timeout(0.1).start();
                                try {
                                    Gevent.sleep(1);
                                } finally {
                                    inner.cancel();
                                }
                            } catch (Timeout e) {
                                t.add("outer:" + (e == outer));
                            } finally {
                                outer.cancel();
                            }
                            Timeout outer2 = new Timeout(0.1).start();
                            try {
                                Timeout inner2 = new Timeout(0.02).start();
                                try {
                                    Gevent.sleep(1);
                                } catch (Timeout e) {
                                    t.add("inner:" + (e == inner2));
                                } finally {
                                    inner2.cancel();
                                }
                                Gevent.sleep(1);
                            } catch (Timeout e) {
                                t.add("outer2:" + (e == outer2));
                            } finally {
                                outer2.cancel();
                            }
                        },
                        List.of("outer:true@50", "inner:true@70", "outer2:true@150")),
                Arguments.of(
                        "1.4 iwait hands out in readiness order",
                        (Scenario) t -> {
                            List<Greenlet<Integer>> gs = new ArrayList<>();
                            for (int ms : new int[] {30, 10, 20}) {
                                gs.add(Gevent.spawn(() -> {
                                    Gevent.sleep(ms / 1000.0);
                                    return ms;
                                }));
                            }
                            for (Greenlet<Integer> g : Gevent.iwait(gs)) t.add("ready" + g.get());
                        },
                        List.of("ready10@10", "ready20@20", "ready30@30")),
                Arguments.of(
                        "1.5 joinAll with a timeout",
                        (Scenario) t -> {
                            Greenlet<Void> fast = Gevent.spawn(() -> Gevent.sleep(0.01));
                            Greenlet<Void> slow = Gevent.spawn(() -> Gevent.sleep(0.1));
                            t.add("done:"
                                    + Gevent.joinAll(List.of(fast, slow), Duration.ofMillis(50), false, 0)
                                            .size());
                            slow.join();
                            t.add("slow");
                        },
                        List.of("done:1@50", "slow@100")),
                Arguments.of(
                        "startLater, Event.waitFor and Queue.get with timeouts",
                        (Scenario) t -> {
                            Event ev = new Event();
                            Greenlet<Void> later = new Greenlet<Void>(() -> {
                                t.add("later");
                                return null;
                            });
                            later.startLater(Duration.ofMillis(15));
                            t.add("wait:" + ev.waitFor(Duration.ofMillis(40)));
                            SimpleQueue<String> q = new SimpleQueue<>();
                            try {
                                q.get(Duration.ofMillis(30));
                            } catch (QueueEmptyException e) {
                                t.add("empty");
                            }
                            Gevent.spawnLater(0.005, () -> q.put("x"));
                            t.add("got:" + q.get(Duration.ofSeconds(1)));
                        },
                        List.of("later@15", "wait:false@40", "empty@70", "got:x@75")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void sameOrderAsARealHubAtExactVirtualTimes(String name, Scenario scenario, List<String> expected)
            throws Exception {
        Trace real = new Trace(() -> 0L);
        try (Hub hub = Hub.create("trace-real")) {
            hub.spawn(() -> {
                        scenario.run(real);
                        return null;
                    })
                    .get();
        }
        VirtualTimeHub.runTest(h -> {
            Trace virtual = new Trace(h::elapsedNanos);
            scenario.run(virtual);
            assertEquals(expected, virtual.timed(), name + ": the virtual run's exact times");
            assertEquals(real.events(), virtual.events(), name + ": the same order on both hubs");
        });
    }
}
