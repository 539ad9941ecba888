package io.gevent4j.examples;

import io.gevent4j.Gevent;
import io.gevent4j.Hub;
import io.gevent4j.pool.GreenPile;
import io.gevent4j.pool.GreenPool;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;

/**
 * eventlet's {@code GreenPool.imap} over the lines of a file (read lazily: the pool pulls the next line only as
 * a slot frees up) and a {@code GreenPile} of "fetches" whose results come back in spawn order, whatever order
 * they finish in.
 */
public final class GreenPoolPile {
    private GreenPoolPile() {}

    public static void main(String[] args) {
        run();
    }

    /** Runs the scenario as a greenlet on the default hub (it plays the main greenthread). */
    public static void run() {
        Hub.getDefault().spawn(GreenPoolPile::scenario).get();
    }

    private static void scenario() throws Exception {
        Path file = Files.createTempFile("gevent4j-lines", ".txt");
        try {
            Files.write(file, List.of("alpha", "beta", "gamma", "delta", "epsilon", "zeta"), StandardCharsets.UTF_8);
            GreenPool pool = new GreenPool(2);
            // for n in pool.imap(count_letters, open(file)):   -- two at a time, results in input order
            try (Stream<String> lines = Files.lines(file, StandardCharsets.UTF_8)) {
                Iterator<String> it = lines.iterator();
                Iterable<String> lazily = () -> it;
                List<String> counted = new ArrayList<>();
                for (String r : pool.imap(GreenPoolPile::countLetters, lazily)) {
                    counted.add(r);
                }
                System.out.println("main: imap over the file's lines -> " + counted);
            }
            pool.waitall();
            System.out.println("main: pool free=" + pool.free() + ", running=" + pool.running());

            // pile = GreenPile(3); for url in urls: pile.spawn(fetch, url); for body in pile: ...
            GreenPile<String> pile = new GreenPile<>(3);
            int[] delaysMs = {30, 5, 20, 10};
            for (int i = 0; i < delaysMs.length; i++) {
                int page = i;
                pile.spawn(() -> fetch(page, delaysMs[page]));
            }
            List<String> bodies = new ArrayList<>();
            for (String body : pile) {
                bodies.add(body);
            }
            System.out.println("main: pile results in spawn order -> " + bodies);
            if (!bodies.equals(List.of("page-0", "page-1", "page-2", "page-3"))) {
                throw new IllegalStateException("GreenPile lost the spawn order: " + bodies);
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static String countLetters(String line) {
        Gevent.sleep(); // let the other greenthread run
        return line + "=" + line.length();
    }

    private static String fetch(int page, int delayMs) {
        Gevent.sleep(delayMs / 1000.0); // stands in for network I/O
        System.out.println("  fetched page-" + page + " after " + delayMs + " ms");
        return "page-" + page;
    }
}
