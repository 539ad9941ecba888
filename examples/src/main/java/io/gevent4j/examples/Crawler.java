package io.gevent4j.examples;

import com.sun.net.httpserver.HttpServer;
import io.gevent4j.Hub;
import io.gevent4j.pool.Pool;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * gevent's classic concurrent crawler: a {@code Pool(10)} of Java greenlets fetches 50 pages with plain blocking
 * JDK HTTP calls ({@link HttpURLConnection}). The server is started here on 127.0.0.1 (loopback only) and answers
 * each page after 20 ms on its own executor, so the 50 fetches overlap: the total is far below 50 x 20 ms.
 */
public final class Crawler {
    private Crawler() {}

    private static final int PAGES = 50;
    private static final int POOL_SIZE = 10;
    private static final long DELAY_MS = 20;

    public static void main(String[] args) {
        run();
    }

    /** Starts the server, runs the crawl as a greenlet on the default hub, stops the server. */
    public static void run() {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ExecutorService executor = Executors.newFixedThreadPool(16);
        server.setExecutor(executor);
        server.createContext("/page/", exchange -> {
            try {
                Thread.sleep(DELAY_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] body = ("<html>" + exchange.getRequestURI().getPath() + "</html>").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        try {
            int port = server.getAddress().getPort();
            Hub.getDefault().spawn(() -> crawl(port)).get();
        } finally {
            server.stop(0);
            executor.shutdownNow();
        }
    }

    private static void crawl(int port) {
        System.out.println("main: hub's Java greenlet mode: " + Hub.current().javaGreenletMode());
        List<Integer> pages = new ArrayList<>();
        for (int i = 0; i < PAGES; i++) {
            pages.add(i);
        }
        Pool pool = new Pool(POOL_SIZE);
        long t0 = System.nanoTime();
        List<Integer> sizes = pool.map(i -> fetch("http://127.0.0.1:" + port + "/page/" + i), pages);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        int bytes = sizes.stream().mapToInt(Integer::intValue).sum();
        long serial = PAGES * DELAY_MS;
        System.out.println("main: fetched " + sizes.size() + " pages (" + bytes + " bytes) with Pool(" + POOL_SIZE
                + ") in " + ms + " ms; one at a time it would take at least " + serial + " ms");
        if (sizes.size() != PAGES) {
            throw new IllegalStateException("fetched " + sizes.size() + " pages, expected " + PAGES);
        }
        if (ms * 2 >= serial) {
            throw new IllegalStateException("no overlap: " + ms + " ms is not far below " + serial + " ms");
        }
        System.out.println("main: overlap: " + ms + " ms is far below " + serial + " ms (about "
                + (serial / Math.max(1, ms)) + "x faster)");
    }

    /** A plain blocking JDK HTTP GET; inside a Java greenlet the wait yields to the hub. */
    private static int fetch(String url) throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
        c.setConnectTimeout(5_000);
        c.setReadTimeout(5_000);
        try (InputStream in = c.getInputStream()) {
            if (c.getResponseCode() != 200) {
                throw new IOException(url + " -> HTTP " + c.getResponseCode());
            }
            return in.readAllBytes().length;
        } finally {
            c.disconnect();
        }
    }
}
