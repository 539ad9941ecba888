package io.gevent4j.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.gevent4j.Gevent;
import io.gevent4j.GreenRunnable;
import io.gevent4j.Greenlet;
import io.gevent4j.Hub;
import io.gevent4j.JavaGreenletMode;
import io.gevent4j.event.Event;
import io.gevent4j.testing.LogCapture;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The monitor thread (spec section 12; runtime.md traps 4 and 12): a blocked hub is reported naming the greenlet that
 * holds it with ITS own frames, in both hub modes; repeated once per period (MON-02); never for a cooperative hub
 * (MON-03); listeners, registrations, closed hubs and the settings. Maximum blocking time 0.05 s throughout; each
 * stall lasts until the listener has seen what the test waits for (no sleep that hopes).
 */
class HubMonitorTest {
    private final MonitoredHubs hubs = new MonitoredHubs();
    private final LogCapture log = new LogCapture("io.gevent4j.Hub");

    @AfterEach
    void closeAll() {
        try {
            hubs.close();
        } finally {
            log.close();
        }
    }

    /** The culprit: a CPU loop that never yields, until {@code until} is set (fails after 10 s). */
    static void hogTheHub(AtomicBoolean until) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!until.get()) {
            if (System.nanoTime() - deadline > 0) {
                fail("no report within 10 s");
            }
            Thread.onSpinWait();
        }
    }

    /** The culprit in HANDOFF: JDK sleeps, which keep the baton, until {@code until} is set. */
    static void sleepOnTheHub(AtomicBoolean until) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!until.get()) {
            if (System.nanoTime() - deadline > 0) {
                fail("no report within 10 s");
            }
            Thread.sleep(5);
        }
    }

    static Greenlet<Void> named(Hub hub, String name, GreenRunnable body) {
        Greenlet<Void> g = new Greenlet<>(hub, body);
        g.name(name);
        return g.start();
    }

    static boolean hasFrame(List<StackTraceElement> stack, String method) {
        return stack.stream()
                .anyMatch(e -> e.getClassName().startsWith(HubMonitorTest.class.getName())
                        && e.getMethodName().equals(method));
    }

    /** The monitor's log records about {@code hub}. */
    List<String> reportsAbout(Hub hub) {
        return log.records.stream()
                .map(LogRecord::getMessage)
                .filter(m -> m.startsWith("gevent4j: hub \"" + hub.name() + "\" blocked for"))
                .toList();
    }

    static void join(Greenlet<?> g) {
        assertTrue(g.join(Duration.ofSeconds(30)), "greenlet did not finish");
        g.get();
    }

    /** A positive control after a "no report" phase: the same hub is watched, a CPU loop on it is reported. */
    void assertWatched(Hub hub) {
        AtomicBoolean reported = new AtomicBoolean();
        Registration r = hub.onBlocked(b -> reported.set(true));
        join(hub.spawn(() -> hogTheHub(reported)));
        r.close();
    }

    @Test
    void aJavaGreenletInACpuLoopIsNamedWithItsOwnFramesAndTheRunInfo() {
        Hub hub = hubs.create("spin-hub", "0.05");
        BlockingQueue<HubBlocked> reports = new LinkedBlockingQueue<>();
        AtomicBoolean reported = new AtomicBoolean();
        hub.onBlocked(b -> {
            reports.add(b);
            reported.set(true);
        });
        Event never = new Event();
        Greenlet<Void> waiter = named(hub, "waiter", () -> never.waitFor());
        Greenlet<Void> spinner = named(hub, "spinner", () -> hogTheHub(reported));
        join(spinner);
        HubBlocked b = reports.poll();
        assertSame(hub, b.hub());
        assertSame(spinner, b.greenlet(), "the greenlet that holds the hub, not the carrier");
        assertTrue(
                b.blockedFor().toNanos() >= TimeUnit.MILLISECONDS.toNanos(50),
                b.blockedFor().toString());
        assertTrue(hasFrame(b.stack(), "hogTheHub"), "its own frames: " + b.stack());
        assertFalse(
                b.stack().stream()
                        .anyMatch(e -> e.getMethodName().equals("runContinuation")
                                || e.getMethodName().equals("runTurn")),
                "not the carrier's frames: " + b.stack());
        String report = reportsAbout(hub).get(0);
        assertEquals(
                Level.WARNING,
                log.records.stream()
                        .filter(r -> r.getMessage().equals(report))
                        .findFirst()
                        .orElseThrow()
                        .getLevel());
        assertTrue(report.contains("by Java greenlet \"spinner\""), report);
        assertTrue(report.contains("HubMonitorTest.hogTheHub"), report);
        // the run info, read without the blocked hub's help: the holder and the other greenlet with its state
        assertTrue(report.contains("held by Java greenlet \"spinner\""), report);
        assertTrue(report.contains("Java greenlet \"waiter\""), report);
        assertTrue(report.lines().anyMatch(l -> l.contains("\"waiter\"") && l.contains("WAITING")), report);
        never.set();
        join(waiter);
    }

    @Test
    void aJdkSleepIsReportedInHandoffAndYieldsInScheduledOnHub() throws Exception {
        Hub hub = hubs.create("sleep-hub", "0.05");
        BlockingQueue<HubBlocked> reports = new LinkedBlockingQueue<>();
        AtomicBoolean reported = new AtomicBoolean();
        Registration reg = hub.onBlocked(b -> {
            reports.add(b);
            reported.set(true);
        });
        if (hub.javaGreenletMode() == JavaGreenletMode.HANDOFF) {
            Greenlet<Void> sleeper = named(hub, "sleeper", () -> sleepOnTheHub(reported));
            join(sleeper);
            HubBlocked b = reports.poll();
            assertSame(sleeper, b.greenlet());
            assertTrue(hasFrame(b.stack(), "sleepOnTheHub"), "its own frames: " + b.stack());
            assertTrue(
                    b.stack().stream()
                            .anyMatch(e -> e.getClassName().equals("java.lang.Thread")
                                    && e.getMethodName().startsWith("sleep")),
                    "in Thread.sleep: " + b.stack());
            assertTrue(reportsAbout(hub).get(0).contains("by Java greenlet \"sleeper\""));
        } else {
            // a monkey-patched gevent: Thread.sleep yields the hub, which parks meanwhile
            join(named(hub, "sleeper", () -> Thread.sleep(300)));
            assertTrue(reports.isEmpty(), "no report: " + reports);
            assertTrue(reportsAbout(hub).isEmpty());
            reg.close();
            assertWatched(hub);
        }
    }

    @Test
    void mon02_aLongBlockIsReportedAgainAtMostOncePerPeriod() {
        Hub hub = hubs.create("long-block", "0.05");
        List<HubBlocked> reports = new CopyOnWriteArrayList<>();
        hub.onBlocked(reports::add);
        long period = TimeUnit.MILLISECONDS.toNanos(50);
        // one block (gevent: a 0.5 s sleep, about 3 reports with 0.1 s), lasting until the third report
        Greenlet<Long> g = hub.spawn(() -> {
            long t0 = System.nanoTime();
            while (reports.size() < 3) {
                if (System.nanoTime() - t0 > TimeUnit.SECONDS.toNanos(10)) {
                    fail("fewer than 3 reports in 10 s: " + reports);
                }
                Thread.onSpinWait();
            }
            return System.nanoTime() - t0;
        });
        assertTrue(g.join(Duration.ofSeconds(30)));
        long blocked = g.get();
        assertTrue(reports.size() <= blocked / period + 1, reports.size() + " reports in " + blocked + " ns");
        for (int i = 1; i < reports.size(); i++) {
            long gap = reports.get(i).blockedFor().toNanos()
                    - reports.get(i - 1).blockedFor().toNanos();
            assertTrue(gap >= period, "at most once per period: " + reports);
        }
        for (HubBlocked b : reports) {
            assertSame(g, b.greenlet());
        }
        assertEquals(reports.size(), reportsAbout(hub).size(), "each report logged once");
    }

    @Test
    void mon03_aCooperativeGreenletSleepingInStepsIsNeverReported() {
        Hub hub = hubs.create("cooperative", "0.05");
        List<HubBlocked> reports = new CopyOnWriteArrayList<>();
        Registration reg = hub.onBlocked(reports::add);
        join(hub.spawn(() -> {
            for (int i = 0; i < 20; i++) {
                Gevent.sleep(0.01);
            }
        }));
        assertTrue(reports.isEmpty(), "no report: " + reports);
        assertTrue(reportsAbout(hub).isEmpty());
        reg.close();
        assertWatched(hub);
    }

    @Test
    void aHubCallbackThatBlocksIsReportedWithTheHubThreadsFrames() {
        Hub hub = hubs.create("callback-hub", "0.05");
        BlockingQueue<HubBlocked> reports = new LinkedBlockingQueue<>();
        AtomicBoolean reported = new AtomicBoolean();
        hub.onBlocked(b -> {
            reports.add(b);
            reported.set(true);
        });
        AtomicBoolean done = new AtomicBoolean();
        hub.asExecutor().execute(() -> {
            hogTheHub(reported);
            done.set(true);
        });
        io.gevent4j.testing.Waiting.spinUntil(done::get);
        HubBlocked b = reports.poll();
        assertNull(b.greenlet());
        assertTrue(hasFrame(b.stack(), "hogTheHub"), b.stack().toString());
        assertTrue(reportsAbout(hub).get(0).contains("by a callback of the hub itself"));
    }

    @Test
    void aListenerThatThrowsIsReportedAndRemovedAndTheOthersGoOn() {
        Hub hub = hubs.create("throwing-listener", "0.05");
        RuntimeException boom = new RuntimeException("boom");
        AtomicInteger thrower = new AtomicInteger();
        AtomicInteger second = new AtomicInteger();
        AtomicBoolean twice = new AtomicBoolean();
        hub.onBlocked(b -> {
            thrower.incrementAndGet();
            throw boom;
        });
        hub.onBlocked(b -> {
            if (second.incrementAndGet() == 2) {
                twice.set(true);
            }
        });
        join(hub.spawn(() -> hogTheHub(twice)));
        assertEquals(1, thrower.get(), "removed after it threw");
        assertEquals(2, second.get());
        List<LogRecord> failures = log.recordsAbout(boom);
        assertEquals(1, failures.size());
        assertEquals(Level.SEVERE, failures.get(0).getLevel());
        assertTrue(
                failures.get(0).getMessage().contains("onBlocked listener"),
                failures.get(0).getMessage());
        assertWatched(hub); // the monitor goes on
    }

    @Test
    void listenersRunInRegistrationOrderAndCloseRemovesThem() {
        Hub hub = hubs.create("registrations", "0.05");
        List<String> calls = new CopyOnWriteArrayList<>();
        AtomicBoolean reported = new AtomicBoolean();
        Registration gone = hub.onBlocked(b -> calls.add("gone"));
        hub.onBlocked(b -> calls.add("first"));
        hub.onBlocked(b -> {
            calls.add("second");
            reported.set(true);
        });
        gone.close();
        gone.close(); // idempotent
        join(hub.spawn(() -> hogTheHub(reported)));
        assertEquals(List.of("first", "second"), calls.subList(0, 2));
        assertFalse(calls.contains("gone"));
    }

    @Test
    void badListenersAndClosedHubsAreRefusedAndAClosedHubIsNoLongerWatched() {
        Hub hub = hubs.create("closing", "0.05");
        NullPointerException npe = assertThrows(NullPointerException.class, () -> hub.onBlocked(null));
        assertTrue(npe.getMessage().contains("listener"), npe.getMessage());
        Registration r = hub.onBlocked(b -> {});
        hub.close();
        r.close(); // after the hub closed: nothing to do, nothing thrown
        IllegalStateException ise = assertThrows(IllegalStateException.class, () -> hub.onBlocked(b -> {}));
        assertTrue(ise.getMessage().contains("\"closing\""), ise.getMessage());
    }

    @Test
    void badSettingsAreRefusedNamingThePropertyAndTheValue() {
        for (Map<String, String> props : List.of(
                Map.of(MonitoredHubs.MONITOR, "yes"),
                Map.of(MonitoredHubs.MAX, "abc"),
                Map.of(MonitoredHubs.MAX, "0"),
                Map.of(MonitoredHubs.MAX, "-0.1"),
                Map.of(MonitoredHubs.MAX, "NaN"),
                Map.of(MonitoredHubs.ALIAS, "1.5"),
                Map.of(MonitoredHubs.ALIAS, "-5"))) {
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class,
                    () -> MonitoredHubs.withProperties(props, () -> Hub.create("bad-settings")),
                    props.toString());
            Map.Entry<String, String> p = props.entrySet().iterator().next();
            assertTrue(
                    e.getMessage().contains(p.getKey()) && e.getMessage().contains("\"" + p.getValue() + "\""),
                    e.getMessage());
        }
    }

    @Test
    void theAliasIsHonouredAndMaxBlockingTimeWinsOverIt() {
        Hub alias = hubs.create("alias", Map.of(MonitoredHubs.ALIAS, "50"));
        assertWatched(alias);
        assertTrue(
                reportsAbout(alias).get(0).contains("(max blocking time 50 ms)"),
                reportsAbout(alias).get(0));
        Hub both = hubs.create("both", Map.of(MonitoredHubs.ALIAS, "600000", MonitoredHubs.MAX, "0.06"));
        assertWatched(both);
        assertTrue(
                reportsAbout(both).get(0).contains("(max blocking time 60 ms)"),
                reportsAbout(both).get(0));
    }

    @Test
    void aHubMadeWithTheMonitorOffIsNeverReported() {
        Hub off = hubs.create("off", Map.of(MonitoredHubs.MONITOR, "false", MonitoredHubs.MAX, "0.05"));
        Hub zero = hubs.create("alias-zero", Map.of(MonitoredHubs.ALIAS, "0"));
        List<HubBlocked> reports = new CopyOnWriteArrayList<>();
        off.onBlocked(reports::add);
        zero.onBlocked(reports::add);
        GreenRunnable spin = () -> {
            long t0 = System.nanoTime();
            while (System.nanoTime() - t0 < TimeUnit.MILLISECONDS.toNanos(250)) {
                Thread.onSpinWait();
            }
        };
        Greenlet<Void> a = off.spawn(spin);
        Greenlet<Void> b = zero.spawn(spin);
        join(a);
        join(b);
        assertTrue(reports.isEmpty(), reports.toString());
        assertTrue(reportsAbout(off).isEmpty() && reportsAbout(zero).isEmpty());
        // the control: with the same settings but the monitor on, the same loop is reported
        assertWatched(hubs.create("on", Map.of(MonitoredHubs.MAX, "0.05")));
    }
}
