package io.gevent4j.monitor;

import io.gevent4j.Hub;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Hubs made with given monitor settings (system properties read at the hub's creation), closed by {@link #close()}. */
public final class MonitoredHubs implements AutoCloseable {
    public static final String MONITOR = "gevent4j.monitor";
    public static final String MAX = "gevent4j.maxBlockingTime";
    public static final String ALIAS = "gevent4j.hub.watchdog.millis";

    private final List<Hub> hubs = new ArrayList<>();

    /** A hub whose maximum blocking time is {@code seconds}. */
    public Hub create(String name, String seconds) {
        return create(name, Map.of(MAX, seconds));
    }

    /** A hub made with exactly {@code props} among the three monitor properties (the others unset). */
    public Hub create(String name, Map<String, String> props) {
        Hub h = withProperties(props, () -> Hub.create(name));
        hubs.add(h);
        return h;
    }

    /** Runs {@code body} with exactly {@code props} among the monitor properties, restoring them after. */
    public static <T> T withProperties(Map<String, String> props, java.util.function.Supplier<T> body) {
        String[] keys = {MONITOR, MAX, ALIAS};
        String[] old = new String[keys.length];
        for (int i = 0; i < keys.length; i++) {
            old[i] = System.getProperty(keys[i]);
            String v = props.get(keys[i]);
            if (v == null) {
                System.clearProperty(keys[i]);
            } else {
                System.setProperty(keys[i], v);
            }
        }
        try {
            return body.get();
        } finally {
            for (int i = 0; i < keys.length; i++) {
                if (old[i] == null) {
                    System.clearProperty(keys[i]);
                } else {
                    System.setProperty(keys[i], old[i]);
                }
            }
        }
    }

    @Override
    public void close() {
        for (Hub h : hubs) {
            h.close();
        }
    }
}
