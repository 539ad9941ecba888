package io.gevent4j.testing;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** What concurrent scenarios write their observations into, and how they read them back. */
public final class Recording {
    private Recording() {}

    /** @return a new list that any thread may add to */
    public static <T> List<T> recorder() {
        // monitor-ok: test code; the lock is held for one add or one copy, never across a switch
        return Collections.synchronizedList(new ArrayList<>());
    }

    /** @return a copy of {@code out}, taken under its lock */
    public static <T> List<T> snapshot(List<T> out) {
        synchronized (out) { // monitor-ok: test code; held for one copy, never across a switch
            return new ArrayList<>(out);
        }
    }
}
