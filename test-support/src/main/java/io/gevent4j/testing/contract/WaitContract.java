package io.gevent4j.testing.contract;

import static io.gevent4j.testing.Recording.recorder;
import static io.gevent4j.testing.Recording.snapshot;
import static io.gevent4j.testing.Waiting.yieldUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.gevent4j.BlockingSwitchOutException;
import io.gevent4j.Gevent;
import io.gevent4j.Greenlet;
import io.gevent4j.GreenletExit;
import io.gevent4j.Timeout;
import io.gevent4j.testing.Foreign;
import io.gevent4j.testing.GeventTestBase;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The contract every blocking wait of gevent4j keeps, written once: a test of a waitable (a greenlet, an event,
 * an async result, a semaphore, a queue, a process) extends this and says how to make one that is not ready,
 * how to make it ready and how to wait for it; the tests here check, for Java greenlets and foreign threads:
 * a timed wait expires with "not ready" within gevent's bounds; a wait on a ready object returns at once,
 * without switching; a kill lands in the wait; a {@link Timeout} lands in the wait; a foreign thread's wait is
 * woken by a greenlet; and the wait is refused, with no side effect, on a hub thread outside a Java greenlet.
 * {@link WaitableContract} adds rawlink/unlink for the objects that are {@link io.gevent4j.Waitable}.
 *
 * @param <W> the object waited for
 */
public abstract class WaitContract<W> extends GeventTestBase {
    private static final Duration WAIT = Duration.ofMillis((long) (WAIT_TIMEOUT * 1000));
    private static final Duration LONG = Duration.ofSeconds(10);

    /** @return a new object that is not ready (called in a greenlet of the test hub or on the test thread) */
    protected abstract W newUnready() throws Exception;

    /** Makes {@code w} ready (or starts what makes it ready); may be called from a greenlet or a foreign thread. */
    protected abstract void makeReady(W w) throws Exception;

    /** @return whether {@code w} is ready now, without blocking */
    protected abstract boolean isReady(W w);

    /**
     * The object's own blocking wait, bounded by {@code timeout} (null: no bound), adapted to "ready or not": true
     * once ready, false on expiry (whatever the wait itself returns or throws on expiry).
     */
    protected abstract boolean waitFor(W w, Duration timeout) throws Exception;

    /** Frees what {@code w} holds once a test is done with it (a process, say); nothing by default. */
    protected void dispose(W w) throws Exception {}

    /** Makes {@code w} ready and waits (yielding in a greenlet) until it is. */
    protected final void readyNow(W w) throws Exception {
        makeReady(w);
        yieldUntil(() -> isReady(w), w + " to become ready");
    }

    @Test
    @DisplayName(
            "contract: a timed wait on an object that never becomes ready returns 'not ready' within [0.1, 0.31] s")
    void contract_timedWaitExpires() {
        inGreenlet(() -> {
            W w = newUnready();
            try {
                long t0 = System.nanoTime();
                assertFalse(waitFor(w, WAIT), "not ready");
                assertWithin(WAIT_MIN, WAIT_MAX, since(t0));
                assertFalse(isReady(w));
            } finally {
                dispose(w);
            }
        });
    }

    @Test
    @DisplayName("contract: a wait on a ready object returns at once, without switching to another greenlet")
    void contract_waitOnReadyReturnsAtOnce() {
        inGreenlet(() -> {
            W w = newUnready();
            try {
                readyNow(w);
                Greenlet<Void> other = Gevent.spawn(() -> steps.expect(3));
                steps.expect(1);
                assertTrue(waitFor(w, WAIT));
                assertTrue(waitFor(w, null), "again, without a timeout");
                steps.expect(2);
                other.join();
                steps.finish(4);
            } finally {
                dispose(w);
            }
        });
        steps.assertFinished();
    }

    @Test
    @DisplayName("contract: a kill lands in a greenlet's wait; the object still serves the next waiter")
    void contract_killLandsInTheWait() {
        inGreenlet(() -> {
            W w = newUnready();
            try {
                Greenlet<Void> waiter = Gevent.spawn(() -> {
                    steps.expect(2);
                    try {
                        waitFor(w, null);
                    } catch (GreenletExit e) {
                        steps.expect(4);
                        throw e;
                    }
                    fail("the wait returned instead of being killed");
                });
                steps.expect(1);
                Gevent.sleep(0); // the waiter runs and blocks in the wait
                steps.expect(3);
                waiter.kill();
                steps.expect(5);
                assertTrue(waiter.isDead());
                assertTrue(waiter.isSuccessful(), "a GreenletExit is a successful end");
                assertNull(waiter.value(), "a greenlet killed with GreenletExit has no value (API.md)");
                assertFalse(isReady(w), "the kill did not make the object ready");
                makeReady(w);
                assertTrue(waitFor(w, LONG), "the next wait is served");
                steps.finish(6);
            } finally {
                dispose(w);
            }
        });
        steps.assertFinished();
    }

    @Test
    @DisplayName("contract: a Timeout lands in the wait as itself; the object still serves the next waiter")
    void contract_timeoutLandsInTheWait() {
        inGreenlet(() -> {
            W w = newUnready();
            try {
                Timeout t = Timeout.startNew(Duration.ofMillis((long) (GET_TIMEOUT * 1000)));
                long t0 = System.nanoTime();
                try {
                    waitFor(w, null);
                    fail("the wait returned instead of timing out");
                } catch (Timeout e) {
                    assertSame(t, e);
                } finally {
                    t.cancel();
                }
                assertWithin(GET_MIN, GET_MAX, since(t0));
                makeReady(w);
                assertTrue(waitFor(w, LONG), "the next wait is served");
            } finally {
                dispose(w);
            }
        });
    }

    @Test
    @DisplayName(
            "contract: a foreign thread's wait is woken when a greenlet makes the object ready; its timed wait expires")
    void contract_foreignThreadWait() throws Exception {
        W expiring = newUnready();
        try {
            long t0 = System.nanoTime();
            assertFalse(Foreign.callAndWait("contract-expiring", () -> waitFor(expiring, WAIT)));
            assertWithin(WAIT_MIN, WAIT_MAX, since(t0));
        } finally {
            dispose(expiring);
        }
        inGreenlet(() -> {
            W w = newUnready();
            try {
                Foreign<Boolean> f = Foreign.call("contract-waiter", () -> waitFor(w, LONG));
                f.awaitParked();
                makeReady(w);
                assertTrue(f.valueInGreenlet());
            } finally {
                dispose(w);
            }
        });
    }

    @Test
    @DisplayName(
            "contract: on a hub thread outside a Java greenlet the wait throws BlockingSwitchOutException, with no side effect")
    void contract_refusedOnTheHubThread() throws Exception {
        W w = newUnready();
        try {
            assertInstanceOf(BlockingSwitchOutException.class, thrownInHubTask(hub, () -> waitFor(w, WAIT)));
            List<String> seen = recorder();
            inGreenlet(() -> {
                assertFalse(isReady(w), "the refused wait changed nothing");
                makeReady(w);
                seen.add(String.valueOf(waitFor(w, LONG)));
            });
            assertEquals(List.of("true"), snapshot(seen));
        } finally {
            dispose(w);
        }
    }
}
