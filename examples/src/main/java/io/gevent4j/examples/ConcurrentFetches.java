package io.gevent4j.examples;

import com.sun.net.httpserver.HttpServer;
import io.gevent4j.Greenlet;
import io.gevent4j.Hub;
import io.gevent4j.socket.GreenSocket;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * gevent's concurrent fetches on cooperative sockets: one Java greenlet per page speaks a minimal HTTP/1.0 GET
 * over {@link GreenSocket}; each waits in {@code connect}/{@code recv} while the others run. The loopback server
 * (a JDK {@code HttpServer} on a plain executor) answers each page after a small delay and counts the requests it
 * holds at once: more than one means the fetches overlapped.
 */
public final class ConcurrentFetches {
    private ConcurrentFetches() {}

    static final String[] PAGES = {"/", "/news", "/about", "/contact", "/blog"};
    static final long DELAY_MS = 50;

    public static void main(String[] args) {
        run();
    }

    /** A loopback HTTP server whose pages answer after {@link #DELAY_MS}; {@code inFlight[1]} is the peak. */
    static HttpServer startServer(ExecutorService executor, AtomicInteger inFlight, AtomicInteger peak) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(executor);
        server.createContext("/", exchange -> {
            peak.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            try {
                Thread.sleep(DELAY_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            inFlight.decrementAndGet();
            String path = exchange.getRequestURI().getPath();
            byte[] body =
                    ("<html>page " + path + "</html>\n".repeat(1 + path.length())).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        return server;
    }

    public static void run() {
        ExecutorService executor = Executors.newFixedThreadPool(PAGES.length);
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        HttpServer server = startServer(executor, inFlight, peak);
        try {
            InetSocketAddress address =
                    new InetSocketAddress("127.0.0.1", server.getAddress().getPort());
            Hub.getDefault().spawn(() -> fetchAll(address, peak)).get();
        } finally {
            server.stop(0);
            executor.shutdownNow();
        }
    }

    private static void fetchAll(InetSocketAddress address, AtomicInteger peak) {
        long t0 = System.nanoTime();
        List<Greenlet<String>> fetches = new ArrayList<>();
        for (String page : PAGES) {
            fetches.add(Hub.current().spawn(() -> fetch(address, page)));
        }
        for (Greenlet<String> g : fetches) {
            System.out.println("  " + g.get(Duration.ofSeconds(10)));
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        System.out.println("fetched " + PAGES.length + " pages in " + ms + " ms (one after another: at least "
                + PAGES.length * DELAY_MS + " ms); the server held " + peak.get() + " requests at once: "
                + (peak.get() > 1 ? "they overlapped" : "they did NOT overlap"));
    }

    /** GET {@code path} over HTTP/1.0: the server closes the connection after the response. */
    static String fetch(InetSocketAddress address, String path) throws IOException {
        try (GreenSocket s = GreenSocket.connect(address, Duration.ofSeconds(5))) {
            s.setTimeout(Duration.ofSeconds(5));
            s.sendAll(("GET " + path + " HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            ByteArrayOutputStream response = new ByteArrayOutputStream();
            byte[] chunk;
            while ((chunk = s.recv(8192)).length > 0) {
                response.writeBytes(chunk);
            }
            return describe(path, response.toByteArray());
        }
    }

    /** "GET /news -> HTTP/1.1 200 OK, 123 bytes of body". */
    static String describe(String path, byte[] response) {
        String text = new String(response, StandardCharsets.ISO_8859_1);
        int eol = text.indexOf("\r\n");
        int body = text.indexOf("\r\n\r\n");
        String status = eol < 0 ? "(no status line)" : text.substring(0, eol);
        int size = body < 0 ? 0 : response.length - body - 4;
        return "GET " + path + " -> " + status + ", " + size + " bytes of body";
    }
}
