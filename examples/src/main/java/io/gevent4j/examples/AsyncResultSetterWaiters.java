package io.gevent4j.examples;

import io.gevent4j.Gevent;
import io.gevent4j.Greenlet;
import io.gevent4j.GreenletFailedException;
import io.gevent4j.Hub;
import io.gevent4j.Timeout;
import io.gevent4j.event.AsyncResult;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * gevent's {@code AsyncResult}: an {@code Event} that carries a value. One setter prints "I", sleeps, prints
 * "LOVE" and sets "I LOVE"; four waiters blocked in {@code get()} all receive it, in the order they waited
 * (AR-10). Then: timeouts, failures, and the last outcome winning.
 */
public final class AsyncResultSetterWaiters {
    private AsyncResultSetterWaiters() {}

    public static void main(String[] args) {
        run();
    }

    /** Runs the scenario as a greenlet on the default hub. */
    public static void run() {
        Hub.getDefault().spawn(AsyncResultSetterWaiters::scenario).get();
    }

    private static void scenario() {
        AsyncResult<String> a = new AsyncResult<>();
        List<Greenlet<?>> greenlets = new ArrayList<>();
        greenlets.add(Gevent.spawn(() -> setter(a)));
        for (int i = 1; i <= 4; i++) {
            int n = i;
            greenlets.add(Gevent.spawn(() -> waiter(a, n)));
        }
        Gevent.joinAll(greenlets);
        System.out.println("main: " + a + ", successful=" + a.isSuccessful() + ", value=" + a.value());

        // get(timeout) on an unset result raises Timeout (AR-03); getNowait() raises one at once (AR-02).
        AsyncResult<Integer> empty = new AsyncResult<>();
        try {
            empty.get(Duration.ofMillis(50));
        } catch (Timeout t) {
            System.out.println("main: get(0.05) on an unset result raised Timeout: " + t.getMessage());
        }
        try {
            empty.getNowait();
        } catch (Timeout t) {
            System.out.println("main: getNowait() on an unset result raised Timeout");
        }
        System.out.println("main: waitFor(0.05) on an unset result -> " + empty.waitFor(Duration.ofMillis(50)));

        // A failure reaches every waiter: get() re-throws it; a checked one arrives wrapped.
        AsyncResult<Integer> failing = new AsyncResult<>();
        Greenlet<Void> reader = Gevent.spawn(() -> {
            try {
                failing.get();
            } catch (GreenletFailedException e) {
                System.out.println("  reader: get() threw GreenletFailedException, cause " + e.getCause());
            }
        });
        Gevent.sleep(); // let the reader block
        failing.setException(new IOException("disk on fire"));
        reader.join();
        System.out.println("main: after setException: successful=" + failing.isSuccessful() + ", exception="
                + failing.exception() + ", waitFor() -> " + failing.waitFor());

        // Set again: the last outcome wins, value or exception (gevent would keep returning 43 here, AR-08).
        AsyncResult<Integer> twice = new AsyncResult<>();
        twice.set(42);
        twice.set(43);
        System.out.println("main: set(42), set(43) -> get() = " + twice.get());
        twice.setException(new IllegalStateException("changed my mind"));
        try {
            twice.get();
        } catch (IllegalStateException e) {
            System.out.println("main: then setException(...) -> get() throws " + e);
        }
        twice.set(5);
        System.out.println("main: then set(5) -> get() = " + twice.get() + ", successful=" + twice.isSuccessful());
    }

    private static void setter(AsyncResult<String> a) {
        System.out.println("  setter: I");
        Gevent.sleep(0.2);
        System.out.println("  setter: LOVE");
        a.set("I LOVE");
        System.out.println("  setter: set() returned without switching");
    }

    private static void waiter(AsyncResult<String> a, int n) {
        String value = a.get();
        if (a.isSuccessful()) {
            System.out.println("  waiter " + n + ": received '" + value + "' from the setter. You");
        }
    }
}
