package io.gevent4j.examples;

import io.gevent4j.Gevent;
import io.gevent4j.Hub;
import io.gevent4j.pool.IMap;
import io.gevent4j.pool.Pool;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * gevent's {@code Pool(3).map}, {@code imap} and {@code imap_unordered}: at most three tasks run at once;
 * {@code map} and {@code imap} give the results in input order, {@code imapUnordered} in completion order.
 */
public final class PoolMap {
    private PoolMap() {}

    public static void main(String[] args) {
        run();
    }

    /** Runs the scenario as a greenlet on the default hub (it plays gevent's main greenlet). */
    public static void run() {
        Hub.getDefault().spawn(PoolMap::scenario).get();
    }

    /** Item {@code i} sleeps {@code DELAYS_MS[i]} ms, so later items may finish first. */
    private static final List<Integer> DELAYS_MS = List.of(50, 10, 40, 20, 30);

    private static void scenario() {
        Pool pool = new Pool(3);
        System.out.println("main: " + pool + ", poolSize=" + pool.poolSize() + ", freeCount=" + pool.freeCount());

        // results = pool.map(work, items)  -- blocks until all are done; input order
        List<String> mapped = pool.map(PoolMap::work, DELAYS_MS);
        System.out.println("main: map -> " + mapped);

        // for r in pool.imap(work, items)  -- lazily, still input order
        List<String> viaImap = new ArrayList<>();
        for (String r : pool.imap(PoolMap::work, DELAYS_MS)) {
            viaImap.add(r);
        }
        System.out.println("main: imap -> " + viaImap);

        // for r in pool.imap_unordered(work, items)  -- completion order
        List<Integer> order = new ArrayList<>();
        IMap<Integer> unordered = pool.imapUnordered(
                ms -> {
                    Gevent.sleep(Duration.ofMillis(ms));
                    return ms;
                },
                DELAYS_MS);
        for (Integer ms : unordered) {
            order.add(ms);
        }
        System.out.println("main: imapUnordered completion order -> " + order);
        // 3 slots: 50, 10, 40 start at 0 ms; 10 ends at 10 and 20 starts (ends at 30); 30 starts at 30 (ends at 60):
        // so the completion order is 10, 20, 40, 50, 30.
        if (order.get(0) != 10 || order.equals(DELAYS_MS)) {
            throw new IllegalStateException("unexpected completion order " + order);
        }
        if (!mapped.equals(viaImap)) {
            throw new IllegalStateException("map and imap disagree: " + mapped + " vs " + viaImap);
        }
        pool.join();
        System.out.println("main: after join: " + pool + ", freeCount=" + pool.freeCount());
    }

    private static String work(int ms) {
        Gevent.sleep(Duration.ofMillis(ms));
        return "item(" + ms + "ms)";
    }
}
