package io.gevent4j.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * kotlinx.coroutines' {@code expect(n)}/{@code finish(n)} idiom: every step of a concurrent scenario states
 * its number, so that the order is asserted, not hoped for.
 */
public final class Steps {
    private final AtomicInteger last = new AtomicInteger();
    private volatile boolean finished;

    /** Asserts that this is step {@code n}. */
    public void expect(int n) {
        int prev = last.getAndIncrement();
        assertEquals(n, prev + 1, "step " + n + " ran after step " + prev);
    }

    /** Asserts that this is the last step, {@code n}. */
    public void finish(int n) {
        expect(n);
        finished = true;
    }

    /** Asserts that the scenario reached its finish. */
    public void assertFinished() {
        if (!finished) {
            throw new AssertionError("the scenario did not reach finish(); last step " + last.get());
        }
    }

    /** @return the last step reached */
    public int last() {
        return last.get();
    }
}
