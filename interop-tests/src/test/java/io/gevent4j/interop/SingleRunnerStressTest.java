package io.gevent4j.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gevent4j.Gevent;
import io.gevent4j.Greenlet;
import io.gevent4j.Hub;
import io.gevent4j.event.Event;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * One runner at a time on a hub, always: Java and Kotlin greenlets mixing {@code sleep(0)}, short timers and
 * Event set/clear all enter an unsynchronised critical section (read, spin, write back). If two bodies ever
 * overlapped, increments would be lost or the in-section flag would be seen set. Sized for 2 cores; scale with
 * {@code -Dgevent4j.stress.multiplier}.
 */
@Tag("stress")
public class SingleRunnerStressTest {
    static final int MULTIPLIER = Integer.getInteger("gevent4j.stress.multiplier", 1);

    @Test
    void anUnsynchronizedCounterIsExactAcrossJavaAndKotlinGreenlets() {
        int perKind = 50 * MULTIPLIER;
        int iterations = 200;
        try (Hub hub = Hub.create("stress")) {
            CriticalSection section = new CriticalSection();
            Event flip = new Event();
            List<Greenlet<?>> all = new ArrayList<>();
            for (int i = 0; i < perKind; i++) {
                int id = i;
                all.add(hub.spawn(() -> {
                    for (int k = 0; k < iterations; k++) {
                        section.enter();
                        switch ((id + k) % 4) {
                            case 0 -> Gevent.sleep();
                            case 1 -> Gevent.sleep(0.0001);
                            case 2 -> {
                                if (flip.isSet()) flip.clear();
                                else flip.set();
                            }
                            default -> flip.waitFor(Duration.ZERO);
                        }
                    }
                }));
                all.add(StressKotlin.kotlinWorker(hub, section, flip, id, iterations));
            }
            for (Greenlet<?> g : all) {
                assertTrue(g.join(Duration.ofSeconds(60)), "worker did not finish");
                g.get();
            }
            assertEquals(2L * perKind * iterations, section.counter, "lost increments: bodies overlapped");
            assertEquals(0, section.overlaps, "a body saw another inside the section");
        }
    }
}
