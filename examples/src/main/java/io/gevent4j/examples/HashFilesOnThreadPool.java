package io.gevent4j.examples;

import io.gevent4j.Gevent;
import io.gevent4j.Greenlet;
import io.gevent4j.Hub;
import io.gevent4j.event.AsyncResult;
import io.gevent4j.threadpool.ThreadPool;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * gevent's {@code ThreadPool}: file I/O and hashing block natively, so they run on real threads while the hub keeps
 * running its greenlets. The example writes a few temporary files on the hub's own pool ({@code Hub.threadpool()}),
 * hashes them with {@code map} on a {@code ThreadPool(2)} while a ticker greenlet prints, and deletes them.
 */
public final class HashFilesOnThreadPool {
    private HashFilesOnThreadPool() {}

    private static final int FILES = 4;
    private static final int SIZE = 8 << 20; // 8 MiB each

    public static void main(String[] args) {
        run();
    }

    /** Runs the scenario as a Java greenlet on the default hub. */
    public static void run() {
        Hub.getDefault().spawn(HashFilesOnThreadPool::scenario).get();
    }

    private static void scenario() throws Exception {
        ThreadPool io = Hub.current().threadpool(); // the hub's own pool: 10 platform threads, made on first use
        Path dir = io.apply(() -> Files.createTempDirectory("gevent4j-hash"));
        List<Path> files = new ArrayList<>();
        AtomicBoolean done = new AtomicBoolean();
        AtomicInteger ticks = new AtomicInteger();
        Greenlet<Void> ticker = Gevent.spawn(() -> {
            while (!done.get()) {
                System.out.println("  ticker: tick " + ticks.incrementAndGet() + " (the hub is free)");
                Gevent.sleep(0.05);
            }
        });
        try (ThreadPool hashers = new ThreadPool(2)) {
            // spawn: hand each write over, wait for all the results afterwards
            List<AsyncResult<Path>> writes = new ArrayList<>();
            for (int i = 0; i < FILES; i++) {
                int n = i;
                writes.add(io.spawn(() -> write(dir.resolve("file-" + n + ".bin"), n)));
            }
            for (AsyncResult<Path> w : writes) {
                files.add(w.get());
            }
            System.out.println("main: wrote " + FILES + " files of " + (SIZE >> 20) + " MiB on " + io.name());

            // map: the results in input order; at most two hash at once
            List<String> digests = hashers.map(HashFilesOnThreadPool::sha256, files);
            for (int i = 0; i < files.size(); i++) {
                System.out.println("main: " + files.get(i).getFileName() + " sha256 "
                        + digests.get(i).substring(0, 16) + "...");
            }
            System.out.println("main: " + hashers + " after map");
        } finally {
            done.set(true);
            ticker.join();
            io.apply(() -> {
                for (Path f : files) {
                    Files.deleteIfExists(f);
                }
                Files.deleteIfExists(dir);
                return null;
            });
        }
        System.out.println("main: the ticker ticked " + ticks.get() + " times while the threads worked; files deleted: "
                + !Files.exists(dir));
    }

    private static Path write(Path file, int seed) {
        byte[] data = new byte[SIZE];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 31 + seed);
        }
        try {
            return Files.write(file, data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha256(Path file) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
