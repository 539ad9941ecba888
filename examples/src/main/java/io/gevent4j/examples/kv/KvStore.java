package io.gevent4j.examples.kv;

import io.gevent4j.event.AsyncResult;
import io.gevent4j.event.Event;
import io.gevent4j.local.GreenletLocal;
import io.gevent4j.queue.Queue;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The key-value service's shared state, used as it is by all three stages of the migration (Java, half migrated,
 * Kotlin): the same objects serve Java and Kotlin greenlets of one hub. Nothing here waits; the waits on these
 * objects ({@code Event.waitFor} / {@code await}, {@code Queue.join} / {@code awaitJoin}, iterating the queue /
 * {@code receiveAsFlow}) are written in each handler's language.
 *
 * <p>Only greenlets of the service's hub touch the maps, one at a time: no lock is needed. The client thread
 * reads {@link #audit()} once the service greenlet is dead.
 */
public final class KvStore {
    private final Map<String, String> values = new HashMap<>();
    private final Map<String, Event> keySet = new HashMap<>();
    private final Queue<String> events = new Queue<>();
    private final Event shutdown = new Event();
    private final GreenletLocal<KvSession> session = new GreenletLocal<>();
    private final List<String> audit = new ArrayList<>();
    private final AsyncResult<Integer> port = new AsyncResult<>();
    private final List<String> servedBy = new ArrayList<>();

    /**
     * The language of the handler that served each connection, in the order the handlers started ({@code "java"} or
     * {@code "kotlin"}): kept out of the transcript, which must be the same whatever served it; the transcript test
     * checks that each stage really runs the handlers it says. Touched on the hub only.
     */
    public List<String> servedBy() {
        return servedBy;
    }

    /** The events of the service ("alice joined", "bob set size=large", ...), in the order they happened. */
    public Queue<String> events() {
        return events;
    }

    /** Set once, by the {@code SHUTDOWN} command; the service's main greenlet waits for it, then stops. */
    public Event shutdown() {
        return shutdown;
    }

    /** The connection's session: each handler greenlet sees its own (set by {@code HELLO}). */
    public GreenletLocal<KvSession> session() {
        return session;
    }

    /** The port the service listens on, set once it has started. */
    public AsyncResult<Integer> port() {
        return port;
    }

    /** The events the auditor took from {@link #events()}, in order. */
    public List<String> audit() {
        return audit;
    }

    /** The value of {@code key}, or null. */
    public String get(String key) {
        return values.get(key);
    }

    /** Stores a value and wakes the greenlets waiting for {@code key} (never switches: {@code set} does not). */
    public void put(String key, String value) {
        values.put(key, value);
        keySet(key).set();
    }

    /** The event that is set once {@code key} has a value: {@code WAIT key} waits on it. */
    public Event keySet(String key) {
        return keySet.computeIfAbsent(key, k -> new Event());
    }
}
