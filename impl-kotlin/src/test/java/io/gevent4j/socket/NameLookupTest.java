package io.gevent4j.socket;

import static io.gevent4j.socket.SocketTesting.listener;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gevent4j.Gevent;
import io.gevent4j.Greenlet;
import io.gevent4j.Timeout;
import io.gevent4j.testing.Foreign;
import io.gevent4j.testing.GeventTestBase;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * connect(host, port, timeout): the lookup runs off the hub. {@link ProbeResolverProvider} answers the test's
 * names and records the thread that looked each one up, so the tests see where the lookup ran.
 */
class NameLookupTest extends GeventTestBase {
    private static final AtomicInteger SEQ = new AtomicInteger();

    private static String name(String prefix) {
        return prefix + SEQ.incrementAndGet() + "-" + System.nanoTime() + ProbeResolverProvider.SUFFIX;
    }

    @Test
    @DisplayName(
            "the lookup runs on the hub's thread pool, not the hub thread, and the hub runs other greenlets while it waits")
    void lookupRunsOffTheHub() {
        String host = name("slow");
        CountDownLatch gate = new CountDownLatch(1);
        ProbeResolverProvider.GATES.put(host, gate);
        inGreenlet(() -> {
            try (GreenServerSocket l = listener()) {
                String hubThread = Thread.currentThread().isVirtual()
                        ? null
                        : Thread.currentThread().getName();
                Greenlet<GreenSocket> connecting =
                        hub.spawn(() -> GreenSocket.connect(host, l.port(), Duration.ofSeconds(10)));
                while (!ProbeResolverProvider.LOOKED_UP_ON.containsKey(host)) {
                    Gevent.sleep(0.001); // this greenlet runs while the other waits for the lookup
                }
                assertFalse(connecting.isReady());
                gate.countDown();
                try (GreenSocket c = connecting.get();
                        GreenSocket s = l.accept()) {
                    c.sendAll("hi".getBytes(StandardCharsets.US_ASCII));
                    assertArrayEquals("hi".getBytes(StandardCharsets.US_ASCII), s.recv(10));
                }
                String lookupThread = ProbeResolverProvider.LOOKED_UP_ON.get(host);
                assertTrue(
                        lookupThread != null && lookupThread.startsWith(hub.name() + "-threadpool-"),
                        "looked up on " + lookupThread + ", not on the hub's thread pool");
                assertNotEquals(hub.name(), lookupThread);
                if (hubThread != null) {
                    assertNotEquals(hubThread, lookupThread);
                }
            }
        });
    }

    @Test
    @DisplayName("an unknown name: UnknownHostException naming it, from a greenlet and a thread")
    void unknownHost() throws Exception {
        String h1 = name("nx");
        inGreenlet(() -> {
            UnknownHostException e =
                    assertThrows(UnknownHostException.class, () -> GreenSocket.connect(h1, 80, Duration.ofSeconds(5)));
            assertTrue(e.getMessage().contains(h1), e.getMessage());
        });
        String h2 = name("nx");
        Foreign.runAndWait("foreign-test-thread", () -> {
            UnknownHostException e = assertThrows(UnknownHostException.class, () -> GreenSocket.connect(h2, 80, null));
            assertTrue(e.getMessage().contains(h2), e.getMessage());
        });
    }

    @Test
    @DisplayName(
            "the timeout covers the lookup: a lookup that does not answer raises SocketTimeoutException; an outer Timeout lands in it")
    void timeoutCoversTheLookup() {
        String host = name("slow");
        CountDownLatch gate = new CountDownLatch(1);
        ProbeResolverProvider.GATES.put(host, gate);
        try {
            inGreenlet(() -> {
                long t0 = System.nanoTime();
                assertThrows(SocketTimeoutException.class, () -> GreenSocket.connect(host, 80, Duration.ofMillis(10)));
                assertWithin(GET_MIN, GET_MAX, since(t0));
                String other = name("slow");
                ProbeResolverProvider.GATES.put(other, gate);
                Timeout t = Timeout.startNew(Duration.ofMillis(1));
                try {
                    assertSame(
                            t,
                            assertThrows(Timeout.class, () -> GreenSocket.connect(other, 80, Duration.ofSeconds(5))));
                } finally {
                    t.cancel();
                }
            });
        } finally {
            gate.countDown();
        }
    }
}
