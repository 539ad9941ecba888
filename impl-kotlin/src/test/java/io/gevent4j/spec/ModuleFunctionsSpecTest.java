package io.gevent4j.spec;

/*
 * Spec sections 1.4-1.7 (gevent-semantics.md): wait / iwait, joinAll, kill / killAll.
 * The scenario greenlet started by inGreenlet(...) plays gevent's main greenlet.
 *
 * Completion order is made deterministic with gates: each greenlet waits for its own Event, and a controller
 * greenlet opens the gates in the wanted order (Event wakes its waiters FIFO, EV-03), instead of hoping that
 * sleeps of 10/20/30 ms finish in deadline order. Timing is asserted only with gevent's tolerances.
 *
 * Skipped cases:
 *   MOD-04  wait() with no objects (wait for the whole loop): the API has no such overload.
 *   MOD-07  iwait over Semaphores: Semaphore does not exist yet.
 *   MOD-08  iwait as a context manager / Semaphore.linkcount(): no context-manager form, no Semaphore yet.
 *   MOD-12  wait([Semaphore(1)]): Semaphore does not exist yet.
 *   MOD-25  kill / killall of a spawn_raw greenlet: the API has no raw greenlets.
 *   MOD-31  spawn_raw(f, *args, **kwargs): the API has no raw greenlets.
 *   MOD-32  spawn_raw(non-callable): the API has no raw greenlets (and Java types rule it out).
 * Partly applicable:
 *   MOD-09  only the Event half: AsyncResult does not exist yet.
 *   MOD-10  with 10 Events instead of 5 Events + 5 AsyncResults: AsyncResult does not exist yet.
 *   MOD-22  Java deviation (API.md): value() of a greenlet killed with a GreenletExit is null, not the exit.
 */

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gevent4j.Gevent;
import io.gevent4j.Greenlet;
import io.gevent4j.GreenletExit;
import io.gevent4j.Timeout;
import io.gevent4j.event.Event;
import io.gevent4j.testing.GeventTestBase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ModuleFunctionsSpecTest extends GeventTestBase {

    private static final Duration WAIT = Duration.ofMillis((long) (WAIT_TIMEOUT * 1000));

    @BeforeAll
    static void warmUpOnce() {
        SchedulingSpecTest.warmUp();
    }

    /** A greenlet that returns {@code value} once {@code gate} is set. */
    private static Greenlet<String> gated(Event gate, String value) {
        return Gevent.spawn(() -> {
            gate.waitFor();
            return value;
        });
    }

    /** A controller greenlet that sets the gates in the given order, without yielding in between. */
    private static Greenlet<Void> opener(Event... gates) {
        return Gevent.spawn(() -> {
            for (Event e : gates) {
                e.set();
            }
        });
    }

    private static List<String> values(Iterable<? extends Greenlet<?>> gs) {
        List<String> out = new ArrayList<>();
        for (Greenlet<?> g : gs) {
            out.add(String.valueOf(g.value()));
        }
        return out;
    }

    /** a, b, c gated; the controller finishes them in the order b, c, a (gevent's a(.03), b(.01), c(.02)). */
    private record Abc(Greenlet<String> a, Greenlet<String> b, Greenlet<String> c, Event ga, Event gb, Event gc) {
        static Abc spawn() {
            Event ga = new Event();
            Event gb = new Event();
            Event gc = new Event();
            return new Abc(gated(ga, "a"), gated(gb, "b"), gated(gc, "c"), ga, gb, gc);
        }

        List<Greenlet<String>> all() {
            return List.of(a, b, c);
        }

        void finishInOrderBca() {
            opener(gb, gc, ga);
        }
    }

    // ---- 1.4 wait / iwait ----------------------------------------------------------------------------

    @Test
    @DisplayName("MOD-01: iwait yields the greenlets in completion order")
    void mod01_iwaitYieldsInCompletionOrder() {
        inGreenlet(() -> {
            Abc abc = Abc.spawn();
            abc.finishInOrderBca();
            List<String> got = new ArrayList<>();
            for (Greenlet<String> g : Gevent.iwait(abc.all())) {
                assertTrue(g.isReady());
                got.add(g.value());
            }
            assertEquals(List.of("b", "c", "a"), got);
        });
    }

    @Test
    @DisplayName(
            "MOD-02: wait(count=1) returns one; wait(timeout) returns the ready ones; wait() all in completion order")
    void mod02_waitWithCountAndTimeout() {
        inGreenlet(() -> {
            Abc abc = Abc.spawn();
            opener(abc.gb());
            List<Greenlet<String>> first = Gevent.wait(abc.all(), null, 1);
            assertEquals(List.of(abc.b()), first);
            long start = System.nanoTime();
            List<Greenlet<String>> again = Gevent.wait(abc.all(), Duration.ofMillis(5), 0);
            assertEquals(List.of(abc.b()), again, "b is ready already");
            assertTrue(since(start) < GET_MAX, "wait(timeout=0.005) took " + since(start));
            assertFalse(abc.a().isReady());
            assertFalse(abc.c().isReady());
            abc.gc().set();
            abc.ga().set();
            assertEquals(List.of("b", "c", "a"), values(Gevent.wait(abc.all())));
        });
    }

    @Test
    @DisplayName("MOD-03: wait() on objects that are all ready returns them in input order")
    void mod03_waitOnReadyObjectsReturnsInputOrder() {
        inGreenlet(() -> {
            Abc abc = Abc.spawn();
            abc.finishInOrderBca();
            assertEquals(List.of("b", "c", "a"), values(Gevent.joinAll(abc.all())));
            assertEquals(List.of("a", "b", "c"), values(Gevent.wait(abc.all())));
        });
    }

    @Test
    @DisplayName("MOD-05: iwait with a timeout yields the ready ones, then stops quietly")
    void mod05_iwaitTimeoutStopsQuietly() {
        inGreenlet(() -> {
            Event never = new Event();
            Greenlet<String> a = gated(never, "a");
            Greenlet<String> b = Gevent.spawn(() -> "b");
            List<Greenlet<String>> got = new ArrayList<>();
            long start = System.nanoTime();
            Iterator<Greenlet<String>> it = Gevent.iwait(List.of(a, b), WAIT, 0).iterator();
            while (it.hasNext()) {
                got.add(it.next());
            }
            assertWithin(WAIT_MIN, WAIT_MAX, since(start));
            assertEquals(List.of(b), got);
            assertFalse(it.hasNext());
            assertFalse(a.isReady());
        });
    }

    @Test
    @DisplayName("MOD-06: iwait(count=2) yields exactly two")
    void mod06_iwaitCountYieldsExactlyCount() {
        inGreenlet(() -> {
            Abc abc = Abc.spawn();
            abc.finishInOrderBca();
            List<Greenlet<String>> got = new ArrayList<>();
            Iterator<Greenlet<String>> it = Gevent.iwait(abc.all(), null, 2).iterator();
            while (it.hasNext()) {
                got.add(it.next());
            }
            assertEquals(List.of(abc.b(), abc.c()), got);
            Gevent.joinAll(abc.all());
            assertFalse(it.hasNext(), "count is reached, even with a third one ready now");
        });
    }

    @Test
    @DisplayName("MOD-09: wait([Event()], timeout=0.2) returns nothing after [0.1, 0.31] s")
    void mod09_waitOnAnUnsetEventTimesOut() {
        inGreenlet(() -> {
            Event e = new Event();
            long start = System.nanoTime();
            List<Event> got = Gevent.wait(List.of(e), WAIT, 0);
            assertWithin(WAIT_MIN, WAIT_MAX, since(start));
            assertEquals(List.of(), got);
            assertEquals(0, e.linkCount(), "wait() unlinks what is left");
        });
    }

    /** 10 Events, set one every 10 ms by a sender greenlet. */
    private static List<Event> tenEvents() {
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            events.add(new Event());
        }
        return events;
    }

    private static Greenlet<Void> sender(List<Event> events) {
        return Gevent.spawn(() -> {
            for (Event e : events) {
                Gevent.sleep(0.01);
                e.set();
            }
        });
    }

    @Test
    @DisplayName("MOD-10: wait on 10 objects set one every 10 ms: all / count=1 / count=2 / no timeout")
    void mod10_waitOnObjectsSetBySender() {
        inGreenlet(() -> {
            List<Event> events = tenEvents();
            Greenlet<Void> s = sender(events);
            List<Event> got = Gevent.wait(events, Duration.ofSeconds(1), 0);
            assertEquals(events, got);
            assertTrue(s.join(Duration.ofSeconds(1)));
            assertTrue(s.isDead(), "the sender is finished");

            events = tenEvents();
            s = sender(events);
            got = Gevent.wait(events, Duration.ofSeconds(1), 1);
            assertEquals(List.of(events.get(0)), got);
            assertFalse(s.isDead(), "count=1: the sender is not finished");
            s.kill();

            events = tenEvents();
            s = sender(events);
            got = Gevent.wait(events, Duration.ofSeconds(1), 2);
            assertEquals(events.subList(0, 2), got);
            s.kill();

            events = tenEvents();
            s = sender(events);
            got = Gevent.wait(events, null, 0);
            assertEquals(events, got);
        });
    }

    @Test
    @DisplayName("MOD-11: wait([e]) on a set Event returns [e], twice")
    void mod11_waitOnASetEventTwice() {
        inGreenlet(() -> {
            Event e = new Event();
            e.set();
            assertEquals(List.of(e), Gevent.wait(List.of(e)));
            assertEquals(List.of(e), Gevent.wait(List.of(e)));
        });
    }

    // ---- 1.5 joinAll ---------------------------------------------------------------------------------

    @Test
    @DisplayName("MOD-13: joinAll returns the greenlets in completion order")
    void mod13_joinAllReturnsCompletionOrder() {
        inGreenlet(() -> {
            Abc abc = Abc.spawn();
            abc.finishInOrderBca();
            List<Greenlet<?>> done = Gevent.joinAll(abc.all());
            assertEquals(List.of(abc.b(), abc.c(), abc.a()), done);
        });
    }

    @Test
    @DisplayName("MOD-14: joinAll(timeout) returns only the finished ones")
    void mod14_joinAllTimeoutReturnsOnlyFinished() {
        inGreenlet(() -> {
            Abc abc = Abc.spawn();
            opener(abc.gb());
            long start = System.nanoTime();
            List<Greenlet<?>> done = Gevent.joinAll(abc.all(), WAIT, false, 0);
            assertWithin(WAIT_MIN, WAIT_MAX, since(start));
            assertEquals(List.of(abc.b()), done);
            assertFalse(abc.a().isDead());
            assertFalse(abc.c().isDead());
        });
    }

    @Test
    @DisplayName("MOD-15: joinAll(count=2) returns the first two to finish")
    void mod15_joinAllCountReturnsFirstTwo() {
        inGreenlet(() -> {
            Abc abc = Abc.spawn();
            abc.finishInOrderBca();
            assertEquals(List.of(abc.b(), abc.c()), Gevent.joinAll(abc.all(), null, false, 2));
        });
    }

    @Test
    @DisplayName("MOD-16: joinAll(raiseError) raises the first failure at once; the others keep running")
    void mod16_joinAllRaiseErrorRaisesFirstFailureAndDoesNotKillOthers() {
        inGreenlet(() -> {
            Event never = new Event();
            IllegalStateException errB = new IllegalStateException("b");
            Greenlet<String> a = gated(never, "a");
            Greenlet<Void> b = Gevent.spawn(() -> {
                Gevent.sleep(GET_TIMEOUT);
                throw errB;
            });
            Greenlet<Void> c = Gevent.spawn(() -> {
                never.waitFor();
                throw new IllegalStateException("c");
            });
            long start = System.nanoTime();
            IllegalStateException thrown =
                    assertThrows(IllegalStateException.class, () -> Gevent.joinAll(List.of(a, b, c), null, true, 0));
            assertWithin(GET_MIN, GET_MAX, since(start));
            assertSame(errB, thrown);
            Gevent.sleep();
            assertTrue(a.isAlive(), "a is not killed");
            assertTrue(c.isAlive(), "c is not killed");
        });
    }

    @Test
    @DisplayName("MOD-17: joinAll(raiseError) raises the earliest failure to complete, not the first in the list")
    void mod17_joinAllRaisesEarliestFailureNotListOrder() {
        inGreenlet(() -> {
            IllegalStateException first = new IllegalStateException("first");
            IllegalStateException second = new IllegalStateException("second");
            Greenlet<Void> a = Gevent.spawn(() -> {
                Gevent.sleep(0.1);
                throw first;
            });
            Greenlet<Void> b = Gevent.spawn(() -> {
                throw second;
            });
            IllegalStateException thrown =
                    assertThrows(IllegalStateException.class, () -> Gevent.joinAll(List.of(a, b), null, true, 0));
            assertSame(second, thrown);
            a.join();
            assertSame(first, a.exception());
        });
    }

    @Test
    @DisplayName("MOD-18: joinAll(raiseError) raises, also for an already dead failed greenlet")
    void mod18_joinAllRaiseErrorAlsoForAlreadyDeadFailure() {
        inGreenlet(() -> {
            IllegalArgumentException err = new IllegalArgumentException("y");
            Greenlet<Void> x = Gevent.spawn(() -> Gevent.sleep(1));
            Greenlet<Void> y = Gevent.spawn(() -> {
                throw err;
            });
            assertSame(
                    err,
                    assertThrows(IllegalArgumentException.class, () -> Gevent.joinAll(List.of(x, y), null, true, 0)));
            assertTrue(y.isDead());
            assertSame(
                    err, assertThrows(IllegalArgumentException.class, () -> Gevent.joinAll(List.of(y), null, true, 0)));
            x.kill();
        });
    }

    @Test
    @DisplayName("MOD-19: joinAll(raiseError=false, count=1) returns once the raiser is done")
    void mod19_joinAllCountOneWithoutRaiseError() {
        inGreenlet(() -> {
            Event never = new Event();
            Greenlet<String> sleeper = gated(never, "sleeper");
            Greenlet<Void> raiser = Gevent.spawn(() -> {
                throw new IllegalStateException("raiser");
            });
            List<Greenlet<?>> done = Gevent.joinAll(List.of(sleeper, raiser), null, false, 1);
            assertEquals(List.of(raiser), done);
            assertTrue(raiser.isReady());
            assertFalse(sleeper.isReady());
        });
    }

    @Test
    @DisplayName("MOD-20: joinAll(raiseError) without errors; the values are there")
    void mod20_joinAllWithoutErrors() {
        inGreenlet(() -> {
            Greenlet<Integer> x = Gevent.spawn(() -> 1);
            Greenlet<Integer> y = Gevent.spawn(() -> 2);
            Greenlet<Integer> z = Gevent.spawn(() -> 3);
            List<Greenlet<?>> done = Gevent.joinAll(List.of(x, y, z), null, true, 0);
            assertEquals(3, done.size());
            assertEquals(List.of(1, 2, 3), List.of(x.value(), y.value(), z.value()));
        });
    }

    @Test
    @DisplayName("MOD-21: joinAll with a duplicate entry returns normally; joinAll([]) is []")
    void mod21_joinAllDuplicateAndEmpty() {
        inGreenlet(() -> {
            Greenlet<String> a = Gevent.spawn(() -> "a");
            Greenlet<String> b = Gevent.spawn(() -> {
                Gevent.sleep();
                return "b";
            });
            List<Greenlet<?>> done = Gevent.joinAll(List.of(a, b, a));
            assertTrue(done.contains(a) && done.contains(b), "done: " + done);
            assertTrue(a.isDead() && b.isDead());
            assertEquals(List.of(), Gevent.joinAll(List.of()));
        });
    }

    /** A GreenletExit subclass, as in gevent's test. */
    private static final class MyExit extends GreenletExit {
        private static final long serialVersionUID = 1L;
    }

    @Test
    @DisplayName("MOD-22: joinAll(raiseError) does not raise a GreenletExit: it is a success")
    void mod22_joinAllDoesNotRaiseGreenletExit() {
        inGreenlet(() -> {
            Greenlet<Void> g = Gevent.spawn(() -> {
                throw new MyExit();
            });
            List<Greenlet<?>> done = Gevent.joinAll(List.of(g), null, true, 0);
            assertEquals(List.of(g), done);
            assertTrue(g.isSuccessful());
            assertNull(g.exception());
            assertNull(g.value(), "API.md deviation: value() is null after a GreenletExit");
            assertNull(g.get());
        });
    }

    // ---- 1.6 kill / killAll --------------------------------------------------------------------------

    @Test
    @DisplayName("MOD-24: Gevent.kill never blocks: the target dies at the caller's next sleep(0)")
    void mod24_killNeverBlocks() {
        inGreenlet(() -> {
            Greenlet<Void> g = Gevent.spawn(() -> Gevent.sleep(1));
            Gevent.sleep();
            assertTrue(g.isAlive());
            Gevent.kill(g);
            assertFalse(g.isDead(), "kill() returned before the target died");
            Gevent.sleep();
            assertTrue(g.isDead(), "dead after one sleep(0)");
            assertTrue(g.isSuccessful());
            assertNull(g.exception());
        });
    }

    @Test
    @DisplayName("MOD-26: killAll of never-switched-to greenlets: all dead, successful, none ever ran")
    void mod26_killAllBeforeStartNoneRan() {
        inGreenlet(() -> {
            AtomicBoolean ran = new AtomicBoolean();
            List<Greenlet<Void>> gs = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                gs.add(Gevent.spawn(() -> {
                    ran.set(true);
                    Gevent.sleep(1);
                }));
            }
            Gevent.killAll(gs);
            for (Greenlet<Void> g : gs) {
                assertTrue(g.isDead());
                assertTrue(g.isSuccessful(), "a GreenletExit is a success");
                assertNull(g.exception());
                assertNull(g.value());
            }
            Gevent.sleep(0.01);
            assertFalse(ran.get(), "no function ever ran");
        });
    }

    @Test
    @DisplayName("MOD-27: killAll(block=false) returns with none dead; all are dead after sleep(0)")
    void mod27_killAllNonBlocking() {
        inGreenlet(() -> {
            List<Greenlet<Void>> gs = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                gs.add(Gevent.spawn(() -> Gevent.sleep(1)));
            }
            Gevent.sleep();
            for (Greenlet<Void> g : gs) {
                assertTrue(g.isAlive());
            }
            Gevent.killAll(gs, new GreenletExit(), false, null);
            for (Greenlet<Void> g : gs) {
                assertFalse(g.isDead(), "killAll(block=false) returned before the deaths");
            }
            Gevent.sleep();
            for (Greenlet<Void> g : gs) {
                assertTrue(g.isDead(), "dead after one sleep(0)");
            }
        });
    }

    @Test
    @DisplayName("MOD-28: killAll(timeout) raises Timeout when a greenlet swallows the GreenletExit")
    void mod28_killAllTimeoutRaisesTimeout() {
        inGreenlet(() -> {
            AtomicInteger swallowed = new AtomicInteger();
            Greenlet<Void> g = Gevent.spawn(() -> {
                while (true) {
                    try {
                        Gevent.sleep(10);
                    } catch (GreenletExit e) {
                        if (swallowed.incrementAndGet() > 1) {
                            throw e;
                        }
                    }
                }
            });
            Gevent.sleep();
            long start = System.nanoTime();
            assertThrows(Timeout.class, () -> Gevent.killAll(List.of(g), new GreenletExit(), true, WAIT));
            assertWithin(WAIT_MIN, WAIT_MAX, since(start));
            assertEquals(1, swallowed.get());
            assertTrue(g.isAlive(), "the swallower lives on");
            g.kill();
            assertTrue(g.isDead());
        });
    }

    @Test
    @DisplayName("MOD-29: killAll(exception) fails each greenlet with that exception")
    void mod29_killAllWithExceptionFailsEach() {
        inGreenlet(() -> {
            IllegalArgumentException err = new IllegalArgumentException("killed");
            List<Greenlet<Void>> gs = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                gs.add(Gevent.spawn(() -> Gevent.sleep(1)));
            }
            Gevent.sleep();
            Gevent.killAll(gs, err, true, null);
            for (Greenlet<Void> g : gs) {
                assertTrue(g.isDead());
                assertFalse(g.isSuccessful());
                assertSame(err, g.exception());
            }
        });
    }

    @Test
    @DisplayName("MOD-30: killAll([]) is a no-op; killing dead greenlets (twice) does no harm")
    void mod30_killAllEmptyAndAlreadyDead() {
        inGreenlet(() -> {
            Gevent.killAll(List.of());
            Greenlet<String> done = Gevent.spawn(() -> "done");
            done.join();
            Greenlet<Void> live = Gevent.spawn(() -> Gevent.sleep(1));
            Gevent.sleep();
            List<Greenlet<?>> gs = Collections.unmodifiableList(List.of(done, live));
            Gevent.killAll(gs);
            assertTrue(live.isDead());
            assertEquals("done", done.get(), "a dead greenlet keeps its outcome");
            Gevent.killAll(gs);
            Gevent.kill(live);
            assertTrue(live.isSuccessful());
            assertEquals("done", done.get());
        });
    }
}
