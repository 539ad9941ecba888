package io.gevent4j.spec;

import static io.gevent4j.spec.QueueSpecTest.*;
import static io.gevent4j.testing.Recording.recorder;
import static io.gevent4j.testing.Recording.snapshot;
import static io.gevent4j.testing.Waiting.spinUntil;
import static io.gevent4j.testing.Waiting.yieldUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gevent4j.Gevent;
import io.gevent4j.Greenlet;
import io.gevent4j.Timeout;
import io.gevent4j.event.AsyncResult;
import io.gevent4j.queue.Queue;
import io.gevent4j.queue.QueueEmptyException;
import io.gevent4j.testing.Foreign;
import io.gevent4j.testing.GeventTestBase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Spec section 6.2 (gevent-semantics.md): ordering, fairness and switching of the queues' getters and putters
 * (greenlets and service threads). Split from QueueSpecTest, whose header lists the JVM decisions and the
 * skipped cases of section 6, and whose helpers this uses.
 */
class QueueOrderingSpecTest extends GeventTestBase {

    @BeforeAll
    static void warmUpOnce() {
        QueueSpecTest.warmUpOnce();
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
    @DisplayName(
            "Q-10 (service threads): greenlets and service threads blocked alternately are served in the order they started waiting")
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
    @DisplayName(
            "Q-11: Queue(1) holding x, putters 0, 1, 2 blocked in order -> 4 gets return x, 0, 1, 2; every putter completes")
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
    @DisplayName(
            "Q-13: barging: with a getter blocked, main's put('a') then getNowait() returns 'a'; the getter ends with Empty")
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
    @DisplayName(
            "Q-13 (service thread): a service thread's put then getNowait takes the item from a woken greenlet getter")
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
    @DisplayName(
            "Q-14: Queue(1) holding 1, a putter blocked on put(2): getNowait() == 1, qsize 0; after sleep(0) qsize 1 and the putter is dead")
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
    @DisplayName(
            "Q-17 (service thread): a service-thread getter whose get times out or is interrupted does not swallow the next item")
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
            assertTrue(
                    second.join(Duration.ofSeconds(5)),
                    () -> "the item was swallowed by the dead getter: first=" + first.value() + "/" + first.exception()
                            + ", qsize=" + q.qsize());
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
            assertTrue(
                    second.join(Duration.ofSeconds(5)),
                    () -> "the room was swallowed by the dead putter: first=" + first.exception() + ", qsize="
                            + q.qsize());
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
}
