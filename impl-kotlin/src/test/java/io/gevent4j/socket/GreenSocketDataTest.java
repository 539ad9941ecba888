package io.gevent4j.socket;

import static io.gevent4j.socket.GreenSocketTest.*;
import static io.gevent4j.socket.SocketTesting.addressOf;
import static io.gevent4j.socket.SocketTesting.listener;
import static io.gevent4j.socket.SocketTesting.pair;
import static io.gevent4j.socket.SocketTesting.pattern;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gevent4j.Gevent;
import io.gevent4j.Greenlet;
import io.gevent4j.Hub;
import io.gevent4j.socket.SocketTesting.Pair;
import io.gevent4j.testing.GeventTestBase;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * GreenSocket: data integrity (patterns, large transfers, half-close) and the hub's behaviour around sockets.
 * Split from GreenSocketTest (cooperation, waits and their ends), whose header describes the suite.
 */
class GreenSocketDataTest extends GeventTestBase {

    // ---- data -------------------------------------------------------------------------------------------

    @Test
    @DisplayName("8 MiB each way at once through sendAll/recv, every byte checked (the send buffers fill)")
    void largeTransferBothWays() {
        int size = 8 << 20;
        inGreenlet(() -> {
            try (GreenServerSocket l = listener();
                    Pair p = pair(l)) {
                List<Greenlet<Long>> gs = List.of(
                        hub.spawn(() -> send(p.client(), 1, size)),
                        hub.spawn(() -> send(p.server(), 2, size)),
                        hub.spawn(() -> receive(p.server(), 1, size)),
                        hub.spawn(() -> receive(p.client(), 2, size)));
                for (Greenlet<Long> g : gs) {
                    assertEquals(size, (long) g.get());
                }
            }
        });
    }

    static long send(GreenSocket s, int seed, int size) throws IOException {
        byte[] chunk = new byte[100_000];
        long off = 0;
        while (off < size) {
            int n = (int) Math.min(chunk.length, size - off);
            for (int i = 0; i < n; i++) {
                chunk[i] = pattern(seed, off + i);
            }
            s.sendAll(ByteBuffer.wrap(chunk, 0, n));
            off += n;
        }
        return off;
    }

    static long receive(GreenSocket s, int seed, int size) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(70_000);
        long off = 0;
        while (off < size) {
            b.clear();
            int n = s.recv(b);
            assertTrue(n > 0, "early end of stream at " + off);
            for (int i = 0; i < n; i++) {
                if (b.get(i) != pattern(seed, off + i)) {
                    throw new AssertionError("byte " + (off + i) + " of stream " + seed + " is wrong");
                }
            }
            off += n;
        }
        return off;
    }

    @Test
    @DisplayName(
            "the streams: read/write in byte and array forms, -1 at end of stream, closing a stream closes the socket")
    void streams() {
        inGreenlet(() -> {
            try (GreenServerSocket l = listener();
                    Pair p = pair(l)) {
                OutputStream out = p.client().getOutputStream();
                assertSame(out, p.client().getOutputStream());
                InputStream in = p.server().getInputStream();
                assertSame(in, p.server().getInputStream());
                out.write('x');
                out.write(0xFF);
                out.write("hello".getBytes(StandardCharsets.US_ASCII));
                out.write("--world--".getBytes(StandardCharsets.US_ASCII), 2, 5);
                assertEquals('x', in.read());
                assertEquals(0xFF, in.read());
                byte[] b = new byte[10];
                int got = 0;
                while (got < 10) {
                    got += in.read(b, got, 10 - got);
                }
                assertEquals("helloworld", new String(b, StandardCharsets.US_ASCII));
                assertEquals(0, in.read(b, 0, 0));
                NullPointerException n = assertThrows(NullPointerException.class, () -> in.read(null, 0, 1));
                assertTrue(n.getMessage() != null && n.getMessage().contains("b"), String.valueOf(n.getMessage()));
                n = assertThrows(NullPointerException.class, () -> out.write(null, 0, 1));
                assertTrue(n.getMessage() != null && n.getMessage().contains("b"), String.valueOf(n.getMessage()));
                out.close();
                assertFalse(p.client().isOpen());
                assertEquals(-1, in.read());
                assertEquals(-1, in.read(b));
                in.close();
                assertFalse(p.server().isOpen());
                assertThrows(SocketException.class, () -> out.write(1));
            }
        });
    }

    @Test
    @DisplayName("shutdownOutput: the peer reads end of stream while the other direction still works")
    void shutdownOutputHalfCloses() {
        inGreenlet(() -> {
            try (GreenServerSocket l = listener();
                    Pair p = pair(l)) {
                p.client().sendAll(HELLO);
                p.client().shutdownOutput();
                assertArrayEquals(HELLO, p.server().recv(10));
                assertEquals(0, p.server().recv(10).length);
                p.server().sendAll("reply".getBytes(StandardCharsets.US_ASCII));
                assertArrayEquals(
                        "reply".getBytes(StandardCharsets.US_ASCII), p.client().recv(10));
                assertTrue(p.client().isOpen());
            }
        });
    }

    @Test
    @DisplayName(
            "a slow writer (a byte every 10 ms) to one greenlet while three pairs exchange messages: nobody waits for anybody")
    void slowWriterDoesNotHoldUpOthers() {
        inGreenlet(() -> {
            try (GreenServerSocket l = listener();
                    Pair slow = pair(l)) {
                int bytes = 20;
                AtomicInteger exchanged = new AtomicInteger();
                int[] exchangedAtByte = new int[bytes];
                Greenlet<Void> writer = hub.spawn(() -> {
                    for (int i = 0; i < bytes; i++) {
                        Gevent.sleep(0.01);
                        slow.client().sendAll(new byte[] {(byte) i});
                    }
                });
                Greenlet<Void> reader = hub.spawn(() -> {
                    for (int i = 0; i < bytes; i++) {
                        byte[] b = slow.server().recv(1);
                        assertArrayEquals(new byte[] {(byte) i}, b);
                        exchangedAtByte[i] = exchanged.get();
                    }
                });
                List<Greenlet<Integer>> pingers = new ArrayList<>();
                for (int k = 0; k < 3; k++) {
                    Pair q = pair(l);
                    hub.spawn(
                            () -> { // echo
                                try (q) {
                                    byte[] m;
                                    while ((m = q.server().recv(64)).length > 0) {
                                        q.server().sendAll(m);
                                    }
                                }
                            });
                    pingers.add(hub.spawn(() -> {
                        int n = 0;
                        while (!reader.isReady()) {
                            byte[] msg = ("m" + n).getBytes(StandardCharsets.US_ASCII);
                            q.client().sendAll(msg);
                            byte[] back = new byte[msg.length];
                            int got = 0;
                            while (got < msg.length) {
                                got += q.client().recvInto(back, got, msg.length - got);
                            }
                            assertArrayEquals(msg, back);
                            n++;
                            exchanged.incrementAndGet();
                        }
                        q.client().shutdownOutput();
                        return n;
                    }));
                }
                reader.get();
                writer.get();
                int total = 0;
                for (Greenlet<Integer> g : pingers) {
                    int n = g.get();
                    assertTrue(n > 0, "a pinger made no round trip while the slow stream lasted");
                    total += n;
                }
                assertEquals(total, exchanged.get());
                // between the slow stream's first and last byte the others kept exchanging (interleaved, not after)
                assertTrue(
                        exchangedAtByte[bytes - 1] > exchangedAtByte[0],
                        "round trips during the slow stream: " + (exchangedAtByte[bytes - 1] - exchangedAtByte[0]));
            }
        });
    }

    @Test
    @DisplayName("wrap() takes over a connected channel (made non-blocking); an unconnected one is refused naming it")
    void wrapAConnectedChannel() throws Exception {
        try (GreenServerSocket l = listener();
                java.nio.channels.SocketChannel plain = java.nio.channels.SocketChannel.open(addressOf(l))) {
            GreenSocket c = GreenSocket.wrap(plain);
            assertFalse(plain.isBlocking());
            assertSame(plain, c.channel());
            inGreenlet(() -> {
                try (GreenSocket s = l.accept()) {
                    c.setOption(StandardSocketOptions.TCP_NODELAY, true);
                    assertEquals(Boolean.TRUE, c.channel().getOption(StandardSocketOptions.TCP_NODELAY));
                    assertEquals(s.localAddress(), c.remoteAddress());
                    assertEquals(s.remoteAddress(), c.localAddress());
                    assertTrue(c.toString().contains(String.valueOf(l.port())), c.toString());
                    c.sendAll(HELLO);
                    assertArrayEquals(HELLO, s.recv(10));
                    s.sendAll(HELLO);
                    assertArrayEquals(HELLO, c.recv(10));
                }
            });
            c.close();
            assertFalse(plain.isOpen());
            assertEquals("<GreenSocket closed>", c.toString());
        }
        try (java.nio.channels.SocketChannel unconnected = java.nio.channels.SocketChannel.open()) {
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> GreenSocket.wrap(unconnected));
            assertTrue(e.getMessage().contains("connected"), e.getMessage());
            assertTrue(unconnected.isBlocking(), "a refused wrap changed nothing");
        }
    }

    // ---- hub behaviour ----------------------------------------------------------------------------------

    @Test
    @DisplayName("a busy hub (a greenlet looping on sleep(0)) still serves socket readiness")
    void busyHubServesReadiness() {
        inGreenlet(() -> {
            try (GreenServerSocket l = listener();
                    Pair p = pair(l)) {
                AtomicInteger spins = new AtomicInteger();
                Greenlet<Void> echo = hub.spawn(() -> {
                    byte[] m;
                    while ((m = p.server().recv(64)).length > 0) {
                        p.server().sendAll(m);
                    }
                });
                Greenlet<Void> spinner = hub.spawn(() -> {
                    while (!Thread.currentThread().isInterrupted()) {
                        Gevent.sleep();
                        spins.incrementAndGet();
                    }
                });
                Gevent.sleep();
                for (int i = 0; i < 100; i++) {
                    p.client().sendAll(HELLO);
                    assertArrayEquals(HELLO, p.client().recv(10));
                }
                assertTrue(spins.get() > 0);
                spinner.kill();
                p.client().shutdownOutput();
                echo.get();
            }
        });
    }

    @Test
    @DisplayName("timers keep their time while the hub sleeps in its selector: sleep(0.2) with a socket waiting")
    void timersWhileSelecting() {
        inGreenlet(() -> {
            try (GreenServerSocket l = listener();
                    Pair p = pair(l)) {
                Greenlet<byte[]> r = hub.spawn(() -> p.server().recv(10));
                Gevent.sleep();
                long t0 = System.nanoTime();
                Gevent.sleep(WAIT_TIMEOUT);
                assertWithin(WAIT_TIMEOUT, WAIT_MAX, since(t0));
                assertFalse(r.isReady());
                p.client().sendAll(HELLO);
                assertArrayEquals(HELLO, r.get());
            }
        });
    }

    @Test
    @DisplayName("a socket whose watching hub closed is watched by the next waiter's hub: it stays usable")
    void aSocketOutlivesTheHubThatWatchedIt() throws Exception {
        Hub shortLived = Hub.create("short-lived");
        Pair p;
        try (GreenServerSocket l = listener()) {
            p = shortLived
                    .spawn(() -> {
                        Pair made = pair(l);
                        made.client().setTimeout(GET_TIMEOUT);
                        assertThrows(
                                SocketTimeoutException.class,
                                () -> made.client().recv(5)); // the client binds here
                        made.client().setTimeout(null);
                        return made;
                    })
                    .get(Duration.ofSeconds(10));
        }
        shortLived.close();
        try (Pair q = p) {
            inGreenlet(() -> {
                q.server().sendAll(HELLO);
                assertArrayEquals(HELLO, q.client().recv(5)); // watched by this hub now
            });
        }
    }

    @Test
    @DisplayName(
            "after a read that emptied the socket, the next recv still returns data that came meanwhile, with a zero timeout too")
    void recvAfterADrainingReadSeesNewData() throws Exception {
        inGreenlet(() -> {
            try (GreenServerSocket l = listener();
                    Pair p = pair(l)) {
                p.client().sendAll(new byte[] {'a'});
                assertArrayEquals(new byte[] {'a'}, p.server().recv(10)); // room left: the kernel's buffer is empty
                p.client().sendAll(new byte[] {'b'}); // on loopback, in the peer's buffer when sendAll returns
                p.server().setTimeout(Duration.ZERO); // a poll: must read what is there, not wait for readiness first
                assertArrayEquals(new byte[] {'b'}, p.server().recv(10));
                p.server().setTimeout(null);
                p.client().sendAll(new byte[] {'c'});
                assertArrayEquals(new byte[] {'c'}, p.server().recv(10)); // waits for readiness first, then reads
            }
        });
    }
}
