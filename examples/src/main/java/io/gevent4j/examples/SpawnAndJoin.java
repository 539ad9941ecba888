package io.gevent4j.examples;

import io.gevent4j.Gevent;
import io.gevent4j.Greenlet;
import io.gevent4j.Hub;
import java.util.ArrayList;
import java.util.List;

/**
 * gevent's first steps: {@code Greenlet(fn).start()}, {@code Greenlet.spawn}, {@code gevent.spawn},
 * {@code joinall}, and how greenlets take turns at {@code sleep(0)}.
 */
public final class SpawnAndJoin {
    private SpawnAndJoin() {}

    public static void main(String[] args) {
        run();
    }

    /** Runs the scenario as a greenlet on the default hub (it plays gevent's main greenlet). */
    public static void run() {
        Hub.getDefault().spawn(SpawnAndJoin::scenario).get();
    }

    private static void scenario() {
        // g = Greenlet(myfunction, 'arg1'); g.start()
        Greenlet<String> g1 = new Greenlet<>(() -> myFunction("arg1")).start();
        // g = Greenlet.spawn(myfunction, 'arg2')  /  gevent.spawn(myfunction, 'arg3')
        Greenlet<String> g2 = Greenlet.spawn(() -> myFunction("arg2"));
        Greenlet<String> g3 = Gevent.spawn(() -> myFunction("arg3"));
        System.out.println(
                "main: spawned 3 greenlets; none has run yet: " + (!g1.isReady() && !g2.isReady() && !g3.isReady()));

        List<Greenlet<?>> finished = Gevent.joinAll(List.of(g1, g2, g3));
        System.out.println("main: joinAll returned " + finished.size() + " greenlets");
        for (Greenlet<String> g : List.of(g1, g2, g3)) {
            System.out.println("main: value=" + g.value() + ", successful=" + g.isSuccessful());
        }

        // Nothing runs until the spawner yields; sleep(0) puts the caller behind the runnable greenlets.
        List<Greenlet<?>> workers = new ArrayList<>();
        for (String name : List.of("A", "B", "C")) {
            workers.add(Gevent.spawn(() -> {
                System.out.println("  " + name + ": step 1");
                Gevent.sleep();
                System.out.println("  " + name + ": step 2");
            }));
        }
        System.out.println("main: spawned A, B, C; yielding with joinAll");
        Gevent.joinAll(workers);

        // A failure stays in its greenlet (the hub logs it, as gevent prints it): join() does not throw,
        // get() re-throws it.
        System.out.println("main: spawning a greenlet that throws");
        Greenlet<Integer> bad = Gevent.spawn(() -> {
            throw new IllegalStateException("boom");
        });
        bad.join();
        System.out.println("main: bad greenlet successful=" + bad.isSuccessful() + ", exception=" + bad.exception());
        try {
            bad.get();
        } catch (IllegalStateException e) {
            System.out.println("main: get() re-threw " + e);
        }
    }

    private static String myFunction(String arg) {
        System.out.println("  myFunction(" + arg + ") runs in " + Gevent.getcurrent());
        Gevent.sleep(0.01);
        return "result of " + arg;
    }
}
