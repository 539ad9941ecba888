package io.gevent4j.test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gevent4j.Gevent;
import io.gevent4j.socket.GreenServerSocket;
import io.gevent4j.socket.GreenSocket;
import io.gevent4j.subprocess.Popen;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Sockets and child processes are outside wake-up sources: while a greenlet waits on one, the virtual clock runs in
 * real time (without that, the idle hub would jump to the 10 s timeouts below before the peer could answer).
 */
class VirtualTimeIoSourcesTest {
    private static final long MS = 1_000_000L;

    @Test
    void aGreenletWaitingOnASocketKeepsTheClockInRealTime() throws Exception {
        VirtualTimeHub.runTest(h -> {
            try (GreenServerSocket server = GreenServerSocket.listen(new InetSocketAddress("127.0.0.1", 0))) {
                int port = server.port();
                Thread client = new Thread(() -> {
                    try {
                        Thread.sleep(50);
                        try (Socket s = new Socket("127.0.0.1", port)) {
                            s.getOutputStream().write('x');
                        }
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                client.start();
                GreenSocket accepted = server.accept(Duration.ofSeconds(10)); // a plain JDK client connects after 50 ms
                assertNotNull(accepted, "accepted before the 10 s timeout");
                try (accepted) {
                    assertEquals('x', accepted.getInputStream().read());
                }
                assertTrue(
                        h.elapsedNanos() < 10_000 * MS,
                        "the wait ran in real time, not to its timeout: " + h.elapsed());
                client.join();
            }
            Gevent.sleep(5); // nobody waits on a channel any more: virtual again
            assertFalse(h.isRunningInRealTime());
        });
    }

    @Test
    void aChildProcessStartedInTheHubKeepsTheClockInRealTime() throws Exception {
        VirtualTimeHub.runTest(h -> {
            Popen child = new Popen(List.of("sleep", "0.1"));
            assertEquals(0, child.waitFor(Duration.ofSeconds(10)));
            // (the clock stood still while the hub started the child: less than the child's 0.1 s may show)
            assertTrue(h.elapsedNanos() < 10_000 * MS, "the wait ran in real time, not to its timeout: " + h.elapsed());
            Gevent.sleep(5);
            assertFalse(h.isRunningInRealTime(), "virtual again once the exit was delivered");
        });
    }
}
