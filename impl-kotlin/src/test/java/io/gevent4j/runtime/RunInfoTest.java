package io.gevent4j.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gevent4j.Gevent;
import io.gevent4j.Greenlet;
import io.gevent4j.Hub;
import io.gevent4j.event.Event;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 10, run info: {@code Gevent.formatRunInfo()} as gevent's {@code format_run_info} (every hub, its live
 * greenlets with name, kind and state, the spawn tree, each greenlet's own stack), in both hub modes (surefire runs
 * this class in each).
 */
class RunInfoTest {
    private final Hub hub = Hub.create("run-info-" + System.nanoTime());

    @AfterEach
    void close() {
        hub.close();
    }

    /** The lines of this test's hub only (other tests' hubs may be running). */
    private List<String> ourHub(List<String> all) {
        int start = -1;
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i).startsWith("Hub \"" + hub.name() + "\"")) start = i;
        }
        assertTrue(start >= 0, "no section for " + hub.name() + " in\n" + String.join("\n", all));
        int end = start + 1;
        while (end < all.size() && !all.get(end).startsWith("=====")) end++;
        return all.subList(start, end);
    }

    private static int lineWith(List<String> lines, String text) {
        for (int i = 0; i < lines.size(); i++) if (lines.get(i).contains(text)) return i;
        return -1;
    }

    private static int indent(String line) {
        return line.indexOf("+---");
    }

    @Test
    void childrenAppearUnderTheirSpawnerWithTheirOwnStacks() throws Exception {
        Event release = new Event();
        CountDownLatch waiting = new CountDownLatch(2);
        Greenlet<Void> parent = hub.spawn(() -> {
            Greenlet<Void> child = Gevent.spawn(() -> {
                waiting.countDown();
                release.waitFor();
            });
            child.name("the-child");
            waiting.countDown();
            child.join();
        });
        parent.name("the-parent");
        assertTrue(waiting.await(10, TimeUnit.SECONDS));
        // both wait (the child in Event.waitFor, the parent in join): the hub answers the question in its turn
        List<String> lines = ourHub(Gevent.formatRunInfo());
        String all = String.join("\n", lines);
        assertTrue(lines.get(0).contains("2 live greenlets"), all);
        assertFalse(all.contains("did not answer"), all);
        int p = lineWith(lines, "Java greenlet \"the-parent\"");
        int c = lineWith(lines, "Java greenlet \"the-child\"");
        assertTrue(p >= 0 && c > p, all);
        assertTrue(indent(lines.get(c)) > indent(lines.get(p)), "the child is indented under its spawner:\n" + all);
        // the child's own frames: this test's lambda, below the facade it waits in (Event.waitFor)
        String childStack = String.join("\n", lines.subList(c + 1, lines.size()));
        assertTrue(childStack.contains("io.gevent4j.event.Event.waitFor"), all);
        assertTrue(childStack.contains("RunInfoTest.lambda$childrenAppearUnderTheirSpawnerWithTheirOwnStacks"), all);
        // the first frame is the user's call into gevent4j: the JDK's and gevent4j's parking frames are dropped
        assertTrue(lines.get(c + 1).contains("at io.gevent4j.event.Event.waitFor"), all);
        release.set();
        assertTrue(parent.join(Duration.ofSeconds(10)));
    }

    @Test
    void aChildOfADeadSpawnerIsATopLevelEntryAndDoesNotKeepItAlive() throws Exception {
        Event release = new Event();
        AtomicReference<Greenlet<Void>> childRef = new AtomicReference<>();
        Greenlet<Void> parent = hub.spawn(() -> {
            Greenlet<Void> child = Gevent.spawn(() -> {
                release.waitFor();
            });
            child.name("orphan");
            childRef.set(child);
        });
        assertTrue(parent.join(Duration.ofSeconds(10)));
        WeakReference<Greenlet<Void>> deadParent = new WeakReference<>(parent);
        parent = null;
        List<String> lines = ourHub(Gevent.formatRunInfo());
        String all = String.join("\n", lines);
        int c = lineWith(lines, "\"orphan\"");
        assertTrue(c > 0, all);
        assertEquals(0, indent(lines.get(c)), all);
        assertTrue(lines.get(c).contains("(dead or on another hub)"), all);
        // the live child holds no reference to its dead spawner
        for (int i = 0; i < 50 && deadParent.get() != null; i++) {
            System.gc();
            Thread.sleep(10);
        }
        assertNull(deadParent.get(), "the dead spawner was kept alive");
        release.set();
        assertTrue(childRef.get().join(Duration.ofSeconds(10)));
    }

    @Test
    void aBlockedHubIsReadWithoutItsHelpAndNamesTheGreenletHoldingIt() throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch spinning = new CountDownLatch(1);
        Greenlet<Void> spinner = hub.spawn(() -> spinUntil(stop, spinning));
        spinner.name("spinner");
        assertTrue(spinning.await(10, TimeUnit.SECONDS));
        List<String> lines;
        try {
            lines = ourHub(Gevent.formatRunInfo());
        } finally {
            stop.set(true);
        }
        String all = String.join("\n", lines);
        assertTrue(all.contains("did not answer within 100 ms"), all);
        assertTrue(lines.get(0).contains("held by Java greenlet \"spinner\""), all);
        int s = lineWith(lines, "+--- Java greenlet \"spinner\"");
        assertTrue(lines.get(s).contains("RUNNING (holds the hub)"), all);
        // its own frames, not the hub thread's (Continuation.run / HandoffCarrier.runTurn)
        assertTrue(lines.get(s + 1).contains("RunInfoTest.spinUntil"), all);
        assertFalse(all.contains("HandoffCarrier"), all);
        assertTrue(spinner.join(Duration.ofSeconds(10)));
    }

    private static void spinUntil(AtomicBoolean stop, CountDownLatch spinning) {
        spinning.countDown();
        while (!stop.get()) Thread.onSpinWait();
    }

    @Test
    void insideAGreenletItIsExactAndShowsTheCallerHoldingItsHub() throws Exception {
        Event named = new Event();
        Greenlet<List<String>> g = hub.spawn(() -> {
            named.waitFor();
            return Gevent.formatRunInfo();
        });
        g.name("asker");
        named.set();
        List<String> lines = ourHub(g.get(Duration.ofSeconds(10)));
        String all = String.join("\n", lines);
        assertFalse(all.contains("did not answer"), all);
        assertTrue(lines.get(0).contains("held by Java greenlet \"asker\""), all);
        int a = lineWith(lines, "+--- Java greenlet \"asker\"");
        assertTrue(lines.get(a).contains("RUNNING (holds the hub)"), all);
        // its own frames start at the facade it called (the implementation's and the JDK's frames above are dropped)
        assertTrue(lines.get(a + 1).contains("at io.gevent4j.Gevent.formatRunInfo"), all);
    }

    @Test
    void everyRunningHubHasASectionAndAClosedOneHasNone() throws Exception {
        Hub other = Hub.create("run-info-other-" + System.nanoTime());
        String otherName = other.name();
        assertTrue(other.spawn(() -> {}).join(Duration.ofSeconds(10)));
        List<String> all = Gevent.formatRunInfo();
        assertTrue(lineWith(all, "Hub \"" + hub.name() + "\"") >= 0, String.join("\n", all));
        assertTrue(lineWith(all, "Hub \"" + otherName + "\"") >= 0, String.join("\n", all));
        other.close();
        assertEquals(-1, lineWith(Gevent.formatRunInfo(), "Hub \"" + otherName + "\""));
    }
}
