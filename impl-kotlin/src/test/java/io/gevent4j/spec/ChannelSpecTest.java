package io.gevent4j.spec;

/*
 * Spec section 6.5 (gevent-semantics.md): Channel, a rendezvous. Greenlets, and service threads (platform
 * threads of no hub) where the case allows. Q-04 for Channel (get timing) is in QueueSpecTest; the Kotlin
 * twins are in QueueKotlinSpecTest.
 *
 * Skipped cases:
 *   Q-33 (part) `balance`: not in the API.
 *   Q-39  Channel(2): Channel has only the no-argument constructor.
 *   Q-40 (part) iteration ending: gevent ends on a StopIteration item, gevent4j at shutdown, and Channel has
 *         no shutdown(); what is left (iteration takes the items as putters hand them over) is tested.
 */

import static io.gevent4j.testing.Recording.recorder;
import static io.gevent4j.testing.Recording.snapshot;
import static io.gevent4j.testing.Waiting.yieldUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.gevent4j.Gevent;
import io.gevent4j.Greenlet;
import io.gevent4j.Timeout;
import io.gevent4j.event.AsyncResult;
import io.gevent4j.queue.Channel;
import io.gevent4j.queue.QueueEmptyException;
import io.gevent4j.queue.QueueFullException;
import io.gevent4j.testing.Foreign;
import io.gevent4j.testing.GeventTestBase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ChannelSpecTest extends GeventTestBase {

    @BeforeAll
    static void warmUpOnce() {
        SchedulingSpecTest.warmUp();
        QueueSpecTest.warmUpQueues();
    }

    @Test
    @DisplayName("Q-33: Channel(): qsize 0, empty, always full -- also with a putter waiting")
    void q33_channelIsAlwaysFullAndEmpty() {
        inGreenlet(() -> {
            Channel<String> ch = new Channel<>();
            assertEquals(0, ch.qsize());
            assertTrue(ch.isEmpty());
            assertTrue(ch.isFull());
            Greenlet<Void> p = Gevent.spawn(() -> ch.put("x"));
            Gevent.sleep();
            assertFalse(p.isDead());
            assertEquals(0, ch.qsize(), "a waiting putter's item is not queued");
            assertTrue(ch.isEmpty());
            assertTrue(ch.isFull());
            assertEquals("x", ch.get());
            p.join();
            assertEquals(0, ch.qsize());
            assertTrue(ch.isFull());
        });
    }

    @Test
    @DisplayName("Q-34: put blocks until a getter took the item: sending, hello, sent hello, world, sent world")
    void q34_putBlocksUntilAGetterTookTheItem() {
        List<String> log = recorder();
        inGreenlet(() -> {
            Channel<String> ch = new Channel<>();
            Greenlet<Void> consumer = Gevent.spawn(() -> {
                log.add(ch.get());
                log.add(ch.get());
            });
            log.add("sending");
            ch.put("hello");
            log.add("sent hello");
            ch.put("world");
            log.add("sent world");
            consumer.join();
            assertTrue(consumer.isSuccessful());
        });
        assertEquals(List.of("sending", "hello", "sent hello", "world", "sent world"), snapshot(log));
    }

    @Test
    @DisplayName(
            "Q-35: a producer's put returns only after main took the item; 'sent world' only after main's next sleep(0)")
    void q35_producerAndMain() {
        List<String> log = recorder();
        inGreenlet(() -> {
            Channel<String> ch = new Channel<>();
            Greenlet<Void> producer = Gevent.spawn(() -> {
                log.add("sending hello");
                ch.put("hello");
                log.add("sending world");
                ch.put("world");
                log.add("sent world");
            });
            log.add("waiting");
            log.add(ch.get());
            log.add(ch.get());
            assertEquals(List.of("waiting", "sending hello", "hello", "sending world", "world"), snapshot(log));
            Gevent.sleep();
            assertEquals(
                    List.of("waiting", "sending hello", "hello", "sending world", "world", "sent world"),
                    snapshot(log));
            assertTrue(producer.isDead());
        });
    }

    @Test
    @DisplayName(
            "Q-36: a sender's put waits (e1 not ready after sleep(0.001)) until a receiver comes; then e2 == hi, e1 == done")
    void q36_senderWaitsForAReceiver() {
        inGreenlet(() -> {
            Channel<String> ch = new Channel<>();
            AsyncResult<String> e1 = new AsyncResult<>();
            AsyncResult<String> e2 = new AsyncResult<>();
            Greenlet<Void> sender = Gevent.spawn(() -> {
                ch.put("hi");
                e1.set("done");
            });
            Gevent.sleep(0.001);
            assertFalse(e1.isReady());
            Greenlet<Void> receiver = Gevent.spawn(() -> e2.set(ch.get()));
            assertEquals("hi", e2.get());
            assertEquals("done", e1.get());
            Timeout t = Timeout.startNew(Duration.ZERO);
            try {
                Gevent.joinAll(List.of(sender, receiver));
            } finally {
                t.cancel();
            }
            assertTrue(sender.isSuccessful());
            assertTrue(receiver.isSuccessful());
        });
    }

    @Test
    @DisplayName("Q-36 (service thread sender): a service thread's put waits until a greenlet receives")
    void q36_serviceThreadSenderWaitsForAGreenletReceiver() throws Exception {
        Channel<String> ch = new Channel<>();
        AsyncResult<String> e1 = new AsyncResult<>();
        Foreign<Void> sender = Foreign.call("sender", () -> {
            ch.put("hi");
            e1.set("done");
            return null;
        });
        inGreenlet(() -> {
            sender.awaitParked();
            Gevent.sleep(0.001);
            assertFalse(e1.isReady());
            Greenlet<String> receiver = Gevent.spawn(() -> ch.get());
            assertEquals("hi", receiver.get());
            assertEquals("done", e1.get(Duration.ofSeconds(5)));
            sender.valueInGreenlet();
        });
    }

    @Test
    @DisplayName("Q-36 (service thread receiver): a greenlet's put waits until a service thread receives")
    void q36_greenletSenderWaitsForAServiceThreadReceiver() throws Exception {
        Channel<String> ch = new Channel<>();
        List<Foreign<String>> receiver = Collections.synchronizedList(new ArrayList<>());
        inGreenlet(() -> {
            AsyncResult<String> e1 = new AsyncResult<>();
            Greenlet<Void> sender = Gevent.spawn(() -> {
                ch.put("hi");
                e1.set("done");
            });
            Gevent.sleep(0.001);
            assertFalse(e1.isReady());
            receiver.add(Foreign.call("receiver", () -> ch.get()));
            assertEquals("done", e1.get(Duration.ofSeconds(5)));
            assertEquals("hi", receiver.get(0).valueInGreenlet());
            assertTrue(sender.isSuccessful());
        });
    }

    @Test
    @DisplayName(
            "Q-37: putNowait with no getter -> Full; getNowait with no putter -> Empty; put(x, 0.01 s) -> Full in [0.009, 0.12] s")
    void q37_nowaitAndTimeouts() {
        inGreenlet(() -> {
            Channel<Integer> ch = new Channel<>();
            assertThrows(QueueFullException.class, () -> ch.putNowait(1));
            assertThrows(QueueEmptyException.class, ch::getNowait);
            assertThrows(QueueFullException.class, () -> ch.put(1, Duration.ZERO));
            long start = System.nanoTime();
            assertThrows(QueueFullException.class, () -> ch.put(1, QueueSpecTest.GET_T));
            assertWithin(GET_MIN, GET_MAX, since(start));
            assertThrows(QueueEmptyException.class, ch::getNowait, "the put that timed out left no item behind");
            assertEquals(0, ch.qsize());
            Timeout t = Timeout.startNew(Duration.ofMillis(1));
            try {
                ch.put(2, Duration.ofSeconds(1));
                fail("put returned");
            } catch (Timeout caught) {
                assertSame(t, caught, "an outer Timeout is not lost");
            } finally {
                t.cancel();
            }
            assertThrows(QueueEmptyException.class, ch::getNowait, "the put that was interrupted left no item behind");
        });
        Channel<Integer> ch = new Channel<>();
        long start = System.nanoTime();
        assertThrows(QueueFullException.class, () -> ch.put(1, QueueSpecTest.GET_T), "on a service thread");
        assertWithin(GET_MIN, GET_MAX, since(start));
        assertThrows(QueueEmptyException.class, ch::getNowait);
    }

    @Test
    @DisplayName("Q-38: a putter blocked in put('x') -> getNowait() == 'x' and the putter completes")
    void q38_getNowaitTakesFromABlockedPutter() {
        inGreenlet(() -> {
            Channel<String> ch = new Channel<>();
            Greenlet<Void> p = Gevent.spawn(() -> ch.put("x"));
            Gevent.sleep();
            assertEquals("x", ch.getNowait());
            assertThrows(QueueEmptyException.class, ch::getNowait);
            p.join(Duration.ofSeconds(5));
            assertTrue(p.isSuccessful());
        });
    }

    @Test
    @DisplayName(
            "Q-38: a getter blocked -> putNowait('y') succeeds, the item is not queued, and that getter returns 'y'")
    void q38_putNowaitHandsToABlockedGetter() {
        inGreenlet(() -> {
            Channel<String> ch = new Channel<>();
            Greenlet<String> g = Gevent.spawn(() -> ch.get());
            Gevent.sleep();
            ch.putNowait("y");
            assertEquals(0, ch.qsize(), "a Channel never holds an item");
            assertThrows(QueueFullException.class, () -> ch.putNowait("z"), "one waiting getter takes one item");
            assertEquals("y", g.get(Duration.ofSeconds(5)));
        });
    }

    @Test
    @DisplayName(
            "Q-38: two getters blocked -> two putNowait succeed, a third raises Full; each getter gets one item, in order")
    void q38_eachWaitingGetterTakesOnePutNowait() {
        inGreenlet(() -> {
            Channel<String> ch = new Channel<>();
            Greenlet<String> g1 = Gevent.spawn(() -> ch.get());
            Greenlet<String> g2 = Gevent.spawn(() -> ch.get());
            Gevent.sleep();
            ch.putNowait("a");
            ch.putNowait("b");
            assertThrows(QueueFullException.class, () -> ch.putNowait("c"));
            assertEquals("a", g1.get(Duration.ofSeconds(5)));
            assertEquals("b", g2.get(Duration.ofSeconds(5)));
        });
    }

    @Test
    @DisplayName(
            "Q-38: the item of putNowait belongs to the waiting getter: a getNowait right after it does not take it")
    void q38_putNowaitItemCannotBeBargedAway() {
        inGreenlet(() -> {
            Channel<String> ch = new Channel<>();
            Greenlet<String> g = Gevent.spawn(() -> ch.get());
            Gevent.sleep();
            ch.putNowait("y");
            assertThrows(QueueEmptyException.class, ch::getNowait, "no putter waits: nothing to take");
            assertEquals("y", g.get(Duration.ofSeconds(5)));
        });
    }

    @Test
    @DisplayName(
            "Q-38 (service threads): getNowait takes from a blocked service-thread putter; putNowait hands to a blocked service-thread getter")
    void q38_withServiceThreads() throws Exception {
        Channel<String> ch = new Channel<>();
        Foreign<Void> putter = Foreign.call("putter", () -> {
            ch.put("x");
            return null;
        });
        inGreenlet(() -> {
            putter.awaitParked();
            assertEquals("x", ch.getNowait());
            putter.valueInGreenlet();
            Foreign<String> getter = Foreign.call("getter", () -> ch.get());
            getter.awaitParked();
            ch.putNowait("y");
            assertEquals("y", getter.valueInGreenlet());
        });
    }

    @Test
    @DisplayName(
            "Q-26 (Channel): in hub tasks, putNowait with no getter -> [Full, Full]; getNowait hands a waiting putter's item over")
    void q26_channelFromHubTasks() throws Exception {
        Channel<Integer> ch = new Channel<>();
        List<String> results = Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < 2; i++) {
            int n = i;
            inHubTask(hub, () -> {
                try {
                    ch.putNowait(n);
                    results.add("ok");
                } catch (QueueFullException e) {
                    results.add("Full");
                }
            });
        }
        assertEquals(List.of("Full", "Full"), results);
        Greenlet<Void> putter = hub.spawn(() -> ch.put(5));
        yieldUntil(() -> putter.isStarted(), "the putter to start");
        List<Integer> got = Collections.synchronizedList(new ArrayList<>());
        yieldUntil(
                () -> {
                    try {
                        inHubTask(hub, () -> {
                            try {
                                got.add(ch.getNowait());
                            } catch (QueueEmptyException notYetBlocked) {
                                // the putter has not reached put() yet
                            }
                        });
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                    return !got.isEmpty();
                },
                "getNowait in a hub task to take the putter's item");
        assertEquals(List.of(5), got);
        assertTrue(putter.join(Duration.ofSeconds(5)));
        assertTrue(putter.isSuccessful());
    }

    @Test
    @DisplayName("Q-40 (part): iterating a Channel takes the items as producers hand them over, in order")
    void q40_iterationTakesItemsAsTheyAreHandedOver() throws Exception {
        Channel<Integer> ch = new Channel<>();
        Foreign<Void> threadProducer = Foreign.call("producer", () -> {
            ch.put(3);
            return null;
        });
        inGreenlet(() -> {
            threadProducer.awaitParked();
            Greenlet<Void> producer = Gevent.spawn(() -> {
                ch.put(4);
                ch.put(5);
            });
            List<Integer> got = new ArrayList<>();
            Iterator<Integer> it = ch.iterator();
            for (int i = 0; i < 3; i++) {
                assertTrue(it.hasNext());
                got.add(it.next());
            }
            assertEquals(List.of(3, 4, 5), got);
            threadProducer.valueInGreenlet();
            producer.join();
            assertTrue(producer.isSuccessful());
        });
    }
}
