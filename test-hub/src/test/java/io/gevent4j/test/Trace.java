package io.gevent4j.test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.LongSupplier;

/**
 * The events of one scenario in the order they happened, each with the clock's reading (virtual nanoseconds on a
 * virtual-time hub; none on a real hub, whose times are not exact).
 */
final class Trace {
    private record Entry(String event, long nanos) {}

    private final ConcurrentLinkedQueue<Entry> entries = new ConcurrentLinkedQueue<>();
    private final LongSupplier clock;

    Trace(LongSupplier clock) {
        this.clock = clock;
    }

    void add(String event) {
        entries.add(new Entry(event, clock.getAsLong()));
    }

    /** The events alone: what the real and the virtual hub must agree on. */
    List<String> events() {
        List<String> out = new ArrayList<>();
        for (Entry e : entries) out.add(e.event());
        return out;
    }

    /** "event@ms" with the exact virtual time (fractions of a millisecond written out). */
    List<String> timed() {
        List<String> out = new ArrayList<>();
        for (Entry e : entries) {
            long n = e.nanos();
            String ms = n % 1_000_000 == 0 ? Long.toString(n / 1_000_000) : Double.toString(n / 1e6);
            out.add(e.event() + "@" + ms);
        }
        return out;
    }
}
