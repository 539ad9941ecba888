package io.gevent4j.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What every W8 / L8 implementation shares: the messages, the byte checks, the clock and CPU readings, the
 * result keys, and L8's one client (a blocking {@link Socket} on the calling platform thread, the same against
 * every server).
 *
 * <p>W8 keys: {@code roundtrips_per_s} (the main value: {@code clients x rounds / elapsed}, the clock running
 * from the "go" signal, all clients connected, to the end of the last client), {@code cpu_over_wall} (process
 * CPU time over wall time in that window: 1.0 is one core busy) and {@code elapsed_ms}. L8 keys:
 * {@code rt_mean_us} (the main value), {@code rt_p50_us}, {@code rt_p99_us}, {@code rt_min_us}, {@code rt_max_us}.
 */
public final class EchoLoad {
    private EchoLoad() {}

    /** Per-repetition limit for connecting and for the timed part, seconds ({@code BENCH_REP_TIMEOUT}, 120). */
    public static final int REP_TIMEOUT_S = Harness.envInt("BENCH_REP_TIMEOUT", 120);
    /** How long the clients may take to connect. */
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(60);
    /** The echo handlers read up to this many bytes at once (the peers' 4096). */
    public static final int SERVER_BUF = 4096;

    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    /** @return 127.0.0.1 (never a name lookup) */
    public static InetAddress loopback() {
        return InetAddress.getLoopbackAddress();
    }

    /** @return 127.0.0.1:{@code port} */
    public static InetSocketAddress loopback(int port) {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    }

    /**
     * @param client the client's index
     * @return the client's message: {@link Workload#W8_SIZE} bytes in a pattern of its own, so that a reply
     *     meant for another connection is noticed
     */
    public static byte[] message(int client) {
        byte[] m = new byte[Workload.W8_SIZE];
        for (int j = 0; j < m.length; j++) {
            m[j] = (byte) (client * 31 + j);
        }
        return m;
    }

    /**
     * Checks one echoed reply.
     *
     * @throws IllegalStateException naming the client and round when {@code got} differs from {@code sent}
     */
    public static void checkReply(int client, int round, byte[] sent, byte[] got) {
        if (!Arrays.equals(sent, got)) {
            throw new IllegalStateException(
                    "client " + client + " round " + round + ": the reply differs from the message");
        }
    }

    /**
     * Checks a byte count.
     *
     * @throws IllegalStateException naming {@code what} when {@code got != want}
     */
    public static void checkBytes(String what, long got, long want) {
        if (got != want) {
            throw new IllegalStateException(what + ": " + got + " bytes, expected " + want);
        }
    }

    /** @return the bytes W8's clients send (and the server echoes) in all */
    public static long w8Bytes(int clients) {
        return (long) clients * Workload.W8_ROUNDS * Workload.W8_SIZE;
    }

    /** @return the CPU time of this process so far, ns (all threads) */
    public static long processCpuNanos() {
        return OS.getProcessCpuTime();
    }

    /**
     * @param elapsedNanos the timed part, "go" to the end of the last client
     * @param cpuNanos process CPU time during it
     * @param clients clients that ran
     * @return the W8 metrics (see the class comment)
     */
    public static Map<String, Double> w8Result(long elapsedNanos, long cpuNanos, int clients) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("roundtrips_per_s", (double) clients * Workload.W8_ROUNDS / (elapsedNanos / 1e9));
        m.put("cpu_over_wall", cpuNanos / (double) elapsedNanos);
        m.put("elapsed_ms", elapsedNanos / 1e6);
        return m;
    }

    /** @return the number of open file descriptors of this process, or -1 where {@code /proc/self/fd} is missing */
    public static int openFds() {
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            return (int) s.count() - 1; // minus the directory stream's own descriptor
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * L8's client: connects to 127.0.0.1:{@code port} with a plain blocking socket on the calling (platform)
     * thread, makes {@link Workload#L8_ROUNDS} round trips of {@link Workload#W8_SIZE} bytes (write, then read
     * exactly as many back, checked), timing each, and closes.
     *
     * @param port the echo server's port
     * @return the L8 metrics (see the class comment)
     * @throws IOException on a socket error, a short read (EOF) or a read waiting {@link #REP_TIMEOUT_S}
     */
    public static Map<String, Double> latencyClient(int port) throws IOException {
        if (Thread.currentThread().isVirtual()) {
            throw new IllegalStateException("L8's client runs on a platform thread");
        }
        int rounds = Workload.L8_ROUNDS;
        byte[] msg = message(7);
        byte[] buf = new byte[msg.length];
        long[] rt = new long[rounds];
        long received = 0;
        try (Socket s = new Socket()) {
            s.connect(loopback(port), (int) CONNECT_TIMEOUT.toMillis());
            s.setTcpNoDelay(true);
            s.setSoTimeout(REP_TIMEOUT_S * 1000);
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            for (int r = 0; r < rounds; r++) {
                long t0 = System.nanoTime();
                out.write(msg);
                int n = in.readNBytes(buf, 0, buf.length);
                rt[r] = System.nanoTime() - t0;
                checkBytes("L8 round " + r, n, msg.length);
                checkReply(0, r, msg, buf);
                received += n;
            }
        }
        checkBytes("L8 client", received, (long) rounds * msg.length);
        return latencyResult(rt);
    }

    private static Map<String, Double> latencyResult(long[] rtNanos) {
        long[] s = rtNanos.clone();
        Arrays.sort(s);
        int n = s.length;
        double sum = 0;
        for (long v : s) {
            sum += v;
        }
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("rt_mean_us", sum / n / 1e3);
        m.put("rt_p50_us", s[n / 2] / 1e3);
        m.put("rt_p99_us", s[Math.min(n - 1, (int) (n * 0.99))] / 1e3);
        m.put("rt_min_us", s[0] / 1e3);
        m.put("rt_max_us", s[n - 1] / 1e3);
        return m;
    }
}
