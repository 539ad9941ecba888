package io.gevent4j.runtime;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gevent4j.Gevent;
import io.gevent4j.Greenlet;
import io.gevent4j.GreenletExit;
import io.gevent4j.Hub;
import io.gevent4j.event.Event;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Guards for the traps of design/jvm-runtime.md section 8 that a test can reach. */
class RuntimeTrapsTest {

    /** Trap 2: the hub's executor never throws RejectedExecutionException, closed or not. */
    @Test
    void executeAfterCloseNeverThrowsAndStillRunsTheTask() throws Exception {
        Hub hub = Hub.create("closing");
        hub.close();
        CountDownLatch ran = new CountDownLatch(1);
        assertDoesNotThrow(() -> hub.asExecutor().execute(ran::countDown));
        assertTrue(ran.await(10, TimeUnit.SECONDS), "a task submitted after close must still run somewhere");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> hub.spawn(() -> 1));
        assertTrue(e.getMessage().contains("closing"), e.getMessage());
        hub.close(); // idempotent
    }

    /** close() kills every greenlet with GreenletExit: their finally blocks run, and they count as successful. */
    @Test
    void closeKillsEveryGreenletWithGreenletExit() {
        Hub hub = Hub.create("close-kills");
        AtomicReference<Throwable> seen = new AtomicReference<>();
        Greenlet<Void> sleeper = hub.spawn(() -> {
            try {
                Gevent.sleep(60);
            } catch (Throwable t) {
                seen.set(t);
                throw t;
            }
        });
        Greenlet<Boolean> waiter = hub.spawn(() -> new Event().waitFor());
        hub.spawn(() -> Gevent.sleep()).join(); // both are blocked now
        hub.close();
        assertTrue(sleeper.isDead() && waiter.isDead());
        assertInstanceOf(GreenletExit.class, seen.get());
        assertTrue(sleeper.isSuccessful() && waiter.isSuccessful());
    }

    /**
     * Trap 8: an interrupted Java greenlet blocked in a gevent4j call gets a CancellationException (cause
     * InterruptedException, flag kept) instead of spinning on park(); the hub goes on running the others.
     */
    @Test
    void anInterruptEndsTheWaitAndNeverSpinsTheHub() throws Exception {
        try (Hub hub = Hub.create("interrupts")) {
            AtomicReference<Thread> thread = new AtomicReference<>();
            AtomicReference<Boolean> flagKept = new AtomicReference<>();
            Event never = new Event();
            Greenlet<Void> blocked = hub.spawn(() -> {
                thread.set(Thread.currentThread());
                try {
                    never.waitFor();
                } finally {
                    flagKept.set(Thread.currentThread().isInterrupted());
                }
            });
            hub.spawn(() -> Gevent.sleep()).join();
            thread.get().interrupt();
            assertTrue(blocked.join(Duration.ofSeconds(10)));
            CancellationException e = assertInstanceOf(CancellationException.class, blocked.exception());
            assertInstanceOf(InterruptedException.class, e.getCause());
            assertTrue(flagKept.get(), "the interrupt flag is restored for the caller");
            // the hub still schedules: 200 switches complete
            Greenlet<Integer> switches = hub.spawn(() -> {
                int n = 0;
                for (; n < 200; n++) {
                    Gevent.sleep();
                }
                return n;
            });
            assertEquals(200, switches.get(Duration.ofSeconds(10)));
        }
    }

    /** Trap 8, hub side: interrupting the hub thread itself must not make its loop spin. */
    @Test
    void anInterruptedHubThreadDoesNotSpin() throws Exception {
        try (Hub hub = Hub.create("hub-interrupt")) {
            AtomicReference<Thread> hubThread = new AtomicReference<>();
            CountDownLatch got = new CountDownLatch(1);
            hub.asExecutor().execute(() -> {
                hubThread.set(Thread.currentThread());
                got.countDown();
            });
            assertTrue(got.await(10, TimeUnit.SECONDS));
            hubThread.get().interrupt();
            ThreadMXBean mx = ManagementFactory.getThreadMXBean();
            long id = hubThread.get().threadId();
            long cpu0 = mx.getThreadCpuTime(id);
            Thread.sleep(300); // an idle window: a spinning loop would burn all of it
            long cpuMillis = (mx.getThreadCpuTime(id) - cpu0) / 1_000_000;
            assertTrue(cpuMillis < 150, "hub thread used " + cpuMillis + " ms CPU in a 300 ms idle window");
            assertEquals(7, hub.spawn(() -> 7).get(Duration.ofSeconds(10)));
        }
    }

    /** A greenlet's unhandled failure never stops the hub; neither does a throwing hub callback. */
    @Test
    void theHubSurvivesEveryUserException() throws Exception {
        try (Hub hub = Hub.create("survivor")) {
            hub.asExecutor().execute(() -> {
                throw new IllegalStateException("callback boom");
            });
            Greenlet<Void> bad = hub.spawn(() -> {
                throw new OutOfMemoryError("not really");
            });
            assertTrue(bad.join(Duration.ofSeconds(10)));
            assertInstanceOf(OutOfMemoryError.class, bad.exception());
            Event e = new Event();
            e.rawlink(w -> {
                throw new IllegalArgumentException("rawlink boom");
            });
            e.set();
            assertEquals("still here", hub.spawn(() -> "still here").get(Duration.ofSeconds(10)));
        }
    }

    /** Timers never run on a thread other than the hub's (trap 13: gevent4j's sleep uses the hub's own heap). */
    @Test
    void sleepWakesOnTheHub() {
        try (Hub hub = Hub.create("timers")) {
            Greenlet<Boolean> g = hub.spawn(() -> {
                Gevent.sleep(0.005);
                return hub.isHubThread();
            });
            assertTrue(g.get(Duration.ofSeconds(10)));
            assertNotEquals(null, g.value());
        }
    }
}
