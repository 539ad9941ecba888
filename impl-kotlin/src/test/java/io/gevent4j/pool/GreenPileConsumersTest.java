package io.gevent4j.pool;

/*
 * Issue 9, defect 5: GreenPile with several consumers. next() used to check the count and take the result in two
 * steps, so of two consumers racing for the last result the loser waited for ever; and a consumer waiting for a
 * spawn that then failed (its wait for a slot timed out) was never released. Now a consumer claims a result in
 * one step; a withdrawn spawn releases the consumer that claimed it.
 */

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gevent4j.Gevent;
import io.gevent4j.GreenCallable;
import io.gevent4j.GreenRunnable;
import io.gevent4j.Greenlet;
import io.gevent4j.Timeout;
import io.gevent4j.event.Event;
import io.gevent4j.testing.GeventTestBase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class GreenPileConsumersTest extends GeventTestBase {
    private static final Duration GUARD = Duration.ofSeconds(5);

    /** Runs next() and records its value or the class of its exception. */
    private static Object nextOrError(GreenPile<?> pile) {
        try {
            return pile.next();
        } catch (RuntimeException e) {
            return e;
        }
    }

    /** A pile over a GreenPool(1) whose one slot is held by a task that returns "first" once {@code go} is set. */
    private static GreenPile<String> pileOfOneHeldBy(Event go) {
        GreenPile<String> pile = new GreenPile<>(1);
        pile.spawn(() -> {
            go.waitFor();
            return "first";
        });
        return pile;
    }

    @Test
    @DisplayName(
            "three consumers, two results of which one is still waiting for its slot: the third gets NoSuchElementException at once")
    void theLoserIsToldAtOnce() {
        inGreenlet(() -> {
            Event go = new Event();
            GreenPile<String> pile = pileOfOneHeldBy(go);
            Greenlet<Void> spawner = Gevent.spawn((GreenRunnable) () -> {
                steps.expect(1);
                GreenCallable<String> second = () -> "second";
                pile.spawn(second); // waits for the one slot
            });
            Gevent.sleep(0);
            List<Greenlet<Object>> consumers = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                consumers.add(Greenlet.spawn(() -> nextOrError(pile)));
            }
            Gevent.sleep(0);
            steps.expect(2);
            Greenlet<Object> loser = consumers.get(2);
            assertTrue(loser.join(GUARD), "the loser must not wait for ever");
            assertInstanceOf(NoSuchElementException.class, loser.get());
            assertFalse(consumers.get(0).isDead());
            assertFalse(consumers.get(1).isDead());
            steps.finish(3);
            go.set();
            assertTrue(spawner.join(GUARD));
            assertTrue(consumers.get(0).join(GUARD));
            assertTrue(consumers.get(1).join(GUARD));
            assertEquals(
                    List.of("first", "second"),
                    List.of(consumers.get(0).get(), consumers.get(1).get()));
            assertFalse(pile.hasNext());
        });
        steps.assertFinished();
    }

    @Test
    @DisplayName("three consumers, two results: each result goes to exactly one consumer, the third gets none")
    void eachResultToExactlyOneConsumer() {
        inGreenlet(() -> {
            GreenPile<Integer> pile = new GreenPile<>(2);
            Event go = new Event();
            for (int i = 0; i < 2; i++) {
                int v = i;
                pile.spawn(() -> {
                    go.waitFor();
                    return v;
                });
            }
            List<Greenlet<Object>> consumers = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                consumers.add(Greenlet.spawn(() -> nextOrError(pile)));
            }
            Gevent.sleep(0);
            go.set();
            List<Object> got = new ArrayList<>();
            int none = 0;
            for (Greenlet<Object> c : consumers) {
                assertTrue(c.join(GUARD));
                if (c.get() instanceof NoSuchElementException) {
                    none++;
                } else {
                    got.add(c.get());
                }
            }
            Collections.sort(got, (a, b) -> Integer.compare((Integer) a, (Integer) b));
            assertEquals(List.of(0, 1), got);
            assertEquals(1, none);
        });
    }

    @Test
    @DisplayName(
            "a consumer that claimed a spawn whose wait for a slot timed out is released with NoSuchElementException")
    void withdrawnSpawnReleasesItsConsumer() {
        inGreenlet(() -> {
            Event go = new Event();
            GreenPile<String> pile = pileOfOneHeldBy(go);
            Greenlet<Void> spawner = Gevent.spawn((GreenRunnable) () -> {
                Timeout t = Timeout.startNew(Duration.ofMillis(50));
                try {
                    GreenCallable<String> second = () -> "second";
                    pile.spawn(second); // waits for the one slot; the Timeout ends the wait
                } catch (Timeout expired) {
                    assertEquals(t, expired);
                } finally {
                    t.cancel();
                }
            });
            Gevent.sleep(0);
            assertTrue(pile.hasNext());
            Greenlet<Object> c1 = Greenlet.spawn(() -> nextOrError(pile)); // claims "first"
            Greenlet<Object> c2 = Greenlet.spawn(() -> nextOrError(pile)); // claims the spawn in progress
            assertTrue(spawner.join(GUARD));
            assertTrue(c2.join(GUARD), "the consumer of a withdrawn spawn must be released");
            assertInstanceOf(NoSuchElementException.class, c2.get());
            go.set();
            assertTrue(c1.join(GUARD));
            assertEquals("first", c1.get());
            assertFalse(pile.hasNext());
        });
    }
}
