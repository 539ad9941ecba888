package io.gevent4j.spec;

/*
 * Spec section 6.1-6.4 (gevent-semantics.md) and the queue rows of section 14: SimpleQueue, Queue (joinable),
 * [this file: 6.1 and the helpers; 6.2 in QueueOrderingSpecTest, 6.3 in QueuePeekIterationSpecTest, 6.4 and
 * Q-32 in QueueJoinShutdownSpecTest]
 * JoinableQueue, PriorityQueue, LifoQueue. Channel (6.5) is in ChannelSpecTest; the Kotlin twins and the
 * cases that mix Java greenlets, Kotlin greenlets and service threads in one queue are in
 * QueueKotlinSpecTest. The scenario greenlet started by inGreenlet(...) plays gevent's main greenlet; a
 * "service thread" is a platform thread of no hub (a foreign thread), and so is the JUnit thread.
 *
 * JVM decisions (API.md): maxsize <= 0 is unbounded, with no warning; timeouts raise QueueEmptyException /
 * QueueFullException; a negative timeout is an IllegalArgumentException; taskDone() too often an
 * IllegalStateException; iteration takes items until the queue is shut down and drained; shutdown() and
 * shutdown(true) wake waiters with QueueShutDownException.
 *
 * Skipped cases (cannot apply on the JVM):
 *   Q-05  a Timeout object passed as the timeout argument: the API takes a Duration only (a caller's own
 *         Timeout passing through a queue call is tested in Q-03/Q-04 "outer timeout not lost").
 *   Q-09  LoopExit: gevent4j has no LoopExit; another thread may always put, so get() waits.
 *   Q-25  subclass hooks _init/_put/_get: the queue classes keep their storage in the provider, with no
 *         overridable hooks.
 *   Q-39  Channel(2): Channel has only the no-argument constructor.
 *   Q-02 (part) bool(Queue()) is True: Java has no truthiness.
 *   Q-04 (part) get(block=False, timeout=10): there is no block flag; getNowait() is the non-blocking form.
 *   Q-22  StopIteration as an item ending iteration: replaced by "iteration ends at shutdown" (API.md);
 *         the adapted case is q22_iterationEndsWhenTheQueueIsShutDownAndDrained.
 * Q-26 (hub callbacks) is tested through hub.asExecutor(): a hub task is the JVM's loop callback.
 */

import static io.gevent4j.testing.Recording.recorder;
import static io.gevent4j.testing.Recording.snapshot;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.gevent4j.Gevent;
import io.gevent4j.Greenlet;
import io.gevent4j.Hub;
import io.gevent4j.Timeout;
import io.gevent4j.event.AsyncResult;
import io.gevent4j.queue.Channel;
import io.gevent4j.queue.JoinableQueue;
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
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class QueueSpecTest extends GeventTestBase {

    static final Duration GET_T = Duration.ofMillis(10);
    static final Duration WAIT_T = Duration.ofMillis(200);

    /** Runs the queue paths the timed cases measure once, untimed (see SchedulingSpecTest.warmUp). */
    static void warmUpQueues() {
        try (Hub h = Hub.create("queue-warm-up")) {
            Greenlet<Void> g = h.spawn(() -> {
                Queue<Integer> q = new Queue<>(1);
                try {
                    q.get(Duration.ofMillis(1));
                } catch (QueueEmptyException expected) {
                    // warm-up
                }
                q.put(1);
                try {
                    q.put(2, Duration.ofMillis(1));
                } catch (QueueFullException expected) {
                    // warm-up
                }
                Greenlet<Void> p = Gevent.spawn(() -> q.put(3));
                Gevent.sleep();
                q.get();
                q.get();
                p.join();
                q.join(Duration.ofMillis(1));
                Channel<Integer> ch = new Channel<>();
                Greenlet<Integer> r = Gevent.spawn(() -> ch.get());
                ch.put(1);
                r.join();
                try {
                    ch.put(2, Duration.ofMillis(1));
                } catch (QueueFullException expected) {
                    // warm-up
                }
                AsyncResult<Integer> ar = new AsyncResult<>();
                try {
                    ar.get(Duration.ofMillis(1));
                } catch (Timeout expected) {
                    // warm-up
                }
                q.shutdown();
            });
            g.join(Duration.ofSeconds(10));
        }
        try {
            new Queue<Integer>().get(Duration.ofMillis(1));
        } catch (QueueEmptyException expected) {
            // warm-up of the service-thread path
        }
    }

    @BeforeAll
    static void warmUpOnce() {
        SchedulingSpecTest.warmUp();
        warmUpQueues();
    }

    // ---- helpers --------------------------------------------------------------------------------------

    static <T> Throwable failureOf(Greenlet<T> g) {
        g.join();
        assertTrue(g.isDead());
        assertFalse(g.isSuccessful(), () -> "expected a failure, got value " + g.value());
        return g.exception();
    }

    @SafeVarargs
    static <T> List<SimpleQueue<T>> queues(SimpleQueue<T>... qs) {
        List<SimpleQueue<T>> out = new ArrayList<>(qs.length);
        for (SimpleQueue<T> q : qs) {
            out.add(q);
        }
        return out;
    }

    /** One queue of every non-channel kind, unbounded. */
    static List<SimpleQueue<String>> everyKind() {
        return queues(
                new SimpleQueue<>(), new Queue<>(), new JoinableQueue<>(), new LifoQueue<>(), new PriorityQueue<>());
    }

    // ---- 6.1 size, blocking, timeouts --------------------------------------------------------------------

    @Test
    @DisplayName("Q-01: maxsize <= 0 (and no maxsize) is unbounded, with no warning; Queue(1).maxsize() == 1")
    void q01_maxsizeZeroOrNegativeIsUnbounded() {
        List<SimpleQueue<Integer>> unbounded = QueueSpecTest.<Integer>queues(
                new SimpleQueue<>(),
                new SimpleQueue<>(0),
                new SimpleQueue<>(-1),
                new Queue<>(),
                new Queue<>(0),
                new Queue<>(-1),
                new JoinableQueue<>(0),
                new LifoQueue<>(-1),
                new PriorityQueue<>(0),
                new PriorityQueue<>(-5, Comparator.<Integer>naturalOrder()));
        for (SimpleQueue<Integer> q : unbounded) {
            assertEquals(0, q.maxsize(), q.toString());
            for (int i = 0; i < 1000; i++) {
                q.putNowait(i);
                assertFalse(q.isFull(), q.toString());
            }
            assertEquals(1000, q.qsize(), q.toString());
        }
        for (SimpleQueue<Integer> q : QueueSpecTest.<Integer>queues(
                new SimpleQueue<>(1),
                new Queue<>(1),
                new JoinableQueue<>(1),
                new LifoQueue<>(1),
                new PriorityQueue<>(1))) {
            assertEquals(1, q.maxsize(), q.toString());
            q.putNowait(1);
            assertTrue(q.isFull(), q.toString());
            assertThrows(QueueFullException.class, () -> q.putNowait(2), q.toString());
        }
    }

    @Test
    @DisplayName("Q-02: Queue(2) with two items: qsize 2, full, not empty; a new queue is empty and not full")
    void q02_sizeFullEmpty() {
        inGreenlet(() -> {
            Queue<Integer> fresh = new Queue<>();
            assertTrue(fresh.isEmpty());
            assertFalse(fresh.isFull());
            assertEquals(0, fresh.qsize());
            Queue<Integer> q = new Queue<>(2);
            q.put(1);
            assertFalse(q.isFull());
            q.put(2);
            assertEquals(2, q.qsize());
            assertTrue(q.isFull());
            assertFalse(q.isEmpty());
        });
    }

    /** Q-03 on one full queue from the calling context (a greenlet or a service thread). */
    static void fullQueueTimesOut(Queue<Integer> q) {
        assertThrows(QueueFullException.class, () -> q.putNowait(3));
        assertThrows(QueueFullException.class, () -> q.put(3, Duration.ZERO));
        long start = System.nanoTime();
        assertThrows(QueueFullException.class, () -> q.put(3, GET_T));
        assertWithin(GET_MIN, GET_MAX, since(start));
        assertEquals(2, q.qsize(), "a put that timed out leaves no item behind");
        assertEquals(2, q.unfinishedTasks(), "nor an unfinished task");
    }

    @Test
    @DisplayName(
            "Q-03: a full Queue(2): putNowait and put(0) raise Full at once, put(0.01 s) raises Full in [0.009, 0.12] s (greenlet)")
    void q03_fullQueuePutRaisesFullInAGreenlet() {
        inGreenlet(() -> {
            Queue<Integer> q = new Queue<>(2, List.of(1, 2));
            fullQueueTimesOut(q);
        });
    }

    @Test
    @DisplayName("Q-03: the same on a service thread")
    void q03_fullQueuePutRaisesFullOnAServiceThread() {
        fullQueueTimesOut(new Queue<>(2, List.of(1, 2)));
    }

    @Test
    @DisplayName("Q-03: an outer Timeout of the caller is not lost: put(x, 1 s) on a full queue raises that Timeout")
    void q03_outerTimeoutIsNotLostInPut() {
        inGreenlet(() -> {
            Queue<Integer> q = new Queue<>(1, List.of(1));
            Timeout t = Timeout.startNew(Duration.ofMillis(1));
            try {
                q.put(2, Duration.ofSeconds(1));
                fail("put returned");
            } catch (Timeout caught) {
                assertSame(t, caught);
            } finally {
                t.cancel();
            }
            assertEquals(List.of(1), drain(q));
        });
    }

    static <T> List<T> drain(SimpleQueue<T> q) {
        List<T> out = new ArrayList<>();
        while (!q.isEmpty()) {
            out.add(q.getNowait());
        }
        return out;
    }

    /** Q-04 on one empty queue from the calling context. */
    static void emptyQueueTimesOut(SimpleQueue<String> q) {
        assertThrows(QueueEmptyException.class, q::getNowait, q.toString());
        assertThrows(QueueEmptyException.class, () -> q.get(Duration.ZERO), q.toString());
        long start = System.nanoTime();
        assertThrows(QueueEmptyException.class, () -> q.get(GET_T), q.toString());
        assertWithin(GET_MIN, GET_MAX, since(start));
    }

    static List<SimpleQueue<String>> everyKindWithChannel() {
        List<SimpleQueue<String>> all = new ArrayList<>(everyKind());
        all.add(new Channel<>());
        return all;
    }

    @Test
    @DisplayName(
            "Q-04: an empty queue of every kind: getNowait raises Empty, get(0.01 s) raises Empty in [0.009, 0.12] s (greenlet)")
    void q04_emptyQueueGetRaisesEmptyInAGreenlet() {
        inGreenlet(() -> {
            for (SimpleQueue<String> q : everyKindWithChannel()) {
                emptyQueueTimesOut(q);
            }
        });
    }

    @Test
    @DisplayName("Q-04: the same on a service thread")
    void q04_emptyQueueGetRaisesEmptyOnAServiceThread() {
        for (SimpleQueue<String> q : everyKindWithChannel()) {
            emptyQueueTimesOut(q);
        }
    }

    @Test
    @DisplayName("Q-04: an outer Timeout of the caller is not lost: get(1 s) on an empty queue raises that Timeout")
    void q04_outerTimeoutIsNotLostInGet() {
        inGreenlet(() -> {
            for (SimpleQueue<String> q : everyKindWithChannel()) {
                Timeout t = Timeout.startNew(Duration.ofMillis(1));
                try {
                    q.get(Duration.ofSeconds(1));
                    fail("get returned");
                } catch (Timeout caught) {
                    assertSame(t, caught, q.toString());
                } finally {
                    t.cancel();
                }
            }
        });
    }

    @Test
    @DisplayName("Q-06 / section 14: a negative timeout is an IllegalArgumentException, before any side effect")
    void q06_negativeTimeoutIsIllegalArgument() {
        Duration minus = Duration.ofSeconds(-1);
        inGreenlet(() -> {
            Queue<String> empty = new Queue<>();
            assertThrows(IllegalArgumentException.class, () -> empty.get(minus));
            assertThrows(IllegalArgumentException.class, () -> empty.peek(minus));
            Queue<String> q = new Queue<>(5, List.of("a"));
            assertThrows(IllegalArgumentException.class, () -> q.get(minus), "even when a get could succeed at once");
            assertThrows(IllegalArgumentException.class, () -> q.peek(minus));
            assertThrows(
                    IllegalArgumentException.class, () -> q.put("b", minus), "even when the put could succeed at once");
            assertThrows(IllegalArgumentException.class, () -> q.join(minus));
            assertEquals(1, q.qsize(), "no side effect");
            assertEquals(1, q.unfinishedTasks(), "no side effect");
            Channel<String> ch = new Channel<>();
            assertThrows(IllegalArgumentException.class, () -> ch.put("x", minus));
            assertThrows(IllegalArgumentException.class, () -> ch.get(minus));
        });
        Queue<String> q = new Queue<>();
        assertThrows(IllegalArgumentException.class, () -> q.get(minus), "on a service thread");
        assertThrows(IllegalArgumentException.class, () -> q.put("x", minus), "on a service thread");
        assertEquals(0, q.qsize());
    }

    @Test
    @DisplayName("Q-07: put(1); put(2) -> get() == 1, then 2 (FIFO), in a greenlet and on a service thread")
    void q07_fifo() {
        inGreenlet(() -> {
            Queue<Integer> q = new Queue<>();
            q.put(1);
            q.put(2);
            assertEquals(1, q.get());
            assertEquals(2, q.get());
        });
        SimpleQueue<Integer> q = new SimpleQueue<>();
        q.put(1);
        q.put(2);
        assertEquals(1, q.get());
        assertEquals(2, q.get());
    }

    @Test
    @DisplayName("Q-07: a service thread puts into a queue that greenlets get from, in order")
    void q07_serviceThreadPutsGreenletsGet() throws Exception {
        Queue<Integer> q = new Queue<>(2);
        List<String> out = recorder();
        Greenlet<Void> getter = hub.spawn(() -> {
            for (int i = 0; i < 20; i++) {
                out.add("got " + q.get());
                q.taskDone();
            }
        });
        for (int i = 0; i < 20; i++) {
            q.put(i); // blocks this thread while the queue is full
        }
        q.join(); // a service thread waiting for the greenlet's taskDone()s
        assertTrue(getter.join(Duration.ofSeconds(10)));
        getter.get();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            expected.add("got " + i);
        }
        assertEquals(expected, snapshot(out));
        assertEquals(0, q.unfinishedTasks());
    }

    @Test
    @DisplayName("Q-07: greenlets put into a bounded queue that a service thread gets from, in order")
    void q07_greenletsPutServiceThreadGets() throws Exception {
        Queue<Integer> q = new Queue<>(1);
        Foreign<List<Integer>> consumer = Foreign.call("consumer", () -> {
            List<Integer> got = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                got.add(q.get());
            }
            return got;
        });
        inGreenlet(() -> {
            for (int i = 0; i < 20; i++) {
                q.put(i); // yields while the queue is full
            }
        });
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            expected.add(i);
        }
        assertEquals(expected, consumer.value());
    }

    @Test
    @DisplayName("Q-08: Queue(2): a putter of a, b, c is blocked at c until main takes a")
    void q08_maxSize() {
        List<String> log = recorder();
        inGreenlet(() -> {
            Queue<String> q = new Queue<>(2);
            Greenlet<String> p = Gevent.spawn(() -> {
                q.put("a");
                log.add("a");
                q.put("b");
                log.add("b");
                q.put("c");
                log.add("c");
                return "OK";
            });
            Gevent.sleep();
            assertEquals(List.of("a", "b"), snapshot(log));
            assertEquals("a", q.get());
            Gevent.sleep();
            assertEquals(List.of("a", "b", "c"), snapshot(log));
            assertEquals("b", q.get());
            assertEquals("c", q.get());
            assertEquals("OK", p.get(Duration.ZERO));
        });
    }
}
