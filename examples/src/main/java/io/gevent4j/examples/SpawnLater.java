package io.gevent4j.examples;

import io.gevent4j.Gevent;
import io.gevent4j.Greenlet;
import io.gevent4j.Hub;
import java.time.Duration;
import java.util.List;

/**
 * gevent's {@code spawn_later(seconds, fn)} and {@code Greenlet.start_later(seconds)}: timers fire in
 * deadline order, and even a zero delay runs after a plain {@code spawn}.
 */
public final class SpawnLater {
    private SpawnLater() {}

    public static void main(String[] args) {
        run();
    }

    /** Runs the scenario as a greenlet on the default hub. */
    public static void run() {
        Hub.getDefault().spawn(SpawnLater::scenario).get();
    }

    private static void scenario() {
        long t0 = System.nanoTime();
        List<Greenlet<String>> gs = List.of(
                Gevent.spawnLater(0.2, () -> report("spawnLater(0.2)", t0)),
                Gevent.spawnLater(Duration.ofMillis(100), () -> report("spawnLater(0.1)", t0)),
                Gevent.spawnLater(0, () -> report("spawnLater(0)", t0)),
                new Greenlet<>(() -> report("startLater(0.05)", t0)).startLater(0.05),
                Gevent.spawn(() -> report("spawn", t0)));
        System.out.println("main: scheduled 5 greenlets; joining them");
        for (Greenlet<?> g : Gevent.joinAll(gs)) {
            System.out.println("main: finished " + g.value());
        }
    }

    private static String report(String what, long t0) {
        long ms = (System.nanoTime() - t0) / 1_000_000;
        System.out.println("  " + what + " ran after ~" + ms + " ms");
        return what;
    }
}
