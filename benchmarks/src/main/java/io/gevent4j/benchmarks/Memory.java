package io.gevent4j.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Memory probes for W7: heap used (after GC) and RSS, before spawning and once every greenlet blocks. */
public final class Memory {
    private Memory() {}

    /** GCs per settle; each is followed by a short pause (a sleep of the caller's kind) of {@link #SETTLE_MS}. */
    public static final int SETTLE_GCS = 3;
    /** Pause after each GC, ms. */
    public static final long SETTLE_MS = 50;

    /** @return {@code totalMemory - freeMemory} now */
    public static long heapUsed() {
        Runtime r = Runtime.getRuntime();
        return r.totalMemory() - r.freeMemory();
    }

    /**
     * @return the process's resident set size, from {@code /proc/self/status} ({@code -1} if unreadable)
     */
    public static long rss() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    String[] f = line.trim().split("\\s+");
                    return Long.parseLong(f[1]) * 1024L;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /**
     * For callers on a plain (platform or virtual) thread: GC {@link #SETTLE_GCS} times with
     * {@code Thread.sleep} pauses.
     *
     * @throws InterruptedException if interrupted
     */
    public static void settleBlocking() throws InterruptedException {
        for (int i = 0; i < SETTLE_GCS; i++) {
            System.gc();
            Thread.sleep(SETTLE_MS);
        }
    }

    /**
     * The W7 metrics; keys as the peers' W7 lines, so {@code table.py} shows both rows.
     *
     * @param n greenlets blocked
     * @param heap0 heap used before spawning (after GC)
     * @param rss0 RSS before spawning
     * @param heap1 heap used with all blocked (after GC)
     * @param rss1 RSS with all blocked
     * @return {@code heap_bytes_per_greenlet}, {@code bytes_per_greenlet} (RSS), and the raw figures in MB
     */
    public static Map<String, Double> result(int n, long heap0, long rss0, long heap1, long rss1) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("heap_bytes_per_greenlet", (heap1 - heap0) / (double) n);
        m.put("bytes_per_greenlet", (rss1 - rss0) / (double) n);
        m.put("heap_before_mb", heap0 / 1048576.0);
        m.put("heap_blocked_mb", heap1 / 1048576.0);
        m.put("rss_before_mb", rss0 / 1048576.0);
        m.put("rss_blocked_mb", rss1 / 1048576.0);
        return m;
    }
}
