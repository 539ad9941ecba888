package io.gevent4j.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gevent4j.GreenCallable;
import io.gevent4j.GreenRunnable;
import io.gevent4j.Greenlet;
import io.gevent4j.Hub;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * A fresh hub per test, and a way to run a scenario as a greenlet on it (the role gevent's main greenlet
 * plays in gevent's own tests). Timing tolerances are gevent's own ({@code testing/timing.py}).
 */
public abstract class GeventTestBase {
    /**
     * How late a timed call may return: gevent's {@code SMALL_TICK_MAX_ADJ}, 0.11 s; on a CI machine (the environment
     * variable {@code CI} is set and not "false", as {@code .ci/run} sets it) 1.5 s, the value gevent's own timing.py
     * takes on its Windows CI (Appveyor). A loaded 2-core CI runner overran 0.12 s by 14 ms here. The lower bounds never widen: a timeout that
     * fires early fails everywhere.
     */
    public static final double MAX_ADJ = onCi() ? 1.5 : 0.11;

    /**
     * The bound of "returns at once" checks (no timeout involved): 0.12 s everywhere, never widened, so that a call
     * that waits a timeout it should not (0.2 s, 1 s) fails on CI too.
     */
    public static final double AT_ONCE_MAX = 0.12;

    /** Wait-style calls: timeout 0.2 s, elapsed within [0.1, 0.31] s (0.31 = 0.2 + {@link #MAX_ADJ}). */
    public static final double WAIT_TIMEOUT = 0.2;

    public static final double WAIT_MIN = 0.1;
    public static final double WAIT_MAX = WAIT_TIMEOUT + MAX_ADJ;
    /** Get-style calls: timeout 0.01 s, elapsed within [0.009, 0.12] s (0.12 = 0.01 + {@link #MAX_ADJ}). */
    public static final double GET_TIMEOUT = 0.01;

    public static final double GET_MIN = 0.009;
    public static final double GET_MAX = GET_TIMEOUT + MAX_ADJ;

    /** The environment variable {@code CI} is set to something else than "" or "false". */
    private static boolean onCi() {
        String ci = System.getenv("CI");
        return ci != null && !ci.isEmpty() && !ci.equalsIgnoreCase("false");
    }

    protected Hub hub;
    /** The scenario's step counter ({@code steps.expect(n)}, {@code steps.finish(n)}). */
    protected final Steps steps = new Steps();

    @BeforeEach
    void createHub() {
        hub = Hub.create("test-hub");
    }

    @AfterEach
    void closeHub() {
        hub.close();
    }

    /** Runs {@code body} as a Java greenlet on the test hub and waits for it (re-throwing its failure). */
    protected <T> T inGreenlet(GreenCallable<T> body) {
        return joined(hub.spawn(body));
    }

    protected void inGreenlet(GreenRunnable body) {
        joined(hub.spawn(body));
    }

    /** Runs {@code body} as the scenario greenlet with the loggers named {@code loggers} captured (the failures it provokes stay off the console). */
    protected void quietly(List<String> loggers, GreenRunnable body) {
        LogCapture capture = new LogCapture(loggers.toArray(String[]::new));
        try {
            inGreenlet(body);
        } finally {
            capture.close();
        }
    }

    /** Waits (at most 30 s) for the scenario greenlet {@code g} and returns its value (re-throwing its failure). */
    public static <T> T joined(Greenlet<T> g) {
        assertTrue(g.join(Duration.ofSeconds(30)), "scenario greenlet did not finish in 30 s");
        return g.get();
    }

    /** Runs {@code task} as a hub task (the JVM's loop callback) and waits for it, re-throwing its failure. */
    public static void inHubTask(Hub hub, Runnable task) throws Exception {
        Throwable t = thrownInHubTask(hub, () -> {
            task.run();
            return null;
        });
        if (t != null) {
            throw new AssertionError("the hub task failed", t);
        }
    }

    /** Runs {@code body} as a hub task (on the hub thread, outside every greenlet) and returns what it threw, or null. */
    public static Throwable thrownInHubTask(Hub hub, GreenCallable<?> body) throws Exception {
        CompletableFuture<Throwable> f = new CompletableFuture<>();
        hub.asExecutor().execute(() -> {
            try {
                body.call();
                f.complete(null);
            } catch (Throwable t) {
                f.complete(t);
            }
        });
        return f.get(30, TimeUnit.SECONDS);
    }

    /** Seconds since {@code startNanos}. */
    public static double since(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /** Asserts {@code lo <= seconds <= hi}. */
    public static void assertWithin(double lo, double hi, double seconds) {
        assertTrue(
                seconds >= lo && seconds <= hi, "elapsed " + seconds + " s, expected within [" + lo + ", " + hi + "]");
    }
}
