package io.gevent4j.examples;

import io.gevent4j.Gevent;
import io.gevent4j.Greenlet;
import io.gevent4j.GreenletExit;
import io.gevent4j.Hub;
import java.util.ArrayList;
import java.util.List;

/**
 * gevent's {@code link}, {@code link_value}, {@code link_exception}, {@code kill} and {@code killall}.
 * A greenlet killed with the default {@link GreenletExit} counts as successful.
 */
public final class KillAndLink {
    private KillAndLink() {}

    public static void main(String[] args) {
        run();
    }

    /** Runs the scenario as a greenlet on the default hub. */
    public static void run() {
        Hub.getDefault().spawn(KillAndLink::scenario).get();
    }

    private static void scenario() {
        // Links run, in a new greenlet each, once the greenlet is dead.
        Greenlet<Integer> ok = Gevent.spawn(() -> 25).name("adder");
        ok.link(g -> System.out.println("  link: " + g.name() + " is dead, value=" + g.value()));
        ok.linkValue(g -> System.out.println("  linkValue: " + g.name() + " succeeded"));
        ok.linkException(g -> System.out.println("  linkException: never called for a success"));
        ok.join();
        System.out.println("main: joined " + ok.name() + "; its links have run");

        // kill() raises GreenletExit at the target's blocking call; its finally block runs.
        Greenlet<Void> sleeper = Gevent.spawn(() -> {
                    System.out.println("  sleeper: sleeping for 10 s");
                    try {
                        Gevent.sleep(10);
                        System.out.println("  sleeper: woke up (never printed)");
                    } catch (GreenletExit e) {
                        System.out.println("  sleeper: caught GreenletExit, re-throwing it");
                        throw e;
                    } finally {
                        System.out.println("  sleeper: finally block runs");
                    }
                })
                .name("sleeper");
        sleeper.linkValue(g -> System.out.println("  linkValue: " + g.name() + " was killed (a success)"));
        Gevent.sleep(0.05);
        System.out.println("main: killing the sleeper");
        sleeper.kill();
        System.out.println("main: sleeper dead=" + sleeper.isDead() + ", successful=" + sleeper.isSuccessful()
                + ", exception=" + sleeper.exception());

        // Killing with another exception makes the greenlet fail: only linkException fires.
        Greenlet<Void> victim = Gevent.spawn(() -> Gevent.sleep(10)).name("victim");
        victim.linkValue(g -> System.out.println("  linkValue: never called for a failure"));
        victim.linkException(g -> System.out.println("  linkException: " + g.name() + " failed with " + g.exception()));
        Gevent.sleep();
        System.out.println("main: killing the victim with IllegalStateException (the hub logs the failure)");
        victim.kill(new IllegalStateException("stop right there"));
        System.out.println("main: victim successful=" + victim.isSuccessful());

        // A greenlet killed before it ever ran never runs.
        Greenlet<String> unlucky = Gevent.spawn(() -> {
            System.out.println("  unlucky: never printed");
            return "never";
        });
        unlucky.kill();
        System.out.println("main: killed before start: dead=" + unlucky.isDead() + ", value=" + unlucky.value());

        // killAll kills them all and waits for every death.
        List<Greenlet<?>> sleepers = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            int n = i;
            sleepers.add(Gevent.spawn(() -> {
                System.out.println("  sleeper-" + n + ": sleeping");
                Gevent.sleep(10);
            }));
        }
        Gevent.sleep(0.01);
        Gevent.killAll(sleepers);
        System.out.println("main: killAll done; all dead: " + sleepers.stream().allMatch(Greenlet::isDead));
    }
}
