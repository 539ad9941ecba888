package io.gevent4j.spec;

/*
 * Spec section 7 (gevent-semantics.md): Group / Pool, plus the pool rows of section 14 and traps 17.8-17.9.
 * [this file: 7.1, 7.2 and the helpers; 7.3 in GroupPoolJoinKillSpecTest, 7.4 in GroupPoolApplySpecTest, the
 * cases beyond the catalogue in GroupPoolBeyondSpecTest]
 * The scenario greenlet started by inGreenlet(...) plays gevent's main greenlet.
 *
 * Skipped cases, with reasons:
 *   PL-23  LoopExit on a nested Pool.spawn(...).get() in a full pool: gevent4j has no LoopExit (another thread
 *          may always wake a waiter), so the deadlock simply waits.
 *   PL-35  imap maxsize= keyword and "Unsupported keyword arguments": the Java API has no maxsize parameter and
 *          no keyword arguments. A bounded Pool's imap instead reads its input at most `size` items ahead of the
 *          consumer (see poolImapReadsAnEndlessInputLazily).
 *   PL-38  a crash that breaks stderr printing: CPython-specific error reporting.
 *   PL-27 (first half) map(f, it1, it2) -> TypeError: a compile-time error in Java (no such overload).
 *   PL-10 (last line) Group.waitAvailable()/Group.full(): the Java API puts these on Pool only.
 *   PL-29 "printed twice": error reporting is not observable through the public API.
 *   PL-02 (middle) "free_count() is still 1 right after first.get()": gevent's own test does not assert it, and
 *          it depends on the order in which link callbacks and the getter run; only the value after sleep(0) is
 *          checked.
 * Kotlin bodies (io.gevent4j.kotlin.spawn) are not used: its suspend lambda cannot be written in Java source.
 */

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
import io.gevent4j.Hub;
import io.gevent4j.Timeout;
import io.gevent4j.event.Event;
import io.gevent4j.pool.Group;
import io.gevent4j.pool.Pool;
import io.gevent4j.pool.PoolFullException;
import io.gevent4j.queue.QueueFullException;
import io.gevent4j.testing.GeventTestBase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class GroupPoolSpecTest extends GeventTestBase {

    /** Runs the pool code paths once, untimed, so class loading does not eat gevent's tolerances. */
    @BeforeAll
    static void warmUp() {
        try (Hub h = Hub.create("warm-up")) {
            Greenlet<Void> g = h.spawn(() -> {
                Pool p = new Pool(2);
                p.spawn(() -> Gevent.sleep(0.001));
                p.map(x -> x, List.of(1, 2, 3));
                for (Integer ignored : p.imapUnordered(x -> x, List.of(1, 2))) {
                    // drain
                }
                p.applyAsync(() -> 1, r -> {}).get();
                p.join(Duration.ofMillis(1), false);
                p.waitAvailable(Duration.ofMillis(1));
                p.kill();
                new Group().join();
            });
            g.join(Duration.ofSeconds(10));
        }
    }

    static <T> List<T> drain(Iterable<T> it) {
        List<T> out = new ArrayList<>();
        for (T t : it) {
            out.add(t);
        }
        return out;
    }

    static List<Integer> range(int n) {
        return IntStream.range(0, n).boxed().collect(Collectors.toList());
    }

    // ---- 7.1 construction and size accounting --------------------------------------------------------

    @Test
    @DisplayName("PL-01: Pool(-1) fails naming -1; Pool(0) is full; Pool() is unbounded; empty pool has size 0")
    void pl01_constructionAndSizeAccounting() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Pool(-1));
        assertTrue(e.getMessage().contains("-1"), e.getMessage());
        inGreenlet(() -> {
            Pool zero = new Pool(0);
            assertEquals(0, zero.freeCount());
            assertTrue(zero.isFull());
            long t0 = System.nanoTime();
            assertEquals(0, zero.waitAvailable(GET_TIMEOUT));
            assertWithin(GET_MIN, GET_MAX, since(t0));

            Pool unbounded = new Pool();
            assertEquals(1, unbounded.freeCount());
            assertFalse(unbounded.isFull());
            Event never = new Event();
            for (int i = 0; i < 5; i++) {
                unbounded.spawn(() -> never.waitFor());
            }
            assertEquals(5, unbounded.size());
            assertEquals(1, unbounded.freeCount());
            assertFalse(unbounded.isFull());
            unbounded.kill();

            assertEquals(2, new Pool(2).freeCount());
            assertEquals(0, new Pool(2).size());
            assertTrue(new Pool(2).isEmpty());
            assertEquals(0, new Group().size());
            assertTrue(new Group().isEmpty());
        });
    }

    @Test
    @DisplayName("PL-02: a spawn takes a slot; the slot is freed by a link callback after the member dies")
    void pl02_spawnTakesASlotFreedAfterDeath() {
        List<Integer> r = recorder();
        inGreenlet(() -> {
            Pool p = new Pool(2);
            assertEquals(2, p.freeCount());
            Greenlet<Void> first = p.spawn(() -> {
                r.add(1);
            });
            assertEquals(1, p.freeCount());
            first.get();
            assertEquals(List.of(1), snapshot(r));
            Gevent.sleep(0);
            assertEquals(2, p.freeCount());
        });
    }

    @Test
    @DisplayName("PL-03: applyAsync on a full pool returns at once without blocking and runs later")
    void pl03_applyAsyncOnAFullPoolDoesNotBlock() {
        List<Integer> r = recorder();
        inGreenlet(() -> {
            Pool p = new Pool(2);
            p.spawn(() -> {
                        r.add(1);
                    })
                    .get();
            Gevent.sleep(0);
            assertEquals(2, p.freeCount());
            p.applyAsync(() -> r.add(2));
            assertEquals(1, p.freeCount());
            p.applyAsync(() -> r.add(3));
            assertEquals(0, p.freeCount());
            long t0 = System.nanoTime();
            Greenlet<Boolean> fourth = p.applyAsync(() -> r.add(4));
            assertTrue(since(t0) < AT_ONCE_MAX, "applyAsync on a full pool must not block");
            assertEquals(List.of(1), snapshot(r));
            assertTrue(fourth.join(Duration.ofMillis(120)));
            List<Integer> sorted = snapshot(r);
            Collections.sort(sorted);
            assertEquals(List.of(1, 2, 3, 4), sorted);
        });
    }

    @Test
    @DisplayName("PL-05: Pool(2) with two 0.02 s tasks: a third spawn returns after they ended")
    void pl05_thirdSpawnWaitsForAFreeSlot() {
        inGreenlet(() -> {
            Pool p = new Pool(2);
            Greenlet<Void> a = p.spawn(() -> Gevent.sleep(0.02));
            Greenlet<Void> b = p.spawn(() -> Gevent.sleep(0.02));
            long t0 = System.nanoTime();
            Greenlet<Integer> c = p.spawn(() -> 3);
            assertWithin(0.018, GET_MAX, since(t0));
            // gevent ends a and b in one loop iteration only because epoll's millisecond timeouts batch their
            // timers (ours are exact, microseconds apart): what is certain is that a slot was freed by one of them
            assertTrue(a.isDead() || b.isDead());
            assertFalse(c.isDead());
            assertEquals(3, c.get());
            assertTrue(p.join(Duration.ofSeconds(1), false));
            assertTrue(a.isDead() && b.isDead());
        });
    }

    @Test
    @DisplayName("PL-06: the greenlet applyAsync returns on a full pool is not a member, and get() works")
    void pl06_applyAsyncOnAFullPoolIsNotTracked() {
        inGreenlet(() -> {
            Pool p = new Pool(1);
            Event go = new Event();
            p.spawn(() -> go.waitFor());
            Greenlet<Integer> r = p.applyAsync(() -> 42);
            assertFalse(p.contains(r));
            go.set();
            assertEquals(42, r.get());
        });
    }

    // ---- 7.2 add / start / discard / waitAvailable ---------------------------------------------------

    @Test
    @DisplayName("PL-07: add on a full Pool(1) under an outer Timeout raises that Timeout; counts unchanged")
    void pl07_addOnAFullPoolWaitsUnderAnOuterTimeout() {
        inGreenlet(() -> {
            Pool p = new Pool(1);
            Event never = new Event();
            Greenlet<Boolean> first = new Greenlet<>(() -> never.waitFor());
            p.add(first);
            assertEquals(0, p.freeCount());
            assertEquals(1, p.size());
            Greenlet<Boolean> second = new Greenlet<>(() -> never.waitFor());
            Timeout t = Timeout.startNew(Duration.ofMillis(100));
            try {
                p.add(second);
                throw new AssertionError("add must not return on a full pool");
            } catch (Timeout caught) {
                assertSame(t, caught);
            } finally {
                t.cancel();
            }
            assertEquals(0, p.freeCount());
            assertEquals(1, p.size());
            assertFalse(p.contains(second));
        });
    }

    @Test
    @DisplayName("PL-08: full Pool(1): add(nonblocking) and add/start with a timeout raise PoolFullException")
    void pl08_addWithoutBlockingOrWithATimeoutRaisesPoolFull() {
        inGreenlet(() -> {
            Pool p = new Pool(1);
            Event never = new Event();
            p.spawn(() -> never.waitFor());
            Greenlet<Boolean> second = new Greenlet<>(() -> never.waitFor());
            long t0 = System.nanoTime();
            PoolFullException e = assertThrows(PoolFullException.class, () -> p.add(second, false, null));
            assertInstanceOf(QueueFullException.class, e);
            assertTrue(since(t0) < AT_ONCE_MAX);
            t0 = System.nanoTime();
            assertThrows(PoolFullException.class, () -> p.add(second, true, Duration.ofMillis(100)));
            assertWithin(0.09, WAIT_MAX, since(t0));
            Greenlet<Boolean> third = new Greenlet<>(() -> never.waitFor());
            assertThrows(PoolFullException.class, () -> p.start(third, true, Duration.ofMillis(100)));
            assertFalse(third.isStarted());
            assertEquals(1, p.size());
            assertEquals(0, p.freeCount());
        });
    }

    @Test
    @DisplayName("PL-09: discard then kill frees the slot exactly once")
    void pl09_discardThenKillReleasesTheSlotOnce() {
        inGreenlet(() -> {
            Pool p = new Pool(1);
            Greenlet<Void> first = p.spawn(() -> Gevent.sleep(1000));
            p.discard(first);
            first.kill();
            assertEquals(0, p.size());
            Gevent.sleep(0);
            assertEquals(1, p.freeCount());
            assertEquals(1, p.waitAvailable(Duration.ZERO));
            Event never = new Event();
            p.spawn(() -> never.waitFor());
            Greenlet<Boolean> extra = new Greenlet<>(() -> never.waitFor());
            assertThrows(PoolFullException.class, () -> p.add(extra, false, null), "no double release");
            p.kill();
        });
    }

    @Test
    @DisplayName("PL-10: waitAvailable returns the free slots without taking one (0 on timeout)")
    void pl10_waitAvailableReturnsFreeSlots() {
        inGreenlet(() -> {
            Pool p = new Pool(1);
            Greenlet<Void> member = p.spawn(() -> Gevent.sleep(0.05));
            long t0 = System.nanoTime();
            assertEquals(0, p.waitAvailable(GET_TIMEOUT));
            assertWithin(GET_MIN, GET_MAX, since(t0));
            member.join();
            Gevent.sleep(0);
            assertEquals(1, p.waitAvailable(null));
            assertEquals(1, p.waitAvailable(null), "waitAvailable takes no slot");
            assertEquals(1, new Pool().waitAvailable(null));
        });
    }
}
