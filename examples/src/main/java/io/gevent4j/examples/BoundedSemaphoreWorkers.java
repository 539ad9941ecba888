package io.gevent4j.examples;

import io.gevent4j.Gevent;
import io.gevent4j.Greenlet;
import io.gevent4j.Hub;
import io.gevent4j.lock.BoundedSemaphore;
import io.gevent4j.lock.Semaphore;
import java.util.ArrayList;
import java.util.List;

/**
 * gevent's {@code BoundedSemaphore}: six workers, two permits, so at most two workers are inside at once.
 * Waiters get the permits in the order they asked (SEM-08). Then gevent's {@code with sem:} as
 * {@code try (var p = sem.permit())}, and an over-release refused.
 */
public final class BoundedSemaphoreWorkers {
    private BoundedSemaphoreWorkers() {}

    private static int inside;
    private static int maxInside;

    public static void main(String[] args) {
        run();
    }

    /** Runs the scenario as a greenlet on the default hub. */
    public static void run() {
        Hub.getDefault().spawn(BoundedSemaphoreWorkers::scenario).get();
    }

    private static void scenario() {
        inside = 0;
        maxInside = 0;
        BoundedSemaphore sem = new BoundedSemaphore(2);
        List<Greenlet<?>> workers = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            int n = i;
            workers.add(Gevent.spawn(() -> worker(sem, n)));
        }
        Gevent.joinAll(workers);
        System.out.println("main: at most " + maxInside + " workers were inside at once; counter=" + sem.counter());

        // `with sem:` -- the permit is given back when the block ends, even when it throws.
        List<Greenlet<?>> users = new ArrayList<>();
        for (String name : List.of("li", "liu", "luo")) {
            users.add(Gevent.spawn(() -> user(sem, name)));
        }
        Gevent.joinAll(users);

        // A BoundedSemaphore refuses a release past its initial value.
        try {
            sem.release();
        } catch (IllegalStateException e) {
            System.out.println("main: one release too many: IllegalStateException: " + e.getMessage());
        }
    }

    @SuppressWarnings("try") // -Xlint:try flags a resource the body never names; the permit is the point
    private static void user(Semaphore sem, String name) {
        try (Semaphore.Permit p = sem.permit()) {
            System.out.println("  " + name + " holds a permit (counter " + sem.counter() + ")");
            Gevent.sleep();
        }
        System.out.println("  " + name + " gave it back");
    }

    private static void worker(BoundedSemaphore sem, int n) {
        sem.acquire();
        inside++;
        maxInside = Math.max(maxInside, inside);
        System.out.println("  worker " + n + " acquired the semaphore (" + inside + " inside)");
        Gevent.sleep(); // gevent.sleep(0): the others run, and wait for a permit
        inside--;
        sem.release();
        System.out.println("  worker " + n + " released the semaphore");
    }
}
