package io.gevent4j.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gevent4j.Greenlet;
import io.gevent4j.Hub;
import io.gevent4j.event.Event;
import io.gevent4j.testing.LogCapture;
import io.gevent4j.testing.Waiting;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.management.JMX;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;

/** JMX: one HubMXBean per hub, registered lazily, its attributes following the hub, its operation the run info, gone at close. */
class HubMXBeanTest {
    private static final MBeanServer SERVER = ManagementFactory.getPlatformMBeanServer();

    /** The beans of hubs named {@code name} (the monitor registers them shortly after the hub starts). */
    static Set<ObjectName> beansOf(String name) throws Exception {
        return SERVER.queryNames(new ObjectName("io.gevent4j:type=Hub,*"), null).stream()
                .filter(n -> {
                    try {
                        return name.equals(SERVER.getAttribute(n, "Name"));
                    } catch (Exception e) {
                        return false; // unregistered meanwhile
                    }
                })
                .collect(java.util.stream.Collectors.toSet());
    }

    static ObjectName awaitBean(String name, int count) throws Exception {
        Waiting.yieldUntil(
                () -> {
                    try {
                        return beansOf(name).size() == count;
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                },
                count + " bean(s) of hub " + name);
        return beansOf(name).iterator().next();
    }

    @Test
    void theAttributesFollowTheGreenletsAndTheOperationReturnsTheRunInfo() throws Exception {
        LogCapture quiet = new LogCapture("io.gevent4j.Hub"); // reports and failures stay off the console
        try (MonitoredHubs hubs = new MonitoredHubs()) {
            Hub hub = hubs.create("jmx-hub", "0.05");
            ObjectName on = awaitBean("jmx-hub", 1);
            assertEquals(new ObjectName("io.gevent4j:type=Hub,name=jmx-hub"), on);
            HubMXBean bean = JMX.newMXBeanProxy(SERVER, on, HubMXBean.class);
            assertEquals("jmx-hub", bean.getName());
            assertEquals(hub.javaGreenletMode().name(), bean.getMode());
            assertEquals(0.05, bean.getMaxBlockingTimeSeconds(), 1e-9);
            assertEquals(0, bean.getLiveGreenlets());
            long tasks = bean.getTasksRun();

            // three greenlets waiting with a timeout: live, each with an armed timer
            Event ev = new Event();
            List<Greenlet<Boolean>> waiters = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                waiters.add(new Greenlet<>(hub, () -> ev.waitFor(Duration.ofSeconds(60)))
                        .name("jmx-waiter-" + i)
                        .start());
            }
            Waiting.yieldUntil(
                    () -> bean.getLiveGreenlets() == 3 && bean.getArmedTimers() == 3, "3 live greenlets, 3 timers");
            assertTrue(bean.getTasksRun() > tasks, "tasks run moves");
            String[] info = bean.formatRunInfo();
            assertTrue(
                    Arrays.stream(info).anyMatch(l -> l.contains("Hub \"jmx-hub\"") && l.contains("3 live greenlets")),
                    Arrays.toString(info));
            for (int i = 0; i < 3; i++) {
                int n = i;
                assertTrue(
                        Arrays.stream(info)
                                .anyMatch(l -> l.contains("\"jmx-waiter-" + n + "\"") && l.contains("WAITING")),
                        Arrays.toString(info));
            }
            ev.set();
            for (Greenlet<Boolean> w : waiters) {
                assertTrue(w.join(Duration.ofSeconds(30)));
            }
            Waiting.yieldUntil(
                    () -> bean.getLiveGreenlets() == 0 && bean.getArmedTimers() == 0, "no live greenlet, no timer");

            // a run queue: a callback holds the hub while tasks queue behind it
            AtomicBoolean release = new AtomicBoolean();
            hub.asExecutor().execute(() -> Waiting.spinUntil(release::get));
            for (int i = 0; i < 5; i++) {
                hub.asExecutor().execute(() -> {});
            }
            Waiting.yieldUntil(() -> bean.getRunQueueLength() >= 5, "5 queued tasks");
            // and the monitor's count of blocked reports, as the callback still holds the hub
            Waiting.yieldUntil(() -> bean.getBlockedReports() >= 1, "a blocked report");
            release.set(true);
            Waiting.yieldUntil(() -> bean.getRunQueueLength() == 0, "the queue drained");

            hub.close();
            assertFalse(SERVER.isRegistered(on), "the bean is gone when close() returns");
        } finally {
            quiet.close();
        }
    }

    @Test
    void hubsSharingANameOrWithReservedCharactersGetDistinctValidNames() throws Exception {
        try (MonitoredHubs hubs = new MonitoredHubs()) {
            hubs.create("twin", "1");
            hubs.create("twin", "1");
            awaitBean("twin", 2);
            Set<ObjectName> twins = beansOf("twin");
            assertEquals(2, twins.size());
            List<ObjectName> l = new ArrayList<>(twins);
            assertNotEquals(l.get(0), l.get(1));
            String odd = "odd,name=\"x\":*?";
            hubs.create(odd, "1");
            ObjectName on = awaitBean(odd, 1);
            assertEquals(odd, ObjectName.unquote(on.getKeyProperty("name")));
        }
    }
}
