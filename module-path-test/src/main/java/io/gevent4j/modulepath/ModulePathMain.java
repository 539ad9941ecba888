package io.gevent4j.modulepath;

import io.gevent4j.Greenlet;
import io.gevent4j.Hub;
import io.gevent4j.JavaGreenletMode;
import io.gevent4j.event.Event;
import io.gevent4j.monitor.HubMXBean;
import io.gevent4j.queue.Queue;
import java.lang.management.ManagementFactory;
import java.lang.module.ModuleDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.management.JMX;
import javax.management.MBeanServer;
import javax.management.MBeanServerDelegate;
import javax.management.MBeanServerNotification;
import javax.management.ObjectName;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordingFile;

/**
 * The program {@code ModulePathTest} runs in a child JVM, on the module path (and once on the class path). It prints
 * what it finds as lines starting with {@code "mp: "}: the modules the API and the hub came from, whether their
 * descriptors export what they must and nothing more, the hub mode, and the trace of two Java greenlets that
 * switch through a {@link Queue} round trip and an {@link Event}; in {@code SCHEDULED_ON_HUB} mode also that a JDK
 * blocking call in a greenlet lets the hub run the greenlet that releases it; then the mode the hub's
 * {@link HubMXBean} shows, and the {@code io.gevent4j.GreenletFailed} JFR events a recording got for one failing
 * greenlet (event classes of a package the implementation module does not export). It exits with status 1 when a
 * check fails (the lines say which).
 */
public final class ModulePathMain {
    private static final Duration BOUND = Duration.ofSeconds(30);
    private static final String API = "io.gevent4j";
    private static final String IMPL = "io.gevent4j.kotlin";
    private static final String SERVICE = "io.gevent4j.spi.GeventProvider";

    private static final List<String> problems = new ArrayList<>();

    private ModulePathMain() {}

    /**
     * Runs the checks.
     *
     * @param args none
     * @throws Exception a failure of the program itself (then the JVM exits with status 1)
     */
    public static void main(String[] args) throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName beanName = new ObjectName("io.gevent4j:type=Hub,name=modulepath");
        CountDownLatch registered = new CountDownLatch(1); // the bean is registered lazily, off the hub's creation
        server.addNotificationListener(
                MBeanServerDelegate.DELEGATE_NAME,
                (n, handback) -> {
                    if (n instanceof MBeanServerNotification m
                            && beanName.equals(m.getMBeanName())
                            && MBeanServerNotification.REGISTRATION_NOTIFICATION.equals(m.getType())) {
                        registered.countDown();
                    }
                },
                null,
                null);
        Recording recording = new Recording();
        recording.enable("io.gevent4j.GreenletFailed");
        recording.start();
        Hub hub = Hub.create("modulepath");
        try {
            Module api = Hub.class.getModule();
            Module impl = hub.getClass().getModule();
            print("api module " + nameOf(api));
            print("impl module " + nameOf(impl));
            if (api.isNamed()) {
                checkDescriptors(api, impl);
                print(problems.isEmpty() ? "descriptors ok" : "descriptors wrong");
            }
            JavaGreenletMode mode = hub.javaGreenletMode();
            print("mode " + mode);
            print("round trip " + roundTrip(hub));
            if (mode == JavaGreenletMode.SCHEDULED_ON_HUB) {
                print(jdkBlockingCall(hub));
            }
            if (!registered.await(BOUND.toSeconds(), TimeUnit.SECONDS)) {
                fail("the hub's MXBean " + beanName + " was not registered");
            } else {
                print("jmx mode "
                        + JMX.newMXBeanProxy(server, beanName, HubMXBean.class).getMode());
            }
            print("jfr greenlet failed events " + failedEvents(hub, recording));
        } finally {
            hub.close();
            recording.close();
        }
        if (!problems.isEmpty()) {
            System.exit(1);
        }
    }

    private static String nameOf(Module m) {
        return m.isNamed() ? m.getName() : "unnamed";
    }

    /** The descriptors of module-info.java, as the JVM resolved them. */
    private static void checkDescriptors(Module api, Module impl) {
        Module self = ModulePathMain.class.getModule();
        for (String p : api.getPackages()) {
            boolean spi = p.equals("io.gevent4j.spi");
            if (api.isExported(p) == spi) {
                fail(API + (spi ? " exports " + p + " to everyone" : " does not export " + p));
            }
        }
        if (!api.isExported("io.gevent4j.spi", impl)) {
            fail(API + " does not export io.gevent4j.spi to " + nameOf(impl));
        }
        if (api.isExported("io.gevent4j.spi", self)) {
            fail(API + " exports io.gevent4j.spi to this program");
        }
        if (!api.getDescriptor().uses().contains(SERVICE)) {
            fail(API + " does not use " + SERVICE);
        }
        if (!impl.isNamed() || !IMPL.equals(impl.getName())) {
            fail("the hub is not from module " + IMPL + ": " + nameOf(impl));
            return;
        }
        for (String p : impl.getPackages()) {
            boolean surface = p.equals("io.gevent4j.kotlin");
            if (impl.isExported(p) != surface) {
                fail(IMPL + (surface ? " does not export " : " exports to everyone ") + p);
            }
        }
        Optional<Module> testHub = impl.getLayer().findModule("io.gevent4j.test");
        if (testHub.isPresent()) {
            fail("io.gevent4j.test was resolved, but nothing here requires it");
        }
        List<String> provided = new ArrayList<>();
        for (ModuleDescriptor.Provides p : impl.getDescriptor().provides()) {
            if (p.service().equals(SERVICE)) {
                provided.addAll(p.providers());
            }
        }
        if (!provided.equals(List.of("io.gevent4j.kotlin.internal.KotlinGeventProvider"))) {
            fail(IMPL + " provides " + SERVICE + " with " + provided);
        }
    }

    /**
     * Two Java greenlets on {@code hub}: the caller sends three pings through one queue and waits for each pong on
     * another; the echo answers each, then sets an event the caller waits for. Every get blocks until the other
     * greenlet has run, so the trace is the same in both modes, and only if the greenlets really switch.
     */
    private static String roundTrip(Hub hub) throws Exception {
        Queue<String> pings = new Queue<>();
        Queue<String> pongs = new Queue<>();
        Event echoed = new Event();
        List<String> trace = new ArrayList<>(); // one greenlet at a time touches it (one hub)
        Greenlet<Integer> echo = hub.spawn(() -> {
            int n = 0;
            for (String p = pings.get(); !p.equals("stop"); p = pings.get()) {
                trace.add("echo:" + p);
                pongs.put(p.replace("ping", "pong"));
                n++;
            }
            echoed.set();
            return n;
        });
        Greenlet<Void> caller = hub.spawn(() -> {
            for (int i = 1; i <= 3; i++) {
                pings.put("ping" + i);
                trace.add("caller:" + pongs.get());
            }
            pings.put("stop");
            if (!echoed.waitFor(BOUND)) {
                throw new IllegalStateException("the echo greenlet never set the event");
            }
            trace.add("caller:event");
        });
        caller.get(BOUND);
        Integer echoes = echo.get(BOUND);
        if (!caller.isSuccessful() || echoes == null || echoes != 3) {
            fail("round trip: caller " + caller + " (" + caller.exception() + "), echo " + echo + " = " + echoes);
        }
        return String.join(" ", trace);
    }

    /**
     * SCHEDULED_ON_HUB only: a greenlet waits in a JDK {@link CountDownLatch} (no gevent4j call), and another greenlet
     * of the same hub counts it down. That works only when the waiting greenlet's virtual thread left the hub; in
     * HANDOFF mode the wait would hold the hub and the releasing greenlet would never run.
     */
    private static String jdkBlockingCall(Hub hub) throws Exception {
        CountDownLatch latch = new CountDownLatch(1);
        Greenlet<Void> waiter = hub.spawn(() -> latch.await());
        Greenlet<Void> releaser = hub.spawn(() -> latch.countDown());
        if (!waiter.join(BOUND) || !releaser.join(BOUND) || !waiter.isSuccessful()) {
            fail("a JDK blocking call held the hub: waiter " + waiter + ", releaser " + releaser);
            return "jdk blocking call held the hub";
        }
        return "jdk blocking call left the hub";
    }

    /** A greenlet that fails (gevent4j logs it, and commits a JFR event before it is dead): the events recorded. */
    private static long failedEvents(Hub hub, Recording recording) throws Exception {
        Greenlet<Void> failing = hub.spawn(() -> {
            throw new IllegalStateException("expected: ModulePathMain's failing greenlet");
        });
        if (!failing.join(BOUND)) {
            fail("the failing greenlet did not end");
        }
        recording.stop();
        Path file = Files.createTempFile("modulepath", ".jfr");
        try {
            recording.dump(file);
            return RecordingFile.readAllEvents(file).stream()
                    .filter(e -> e.getEventType().getName().equals("io.gevent4j.GreenletFailed"))
                    .filter(e -> "IllegalStateException".equals(simpleName(e.getString("exceptionClass"))))
                    .count();
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static String simpleName(String className) {
        return className == null ? "" : className.substring(className.lastIndexOf('.') + 1);
    }

    private static void fail(String problem) {
        problems.add(problem);
        print("PROBLEM " + problem);
    }

    private static void print(String line) {
        System.out.println("mp: " + line);
        System.out.flush();
    }
}
