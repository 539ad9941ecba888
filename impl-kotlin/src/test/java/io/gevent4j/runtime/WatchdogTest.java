package io.gevent4j.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gevent4j.Hub;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/** Traps 4 and 12: a hub stuck in one task is reported once, with the hub thread's stack. */
class WatchdogTest {
    @Test
    void aGreenletThatNeverYieldsIsReportedOnce() {
        List<LogRecord> records = new CopyOnWriteArrayList<>();
        Handler h = new Handler() {
            @Override public void publish(LogRecord r) { if (r.getMessage().contains("without switching")) records.add(r); }
            @Override public void flush() {}
            @Override public void close() {}
        };
        Logger logger = Logger.getLogger("io.gevent4j.Hub");
        logger.addHandler(h);
        String old = System.getProperty("gevent4j.hub.watchdog.millis");
        System.setProperty("gevent4j.hub.watchdog.millis", "50");
        try (Hub hub = Hub.create("stuck")) {
            // a CPU loop that never yields, long enough for several watchdog samples (threshold 50 ms)
            hub.spawn(() -> {
                long end = System.nanoTime() + 400_000_000L;
                while (System.nanoTime() < end) {
                    Thread.onSpinWait();
                }
            }).join(Duration.ofSeconds(10));
            // a hub that keeps switching is not reported
            hub.spawn(() -> {
                for (int i = 0; i < 20; i++) {
                    io.gevent4j.Gevent.sleep(0.01);
                }
            }).join(Duration.ofSeconds(10));
        } finally {
            logger.removeHandler(h);
            if (old == null) System.clearProperty("gevent4j.hub.watchdog.millis"); else System.setProperty("gevent4j.hub.watchdog.millis", old);
        }
        assertEquals(1, records.size(), "one report per stall");
        assertEquals(Level.WARNING, records.get(0).getLevel());
        assertTrue(records.get(0).getMessage().contains("\"stuck\""), records.get(0).getMessage());
    }
}
