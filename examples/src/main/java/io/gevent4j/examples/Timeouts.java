package io.gevent4j.examples;

import io.gevent4j.Gevent;
import io.gevent4j.Greenlet;
import io.gevent4j.Hub;
import io.gevent4j.Timeout;
import java.time.Duration;

/**
 * gevent's {@code Timeout} and {@code with_timeout}, and timeouts on {@code join} and {@code get}.
 * A Timeout is an {@link Error}, so {@code catch (Exception e)} cannot swallow it.
 */
public final class Timeouts {
    private Timeouts() {}

    public static void main(String[] args) {
        run();
    }

    /** Runs the scenario as a greenlet on the default hub. */
    public static void run() {
        Hub.getDefault().spawn(Timeouts::scenario).get();
    }

    private static void scenario() {
        // timeout = Timeout(0.1); timeout.start(); try: ... except Timeout as t: if t is not timeout: raise
        Timeout timeout = Timeout.startNew(Duration.ofMillis(100));
        try {
            System.out.println(
                    "main: Timeout(" + timeout.getMessage() + ") pending=" + timeout.isPending() + "; sleeping 1 s");
            Gevent.sleep(1);
            System.out.println("main: never printed");
        } catch (Timeout t) {
            if (t != timeout) {
                throw t;
            }
            System.out.println("main: caught my own timeout: " + t.getMessage());
        } finally {
            timeout.cancel();
        }

        // with Timeout(0.2): ...   -- the block finishes in time, the timer is cancelled on close
        try (Timeout t = Timeout.startNew(Duration.ofMillis(200))) {
            Gevent.sleep(0.02);
            System.out.println("main: finished in time inside a " + t.getMessage() + " timeout");
        }

        // Timeout(seconds, exception) raises that exception instead of itself
        try (Timeout t = Timeout.startNew(Duration.ofMillis(50), new IllegalStateException("request too slow"))) {
            System.out.println("main: sleeping under " + t);
            Gevent.sleep(1);
        } catch (IllegalStateException e) {
            System.out.println("main: caught " + e);
        }

        // with_timeout(seconds, fn) and with_timeout(seconds, fn, timeout_value=...)
        try {
            Gevent.withTimeout(Duration.ofMillis(50), () -> {
                Gevent.sleep(1);
                return "slow";
            });
        } catch (Timeout t) {
            System.out.println("main: withTimeout raised Timeout: " + t.getMessage());
        }
        String fallback = Gevent.withTimeout(
                Duration.ofMillis(50),
                () -> {
                    Gevent.sleep(1);
                    return "slow";
                },
                "fallback value");
        System.out.println("main: withTimeout with a timeout value returned '" + fallback + "'");
        String quick = Gevent.withTimeout(
                Duration.ofMillis(200),
                () -> {
                    Gevent.sleep(0.01);
                    return "quick result";
                },
                "fallback value");
        System.out.println("main: withTimeout returned '" + quick + "'");

        // join(timeout) and get(timeout) give up waiting; the greenlet itself is not affected
        Greenlet<String> slow = Gevent.spawn(() -> {
            Gevent.sleep(0.2);
            return "slow greenlet's value";
        });
        System.out.println("main: join(0.05) -> " + slow.join(0.05));
        try {
            slow.get(Duration.ofMillis(50));
        } catch (Timeout t) {
            System.out.println("main: get(0.05) raised Timeout: " + t.getMessage());
        }
        System.out.println("main: get() -> '" + slow.get() + "'");
    }
}
