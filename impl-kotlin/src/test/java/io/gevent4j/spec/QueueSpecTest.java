package io.gevent4j.spec;

/*
 * Spec section 6.1-6.4 (gevent-semantics.md) and the queue rows of section 14: SimpleQueue, Queue (joinable),
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

import static io.gevent4j.testing.Recording.snapshot;
import static io.gevent4j.testing.Recording.recorder;
import static io.gevent4j.testing.Waiting.spinUntil;
import static io.gevent4j.testing.Waiting.yieldUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.gevent4j.BlockingSwitchOutException;
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
import io.gevent4j.queue.QueueShutDownException;
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
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
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
        return queues(new SimpleQueue<>(), new Queue<>(), new JoinableQueue<>(), new LifoQueue<>(), new PriorityQueue<>());
    }

    // ---- 6.1 size, blocking, timeouts --------------------------------------------------------------------

    @Test
    @DisplayName("Q-01: maxsize <= 0 (and no maxsize) is unbounded, with no warning; Queue(1).maxsize() == 1")
    void q01_maxsizeZeroOrNegativeIsUnbounded() {
        List<SimpleQueue<Integer>> unbounded = QueueSpecTest.<Integer>queues(new SimpleQueue<>(), new SimpleQueue<>(0), new SimpleQueue<>(-1),
                new Queue<>(), new Queue<>(0), new Queue<>(-1), new JoinableQueue<>(0), new LifoQueue<>(-1),
                new PriorityQueue<>(0), new PriorityQueue<>(-5, Comparator.<Integer>naturalOrder()));
        for (SimpleQueue<Integer> q : unbounded) {
            assertEquals(0, q.maxsize(), q.toString());
            for (int i = 0; i < 1000; i++) {
                q.putNowait(i);
                assertFalse(q.isFull(), q.toString());
            }
            assertEquals(1000, q.qsize(), q.toString());
        }
        for (SimpleQueue<Integer> q : QueueSpecTest.<Integer>queues(new SimpleQueue<>(1), new Queue<>(1), new JoinableQueue<>(1),
                new LifoQueue<>(1), new PriorityQueue<>(1))) {
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
    @DisplayName("Q-03: a full Queue(2): putNowait and put(0) raise Full at once, put(0.01 s) raises Full in [0.009, 0.12] s (greenlet)")
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
    @DisplayName("Q-04: an empty queue of every kind: getNowait raises Empty, get(0.01 s) raises Empty in [0.009, 0.12] s (greenlet)")
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
            assertThrows(IllegalArgumentException.class, () -> q.put("b", minus), "even when the put could succeed at once");
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

    // ---- 6.2 ordering, fairness, switching -----------------------------------------------------------------

    @Test
    @DisplayName("Q-10: 4 getters blocked in order 0..3; put a, b, c, d; sleep(0) -> 0a 1b 2c 3d")
    void q10_gettersAreServedFifo() {
        List<String> out = recorder();
        inGreenlet(() -> {
            Queue<String> q = new Queue<>();
            for (int i = 0; i < 4; i++) {
                int n = i;
                Gevent.spawn(() -> {
                    out.add(n + q.get());
                });
            }
            Gevent.sleep();
            for (String s : List.of("a", "b", "c", "d")) {
                q.put(s);
            }
            assertEquals(List.of(), snapshot(out), "put never switches");
            Gevent.sleep();
            assertEquals(List.of("0a", "1b", "2c", "3d"), snapshot(out));
        });
    }

    @Test
    @DisplayName("Q-10 (service threads): greenlets and service threads blocked alternately are served in the order they started waiting")
    void q10_greenletsAndServiceThreadsAreServedFifo() throws Exception {
        Queue<String> q = new Queue<>();
        List<String> out = recorder();
        List<Foreign<String>> threads = new ArrayList<>();
        inGreenlet(() -> {
            // waiters 0 (greenlet), 1 (thread), 2 (greenlet), 3 (thread), registered in that order
            for (int i = 0; i < 4; i++) {
                int n = i;
                if (n % 2 == 0) {
                    Gevent.spawn(() -> {
                        out.add(n + q.get());
                    });
                    Gevent.sleep();
                } else {
                    Foreign<String> f = Foreign.call("getter-" + n, () -> {
                        String s = q.get();
                        out.add(n + s);
                        return s;
                    });
                    threads.add(f);
                    f.awaitParked();
                }
            }
            // one item at a time, so that no two woken waiters race for the items
            List<String> items = List.of("a", "b", "c", "d");
            for (int i = 0; i < 4; i++) {
                q.put(items.get(i));
                int n = i + 1;
                yieldUntil(() -> out.size() >= n, n + " results");
            }
            for (Foreign<String> f : threads) {
                f.valueInGreenlet();
            }
        });
        assertEquals(List.of("0a", "1b", "2c", "3d"), snapshot(out));
    }

    @Test
    @DisplayName("Q-11: Queue(1) holding x, putters 0, 1, 2 blocked in order -> 4 gets return x, 0, 1, 2; every putter completes")
    void q11_puttersAreServedFifo() {
        inGreenlet(() -> {
            Queue<Object> q = new Queue<>(1);
            q.put("x");
            List<Greenlet<Void>> ps = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                int n = i;
                ps.add(Gevent.spawn(() -> q.put(n)));
            }
            Gevent.sleep();
            List<Object> got = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                got.add(q.get());
            }
            assertEquals(List.of("x", 0, 1, 2), got);
            Gevent.joinAll(ps);
            for (Greenlet<Void> p : ps) {
                assertTrue(p.isSuccessful());
            }
        });
    }

    @Test
    @DisplayName("Q-11 (service thread): a service-thread putter between two greenlet putters keeps its turn")
    void q11_serviceThreadPutterKeepsItsTurn() throws Exception {
        Queue<Object> q = new Queue<>(1);
        List<Object> got = new ArrayList<>();
        inGreenlet(() -> {
            q.put("x");
            Greenlet<Void> p0 = Gevent.spawn(() -> q.put(0));
            Gevent.sleep();
            Foreign<Void> p1 = Foreign.call("putter-1", () -> {
                q.put(1);
                return null;
            });
            p1.awaitParked();
            Greenlet<Void> p2 = Gevent.spawn(() -> q.put(2));
            Gevent.sleep();
            for (int i = 0; i < 4; i++) {
                got.add(q.get());
            }
            p1.valueInGreenlet();
            Gevent.joinAll(List.of(p0, p2));
            assertTrue(p0.isSuccessful());
            assertTrue(p2.isSuccessful());
        });
        assertEquals(List.of("x", 0, 1, 2), got);
    }

    @Test
    @DisplayName("Q-12: put never switches: the item stays queued (qsize 1) until the woken getter runs")
    void q12_putNeverSwitches() {
        List<String> log = recorder();
        inGreenlet(() -> {
            Queue<Integer> q = new Queue<>();
            Gevent.spawn(() -> {
                log.add("got " + q.get());
            });
            Gevent.sleep();
            q.put(1);
            log.add("after put");
            assertEquals(1, q.qsize());
            Gevent.sleep();
            assertEquals(List.of("after put", "got 1"), snapshot(log));
            assertEquals(0, q.qsize());
        });
    }

    @Test
    @DisplayName("Q-13: barging: with a getter blocked, main's put('a') then getNowait() returns 'a'; the getter ends with Empty")
    void q13_aCallerThatIsNotWaitingMayTakeTheItem() {
        inGreenlet(() -> {
            Queue<String> q = new Queue<>();
            Greenlet<String> getter = Gevent.spawn(() -> q.get(Duration.ofMillis(50)));
            Gevent.sleep();
            q.put("a");
            assertEquals("a", q.getNowait());
            assertInstanceOf(QueueEmptyException.class, failureOf(getter));
        });
    }

    @Test
    @DisplayName("Q-13 (service thread): a service thread's put then getNowait takes the item from a woken greenlet getter")
    void q13_aServiceThreadMayTakeTheItemFromAWokenGreenlet() throws Exception {
        Queue<String> q = new Queue<>();
        CountDownLatch go = new CountDownLatch(1);
        CompletableFuture<String> barged = new CompletableFuture<>();
        Foreign<Void> barger = Foreign.call("barger", () -> {
            go.await();
            q.put("a");
            barged.complete(q.getNowait());
            return null;
        });
        inGreenlet(() -> {
            Greenlet<String> getter = Gevent.spawn(() -> q.get(Duration.ofMillis(50)));
            Gevent.sleep();
            go.countDown();
            // hold the hub (no yield): the woken getter cannot run before the service thread's getNowait
            spinUntil(barger.result::isDone);
            assertInstanceOf(QueueEmptyException.class, failureOf(getter));
        });
        barger.value();
        assertEquals("a", barged.getNow(null));
    }

    @Test
    @DisplayName("Q-14: Queue(1) holding 1, a putter blocked on put(2): getNowait() == 1, qsize 0; after sleep(0) qsize 1 and the putter is dead")
    void q14_blockedPutIsCompletedByALoopCallback() {
        inGreenlet(() -> {
            Queue<Integer> q = new Queue<>(1);
            q.put(1);
            Greenlet<Void> p = Gevent.spawn(() -> q.put(2));
            Gevent.sleep();
            assertEquals(1, q.qsize());
            assertFalse(p.isDead());
            assertEquals(1, q.getNowait());
            assertEquals(0, q.qsize());
            Gevent.sleep();
            assertEquals(1, q.qsize());
            assertTrue(p.isDead());
            assertEquals(2, q.getNowait());
        });
    }

    @Test
    @DisplayName("Q-15: a getter under Timeout(0.1) gets the item put 0.01 s later")
    void q15_getterUnderTimeoutGetsTheItem() {
        inGreenlet(() -> {
            Queue<String> q = new Queue<>();
            Greenlet<String> p = Gevent.spawn(() -> {
                Timeout t = Timeout.startNew(Duration.ofMillis(100));
                try {
                    assertEquals("hi2", q.get());
                } finally {
                    t.cancel();
                }
                return "OK";
            });
            Gevent.sleep(0.01);
            q.put("hi2");
            Gevent.sleep(0.01);
            assertEquals("OK", p.get(Duration.ZERO));
        });
    }

    @Test
    @DisplayName("Q-15 (service thread): a service thread in get(0.1 s) gets the item a greenlet puts 0.01 s later")
    void q15_serviceThreadGetterGetsTheItem() throws Exception {
        Queue<String> q = new Queue<>();
        Foreign<String> f = Foreign.call("getter", () -> q.get(Duration.ofMillis(100)));
        inGreenlet(() -> {
            f.awaitParked();
            Gevent.sleep(0.01);
            q.put("hi2");
        });
        assertEquals("hi2", f.value());
    }

    @Test
    @DisplayName("Q-16: 4 waiters set(q.get()); one put at a time -> 1, then 2, then 4 results")
    void q16_multipleWaiters() {
        inGreenlet(() -> {
            Queue<String> q = new Queue<>();
            List<AsyncResult<String>> evts = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                AsyncResult<String> e = new AsyncResult<>();
                evts.add(e);
                Gevent.spawn(() -> e.set(q.get()));
            }
            Gevent.sleep(0.01);
            List<String> results = new ArrayList<>();
            Supplier<Integer> collect = () -> {
                for (AsyncResult<String> e : evts) {
                    try {
                        String x = e.get(Duration.ofMillis(1));
                        if (!results.contains(x)) {
                            results.add(x);
                        }
                    } catch (Timeout notYet) {
                        // gevent: with Timeout(0.001, False)
                    }
                }
                return results.size();
            };
            q.put("1");
            assertEquals(1, collect.get());
            q.put("2");
            assertEquals(2, collect.get());
            q.put("3");
            q.put("4");
            assertEquals(4, collect.get());
            assertEquals(List.of("1", "2", "3", "4"), results);
        });
    }

    /** gevent's do_bail: a get under Timeout(0, RuntimeError()). */
    static String doBail(Queue<String> q) {
        RuntimeException bail = new RuntimeException("bail");
        Timeout t = Timeout.startNew(Duration.ZERO, bail);
        try {
            return q.get();
        } catch (RuntimeException e) {
            assertSame(bail, e);
            return "timed out";
        } finally {
            t.cancel();
        }
    }

    @Test
    @DisplayName("Q-17: a getter under Timeout(0, RuntimeException) ends 'timed out'; the next put is not swallowed")
    void q17_aCancelledWaiterDoesNotSwallowAnItem() {
        inGreenlet(() -> {
            Queue<String> q = new Queue<>();
            Greenlet<String> g = Gevent.spawn(() -> doBail(q));
            assertEquals("timed out", g.get());
            q.put("hi");
            assertEquals("hi", q.get(Duration.ZERO));
        });
    }

    @Test
    @DisplayName("Q-17 (kill): a getter killed while blocked does not swallow the next item")
    void q17_aKilledWaiterDoesNotSwallowAnItem() {
        inGreenlet(() -> {
            Queue<String> q = new Queue<>();
            Greenlet<String> g = Gevent.spawn(() -> q.get());
            Gevent.sleep();
            g.kill();
            assertTrue(g.isDead());
            q.put("hi");
            assertEquals("hi", q.getNowait());
        });
    }

    @Test
    @DisplayName("Q-17 (service thread): a service-thread getter whose get times out or is interrupted does not swallow the next item")
    void q17_aServiceThreadWaiterThatGivesUpDoesNotSwallowAnItem() throws Exception {
        Queue<String> q = new Queue<>();
        Foreign<String> timedOut = Foreign.call("times-out", () -> q.get(GET_T));
        assertInstanceOf(QueueEmptyException.class, timedOut.failure());
        Foreign<String> interrupted = Foreign.call("interrupted", () -> q.get());
        interrupted.awaitParked();
        interrupted.thread.interrupt();
        assertNotNull(interrupted.failure());
        inGreenlet(() -> {
            q.put("hi");
            assertEquals("hi", q.getNowait());
            Greenlet<String> g = Gevent.spawn(() -> q.get());
            Gevent.sleep();
            q.put("again");
            assertEquals("again", g.get(Duration.ofSeconds(5)));
        });
    }

    @Test
    @DisplayName("Q-18: a dying getter and a normal one: the dying one is 'timed out', the normal one gets 'hi'")
    void q18_twoWaitersOneDies() {
        inGreenlet(() -> {
            Queue<String> q = new Queue<>();
            Greenlet<String> dying = Gevent.spawn(() -> doBail(q));
            Greenlet<String> waiting = Gevent.spawn(() -> q.get());
            Gevent.sleep(0.1);
            q.put("hi");
            assertEquals("timed out", dying.get());
            assertEquals("hi", waiting.get());
        });
    }

    @Test
    @DisplayName("Q-18: two dying getters are both 'timed out', and q.get() == 'sent'")
    void q18_twoBogusWaiters() {
        inGreenlet(() -> {
            Queue<String> q = new Queue<>();
            Greenlet<String> g1 = Gevent.spawn(() -> doBail(q));
            Greenlet<String> g2 = Gevent.spawn(() -> doBail(q));
            Gevent.sleep(0.1);
            q.put("sent");
            assertEquals("timed out", g1.get());
            assertEquals("timed out", g2.get());
            assertEquals("sent", q.get());
        });
    }

    @Test
    @DisplayName("Q-18 (woken, then killed): a getter killed after its wake-up hands the item on to the next getter")
    void q18_aWokenGetterThatDiesHandsTheItemOn() {
        inGreenlet(() -> {
            Queue<String> q = new Queue<>();
            Greenlet<String> first = Gevent.spawn(() -> q.get());
            Greenlet<String> second = Gevent.spawn(() -> q.get());
            Gevent.sleep();
            // the kill is delivered by a hub task queued now; the put wakes `first` before that task runs, so
            // the kill reaches `first` after its wake-up and before it took the item (gevent: _kill runs before
            // _unlock, and `second` gets the item too)
            Gevent.kill(first);
            q.put("x"); // wakes `first` only: one item
            assertTrue(second.join(Duration.ofSeconds(5)),
                    () -> "the item was swallowed by the dead getter: first=" + first.value() + "/" + first.exception() + ", qsize=" + q.qsize());
            assertEquals("x", second.get());
            assertTrue(first.isDead());
            assertNull(first.value());
            assertEquals(0, q.qsize());
        });
    }

    @Test
    @DisplayName("Q-18 (woken, then killed, service thread next): the item goes on to a service-thread getter")
    void q18_aWokenGreenletThatDiesHandsTheItemOnToAServiceThread() throws Exception {
        Queue<String> q = new Queue<>();
        inGreenlet(() -> {
            Greenlet<String> first = Gevent.spawn(() -> q.get());
            Gevent.sleep();
            Foreign<String> second = Foreign.call("second", () -> q.get()); // blocked after `first`
            second.awaitParked();
            Gevent.kill(first); // delivered after the put's wake-up, before `first` runs (see above)
            q.put("x"); // wakes `first` only: one item
            assertEquals("x", second.valueInGreenlet());
            assertTrue(first.isDead());
            assertEquals(0, q.qsize());
        });
    }

    @Test
    @DisplayName("Q-18 (putters): a putter killed after its wake-up hands the room on to the next putter")
    void q18_aWokenPutterThatDiesHandsTheRoomOn() {
        inGreenlet(() -> {
            Queue<String> q = new Queue<>(1);
            q.put("x");
            Greenlet<Void> first = Gevent.spawn(() -> q.put("first"));
            Greenlet<Void> second = Gevent.spawn(() -> q.put("second"));
            Gevent.sleep();
            Gevent.kill(first); // delivered after the wake-up below, before `first` runs
            assertEquals("x", q.getNowait()); // wakes `first` only: room for one
            assertTrue(second.join(Duration.ofSeconds(5)),
                    () -> "the room was swallowed by the dead putter: first=" + first.exception() + ", qsize=" + q.qsize());
            assertTrue(second.isSuccessful());
            assertEquals(List.of("second"), drain(q));
        });
    }

    @Test
    @DisplayName("Q-19: spawn(q.put, 'sent'); q.get() == 'sent' (a greenlet and a service thread as the putter)")
    void q19_sendersThatDie() throws Exception {
        inGreenlet(() -> {
            Queue<String> q = new Queue<>();
            Gevent.spawn(() -> q.put("sent"));
            assertEquals("sent", q.get());
        });
        Queue<String> q = new Queue<>();
        inGreenlet(() -> {
            Foreign<Void> f = Foreign.call("sender", () -> {
                q.put("sent");
                return null;
            });
            assertEquals("sent", q.get());
            f.valueInGreenlet();
        });
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
    @DisplayName("Q-21 (service thread): a service thread blocked in peek() returns the item a greenlet puts; the item stays")
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
            PriorityQueue<Pair> p = new PriorityQueue<>(Comparator.comparingInt(Pair::n).thenComparing(Pair::s));
            p.put(new Pair(2, "b"));
            p.put(new Pair(1, "z"));
            p.put(new Pair(1, "a"));
            assertEquals(List.of(new Pair(1, "a"), new Pair(1, "z"), new Pair(2, "b")), List.of(p.get(), p.get(), p.get()));
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

    /** Runs {@code task} as a hub task (the JVM's loop callback) and waits for it, re-throwing its failure. */
    static void inHubTask(Hub hub, Runnable task) throws Exception {
        CompletableFuture<Void> done = new CompletableFuture<>();
        hub.asExecutor().execute(() -> {
            try {
                task.run();
                done.complete(null);
            } catch (Throwable t) {
                done.completeExceptionally(t);
            }
        });
        try {
            done.get(5, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError("the hub task failed", e.getCause());
        }
    }

    @Test
    @DisplayName("Q-26: in hub tasks (not greenlets), on Queue(1): two putNowait -> [ok, Full]; a blocking put -> BlockingSwitchOutException")
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

    // ---- 6.4 taskDone / join -------------------------------------------------------------------------------

    @Test
    @DisplayName("Q-27: join() on a fresh joinable queue returns at once, without switching")
    void q27_joinOnAFreshQueueReturnsAtOnce() {
        List<String> log = recorder();
        inGreenlet(() -> {
            for (Queue<Integer> q : List.<Queue<Integer>>of(new Queue<>(), new JoinableQueue<>(), new LifoQueue<>(), new PriorityQueue<>())) {
                Gevent.spawn(() -> {
                    log.add("other ran");
                });
                q.join();
                assertTrue(q.join(Duration.ZERO));
                assertTrue(q.join(null));
                assertEquals(List.of(), snapshot(log), "join() switched");
                Gevent.sleep();
                log.clear();
            }
        });
        assertTrue(new Queue<Integer>().join(Duration.ZERO), "on a service thread");
    }

    @Test
    @DisplayName("Q-28: spawn(q.put, X); q.get() is X -> unfinishedTasks 1; taskDone() -> 0")
    void q28_taskDone() {
        inGreenlet(() -> {
            Queue<Object> q = new Queue<>();
            Object x = new Object();
            Gevent.spawn(() -> q.put(x));
            assertSame(x, q.get());
            assertEquals(1, q.unfinishedTasks());
            q.taskDone();
            assertEquals(0, q.unfinishedTasks());
        });
    }

    @Test
    @DisplayName("Q-29: 2 unfinished: join(0.2 s) is false in [0.1, 0.31] s; the last taskDone 0.01 s later makes join() true")
    void q29_joinWaitsForTheLastTaskDone() {
        inGreenlet(() -> {
            Queue<Integer> q = new Queue<>();
            q.put(1);
            q.put(2);
            assertEquals(2, q.unfinishedTasks());
            long start = System.nanoTime();
            assertFalse(q.join(WAIT_T));
            assertWithin(WAIT_MIN, WAIT_MAX, since(start));
            q.get();
            q.taskDone();
            q.get();
            assertEquals(1, q.unfinishedTasks());
            Gevent.spawn(() -> {
                Gevent.sleep(GET_TIMEOUT);
                q.taskDone();
            });
            start = System.nanoTime();
            assertTrue(q.join(null));
            assertWithin(GET_MIN, GET_MAX, since(start));
            assertEquals(0, q.unfinishedTasks());
        });
    }

    @Test
    @DisplayName("Q-29 (service threads): a service thread's join() wakes on a greenlet's last taskDone, and a greenlet's on a thread's")
    void q29_joinAcrossGreenletsAndServiceThreads() throws Exception {
        Queue<Integer> q = new Queue<>();
        q.put(1);
        Foreign<Boolean> joiner = Foreign.call("joiner", () -> q.join(Duration.ofSeconds(10)));
        inGreenlet(() -> {
            joiner.awaitParked();
            assertEquals(1, q.get());
            q.taskDone();
            assertTrue(joiner.valueInGreenlet());
        });
        Queue<Integer> q2 = new Queue<>(0, List.of(7));
        CountDownLatch go = new CountDownLatch(1);
        Foreign<Void> worker = Foreign.call("worker", () -> {
            go.await();
            assertEquals(7, q2.get());
            q2.taskDone();
            return null;
        });
        inGreenlet(() -> {
            Greenlet<Boolean> j = Gevent.spawn(() -> q2.join(Duration.ofSeconds(10)));
            Gevent.sleep();
            assertFalse(j.isDead());
            go.countDown();
            assertTrue(j.get());
            worker.valueInGreenlet();
        });
    }

    @Test
    @DisplayName("Q-30 / section 14: taskDone() with no unfinished task is an IllegalStateException, and changes nothing")
    void q30_taskDoneTooOften() {
        inGreenlet(() -> {
            Queue<Integer> fresh = new Queue<>();
            IllegalStateException e = assertThrows(IllegalStateException.class, fresh::taskDone);
            assertNotNull(e.getMessage());
            assertEquals(0, fresh.unfinishedTasks());
            Queue<Integer> q = new Queue<>();
            q.put(1);
            q.get();
            q.taskDone();
            assertThrows(IllegalStateException.class, q::taskDone);
            assertEquals(0, q.unfinishedTasks());
            assertTrue(q.join(Duration.ZERO));
            q.put(2);
            assertEquals(1, q.unfinishedTasks(), "the failed taskDone() did not make the count negative");
        });
    }

    @Test
    @DisplayName("Q-31: Queue(items=[1,2,3]) -> unfinishedTasks 3, qsize 3 (items may exceed the bound)")
    void q31_preloadedItemsAreUnfinishedTasks() {
        for (Queue<Integer> q : List.<Queue<Integer>>of(new Queue<>(0, List.of(1, 2, 3)), new JoinableQueue<>(0, List.of(1, 2, 3)),
                new LifoQueue<>(0, List.of(1, 2, 3)), new PriorityQueue<>(0, List.of(1, 2, 3)))) {
            assertEquals(3, q.unfinishedTasks(), q.toString());
            assertEquals(3, q.qsize(), q.toString());
        }
        Queue<Integer> bounded = new Queue<>(2, List.of(1, 2, 3));
        assertEquals(3, bounded.qsize());
        assertTrue(bounded.isFull());
        assertEquals(List.of(1, 2, 3), drain(bounded));
        SimpleQueue<Integer> simple = new SimpleQueue<>(0, List.of(1, 2, 3));
        assertEquals(List.of(1, 2, 3), drain(simple));
    }

    // ---- Q-32 shutdown -------------------------------------------------------------------------------------

    @Test
    @DisplayName("Q-32: after shutdown() puts raise ShutDown, the items left are still got (then join returns), then gets raise ShutDown at once")
    void q32_shutdownRefusesPutsAndDrains() {
        inGreenlet(() -> {
            Queue<String> q = new Queue<>();
            q.put("L");
            q.putNowait("O");
            assertFalse(q.isShutDown());
            q.shutdown();
            assertTrue(q.isShutDown());
            assertThrows(QueueShutDownException.class, () -> q.put("x"));
            assertThrows(QueueShutDownException.class, () -> q.putNowait("x"));
            assertThrows(QueueShutDownException.class, () -> q.put("x", Duration.ofSeconds(1)));
            assertEquals(2, q.qsize());
            assertEquals("L", q.peek());
            assertEquals("L", q.get());
            q.taskDone();
            assertEquals("O", q.get());
            q.taskDone();
            assertTrue(q.join(Duration.ZERO));
            q.join();
            long start = System.nanoTime();
            assertThrows(QueueShutDownException.class, q::get);
            assertThrows(QueueShutDownException.class, q::getNowait);
            assertThrows(QueueShutDownException.class, () -> q.get(Duration.ofSeconds(1)));
            assertThrows(QueueShutDownException.class, q::peek);
            assertTrue(since(start) < GET_MAX, "the gets waited " + since(start) + " s");
        });
    }

    @Test
    @DisplayName("Q-32: shutdown(true) drops the items: get raises ShutDown at once, taskDone() is illegal, join() returns")
    void q32_immediateShutdown() {
        inGreenlet(() -> {
            Queue<String> q = new Queue<>();
            q.put("L");
            q.put("O");
            q.shutdown(true);
            assertThrows(QueueShutDownException.class, q::get);
            assertEquals(0, q.qsize());
            assertThrows(IllegalStateException.class, q::taskDone);
            assertEquals(0, q.unfinishedTasks());
            assertTrue(q.join(Duration.ZERO));
        });
    }

    @Test
    @DisplayName("Q-32: shutdown(true) wakes a blocked join() (greenlet and service thread)")
    void q32_immediateShutdownWakesJoiners() throws Exception {
        Queue<String> q = new Queue<>(0, List.of("a", "b"));
        Foreign<Boolean> f = Foreign.call("joiner", () -> q.join(Duration.ofSeconds(10)));
        inGreenlet(() -> {
            Greenlet<Boolean> j = Gevent.spawn(() -> q.join(Duration.ofSeconds(10)));
            Gevent.sleep();
            f.awaitParked();
            assertFalse(j.isDead());
            q.shutdown(true);
            assertTrue(j.get(Duration.ofSeconds(5)));
            assertTrue(f.valueInGreenlet());
        });
    }

    @Test
    @DisplayName("Q-32: blocked getters and peekers (greenlets and a service thread) are woken with ShutDown")
    void q32_shutdownWakesBlockedGetters() throws Exception {
        Queue<String> q = new Queue<>();
        Foreign<String> f = Foreign.call("getter", () -> q.get());
        List<Throwable> errors = new ArrayList<>();
        inGreenlet(() -> {
            Greenlet<String> g1 = Gevent.spawn(() -> q.get());
            Greenlet<String> g2 = Gevent.spawn(() -> q.get(Duration.ofSeconds(10)));
            Greenlet<String> p = Gevent.spawn(() -> q.peek());
            Gevent.sleep();
            f.awaitParked();
            q.shutdown();
            for (Greenlet<String> g : List.of(g1, g2, p)) {
                assertTrue(g.join(Duration.ofSeconds(5)));
                errors.add(g.exception());
            }
            errors.add(f.failureInGreenlet());
        });
        assertEquals(4, errors.size());
        for (Throwable t : errors) {
            assertInstanceOf(QueueShutDownException.class, t);
        }
    }

    @Test
    @DisplayName("Q-32: blocked putters (greenlets and a service thread) are woken with ShutDown; the queued item is still got")
    void q32_shutdownWakesBlockedPutters() throws Exception {
        Queue<String> q = new Queue<>(1, List.of("x"));
        Foreign<Void> f = Foreign.call("putter", () -> {
            q.put("f");
            return null;
        });
        List<Throwable> errors = new ArrayList<>();
        inGreenlet(() -> {
            Greenlet<Void> g1 = Gevent.spawn(() -> q.put("g1"));
            Greenlet<Void> g2 = Gevent.spawn(() -> q.put("g2", Duration.ofSeconds(10)));
            Gevent.sleep();
            f.awaitParked();
            q.shutdown();
            for (Greenlet<Void> g : List.of(g1, g2)) {
                assertTrue(g.join(Duration.ofSeconds(5)));
                errors.add(g.exception());
            }
            errors.add(f.failureInGreenlet());
            assertEquals(List.of("x"), drain(q));
            assertThrows(QueueShutDownException.class, q::get);
        });
        assertEquals(3, errors.size());
        for (Throwable t : errors) {
            assertInstanceOf(QueueShutDownException.class, t);
        }
    }
}
