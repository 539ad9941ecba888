package io.gevent4j.examples;

import com.sun.net.httpserver.HttpServer;
import io.gevent4j.Gevent;
import io.gevent4j.Greenlet;
import io.gevent4j.Hub;
import io.gevent4j.JavaGreenletMode;
import io.gevent4j.event.AsyncResult;
import io.gevent4j.pool.Pool;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The JDK's own {@code com.sun.net.httpserver.HttpServer} serving each exchange in a Java greenlet:
 * {@code server.setExecutor(pool.greenletExecutor())}, a {@code Pool(3)} bounding how many run at once. The
 * handlers sleep cooperatively, so up to three exchanges are in progress at once. The client side is a greenlet too: it waits for {@code HttpClient.sendAsync} through {@code AsyncResult.of(future)}.
 *
 * <p>In HANDOFF mode (no {@code --add-opens java.base/java.lang=ALL-UNNAMED}) it works as well, but the exchanges'
 * JDK socket reads and writes keep the hub while they block (they are quick on the loopback).
 */
public final class HttpServerOnGreenlets {
    private HttpServerOnGreenlets() {}

    public static void main(String[] args) {
        run();
    }

    /** Starts the server from the calling thread; its exchanges run as greenlets of the default hub. */
    public static void run() {
        Pool pool = new Pool(3);
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        server.createContext("/", exchange -> {
            Greenlet<?> me = Gevent.getcurrent();
            System.out.println("  server: " + exchange.getRequestURI().getPath() + " in " + me.name() + " ("
                    + pool.size() + " of " + pool.poolSize() + " slots in use)");
            Gevent.sleep(0.05); // cooperative: the other exchanges run meanwhile
            byte[] body = ("hello " + exchange.getRequestURI().getPath()).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.setExecutor(pool.greenletExecutor()); // made on a plain thread: the default hub's greenlets
        server.start();
        System.out.println("main: serving on 127.0.0.1:" + server.getAddress().getPort() + ", mode "
                + Hub.getDefault().javaGreenletMode()
                + (Hub.getDefault().javaGreenletMode() == JavaGreenletMode.HANDOFF
                        ? " (JDK socket I/O in an exchange keeps the hub while it blocks)"
                        : ""));
        try (HttpClient client = HttpClient.newHttpClient()) {
            Hub.getDefault()
                    .spawn(() -> client(client, server.getAddress().getPort()))
                    .get();
        } finally {
            server.stop(0);
            System.out.println("main: server stopped");
        }
    }

    private static void client(HttpClient client, int port) {
        List<AsyncResult<HttpResponse<String>>> responses = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/page" + i))
                    .build();
            responses.add(AsyncResult.of(client.sendAsync(req, HttpResponse.BodyHandlers.ofString())));
        }
        for (AsyncResult<HttpResponse<String>> r : responses) {
            HttpResponse<String> resp = r.get(); // a cooperative wait on a CompletableFuture
            System.out.println("  client: " + resp.statusCode() + " " + resp.body());
        }
        System.out.println("main: 5 responses, each exchange served in a greenlet of the pool");
    }
}
