package io.gevent4j.spec;

/*
 * Spec section 8 (gevent-semantics.md), RLock: SEM-15..SEM-18, and the section 14 row "RLock().release()
 * unowned". Owners and contenders are Java greenlets and foreign threads (the JUnit thread, or a platform
 * thread started here); Kotlin greenlets are in LockKotlinSpecTest.
 *
 * JVM decisions (API.md): releasing an RLock the caller does not own -> IllegalMonitorStateException naming
 * owner and caller (gevent: RuntimeError "cannot release un-acquired lock. Owner: ... Current: ..."); a
 * foreign thread may own an RLock; acquire() is void (gevent returns True, or 1 on a re-acquire), so a
 * re-acquire is checked through tryAcquire()/acquire(timeout) returning true.
 *
 * Skipped: none of SEM-15..SEM-18. (SEM-13 and SEM-14: see SemaphoreSpecTest.)
 */

import static io.gevent4j.testing.Recording.recorder;
import static io.gevent4j.testing.Recording.snapshot;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gevent4j.Gevent;
import io.gevent4j.Greenlet;
import io.gevent4j.event.Event;
import io.gevent4j.lock.RLock;
import io.gevent4j.testing.Foreign;
import io.gevent4j.testing.GeventTestBase;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class RLockSpecTest extends GeventTestBase {

    @BeforeAll
    static void warmUpOnce() {
        SemaphoreSpecTest.warmUpOnce();
        RLock r = new RLock();
        r.acquire();
        r.release();
    }

    private static final Duration WAIT = Duration.ofMillis((long) (WAIT_TIMEOUT * 1000));

    private static String currentName() {
        Greenlet<?> g = Gevent.getcurrent();
        return g != null ? g.name() : Thread.currentThread().getName();
    }

    /** Asserts that the release is refused, and that the message names both the owner and the caller. */
    private static void assertReleaseRefused(RLock r, String owner, String caller) {
        IllegalMonitorStateException e = assertThrows(IllegalMonitorStateException.class, r::release);
        String m = e.getMessage();
        assertTrue(m != null && m.contains(owner), "names the owner " + owner + ": " + m);
        assertTrue(m.contains(caller), "names the caller " + caller + ": " + m);
    }

    // ---- SEM-15 ------------------------------------------------------------------------------------------

    @Test
    @DisplayName("SEM-15: RLock().release() without holding it -> IllegalMonitorStateException naming owner and caller")
    void sem15_releasingAnUnownedRLockIsRefused() {
        inGreenlet(() -> {
            RLock r = new RLock();
            assertReleaseRefused(r, "nobody", currentName());
            assertFalse(r.isOwned());
            assertTrue(r.tryAcquire(), "the refused release changed nothing");
            r.release();
        });
        RLock onForeignThread = new RLock();
        assertReleaseRefused(onForeignThread, "nobody", Thread.currentThread().getName());
        assertTrue(onForeignThread.tryAcquire());
        onForeignThread.release();
    }

    // ---- SEM-16 ------------------------------------------------------------------------------------------

    @Test
    @DisplayName(
            "SEM-16: the owner re-acquires; as many releases as acquires free it; one more -> IllegalMonitorStateException")
    void sem16_reacquireByTheOwnerNeedsAsManyReleases() throws Exception {
        List<String> out = recorder();
        inGreenlet(() -> {
            RLock r = new RLock();
            r.acquire();
            assertTrue(r.tryAcquire(), "re-acquire by the owner");
            assertTrue(r.acquire(Duration.ofSeconds(1)), "and again, at once");
            String owner = currentName();
            Greenlet<Void> waiter = Gevent.spawn(() -> {
                r.acquire();
                out.add("waiter owns it");
                r.release();
            });
            Gevent.sleep();
            r.release();
            r.release();
            assertTrue(r.isOwned(), "still owned after 2 of 3 releases");
            Gevent.sleep(0.01);
            assertEquals(List.of(), snapshot(out), "the waiter waits until the last release");
            r.release();
            assertFalse(r.isOwned());
            assertTrue(waiter.join(Duration.ofSeconds(10)));
            assertEquals(List.of("waiter owns it"), snapshot(out));
            assertReleaseRefused(r, "nobody", owner);
        });

        // a foreign thread as the owner
        RLock r = new RLock();
        r.acquire();
        r.acquire();
        assertTrue(r.isOwned());
        r.release();
        assertTrue(r.isOwned());
        assertFalse(inGreenlet(() -> r.tryAcquire()), "still owned by the thread after one of two releases");
        r.release();
        assertFalse(r.isOwned());
        assertReleaseRefused(r, "nobody", Thread.currentThread().getName());
        assertTrue(inGreenlet(() -> {
            boolean got = r.tryAcquire();
            r.release();
            return got;
        }));
    }

    // ---- SEM-17 ------------------------------------------------------------------------------------------

    @Test
    @DisplayName(
            "SEM-17: while one greenlet or thread holds the RLock, another gets false from tryAcquire/acquire(timeout) and a refused release")
    void sem17_aNonOwnerCannotTakeOrReleaseTheLock() throws Exception {
        // a greenlet holds it; another greenlet tries
        inGreenlet(() -> {
            RLock r = new RLock();
            r.acquire();
            String owner = currentName();
            Greenlet<Void> other = Gevent.spawn(() -> {
                assertFalse(r.tryAcquire());
                assertReleaseRefused(r, owner, currentName());
                long t0 = System.nanoTime();
                assertFalse(r.acquire(WAIT));
                assertWithin(WAIT_MIN, WAIT_MAX, since(t0));
                assertFalse(r.isOwned());
            });
            other.get(Duration.ofSeconds(10));
            assertTrue(r.isOwned(), "the owner still owns it");
            r.release();
        });

        // a greenlet holds it; the JUnit thread tries
        RLock r = new RLock();
        CompletableFuture<String> held = new CompletableFuture<>();
        Event done = new Event();
        Greenlet<Void> holder = hub.spawn(() -> {
            r.acquire();
            held.complete(currentName());
            done.waitFor();
            r.release();
        });
        String holderName = held.get(10, TimeUnit.SECONDS);
        assertFalse(r.tryAcquire());
        assertReleaseRefused(r, holderName, Thread.currentThread().getName());
        long t0 = System.nanoTime();
        assertFalse(r.acquire(WAIT));
        assertWithin(WAIT_MIN, WAIT_MAX, since(t0));
        done.set();
        holder.get(Duration.ofSeconds(10));
        assertTrue(r.tryAcquire(), "free once the holder released it");

        // the JUnit thread holds it (from the line above); a greenlet tries
        String me = Thread.currentThread().getName();
        inGreenlet(() -> {
            assertFalse(r.tryAcquire());
            assertReleaseRefused(r, me, currentName());
            long t1 = System.nanoTime();
            assertFalse(r.acquire(WAIT));
            assertWithin(WAIT_MIN, WAIT_MAX, since(t1));
        });
        assertTrue(r.isOwned());
        r.release();
        assertFalse(r.isOwned());
    }

    // ---- SEM-18 ------------------------------------------------------------------------------------------

    @Test
    @DisplayName(
            "SEM-18: isOwned() is false at first, true after one or two acquires, false elsewhere, false after both releases")
    void sem18_isOwnedIsPerOwner() throws Exception {
        RLock r = new RLock();
        AtomicReference<Boolean> seenByThread = new AtomicReference<>();
        inGreenlet(() -> {
            assertFalse(r.isOwned());
            r.acquire();
            assertTrue(r.isOwned());
            r.acquire();
            assertTrue(r.isOwned());
            assertFalse(Gevent.spawn(() -> r.isOwned()).get(), "another greenlet does not own it");
            Foreign<Void> f = Foreign.run("sem18-probe", () -> seenByThread.set(r.isOwned()));
            while (f.thread.isAlive()) {
                Gevent.sleep(0.001);
            }
            f.finish();
            r.release();
            assertTrue(r.isOwned());
            r.release();
            assertFalse(r.isOwned());
        });
        assertEquals(Boolean.FALSE, seenByThread.get(), "a foreign thread does not own it");
        assertFalse(r.isOwned());

        // a foreign owner
        r.acquire();
        assertTrue(r.isOwned());
        assertFalse(inGreenlet(() -> r.isOwned()));
        r.release();
        assertFalse(r.isOwned());
    }
}
