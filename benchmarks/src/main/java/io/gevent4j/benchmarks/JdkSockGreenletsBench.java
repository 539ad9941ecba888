package io.gevent4j.benchmarks;

import io.gevent4j.Hub;
import io.gevent4j.JavaGreenletMode;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code gevent4j-java-jdksock}: W8 and L8 with Java greenlets on plain {@link java.net.Socket} /
 * {@link java.net.ServerSocket} ({@link EchoTransport#JDK}) instead of gevent4j's sockets. Those calls cooperate
 * only in {@link JavaGreenletMode#SCHEDULED_ON_HUB}, where a Java greenlet is a virtual thread run by the hub: a
 * blocked read parks it and the JDK's poller unparks it onto the hub. In {@link JavaGreenletMode#HANDOFF} a
 * blocked read would hold the hub (server and clients share it), so the workloads refuse to run there; the meta
 * line says the mode.
 */
final class JdkSockGreenletsBench implements BenchImpl {
    static final String NAME = "gevent4j-java-jdksock";

    private final JavaGreenletMode mode;

    JdkSockGreenletsBench() {
        try (Hub probe = Hub.create("jdksock-mode")) {
            mode = probe.javaGreenletMode();
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, String> meta() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("hub_mode", mode.name());
        m.put("io", EchoTransport.JDK.describe() + "; W8/L8 on hubs made per repetition");
        return m;
    }

    private void checkMode() {
        if (mode != JavaGreenletMode.SCHEDULED_ON_HUB) {
            throw new IllegalStateException(NAME + " needs hub mode SCHEDULED_ON_HUB (JVM flag --add-opens "
                    + "java.base/java.lang=ALL-UNNAMED); in " + mode + " a blocking JDK socket call holds the hub");
        }
    }

    @Override
    public Map<String, Double> w8() {
        checkMode();
        return JavaGreenletEcho.w8(EchoTransport.JDK, 1);
    }

    @Override
    public Map<String, Double> l8() throws IOException {
        checkMode();
        return JavaGreenletEcho.l8(EchoTransport.JDK);
    }

    @Override
    public void close() {
        // the hubs are made and closed per repetition
    }
}
