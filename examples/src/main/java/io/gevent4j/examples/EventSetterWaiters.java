package io.gevent4j.examples;

import io.gevent4j.Gevent;
import io.gevent4j.Greenlet;
import io.gevent4j.Hub;
import io.gevent4j.event.Event;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * gevent's {@code Event}: one setter greenlet wakes every waiter at once. The setter prints "I", sleeps,
 * prints "LOVE" and sets the event; four waiters each print "You" once it is set.
 */
public final class EventSetterWaiters {
    private EventSetterWaiters() {}

    public static void main(String[] args) {
        run();
    }

    /** Runs the scenario as a greenlet on the default hub. */
    public static void run() {
        Hub.getDefault().spawn(EventSetterWaiters::scenario).get();
    }

    private static void scenario() {
        Event e = new Event();
        List<Greenlet<?>> greenlets = new ArrayList<>();
        greenlets.add(Gevent.spawn(() -> setter(e)));
        for (int i = 1; i <= 4; i++) {
            int n = i;
            greenlets.add(Gevent.spawn(() -> waiter(e, n)));
        }
        Gevent.joinAll(greenlets);
        System.out.println("main: event isSet=" + e.isSet());

        e.clear();
        System.out.println("main: cleared; waitFor(0.05) on the clear event -> " + e.waitFor(Duration.ofMillis(50)));
    }

    private static void setter(Event e) {
        System.out.println("  setter: I");
        Gevent.sleep(0.3);
        System.out.println("  setter: LOVE");
        e.set();
    }

    private static void waiter(Event e, int n) {
        e.waitFor();
        System.out.println("  waiter " + n + ": You");
    }
}
