package io.gevent4j;

/** How a hub runs Java greenlets; see {@link Hub#javaGreenletMode()}. */
public enum JavaGreenletMode {
    /**
     * Java greenlets are virtual threads whose scheduler is the hub itself. Any JDK blocking call in a
     * Java body (socket I/O, {@code Thread.sleep}, {@code j.u.c} locks, monitors) yields to the other
     * greenlets, like a monkey-patched gevent. Needs JDK 24+ and
     * {@code --add-opens java.base/java.lang=ALL-UNNAMED} (on the module path
     * {@code --add-opens java.base/java.lang=io.gevent4j.kotlin}).
     */
    SCHEDULED_ON_HUB,
    /**
     * Fallback: Java greenlets are ordinary virtual threads that pass a baton with the hub thread, so that
     * only one runs at a time. gevent4j's own blocking calls yield; JDK blocking calls hold the baton and
     * stall the hub, like an unpatched gevent. About 10-40x slower per switch.
     */
    HANDOFF
}
