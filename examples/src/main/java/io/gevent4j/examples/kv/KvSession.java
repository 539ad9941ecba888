package io.gevent4j.examples.kv;

/** One connection's session, kept in a {@code GreenletLocal}: who is talking and how many requests they made. */
public final class KvSession {
    private final String name;
    private int requests;

    KvSession(String name) {
        this.name = name;
    }

    /** The name given with {@code HELLO}. */
    public String name() {
        return name;
    }

    /** Requests made since {@code HELLO} (that one included). */
    public int requests() {
        return requests;
    }

    void count() {
        requests++;
    }
}
