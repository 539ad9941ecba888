package io.gevent4j.spec;

import static io.gevent4j.spec.GroupPoolSpecTest.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gevent4j.BlockingSwitchOutException;
import io.gevent4j.Gevent;
import io.gevent4j.Greenlet;
import io.gevent4j.Waitable;
import io.gevent4j.event.Event;
import io.gevent4j.pool.Group;
import io.gevent4j.pool.IMap;
import io.gevent4j.pool.Pool;
import io.gevent4j.testing.GeventTestBase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Section 7 beyond gevent's catalogue: laziness, caller contexts, bad input. Split from GroupPoolSpecTest
 * (skipped cases, helpers).
 */
class GroupPoolBeyondSpecTest extends GeventTestBase {

    @BeforeAll
    static void warmUpOnce() {
        GroupPoolSpecTest.warmUp();
    }

    // ---- beyond the catalogue: laziness, caller contexts, bad input ----------------------------------

    @Test
    @DisplayName("Pool.imap reads an endless input lazily, at most about size items ahead of the consumer")
    void poolImapReadsAnEndlessInputLazily() {
        AtomicInteger pulled = new AtomicInteger();
        inGreenlet(() -> {
            Iterable<Integer> endless = () -> new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return true;
                }

                @Override
                public Integer next() {
                    return pulled.getAndIncrement();
                }
            };
            Pool p = new Pool(2);
            IMap<Integer> it = p.imap(x -> x * 2, endless);
            List<Integer> first = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                first.add(it.next());
            }
            assertEquals(range(10).stream().map(x -> x * 2).collect(Collectors.toList()), first);
            Gevent.sleep(0.05);
            assertTrue(pulled.get() <= 10 + 2 + 1, "read " + pulled.get() + " items for 10 consumed");
            assertTrue(p.size() <= 2);
        });
    }

    @Test
    @DisplayName(
            "Contexts: a thread that belongs to no hub blocks in map/join; a rawlink callback gets BlockingSwitchOutException")
    void callerContexts() {
        Pool p = new Pool(2);
        assertEquals(List.of(2, 3, 4), p.map(x -> x + 1, List.of(1, 2, 3)));
        assertEquals(5, p.apply(() -> 5));
        assertTrue(p.join(Duration.ofSeconds(5), false));
        inGreenlet(() -> {
            Group g = new Group();
            Event never = new Event();
            g.spawn(() -> never.waitFor());
            Pool full = new Pool(1);
            full.spawn(() -> never.waitFor());
            Map<String, Throwable> thrown = new LinkedHashMap<>();
            Event done = new Event();
            Consumer<Waitable> callback = source -> {
                thrown.put("join", thrownBy(() -> g.join()));
                thrown.put("apply", thrownBy(() -> g.apply(() -> 1)));
                thrown.put("add", thrownBy(() -> full.add(new Greenlet<>(() -> 1))));
                thrown.put("waitAvailable", thrownBy(() -> full.waitAvailable(null)));
                done.set();
            };
            Gevent.spawn(() -> 1).rawlink(callback);
            assertTrue(done.waitFor(Duration.ofSeconds(5)));
            thrown.forEach((call, t) -> assertInstanceOf(BlockingSwitchOutException.class, t, call + " threw " + t));
            assertEquals(4, thrown.size());
            g.kill();
            full.kill();
        });
    }

    static Throwable thrownBy(Runnable r) {
        try {
            r.run();
            return null;
        } catch (Throwable t) {
            return t;
        }
    }

    @Test
    @DisplayName("Section 14: bad input fails at the call (null, negative timeout)")
    void badInputAtTheCall() {
        inGreenlet(() -> {
            Pool p = new Pool(1);
            assertThrows(NullPointerException.class, () -> p.add(null));
            assertThrows(NullPointerException.class, () -> p.spawn((io.gevent4j.GreenCallable<Integer>) null));
            assertThrows(NullPointerException.class, () -> p.map(null, List.of(1)));
            assertThrows(NullPointerException.class, () -> p.imap(x -> x, null));
            assertThrows(NullPointerException.class, () -> p.kill(null, true, null));
            assertThrows(IllegalArgumentException.class, () -> p.join(Duration.ofSeconds(-1), false));
            assertThrows(IllegalArgumentException.class, () -> p.waitAvailable(-1.0));
            Greenlet<Integer> g = new Greenlet<>(() -> 1);
            assertThrows(IllegalArgumentException.class, () -> p.add(g, true, Duration.ofSeconds(-1)));
            assertFalse(p.contains(g));
            assertEquals(1, p.freeCount());
            assertThrows(NullPointerException.class, () -> new Group(null));
            assertNull(thrownBy(() -> p.discard(g)), "discard of a non-member is ignored");
            assertEquals(1, p.freeCount());
        });
    }
}
