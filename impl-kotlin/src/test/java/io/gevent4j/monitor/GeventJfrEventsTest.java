package io.gevent4j.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gevent4j.Gevent;
import io.gevent4j.Greenlet;
import io.gevent4j.Hub;
import io.gevent4j.testing.LogCapture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;

/** gevent4j's JFR events, read back from a recording file with their fields. */
public class GeventJfrEventsTest {
    public static final String BLOCKED = "io.gevent4j.HubBlocked";
    public static final String FAILED = "io.gevent4j.GreenletFailed";
    public static final String TURN = "io.gevent4j.GreenletTurn";

    /** Runs {@code body} under a recording of gevent4j's events and returns them. */
    public static List<RecordedEvent> recorded(Runnable body) throws Exception {
        Path file = Files.createTempFile("gevent4j-jfr", ".jfr");
        try (Recording r = new Recording()) {
            r.enable(BLOCKED);
            r.enable(FAILED);
            r.enable(TURN).withThreshold(Duration.ofMillis(20));
            r.start();
            body.run();
            r.stop();
            r.dump(file);
            return RecordingFile.readAllEvents(file).stream()
                    .filter(e -> e.getEventType().getName().startsWith("io.gevent4j."))
                    .toList();
        } finally {
            Files.deleteIfExists(file);
        }
    }

    public static void spin(long millis) {
        long t0 = System.nanoTime();
        while (System.nanoTime() - t0 < TimeUnit.MILLISECONDS.toNanos(millis)) {
            Thread.onSpinWait();
        }
    }

    @Test
    void theBlockedHubFailedGreenletAndLongTurnEventsCarryTheirFields() throws Exception {
        LogCapture quiet =
                new LogCapture("io.gevent4j.Hub", "io.gevent4j.Greenlet"); // reports and failures stay off the console
        try (MonitoredHubs hubs = new MonitoredHubs()) {
            Hub hub = hubs.create("jfr-hub", "0.05");
            AtomicBoolean reported = new AtomicBoolean();
            hub.onBlocked(b -> reported.set(true));
            List<RecordedEvent> events = recorded(() -> {
                Greenlet<Void> blocker = new Greenlet<Void>(hub, () -> HubMonitorTest.hogTheHub(reported))
                        .name("jfr-blocker")
                        .start();
                assertTrue(blocker.join(Duration.ofSeconds(30)));
                // a long turn, then a yield (the greenlet is alive when its turn ends), then a short one
                Greenlet<Void> longTurn = new Greenlet<Void>(hub, () -> {
                            spin(60);
                            Gevent.sleep(0);
                        })
                        .name("jfr-long-turn")
                        .start();
                assertTrue(longTurn.join(Duration.ofSeconds(30)));
                Greenlet<Void> failing = new Greenlet<Void>(hub, () -> {
                            throw new IllegalStateException("jfr failure");
                        })
                        .name("jfr-failing")
                        .start();
                assertTrue(failing.join(Duration.ofSeconds(30)));
            });

            RecordedEvent blocked = events.stream()
                    .filter(e -> e.getEventType().getName().equals(BLOCKED))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no " + BLOCKED + " in " + events));
            assertEquals("jfr-hub", blocked.getString("hub"));
            assertEquals("jfr-blocker", blocked.getString("greenlet"));
            assertEquals("Java", blocked.getString("kind"));
            assertTrue(blocked.getDuration("blockedFor").toMillis() >= 50, blocked.toString());
            assertTrue(blocked.getString("stack").contains("HubMonitorTest.hogTheHub"), blocked.getString("stack"));

            RecordedEvent turn = events.stream()
                    .filter(e ->
                            e.getEventType().getName().equals(TURN) && "jfr-long-turn".equals(e.getString("greenlet")))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no long turn of jfr-long-turn in " + events));
            assertEquals("jfr-hub", turn.getString("hub"));
            assertEquals("Java", turn.getString("kind"));
            assertTrue(turn.getDuration().toMillis() >= 60, turn.toString());

            RecordedEvent failed = events.stream()
                    .filter(e -> e.getEventType().getName().equals(FAILED))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no " + FAILED + " in " + events));
            assertEquals("jfr-hub", failed.getString("hub"));
            assertEquals("jfr-failing", failed.getString("greenlet"));
            assertEquals("Java", failed.getString("kind"));
            assertEquals(IllegalStateException.class.getName(), failed.getString("exceptionClass"));
            assertEquals("jfr failure", failed.getString("message"));
        } finally {
            quiet.close();
        }
    }

    @Test
    void noTurnIsTimedWithoutARecordingThatWantsIt() throws Exception {
        try (MonitoredHubs hubs = new MonitoredHubs()) {
            hubs.create("jfr-off", "1");
            // a recording with the default settings (the turn event is off by default) leaves the flag off; one that
            // enables it turns it on, until it stops
            try (Recording r = new Recording()) {
                r.start();
                assertEquals(false, io.gevent4j.kotlin.internal.GeventJfr.turnsOn);
                r.stop();
            }
            try (Recording r = new Recording()) {
                r.enable(TURN);
                r.start();
                assertEquals(true, io.gevent4j.kotlin.internal.GeventJfr.turnsOn);
                r.stop();
            }
            assertEquals(false, io.gevent4j.kotlin.internal.GeventJfr.turnsOn);
        }
    }
}
