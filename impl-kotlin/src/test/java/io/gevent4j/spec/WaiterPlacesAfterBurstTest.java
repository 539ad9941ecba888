package io.gevent4j.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gevent4j.Gevent;
import io.gevent4j.GreenRunnable;
import io.gevent4j.Greenlet;
import io.gevent4j.lock.Semaphore;
import io.gevent4j.queue.Queue;
import io.gevent4j.testing.GeventTestBase;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Waiters keep their FIFO places after a burst (gevent's behaviour, issue 9's defect 10): three greenlets loop on
 * a wait; a burst of three wakes all three, the first takes all three (a caller that is not waiting may barge in,
 * SEM-10/Q-13), and the two it robbed wait again in their places, ahead of it. Then one release (put) per
 * {@code sleep(0)} serves them in turn: gevent prints {@code 000|120120120}.
 */
class WaiterPlacesAfterBurstTest extends GeventTestBase {
    private interface Waiter {
        void await() throws Exception;
    }

    private String scenario(Waiter wait, GreenRunnable one) {
        StringBuilder out = new StringBuilder();
        inGreenlet(() -> {
            List<Greenlet<?>> gs = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                int n = i;
                gs.add(Gevent.spawn(() -> {
                    while (true) {
                        wait.await();
                        out.append(n);
                    }
                }));
            }
            Gevent.sleep(); // all three wait, in order
            one.run();
            one.run();
            one.run();
            Gevent.sleep();
            out.append('|');
            for (int k = 0; k < 9; k++) {
                one.run();
                Gevent.sleep();
            }
            Gevent.killAll(gs);
        });
        return out.toString();
    }

    @Test
    @DisplayName("Semaphore: acquire loops keep their places after a burst of releases (000|120120120)")
    void semaphoreWaitersKeepTheirPlaces() {
        Semaphore s = new Semaphore(0);
        assertEquals("000|120120120", scenario(s::acquire, s::release));
    }

    @Test
    @DisplayName("Queue: get loops keep their places after a burst of puts (000|120120120)")
    void queueGettersKeepTheirPlaces() {
        Queue<Integer> q = new Queue<>();
        assertEquals("000|120120120", scenario(q::get, () -> q.put(1)));
    }

    @Test
    @DisplayName("Queue: three greenlets iterating one queue are served in turn (012012012012), none starves")
    void iteratingConsumersAreServedInTurn() {
        Queue<Integer> q = new Queue<>();
        StringBuilder out = new StringBuilder();
        inGreenlet(() -> {
            List<Greenlet<?>> gs = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                int n = i;
                gs.add(Gevent.spawn(() -> {
                    for (Integer ignored : q) {
                        out.append(n);
                    }
                }));
            }
            Gevent.sleep();
            for (int k = 0; k < 12; k++) {
                q.put(k);
                Gevent.sleep();
            }
            Gevent.killAll(gs);
        });
        assertEquals("012012012012", out.toString());
    }
}
