package io.gevent4j.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gevent4j.Gevent;
import io.gevent4j.Greenlet;
import io.gevent4j.GreenletExit;
import io.gevent4j.testing.GeventTestBase;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * GreenletPeer.start()/startLater() as documented (issue 9, defect 8: the SPI said "no effect when started
 * already"): a second start, a start after startLater, and a start of a greenlet killed before it started are
 * refused with an IllegalStateException naming the greenlet, and change nothing (GL-08 covers start twice and
 * start after death).
 */
class StartAgainTest extends GeventTestBase {
    @Test
    @DisplayName(
            "start()/startLater() of a greenlet killed before it started: IllegalStateException naming it; it never runs")
    void startAfterAKillBeforeStartIsRefused() {
        inGreenlet(() -> {
            AtomicInteger runs = new AtomicInteger();
            Greenlet<Void> g = new Greenlet<>(hub, () -> {
                runs.incrementAndGet();
            });
            g.kill(new GreenletExit(), false, null);
            assertTrue(g.isDead());
            IllegalStateException a = assertThrows(IllegalStateException.class, g::start);
            assertTrue(a.getMessage().contains(g.name()) && a.getMessage().contains("dead"), a.getMessage());
            assertThrows(IllegalStateException.class, () -> g.startLater(Duration.ZERO));
            Gevent.sleep(0.02);
            assertEquals(0, runs.get());
        });
    }

    @Test
    @DisplayName(
            "startLater() twice, and start() after startLater(): IllegalStateException; it runs once, after the first delay")
    void startAfterStartLaterIsRefused() {
        inGreenlet(() -> {
            AtomicInteger runs = new AtomicInteger();
            Greenlet<Void> g = new Greenlet<>(hub, () -> {
                runs.incrementAndGet();
            });
            g.startLater(Duration.ofMillis(20));
            assertThrows(IllegalStateException.class, g::start);
            assertThrows(IllegalStateException.class, () -> g.startLater(0.0));
            Gevent.sleep(0);
            assertEquals(0, runs.get(), "not before its delay");
            g.join();
            assertEquals(1, runs.get());
        });
    }
}
