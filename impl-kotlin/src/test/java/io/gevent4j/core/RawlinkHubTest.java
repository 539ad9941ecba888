package io.gevent4j.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gevent4j.Gevent;
import io.gevent4j.Greenlet;
import io.gevent4j.Hub;
import io.gevent4j.Waitable;
import io.gevent4j.event.AsyncResult;
import io.gevent4j.event.Event;
import io.gevent4j.lock.Semaphore;
import io.gevent4j.subprocess.Popen;
import io.gevent4j.testing.GeventTestBase;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Which hub runs a rawlink callback (Waitable.rawlink's Javadoc, deviation 18): a Greenlet's callbacks run on the
 * greenlet's own hub; those of Event, AsyncResult, Semaphore and Popen on the hub of the caller that registered them,
 * which for a thread of no hub is the default hub, whichever thread makes the object ready.
 */
class RawlinkHubTest extends GeventTestBase {
    /** Where a callback ran: the names of the hubs whose context it ran in, and the greenlet it ran in. */
    private record Place(List<String> hubs, Object greenlet) {}

    private static CompletableFuture<Place> place(Waitable w, Hub... candidates) {
        CompletableFuture<Place> f = new CompletableFuture<>();
        Consumer<Waitable> cb = x -> {
            List<String> in = java.util.Arrays.stream(candidates)
                    .filter(Hub::isHubThread)
                    .map(Hub::name)
                    .toList();
            f.complete(new Place(in, Gevent.getcurrent()));
        };
        w.rawlink(cb);
        return f;
    }

    private static Place await(CompletableFuture<Place> f) throws Exception {
        return f.get(10, TimeUnit.SECONDS);
    }

    @Test
    @DisplayName(
            "rawlink from a thread of no hub: Event, AsyncResult, Semaphore and Popen callbacks run on the default hub, outside greenlets")
    void aForeignThreadsCallbackRunsOnTheDefaultHub() throws Exception {
        Hub dflt = Hub.getDefault();
        Event e = new Event();
        AsyncResult<String> ar = new AsyncResult<>();
        Semaphore s = new Semaphore(0);
        Popen p = new Popen(List.of("true"));
        CompletableFuture<Place> onEvent = place(e, dflt, hub);
        CompletableFuture<Place> onResult = place(ar, dflt, hub);
        CompletableFuture<Place> onSemaphore = place(s, dflt, hub);
        CompletableFuture<Place> onExit = place(p, dflt, hub);
        // made ready from a greenlet of the test hub: the callbacks still run where they were registered
        hub.spawn(() -> {
                    e.set();
                    ar.set("v");
                    s.release();
                })
                .join();
        assertEquals(0, p.waitFor(Duration.ofSeconds(10)));
        for (CompletableFuture<Place> f : List.of(onEvent, onResult, onSemaphore, onExit)) {
            Place at = await(f);
            assertEquals(List.of(dflt.name()), at.hubs(), "on the default hub's thread");
            assertNull(at.greenlet(), "not in a greenlet");
        }
    }

    @Test
    @DisplayName("rawlink of an Event from a greenlet of hub A, set by a thread of no hub: the callback runs on A")
    void aGreenletsCallbackRunsOnItsHub() throws Exception {
        Event e = new Event();
        CompletableFuture<Place> f =
                hub.spawn(() -> place(e, Hub.getDefault(), hub)).get();
        e.set();
        assertEquals(List.of(hub.name()), await(f).hubs());
    }

    @Test
    @DisplayName(
            "rawlink of a Greenlet from a thread of no hub: the callback runs on the greenlet's hub, not the default hub")
    void aGreenletsOwnCallbacksRunOnItsHub() throws Exception {
        Event go = new Event();
        Greenlet<Void> g = hub.spawn(() -> {
            go.waitFor();
        });
        CompletableFuture<Place> f = place(g, Hub.getDefault(), hub);
        go.set();
        Place at = await(f);
        assertEquals(List.of(hub.name()), at.hubs());
        assertNull(at.greenlet());
        assertTrue(g.isDead());
    }
}
