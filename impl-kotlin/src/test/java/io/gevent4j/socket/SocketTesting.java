package io.gevent4j.socket;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gevent4j.GreenRunnable;
import io.gevent4j.Hub;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/** Helpers shared by the socket suites: loopback listeners, connected pairs, foreign threads, descriptor counts. */
final class SocketTesting {
    private SocketTesting() {}

    static final InetSocketAddress ANY_LOOPBACK = new InetSocketAddress("127.0.0.1", 0);

    /** A connected pair: {@code client} made by connect, {@code server} by accept. */
    record Pair(GreenSocket client, GreenSocket server) implements AutoCloseable {
        @Override
        public void close() {
            client.close();
            server.close();
        }
    }

    static GreenServerSocket listener() throws IOException {
        return GreenServerSocket.listen(ANY_LOOPBACK);
    }

    static InetSocketAddress addressOf(GreenServerSocket l) {
        return new InetSocketAddress("127.0.0.1", l.port());
    }

    /** Connects to {@code l} and accepts the connection (in a greenlet or on a thread of no hub). */
    static Pair pair(GreenServerSocket l) throws IOException {
        GreenSocket c = GreenSocket.connect(addressOf(l));
        GreenSocket s = l.accept();
        return new Pair(c, s);
    }

    /** Starts {@code body} on a new platform thread of no hub; its failure goes to {@code failure}. */
    static Thread startForeign(GreenRunnable body, AtomicReference<Throwable> failure) {
        return Thread.ofPlatform().name("foreign-test-thread").start(() -> {
            try {
                body.run();
            } catch (Throwable e) {
                failure.set(e);
            }
        });
    }

    /** A task through {@code hub}'s queue: everything queued before it (say, a close from outside) has run. */
    static void roundTrip(Hub hub) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        hub.asExecutor().execute(done::countDown);
        assertTrue(done.await(10, TimeUnit.SECONDS), "hub did not run a task in 10 s");
    }

    /** Open descriptors of this process (Linux). */
    static int openDescriptors() {
        String[] fds = new File("/proc/self/fd").list();
        return fds == null ? -1 : fds.length;
    }

    /** A byte of a reproducible pattern: stream {@code seed}, offset {@code i}. */
    static byte pattern(int seed, long i) {
        return (byte) (i * 31 + seed * 7 + (i >>> 8));
    }
}
