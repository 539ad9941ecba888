package io.gevent4j.spec;

import static io.gevent4j.spec.QueueSpecTest.*;
import static io.gevent4j.testing.Waiting.yieldUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gevent4j.BlockingSwitchOutException;
import io.gevent4j.Gevent;
import io.gevent4j.Greenlet;
import io.gevent4j.queue.LifoQueue;
import io.gevent4j.queue.PriorityQueue;
import io.gevent4j.queue.Queue;
import io.gevent4j.queue.QueueEmptyException;
import io.gevent4j.queue.QueueFullException;
import io.gevent4j.queue.SimpleQueue;
import io.gevent4j.testing.Foreign;
import io.gevent4j.testing.GeventTestBase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Spec section 6.3 (gevent-semantics.md): peek, iteration and the queue kinds (PriorityQueue, LifoQueue), and
 * queue calls in hub tasks. Split from QueueSpecTest (JVM decisions, skipped cases, helpers).
 */
class QueuePeekIterationSpecTest extends GeventTestBase {

    @BeforeAll
    static void warmUpOnce() {
        QueueSpecTest.warmUpOnce();
    }

    // ---- 6.3 peek, iteration, kinds ------------------------------------------------------------------------

    @Test
    @DisplayName("Q-20: peek() and peekNowait() return the head without taking it; on an empty queue they raise Empty")
    void q20_peek() {
        inGreenlet(() -> {
            for (SimpleQueue<String> q : everyKind()) {
                q.put("a");
                q.put("b");
                String head = q instanceof LifoQueue ? "b" : "a";
                assertEquals(head, q.peek(), q.toString());
                assertEquals(2, q.qsize());
                assertEquals(head, q.peekNowait());
                assertEquals(head, q.peek(GET_T));
                assertEquals(2, q.qsize());
            }
            Queue<String> empty = new Queue<>();
            assertThrows(QueueEmptyException.class, empty::peekNowait);
            long start = System.nanoTime();
            assertThrows(QueueEmptyException.class, () -> empty.peek(GET_T));
            assertWithin(GET_MIN, GET_MAX, since(start));
        });
    }

    @Test
    @DisplayName("Q-21: a greenlet blocked in peek() returns once an item is put, and the item stays queued")
    void q21_peekWaits() {
        inGreenlet(() -> {
            Queue<Integer> q = new Queue<>();
            Greenlet<Integer> g = Gevent.spawn(() -> q.peek());
            Gevent.sleep();
            assertFalse(g.isDead());
            q.put(1);
            g.join();
            assertTrue(g.isSuccessful());
            assertEquals(1, g.get());
            assertEquals(1, q.peek());
            assertEquals(1, q.qsize());
        });
    }

    @Test
    @DisplayName(
            "Q-21 (service thread): a service thread blocked in peek() returns the item a greenlet puts; the item stays")
    void q21_serviceThreadPeekWaits() throws Exception {
        Queue<Integer> q = new Queue<>();
        Foreign<Integer> f = Foreign.call("peeker", () -> q.peek());
        inGreenlet(() -> {
            f.awaitParked();
            q.put(1);
            assertEquals(1, f.valueInGreenlet());
            assertEquals(1, q.qsize());
        });
    }

    @Test
    @DisplayName("Q-22 (JVM): iteration takes items until the queue is shut down and drained")
    void q22_iterationEndsWhenTheQueueIsShutDownAndDrained() throws Exception {
        inGreenlet(() -> {
            Queue<Integer> q = new Queue<>();
            q.put(1);
            q.put(2);
            q.shutdown();
            List<Integer> got = new ArrayList<>();
            for (int x : q) {
                got.add(x);
            }
            assertEquals(List.of(1, 2), got);
            assertEquals(0, q.qsize());
            Iterator<Integer> it = q.iterator();
            assertFalse(it.hasNext());
            assertThrows(NoSuchElementException.class, it::next);
        });
        // a greenlet iterating while a service thread puts and then shuts the queue down
        Queue<Integer> q = new Queue<>();
        Greenlet<List<Integer>> consumer = hub.spawn(() -> {
            List<Integer> got = new ArrayList<>();
            for (int x : q) {
                got.add(x);
            }
            return got;
        });
        for (int i = 0; i < 5; i++) {
            q.put(i);
        }
        q.shutdown();
        assertTrue(consumer.join(Duration.ofSeconds(10)), "iteration did not end at shutdown");
        assertEquals(List.of(0, 1, 2, 3, 4), consumer.get());
        // and the reverse: a service thread iterating, a greenlet putting
        Queue<Integer> q2 = new Queue<>();
        Foreign<List<Integer>> reader = Foreign.call("reader", () -> {
            List<Integer> got = new ArrayList<>();
            for (int x : q2) {
                got.add(x);
            }
            return got;
        });
        inGreenlet(() -> {
            for (int i = 0; i < 5; i++) {
                q2.put(i);
                Gevent.sleep(0.001);
            }
            q2.shutdown();
        });
        assertEquals(List.of(0, 1, 2, 3, 4), reader.value());
    }

    record Pair(int n, String s) {}

    @Test
    @DisplayName("Q-23: PriorityQueue: 3, 1, 2 -> 1, 2, 3; (2,b), (1,z), (1,a) -> (1,a), (1,z), (2,b)")
    void q23_priorityQueue() {
        inGreenlet(() -> {
            PriorityQueue<Integer> q = new PriorityQueue<>();
            q.put(3);
            q.put(1);
            q.put(2);
            assertEquals(1, q.peek());
            assertEquals(List.of(1, 2, 3), List.of(q.get(), q.get(), q.get()));
            PriorityQueue<Pair> p =
                    new PriorityQueue<>(Comparator.comparingInt(Pair::n).thenComparing(Pair::s));
            p.put(new Pair(2, "b"));
            p.put(new Pair(1, "z"));
            p.put(new Pair(1, "a"));
            assertEquals(
                    List.of(new Pair(1, "a"), new Pair(1, "z"), new Pair(2, "b")), List.of(p.get(), p.get(), p.get()));
            PriorityQueue<Integer> preloaded = new PriorityQueue<>(0, List.of(5, 4, 6));
            assertEquals(3, preloaded.unfinishedTasks());
            assertEquals(List.of(4, 5, 6), drain(preloaded));
        });
    }

    @Test
    @DisplayName("Q-24: LifoQueue: put 1, 2, 3 -> peek() == 3, gets 3, 2, 1")
    void q24_lifoQueue() {
        inGreenlet(() -> {
            LifoQueue<Integer> q = new LifoQueue<>();
            q.put(1);
            q.put(2);
            q.put(3);
            assertEquals(3, q.peek());
            assertEquals(List.of(3, 2, 1), List.of(q.get(), q.get(), q.get()));
        });
    }

    @Test
    @DisplayName(
            "Q-26: in hub tasks (not greenlets), on Queue(1): two putNowait -> [ok, Full]; a blocking put -> BlockingSwitchOutException")
    void q26_putNowaitFromHubTasks() throws Exception {
        Queue<Integer> q = new Queue<>(1);
        List<Object> results = Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < 2; i++) {
            int n = i;
            inHubTask(hub, () -> {
                try {
                    q.putNowait(n);
                    results.add("ok");
                } catch (QueueFullException e) {
                    results.add("Full");
                }
            });
        }
        assertEquals(List.of("ok", "Full"), results);
        assertEquals(List.of(0), drain(q));
        Queue<Integer> full = new Queue<>(1, List.of(1));
        inHubTask(hub, () -> {
            assertThrows(BlockingSwitchOutException.class, () -> full.put(2));
            assertThrows(BlockingSwitchOutException.class, () -> full.put(2, Duration.ofMillis(10)));
            assertThrows(BlockingSwitchOutException.class, () -> new Queue<Integer>().get());
        });
        assertEquals(List.of(1), drain(full));
    }

    @Test
    @DisplayName("Q-26: getNowait in a hub task takes the item and hands the room to a waiting putter")
    void q26_getNowaitFromAHubTaskUnlocksAPutter() throws Exception {
        Queue<Integer> q = new Queue<>(1, List.of(4));
        Greenlet<Void> putter = hub.spawn(() -> q.put(5));
        yieldUntil(() -> !putter.isDead() && q.isFull(), "the putter to start");
        List<Integer> result = Collections.synchronizedList(new ArrayList<>());
        inHubTask(hub, () -> result.add(q.getNowait()));
        assertEquals(List.of(4), result);
        assertTrue(putter.join(Duration.ofSeconds(5)));
        assertTrue(putter.isSuccessful());
        assertEquals(List.of(5), drain(q));
    }
}
