package io.gevent4j.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.gevent4j.Gevent;
import io.gevent4j.Greenlet;
import io.gevent4j.GreenletFailedException;
import io.gevent4j.testing.GeventTestBase;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** {@code AsyncResult.of(CompletionStage)}: any CompletableFuture becomes a cooperative wait. Runs in both hub modes. */
class AsyncResultOfTest extends GeventTestBase {

    /** Completes {@code f} with {@code value} from a new platform thread once {@code after} is released. */
    private static <T> Thread completeLater(CompletableFuture<T> f, T value, CountDownLatch after) {
        Thread t = new Thread(
                () -> {
                    try {
                        if (after.await(30, TimeUnit.SECONDS)) {
                            f.complete(value);
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                "completer");
        t.start();
        return t;
    }

    @Test
    void aNullStageIsRefused() {
        NullPointerException e = assertThrows(NullPointerException.class, () -> AsyncResult.of(null));
        assertEquals("stage must not be null", e.getMessage());
    }

    @Test
    void aFutureCompletedOnAPlatformThreadWakesAGreenletWhileOthersRun() throws InterruptedException {
        CompletableFuture<String> f = new CompletableFuture<>();
        CountDownLatch ticked = new CountDownLatch(3);
        Thread completer = completeLater(f, "from a platform thread", ticked);
        inGreenlet(() -> {
            AsyncResult<String> r = AsyncResult.of(f);
            assertFalse(r.isReady());
            AtomicInteger ticks = new AtomicInteger();
            Greenlet<Void> ticker = Gevent.spawn(() -> {
                while (!r.isReady()) {
                    ticks.incrementAndGet();
                    ticked.countDown(); // the completer waits for three ticks: the hub ran while get() waited
                    Gevent.sleep(0.005);
                }
            });
            steps.expect(1);
            assertEquals("from a platform thread", r.get());
            steps.expect(2);
            assertTrue(ticks.get() >= 3, "ticks " + ticks.get());
            ticker.join();
            steps.finish(3);
        });
        completer.join();
        steps.assertFinished();
    }

    @Test
    void aThreadOfNoHubWaitsToo() throws InterruptedException {
        CompletableFuture<Integer> f = new CompletableFuture<>();
        CountDownLatch go = new CountDownLatch(1);
        Thread completer = completeLater(f, 7, go);
        AsyncResult<Integer> r = AsyncResult.of(f);
        go.countDown();
        assertEquals(7, r.get(Duration.ofSeconds(10)));
        completer.join();
    }

    @Test
    void aCompletedStageIsReadyOnReturn() {
        AsyncResult<Integer> r = AsyncResult.of(CompletableFuture.completedFuture(5));
        assertTrue(r.isReady());
        assertEquals(5, r.getNowait());
        AsyncResult<Object> nul = AsyncResult.of(CompletableFuture.completedFuture(null));
        assertTrue(nul.isSuccessful());
    }

    @Test
    void failuresAreUnwrappedFromCompletionException() {
        IOException io = new IOException("disk");
        CompletableFuture<Integer> failed = CompletableFuture.failedFuture(io);
        AsyncResult<Integer> direct = AsyncResult.of(failed);
        assertSame(io, direct.exception());
        assertSame(io, assertThrows(GreenletFailedException.class, direct::get).getCause());
        // a dependent stage sees CompletionException(io): unwrapped
        AsyncResult<Integer> dependent = AsyncResult.of(failed.thenApply(x -> x + 1));
        assertSame(io, dependent.exception());
        IllegalStateException boom = new IllegalStateException("boom");
        AsyncResult<Integer> unchecked = AsyncResult.of(CompletableFuture.supplyAsync(() -> {
            throw boom;
        }));
        inGreenlet(() -> assertSame(boom, assertThrows(IllegalStateException.class, unchecked::get)));
    }

    @Test
    void aCancelledStageFailsWithTheCancellationException() {
        CompletableFuture<String> f = new CompletableFuture<>();
        AsyncResult<String> r = AsyncResult.of(f);
        Greenlet<Throwable> waiter = hub.spawn(() -> {
            try {
                r.get();
                return null;
            } catch (CancellationException e) {
                return e;
            }
        });
        inGreenlet(() -> Gevent.sleep()); // the waiter is waiting
        assertTrue(f.cancel(true));
        Throwable seen = waiter.get(Duration.ofSeconds(10));
        assertTrue(seen instanceof CancellationException, String.valueOf(seen));
        assertSame(r.exception(), seen);
    }

    @Test
    void itIsAWaitableForGeventWait() {
        CompletableFuture<String> slow = new CompletableFuture<>();
        CompletableFuture<String> fast = new CompletableFuture<>();
        CountDownLatch go = new CountDownLatch(1);
        Thread completer = completeLater(fast, "fast", go);
        try {
            inGreenlet(() -> {
                AsyncResult<String> a = AsyncResult.of(slow);
                AsyncResult<String> b = AsyncResult.of(fast);
                go.countDown();
                List<AsyncResult<String>> ready = Gevent.wait(List.of(a, b), Duration.ofSeconds(10), 1);
                assertEquals(List.of(b), ready);
            });
        } finally {
            go.countDown();
            slow.complete("done");
        }
        assertTrue(slow.isDone());
        assertFalse(completer.isInterrupted());
    }

    @Test
    void httpClientSendAsyncIsWaitedForCooperatively() throws Exception {
        CountDownLatch ticked = new CountDownLatch(3);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/hello", exchange -> {
            try {
                // the answer waits for three ticks of a greenlet: get() must have let the hub run
                assertTrue(ticked.await(20, TimeUnit.SECONDS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] body = "hello from the loopback".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start(); // its own dispatcher thread, a platform thread
        try (HttpClient client = HttpClient.newHttpClient()) {
            URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hello");
            inGreenlet(() -> {
                AtomicInteger ticks = new AtomicInteger();
                Greenlet<Void> ticker = Gevent.spawn(() -> {
                    while (true) {
                        ticks.incrementAndGet();
                        ticked.countDown();
                        Gevent.sleep(0.001);
                    }
                });
                List<AsyncResult<HttpResponse<String>>> responses = List.of(
                        AsyncResult.of(client.sendAsync(
                                HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString())),
                        AsyncResult.of(client.sendAsync(
                                HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString())));
                for (AsyncResult<HttpResponse<String>> r : responses) {
                    HttpResponse<String> resp = r.get(Duration.ofSeconds(20));
                    assertEquals(200, resp.statusCode());
                    assertEquals("hello from the loopback", resp.body());
                }
                assertTrue(ticks.get() >= 3, "ticks " + ticks.get());
                assertTrue(ticker.isAlive(), "the ticker ran on beside the waits");
                ticker.kill();
            });
        } finally {
            server.stop(0);
        }
    }
}
