package io.gevent4j.spec;

/*
 * Spec section 9 (gevent-semantics.md): gevent.local as GreenletLocal<T> (API.md io.gevent4j.local): one value
 * per greenlet, per thread outside greenlets (the JUnit thread and the platform threads started here are
 * "foreign threads"). The scenario greenlet started by inGreenlet(...) plays gevent's main greenlet. Kotlin
 * greenlets: EventKotlinSpecTest.
 *
 * Collection checks use a WeakReference and a System.gc() loop bounded by a deadline; each also checks the
 * opposite (the value is NOT collected while it must be kept), so that it can fail.
 *
 * Skipped cases (Python's attribute model, which GreenletLocal<T> does not have: one typed value, no attributes):
 *   LOC-02  local(args) TypeError: constructor arguments are a Python __init__ matter.
 *   LOC-03  subclass __init__ re-run per greenlet: no subclass hook; withInitial(...) is the JVM counterpart
 *           (tested below: the supplier runs once per greenlet / thread).
 *   LOC-04  class attributes and properties of local subclasses: no attributes.
 *   LOC-05  __slots__ shared across greenlets: no slots.
 *   LOC-09  AttributeError for a missing attribute: a missing value is get() == null (tested in LOC-01/06).
 *   LOC-10  __dict__ access, delattr: no __dict__; remove() is the counterpart (tested below).
 *   LOC-11  copy(local), __getattr__ of subclasses: no copy protocol, no attribute hooks.
 */

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gevent4j.Gevent;
import io.gevent4j.Greenlet;
import io.gevent4j.event.Event;
import io.gevent4j.local.GreenletLocal;
import io.gevent4j.testing.Foreign;
import io.gevent4j.testing.GeventTestBase;
import java.lang.ref.Reference;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

class GreenletLocalSpecTest extends GeventTestBase {

    /** A value to watch for collection. */
    static final class Sentinel {
        final byte[] payload;

        Sentinel(int size) {
            payload = new byte[size];
        }
    }

    /** GCs until every reference is cleared, at most {@code seconds}; between rounds runs {@code between}. */
    static boolean collected(List<? extends Reference<?>> refs, double seconds, Runnable between)
            throws InterruptedException {
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        while (true) {
            boolean all = true;
            for (Reference<?> r : refs) {
                if (r.get() != null) {
                    all = false;
                    break;
                }
            }
            if (all) {
                return true;
            }
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            System.gc();
            between.run();
        }
    }

    /** Stores a fresh Sentinel as the caller's value; only the returned weak reference points to it. */
    static WeakReference<Sentinel> storeNew(GreenletLocal<Sentinel> local) {
        Sentinel s = new Sentinel(16);
        local.set(s);
        return new WeakReference<>(s);
    }

    // ---- LOC-01 ----------------------------------------------------------------------------------------------

    @Test
    @DisplayName("LOC-01: a value set in main is not seen by other greenlets; each sees its own; main keeps 1")
    void loc01_eachGreenletHasItsOwnValue() throws Exception {
        GreenletLocal<Integer> l = new GreenletLocal<>();
        List<String> out = Collections.synchronizedList(new ArrayList<>());
        inGreenlet(() -> {
            l.set(1);
            List<Greenlet<?>> gs = new ArrayList<>();
            for (int i = 2; i <= 3; i++) {
                int n = i;
                gs.add(Gevent.spawn(() -> {
                    out.add(n + " before: " + l.get());
                    l.set(n);
                    Gevent.sleep();
                    out.add(n + " after: " + l.get());
                }));
            }
            Gevent.joinAll(gs);
            assertEquals(1, l.get());
        });
        assertEquals(List.of("2 before: null", "3 before: null", "2 after: 2", "3 after: 3"), new ArrayList<>(out));
        // outside greenlets: per thread (the JUnit thread and another foreign thread)
        assertNull(l.get(), "the JUnit thread saw a greenlet's value");
        l.set(10);
        assertEquals("null/11", Foreign.callAndWait("loc01-foreign", () -> {
            Integer before = l.get();
            l.set(11);
            return before + "/" + l.get();
        }));
        assertEquals(10, l.get());
        inGreenlet(() -> assertNull(l.get(), "a greenlet saw the JUnit thread's value"));
        l.remove();
    }

    // ---- LOC-06 ----------------------------------------------------------------------------------------------

    @Test
    @DisplayName("LOC-06: a child greenlet does not inherit its parent's value")
    void loc06_childGreenletDoesNotInherit() {
        GreenletLocal<String> l = new GreenletLocal<>();
        inGreenlet(() -> {
            l.set("parent");
            Greenlet<String> child = Gevent.spawn(() -> {
                String v = l.get();
                return v == null ? "<missing>" : v;
            });
            assertEquals("<missing>", child.get());
            assertEquals("parent", l.get());
        });
    }

    // ---- LOC-07 .. LOC-08 ------------------------------------------------------------------------------------

    @Test
    @DisplayName(
            "LOC-07: a greenlet's value is kept while it lives and collected once it is dead, though still referenced")
    void loc07_valueOfADeadGreenletIsCollected() throws Exception {
        GreenletLocal<Sentinel> local = new GreenletLocal<>();
        AtomicReference<WeakReference<Sentinel>> ref = new AtomicReference<>();
        Event stored = new Event();
        Event release = new Event();
        Greenlet<Void> g = hub.spawn(() -> {
            ref.set(storeNew(local));
            stored.set();
            release.waitFor();
            assertNotNull(local.get(), "the value went while the greenlet lived");
        });
        assertTrue(stored.waitFor(Duration.ofSeconds(10)));
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        assertNotNull(ref.get().get(), "the value of a living greenlet was collected");
        release.set();
        assertTrue(g.join(Duration.ofSeconds(10)));
        g.get();
        assertTrue(
                collected(List.of(ref.get()), 10, () -> sleepQuietly(10)),
                "the value of a dead greenlet was not collected");
        assertTrue(g.isDead());
        Reference.reachabilityFence(g);
        Reference.reachabilityFence(local);
    }

    private static List<WeakReference<?>> createAndDrop(int count) {
        List<WeakReference<?>> refs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            GreenletLocal<Sentinel> l = new GreenletLocal<>();
            Sentinel s = new Sentinel(16);
            l.set(s);
            assertSame(s, l.get());
            refs.add(new WeakReference<>(s));
            refs.add(new WeakReference<>(l));
        }
        return refs;
    }

    @Test
    @DisplayName("LOC-08: 1000 locals created and dropped inside a running greenlet: locals and values are collected"
            + " (JVM: stale values go at the greenlet's next local access, as with ThreadLocal)")
    void loc08_droppedLocalsAreCollectedInARunningGreenlet() {
        GreenletLocal<String> probe = new GreenletLocal<>();
        GreenletLocal<Sentinel> kept = new GreenletLocal<>();
        inGreenlet(() -> {
            WeakReference<Sentinel> keptRef = storeNew(kept);
            List<WeakReference<?>> refs = createAndDrop(1000);
            assertEquals(2000, refs.size());
            assertTrue(
                    collected(refs, 10, () -> {
                        probe.set("touch");
                        Gevent.sleep(0.01);
                    }),
                    "dropped locals or their values were not collected");
            assertNotNull(keptRef.get(), "a value of a local still referenced was collected");
            assertSame(keptRef.get(), kept.get());
        });
    }

    // ---- JVM extras: withInitial, remove, the stress case ---------------------------------------------------

    @Test
    @DisplayName(
            "LOC (JVM): withInitial's supplier runs once per greenlet and per thread, on the first get() without set()")
    void withInitialRunsOncePerGreenletAndThread() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        GreenletLocal<Integer> l = GreenletLocal.withInitial(calls::incrementAndGet);
        inGreenlet(() -> {
            assertEquals(1, l.get());
            assertEquals(1, l.get());
            assertEquals(1, calls.get());
            assertEquals(2, Gevent.spawn(() -> l.get()).get(), "a child greenlet gets its own initial value");
            assertEquals(2, calls.get());
            Greenlet<Integer> setter = Gevent.spawn(() -> {
                l.set(100);
                return l.get();
            });
            assertEquals(100, setter.get());
            assertEquals(2, calls.get(), "the supplier ran though set() came first");
            assertEquals(1, l.get());
        });
        assertEquals(3, Foreign.callAndWait("withInitial-foreign", l::get));
        assertEquals(4, l.get(), "the JUnit thread");
        assertEquals(4, calls.get());
        assertThrows(NullPointerException.class, () -> GreenletLocal.withInitial(null));
    }

    @Test
    @DisplayName("LOC (JVM): remove() forgets the caller's value only; the next get() starts afresh")
    void removeForgetsOnlyTheCallersValue() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        GreenletLocal<String> plain = new GreenletLocal<>();
        GreenletLocal<Integer> initial = GreenletLocal.withInitial(calls::incrementAndGet);
        inGreenlet(() -> {
            plain.set("main");
            Event removed = new Event();
            Greenlet<String> other = Gevent.spawn(() -> {
                plain.set("other");
                removed.waitFor();
                return plain.get();
            });
            Gevent.sleep();
            plain.remove();
            assertNull(plain.get());
            removed.set();
            assertEquals("other", other.get(), "remove() in main removed another greenlet's value");

            assertEquals(1, initial.get());
            initial.remove();
            assertEquals(2, initial.get(), "after remove() the supplier runs again");
            initial.set(null);
            assertNull(initial.get(), "a null set explicitly is a value, not a missing one");
            assertEquals(2, calls.get());
        });
        plain.set("thread");
        plain.remove();
        assertNull(plain.get());
        assertEquals("x/null", Foreign.callAndWait("remove-foreign", () -> {
            plain.set("x");
            String before = plain.get();
            plain.remove();
            return before + "/" + plain.get();
        }));
    }

    @Test
    @Tag("stress")
    @DisplayName(
            "LOC (JVM stress): 100,000 short greenlets each set a 1 KB local; the memory comes back (growth < 20 MB)")
    void stressManyShortGreenletsGiveTheirLocalsBack() throws Exception {
        GreenletLocal<byte[]> local = new GreenletLocal<>();
        AtomicInteger ok = new AtomicInteger();
        int total = 100_000;
        int batch = 1_000;
        GreenRunnableBatch run = count -> inGreenlet(() -> {
            for (int done = 0; done < count; done += batch) {
                List<Greenlet<?>> gs = new ArrayList<>(batch);
                for (int i = 0; i < batch; i++) {
                    gs.add(Gevent.spawn(() -> {
                        byte[] mine = new byte[1024];
                        local.set(mine);
                        Gevent.sleep();
                        if (local.get() == mine) {
                            ok.incrementAndGet();
                        }
                    }));
                }
                Gevent.joinAll(gs);
            }
        });
        run.run(batch); // warm-up: class loading, pools
        long before = usedHeapAfterGc();
        ok.set(0);
        run.run(total);
        long after = usedHeapAfterGc();
        assertEquals(total, ok.get(), "greenlets that saw their own value");
        long growth = after - before;
        assertTrue(
                growth < 20L * 1024 * 1024,
                "used heap grew by " + growth / 1024 + " KB (before " + before / 1024 + " KB, after " + after / 1024
                        + " KB)");
        Reference.reachabilityFence(local);
    }

    @FunctionalInterface
    private interface GreenRunnableBatch {
        void run(int count) throws Exception;
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        Runtime rt = Runtime.getRuntime();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(20);
            used = Math.min(used, rt.totalMemory() - rt.freeMemory());
        }
        return used;
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
