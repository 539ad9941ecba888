package io.gevent4j.spec;

import static io.gevent4j.spec.QueueSpecTest.*;
import static io.gevent4j.testing.Recording.recorder;
import static io.gevent4j.testing.Recording.snapshot;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gevent4j.Gevent;
import io.gevent4j.Greenlet;
import io.gevent4j.queue.JoinableQueue;
import io.gevent4j.queue.LifoQueue;
import io.gevent4j.queue.PriorityQueue;
import io.gevent4j.queue.Queue;
import io.gevent4j.queue.QueueShutDownException;
import io.gevent4j.queue.SimpleQueue;
import io.gevent4j.testing.Foreign;
import io.gevent4j.testing.GeventTestBase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Spec section 6.4 (gevent-semantics.md): taskDone/join of the joinable queues, and Q-32, shutdown. Split from
 * QueueSpecTest (JVM decisions, skipped cases, helpers).
 */
class QueueJoinShutdownSpecTest extends GeventTestBase {

    @BeforeAll
    static void warmUpOnce() {
        QueueSpecTest.warmUpOnce();
    }

    // ---- 6.4 taskDone / join -------------------------------------------------------------------------------

    @Test
    @DisplayName("Q-27: join() on a fresh joinable queue returns at once, without switching")
    void q27_joinOnAFreshQueueReturnsAtOnce() {
        List<String> log = recorder();
        inGreenlet(() -> {
            for (Queue<Integer> q : List.<Queue<Integer>>of(
                    new Queue<>(), new JoinableQueue<>(), new LifoQueue<>(), new PriorityQueue<>())) {
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
    @DisplayName(
            "Q-29: 2 unfinished: join(0.2 s) is false in [0.1, 0.31] s; the last taskDone 0.01 s later makes join() true")
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
    @DisplayName(
            "Q-29 (service threads): a service thread's join() wakes on a greenlet's last taskDone, and a greenlet's on a thread's")
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
    @DisplayName(
            "Q-30 / section 14: taskDone() with no unfinished task is an IllegalStateException, and changes nothing")
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
        for (Queue<Integer> q : List.<Queue<Integer>>of(
                new Queue<>(0, List.of(1, 2, 3)),
                new JoinableQueue<>(0, List.of(1, 2, 3)),
                new LifoQueue<>(0, List.of(1, 2, 3)),
                new PriorityQueue<>(0, List.of(1, 2, 3)))) {
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
    @DisplayName(
            "Q-32: after shutdown() puts raise ShutDown, the items left are still got (then join returns), then gets raise ShutDown at once")
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
            assertTrue(since(start) < AT_ONCE_MAX, "the gets waited " + since(start) + " s");
        });
    }

    @Test
    @DisplayName(
            "Q-32: shutdown(true) drops the items: get raises ShutDown at once, taskDone() is illegal, join() returns")
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
    @DisplayName(
            "Q-32: blocked putters (greenlets and a service thread) are woken with ShutDown; the queued item is still got")
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
