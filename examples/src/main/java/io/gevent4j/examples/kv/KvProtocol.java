package io.gevent4j.examples.kv;

import java.time.Duration;
import java.util.List;

/**
 * The key-value service's protocol, shared by the three stages: one request per line, one reply line each.
 *
 * <pre>
 * HELLO name     -> HELLO name                 starts the session (a GreenletLocal of the handler's greenlet)
 * WHOAMI         -> YOU ARE name (n requests)  reads the session
 * SET key value  -> OK                         wakes the WAITs on key; an event for the auditor
 * GET key        -> VALUE key value | MISSING key
 * WAIT key       -> VALUE key value            waits until key has a value (an Event), within the request timeout
 * AUDIT          -> AUDIT n events, last: e    waits until the auditor took every event so far (Queue.join)
 * QUIT           -> BYE name                   then the server closes the connection
 * SHUTDOWN       -> BYE name, shutting down    then sets the shutdown Event: the service stops
 * </pre>
 *
 * Every request but {@code HELLO}, {@code QUIT} and {@code SHUTDOWN} needs a session. A request that does not
 * complete within {@link #REQUEST_TIMEOUT} is answered {@code TIMEOUT <request>}. Nothing here waits: the waiting
 * requests ({@code WAIT}, {@code AUDIT}) are answered by each stage's handler, in its own language, with its own
 * calls.
 */
public final class KvProtocol {
    private KvProtocol() {}

    /** Each request (its waiting included) must complete within this, else it is answered {@code TIMEOUT}. */
    public static final Duration REQUEST_TIMEOUT =
            Duration.ofSeconds(2); // far above the service's latency on a busy box

    /** At shutdown, how long the server waits for the connections left before it kills their handlers. */
    public static final Duration STOP_TIMEOUT = Duration.ofMillis(100);

    /** The service's pool: at most this many connections are served at once (accepting pauses when full). */
    public static final int MAX_CONNECTIONS = 8;

    /** The reply to a request without a session. */
    public static final String NO_SESSION = "ERR no session: say HELLO first";

    /**
     * One request line, split into its verb and up to two arguments.
     *
     * @param line the line as received
     * @param verb the first word, upper-cased
     * @param key the second word, or null
     * @param value the rest of the line after the key, or null
     */
    public record Request(String line, String verb, String key, String value) {}

    /** Splits a request line; never fails (an unknown or malformed request gets an {@code ERR} reply). */
    public static Request parse(String line) {
        List<String> words = List.of(line.strip().split(" +", 3));
        return new Request(
                line,
                words.get(0).toUpperCase(java.util.Locale.ROOT),
                words.size() > 1 ? words.get(1) : null,
                words.size() > 2 ? words.get(2) : null);
    }

    /**
     * The reply to every request that does not wait, or null for {@code WAIT} and {@code AUDIT} from a session,
     * which the handler answers itself. Never waits, never switches. Not for {@code QUIT} and {@code SHUTDOWN},
     * which end the connection: see {@link #bye}.
     */
    public static String answerNow(KvStore store, Request r) {
        if (r.verb().equals("HELLO")) {
            if (r.key() == null) {
                return "ERR usage: HELLO name";
            }
            KvSession session = new KvSession(r.key());
            session.count();
            store.session().set(session);
            store.events().putNowait(r.key() + " joined");
            return "HELLO " + r.key();
        }
        KvSession session = store.session().get();
        if (session == null) {
            return NO_SESSION;
        }
        session.count();
        switch (r.verb()) {
            case "WHOAMI":
                return "YOU ARE " + session.name() + " (" + session.requests() + " requests)";
            case "SET":
                if (r.value() == null) {
                    return "ERR usage: SET key value";
                }
                store.put(r.key(), r.value());
                store.events().putNowait(session.name() + " set " + r.key() + "=" + r.value());
                return "OK";
            case "GET":
                return r.key() == null ? "ERR usage: GET key" : value(r.key(), store.get(r.key()));
            case "WAIT":
                return r.key() == null ? "ERR usage: WAIT key" : null;
            case "AUDIT":
                return null;
            default:
                return "ERR unknown command: " + r.line();
        }
    }

    /** The reply to {@code GET} or {@code WAIT}. */
    public static String value(String key, String value) {
        return value == null ? "MISSING " + key : "VALUE " + key + " " + value;
    }

    /** The reply to {@code AUDIT}, once the auditor has caught up. */
    public static String audit(KvStore store) {
        List<String> audit = store.audit();
        return "AUDIT " + audit.size() + " events, last: " + (audit.isEmpty() ? "none" : audit.getLast());
    }

    /** The reply to a request whose {@link #REQUEST_TIMEOUT} expired. */
    public static String timedOut(Request r) {
        return "TIMEOUT " + r.line();
    }

    /** Ends the session ({@code QUIT}, {@code SHUTDOWN}): an event for the auditor, and the reply. */
    public static String bye(KvStore store) {
        KvSession session = store.session().get();
        String name = session == null ? "stranger" : session.name();
        store.events().putNowait(name + " left");
        return "BYE " + name;
    }

    /** A handler killed while its client was still connected (at shutdown): an event for the auditor. */
    public static void dropped(KvStore store) {
        KvSession session = store.session().get();
        if (session != null) {
            store.events().putNowait(session.name() + " dropped at shutdown");
        }
    }
}
