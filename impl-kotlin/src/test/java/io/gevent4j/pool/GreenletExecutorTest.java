package io.gevent4j.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.gevent4j.Gevent;
import io.gevent4j.Greenlet;
import io.gevent4j.Hub;
import io.gevent4j.JavaGreenletMode;
import io.gevent4j.event.Event;
import io.gevent4j.testing.GeventTestBase;
import io.gevent4j.testing.LogCapture;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * {@code Group.greenletExecutor()}: each task in a new Java greenlet of the group, on the creator's hub, in submission
 * order; a full Pool makes {@code execute} wait. Runs in both hub modes; the HttpServer tests assert what each mode
 * does with the JDK's blocking exchange streams.
 */
class GreenletExecutorTest extends GeventTestBase {

    @Test
    void aNullTaskIsRefused() {
        Executor ex = new Group().greenletExecutor();
        NullPointerException e = assertThrows(NullPointerException.class, () -> ex.execute(null));
        assertEquals("command must not be null", e.getMessage());
    }

    @Test
    void eachTaskRunsInANewGreenletOfTheGroupInSubmissionOrder() {
        inGreenlet(() -> {
            Group group = new Group();
            Executor ex = group.greenletExecutor();
            List<Integer> order = new ArrayList<>();
            Set<Greenlet<?>> seen = new HashSet<>();
            for (int i = 1; i <= 5; i++) {
                int n = i;
                ex.execute(() -> {
                    Greenlet<?> me = Gevent.getcurrent();
                    assertNotNull(me);
                    assertTrue(group.contains(me));
                    assertSame(hub, me.hub());
                    seen.add(me);
                    order.add(n);
                });
            }
            assertEquals(5, group.size(), "members before they ran");
            assertEquals(List.of(), order, "execute does not switch");
            group.join();
            assertEquals(List.of(1, 2, 3, 4, 5), order);
            assertEquals(5, seen.size());
        });
    }

    @Test
    void tasksRunOnTheHubOfTheExecutorsCreatorWhoeverSubmits() throws InterruptedException {
        Group group = new Group();
        Executor ex = inGreenlet(group::greenletExecutor);
        AtomicReference<Hub> ranOn = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(1);
        ex.execute(
                () -> { // from the test thread, a thread of no hub
                    ranOn.set(Gevent.getcurrent().hub());
                    done.countDown();
                });
        assertTrue(done.await(10, TimeUnit.SECONDS));
        assertSame(hub, ranOn.get());
    }

    @Test
    void aFullPoolMakesExecuteWaitCooperatively() {
        inGreenlet(() -> {
            Pool pool = new Pool(2);
            Executor ex = pool.greenletExecutor();
            Event release = new Event();
            List<Integer> started = new ArrayList<>();
            for (int i = 1; i <= 2; i++) {
                int n = i;
                ex.execute(() -> {
                    started.add(n);
                    release.waitFor();
                });
            }
            Greenlet<Void> submitter = Gevent.spawn(() -> {
                steps.expect(2);
                ex.execute(() -> started.add(3)); // the pool is full: waits for a slot
                steps.expect(4);
            });
            steps.expect(1);
            Gevent.sleep(0.02); // the two run and wait; the submitter waits for a slot; the hub is free
            steps.expect(3);
            assertEquals(List.of(1, 2), started);
            assertFalse(submitter.isReady());
            assertTrue(pool.isFull());
            release.set();
            submitter.join();
            pool.join();
            assertEquals(List.of(1, 2, 3), started);
            steps.finish(5);
        });
        steps.assertFinished();
    }

    @Test
    void aTaskThatThrowsIsReportedLikeAnyGreenletFailureAndTheExecutorGoesOn() {
        try (LogCapture log = new LogCapture("io.gevent4j.Greenlet")) {
            RuntimeException boom = new RuntimeException("task failed");
            inGreenlet(() -> {
                Group group = new Group();
                Executor ex = group.greenletExecutor();
                List<String> ran = new ArrayList<>();
                ex.execute(() -> {
                    throw boom;
                });
                ex.execute(() -> ran.add("next"));
                group.join();
                assertEquals(List.of("next"), ran);
            });
            assertEquals(1, log.about(boom));
        }
    }

    @Test
    void onAClosedHubExecuteIsRejected() {
        Hub other = Hub.create("exec-closed");
        Executor ex = other.spawn(() -> new Group().greenletExecutor()).get(Duration.ofSeconds(10));
        other.close();
        RejectedExecutionException e = assertThrows(RejectedExecutionException.class, () -> ex.execute(() -> {}));
        assertTrue(e.getMessage().contains("exec-closed"), e.getMessage());
    }

    // ---- the JDK HttpServer on greenlets -------------------------------------------------------------

    @Test
    void anHttpServerServesEachExchangeInAGreenletOfABoundedPool() throws Exception {
        Pool pool = new Pool(2);
        Executor ex = inGreenlet(pool::greenletExecutor);
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger maxInFlight = new AtomicInteger();
        List<String> problems = new CopyOnWriteArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            Greenlet<?> me = Gevent.getcurrent();
            if (me == null || !pool.contains(me) || me.hub() != hub) {
                problems.add("not a member greenlet on the test hub: " + me);
            }
            int now = inFlight.incrementAndGet();
            maxInFlight.accumulateAndGet(now, Math::max);
            Gevent.sleep(0.01); // cooperative: others may run meanwhile
            inFlight.decrementAndGet();
            byte[] body = ("served " + exchange.getRequestURI().getPath()).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.setExecutor(ex);
        server.start();
        try (HttpClient client = HttpClient.newHttpClient()) {
            String base = "http://127.0.0.1:" + server.getAddress().getPort() + "/r";
            List<CompletableFuture<HttpResponse<String>>> futures = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                futures.add(client.sendAsync(
                        HttpRequest.newBuilder(URI.create(base + i)).build(), HttpResponse.BodyHandlers.ofString()));
            }
            for (int i = 0; i < 6; i++) {
                HttpResponse<String> r = futures.get(i).get(20, TimeUnit.SECONDS);
                assertEquals(200, r.statusCode());
                assertEquals("served /r" + i, r.body());
            }
        } finally {
            server.stop(0);
        }
        assertEquals(List.of(), problems);
        assertTrue(maxInFlight.get() >= 1 && maxInFlight.get() <= 2, "in flight at once: " + maxInFlight.get());
    }

    /**
     * The documented difference between the modes: an exchange whose request is still arriving blocks in the JDK's
     * socket read. In SCHEDULED_ON_HUB that read yields the hub (other greenlets run); in HANDOFF it keeps the hub
     * until the read returns (nothing else runs), and the exchange is still served correctly.
     */
    @Test
    void anExchangeBlockedInTheJdkSocketReadYieldsTheHubOnlyInScheduledOnHubMode() throws Exception {
        Pool pool = new Pool(4);
        Executor greenlets = inGreenlet(pool::greenletExecutor);
        CountDownLatch entered = new CountDownLatch(1);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = "ok".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        // the greenlet counts down, then the JDK's exchange reads the request line and headers: it blocks there
        server.setExecutor(cmd -> greenlets.execute(() -> {
            entered.countDown();
            cmd.run();
        }));
        server.start();
        try (Socket socket = new Socket("127.0.0.1", server.getAddress().getPort())) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            out.write("GET /partial HTTP/1.1\r\nHost: 127.0.0.1\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertTrue(entered.await(10, TimeUnit.SECONDS), "the exchange's greenlet started");
            CountDownLatch probeRan = new CountDownLatch(1);
            hub.spawn(probeRan::countDown);
            if (hub.javaGreenletMode() == JavaGreenletMode.SCHEDULED_ON_HUB) {
                assertTrue(probeRan.await(10, TimeUnit.SECONDS), "the blocked JDK read yielded the hub");
            } else {
                assertFalse(probeRan.await(200, TimeUnit.MILLISECONDS), "HANDOFF: the JDK read keeps the hub");
            }
            out.write("Connection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            assertTrue(response.startsWith("HTTP/1.1 200"), response);
            assertTrue(response.endsWith("ok"), response);
            assertTrue(probeRan.await(10, TimeUnit.SECONDS), "the probe ran once the exchange let the hub go");
        } finally {
            server.stop(0);
        }
    }
}
