package io.gevent4j.socket;

import static io.gevent4j.socket.SocketTesting.addressOf;
import static io.gevent4j.socket.SocketTesting.listener;
import static io.gevent4j.socket.SocketTesting.openDescriptors;
import static io.gevent4j.socket.SocketTesting.pair;
import static io.gevent4j.socket.SocketTesting.roundTrip;
import static io.gevent4j.socket.SocketTesting.startForeign;
import static io.gevent4j.testing.Waiting.spinUntilWaiting;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gevent4j.Gevent;
import io.gevent4j.GreenRunnable;
import io.gevent4j.Greenlet;
import io.gevent4j.Hub;
import io.gevent4j.Timeout;
import io.gevent4j.socket.SocketTesting.Pair;
import io.gevent4j.testing.Foreign;
import io.gevent4j.testing.GeventTestBase;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * GreenSocket against API.md's I/O section: cooperation (several greenlets waiting while others run, foreign
 * threads, other hubs), the ends of a wait (per-call timeout, outer Timeout, kill, close from elsewhere), bad
 * input and faults, data integrity, and descriptors. Every test runs in both hub modes (surefire's two runs).
 * Data integrity and the hub's behaviour are in GreenSocketDataTest.
 */
class GreenSocketTest extends GeventTestBase {
    static final byte[] HELLO = "hello".getBytes(StandardCharsets.US_ASCII);

    // ---- cooperation ------------------------------------------------------------------------------------

    @Test
    @DisplayName("two greenlets wait in recv while a third runs; each wakes when its own data comes")
    void twoReadersWaitWhileAnotherRuns() {
        inGreenlet(() -> {
            try (GreenServerSocket l = listener();
                    Pair a = pair(l);
                    Pair b = pair(l)) {
                steps.expect(1);
                Greenlet<byte[]> ra = hub.spawn(() -> {
                    steps.expect(2);
                    byte[] got = a.server().recv(100);
                    steps.expect(7);
                    return got;
                });
                Greenlet<byte[]> rb = hub.spawn(() -> {
                    steps.expect(3);
                    byte[] got = b.server().recv(100);
                    steps.expect(5);
                    return got;
                });
                Gevent.sleep();
                steps.expect(4); // both wait in recv, this one runs
                b.client().sendAll("to-b".getBytes(StandardCharsets.US_ASCII));
                assertEquals("to-b", new String(rb.get(), StandardCharsets.US_ASCII));
                steps.expect(6);
                assertFalse(ra.isReady());
                a.client().sendAll("to-a".getBytes(StandardCharsets.US_ASCII));
                assertEquals("to-a", new String(ra.get(), StandardCharsets.US_ASCII));
                steps.finish(8);
            }
        });
        steps.assertFinished();
    }

    @Test
    @DisplayName("a platform thread of no hub blocks in recv on a socket the hub watches; the hub runs on")
    void foreignThreadBlocksOnlyItself() throws Exception {
        inGreenlet(() -> {
            try (GreenServerSocket l = listener();
                    Pair p = pair(l);
                    Pair other = pair(l)) {
                p.server().setTimeout(0.001);
                assertThrows(SocketTimeoutException.class, () -> p.server().recv(1)); // binds it to this hub
                p.server().setTimeout(null);
                AtomicReference<Throwable> failure = new AtomicReference<>();
                AtomicReference<byte[]> got = new AtomicReference<>();
                Thread t = startForeign(() -> got.set(p.server().recv(100)), failure);
                while (t.getState() != Thread.State.WAITING) {
                    assertTrue(t.isAlive(), "foreign reader ended early: " + failure.get());
                    Gevent.sleep(0.001);
                }
                // the foreign thread waits; this hub still serves greenlets and sockets
                for (int i = 0; i < 20; i++) {
                    other.client().sendAll(HELLO);
                    assertArrayEquals(HELLO, other.server().recv(100));
                }
                assertTrue(t.isAlive());
                p.client().sendAll(HELLO);
                while (t.isAlive()) {
                    Gevent.sleep(0.001);
                }
                assertNull(failure.get());
                assertArrayEquals(HELLO, got.get());
            }
        });
    }

    @Test
    @DisplayName("a socket watched by hub A serves a greenlet of hub B, both directions")
    void socketOfHubAUsedFromHubB() throws Exception {
        try (Hub b = Hub.create("hub-b")) {
            inGreenlet(() -> {
                try (GreenServerSocket l = listener();
                        Pair p = pair(l)) {
                    p.server().setTimeout(0.001);
                    assertThrows(SocketTimeoutException.class, () -> p.server().recv(1)); // watched by hub A
                    p.server().setTimeout(null);
                    Greenlet<byte[]> onB = b.spawn(() -> {
                        byte[] got = p.server().recv(100);
                        p.server().sendAll("from-b".getBytes(StandardCharsets.US_ASCII));
                        return got;
                    });
                    Gevent.sleep(0.01);
                    p.client().sendAll(HELLO);
                    assertArrayEquals(
                            "from-b".getBytes(StandardCharsets.US_ASCII),
                            p.client().recv(100));
                    assertArrayEquals(HELLO, onB.get(Duration.ofSeconds(10)));
                }
            });
        }
    }

    // ---- waits and their ends ---------------------------------------------------------------------------

    @Test
    @DisplayName(
            "per-call timeout: recv raises SocketTimeoutException within gevent's get-style bounds; the socket still works")
    void perCallTimeoutOnRecv() {
        inGreenlet(() -> {
            try (GreenServerSocket l = listener();
                    Pair p = pair(l)) {
                p.server().setTimeout(GET_TIMEOUT);
                assertEquals(Duration.ofMillis(10), p.server().getTimeout());
                long t0 = System.nanoTime();
                assertThrows(SocketTimeoutException.class, () -> p.server().recv(10));
                assertWithin(GET_MIN, GET_MAX, since(t0));
                assertTrue(p.server().isOpen());
                p.client().sendAll(HELLO);
                assertArrayEquals(HELLO, p.server().recv(10));
            }
        });
    }

    @Test
    @DisplayName("per-call timeout on a thread of no hub, for recv and for a send whose buffer is full")
    void perCallTimeoutForeignAndSend() throws Exception {
        Foreign.runAndWait("foreign-test-thread", () -> {
            try (GreenServerSocket l = listener();
                    Pair p = pair(l)) {
                p.server().setTimeout(Duration.ofMillis(10));
                long t0 = System.nanoTime();
                assertThrows(SocketTimeoutException.class, () -> p.server().recv(10));
                assertWithin(GET_MIN, GET_MAX, since(t0));
                p.client().setTimeout(GET_TIMEOUT);
                ByteBuffer big = ByteBuffer.allocateDirect(
                        64 << 20); // direct: a heap buffer is copied whole at each write (64 MB)
                t0 = System.nanoTime();
                SocketTimeoutException e = assertThrows(
                        SocketTimeoutException.class, () -> p.client().sendAll(big));
                assertWithin(GET_MIN, GET_MAX, since(t0));
                assertTrue(big.position() > 0 && big.hasRemaining(), "position tells what was sent: " + big);
                assertTrue(e.getMessage().contains(big.position() + " bytes sent"), e.getMessage());
                // after the timeout the socket is still usable: HELLO queues behind what was sent, and arrives whole
                // once
                // the peer reads (a reader drains the server side; no timeout on this send, the kernel decides when)
                long expected = big.position() + HELLO.length;
                java.util.concurrent.CompletableFuture<byte[]> tail =
                        java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                            try {
                                p.server().setTimeout(null);
                                byte[] last = new byte[HELLO.length];
                                long got = 0;
                                ByteBuffer b = ByteBuffer.allocate(1 << 16);
                                while (got < expected) {
                                    b.clear();
                                    int n = p.server().recv(b);
                                    if (n < 0) {
                                        throw new IllegalStateException(
                                                "end of stream after " + got + " of " + expected);
                                    }
                                    for (int i = 0; i < n; i++) {
                                        long at = got + i;
                                        if (at >= expected - HELLO.length) {
                                            last[(int) (at - (expected - HELLO.length))] = b.get(i);
                                        }
                                    }
                                    got += n;
                                }
                                return last;
                            } catch (IOException x) {
                                throw new java.io.UncheckedIOException(x);
                            }
                        });
                p.client().setTimeout(null);
                p.client().sendAll(HELLO);
                assertArrayEquals(HELLO, tail.get(30, java.util.concurrent.TimeUnit.SECONDS));
            }
        });
    }

    @Test
    @DisplayName("section 0 (a): an outer Timeout landing in recv raises that very Timeout; the socket stays open")
    void outerTimeoutLandsInRecv() {
        inGreenlet(() -> {
            try (GreenServerSocket l = listener();
                    Pair p = pair(l)) {
                p.server().setTimeout(1.0);
                Timeout t = Timeout.startNew(Duration.ofMillis(1));
                try {
                    Timeout caught =
                            assertThrows(Timeout.class, () -> p.server().recv(10));
                    assertSame(t, caught);
                } finally {
                    t.cancel();
                }
                assertTrue(p.server().isOpen());
                p.client().sendAll(HELLO);
                assertArrayEquals(HELLO, p.server().recv(10));
            }
        });
    }

    @Test
    @DisplayName(
            "section 0 (a): an outer Timeout landing in connect raises that Timeout (a backlog that is full keeps connect waiting)")
    void outerTimeoutLandsInConnect() {
        inGreenlet(() -> {
            try (GreenServerSocket l = GreenServerSocket.listen(SocketTesting.ANY_LOOPBACK, 1)) {
                List<GreenSocket> opened = new ArrayList<>();
                try {
                    // fill the accept queue: the kernel then drops the next handshake, so connect keeps waiting
                    boolean waiting = false;
                    for (int i = 0; i < 16 && !waiting; i++) {
                        try {
                            opened.add(GreenSocket.connect(addressOf(l), Duration.ofMillis(50)));
                        } catch (SocketTimeoutException e) {
                            waiting = true;
                        }
                    }
                    assertTrue(waiting, "the accept queue never filled");
                    Timeout t = Timeout.startNew(Duration.ofMillis(1));
                    try {
                        Timeout caught = assertThrows(
                                Timeout.class, () -> GreenSocket.connect(addressOf(l), Duration.ofSeconds(1)));
                        assertSame(t, caught);
                    } finally {
                        t.cancel();
                    }
                } finally {
                    opened.forEach(GreenSocket::close);
                }
            }
        });
    }

    @Test
    @DisplayName(
            "a kill landing in recv: the greenlet dies with GreenletExit, the socket stays open and a later recv works")
    void killLandsInRecv() {
        inGreenlet(() -> {
            try (GreenServerSocket l = listener();
                    Pair p = pair(l)) {
                AtomicReference<Throwable> seen = new AtomicReference<>();
                Greenlet<byte[]> g = hub.spawn(() -> {
                    steps.expect(2);
                    try {
                        return p.server().recv(10);
                    } catch (Throwable e) {
                        seen.set(e);
                        throw e;
                    }
                });
                steps.expect(1);
                Gevent.sleep();
                steps.expect(3);
                g.kill();
                assertTrue(g.isDead());
                assertInstanceOf(io.gevent4j.GreenletExit.class, seen.get());
                assertTrue(p.server().isOpen());
                p.client().sendAll(HELLO);
                assertArrayEquals(HELLO, p.server().recv(10));
                steps.finish(4);
            }
        });
        steps.assertFinished();
    }

    @Test
    @DisplayName(
            "close() in another greenlet fails a pending recv and a pending send (full buffer) with SocketException at once")
    void closeFromAnotherGreenletFailsRecvAndSend() {
        inGreenlet(() -> {
            try (GreenServerSocket l = listener();
                    Pair p = pair(l);
                    Pair q = pair(l)) {
                Greenlet<Throwable> reader = hub.spawn(() -> {
                    steps.expect(2);
                    return assertThrows(SocketException.class, () -> p.server().recv(10));
                });
                Greenlet<Throwable> writer = hub.spawn(() -> {
                    steps.expect(3);
                    return assertThrows(SocketException.class, () -> q.client().sendAll(new byte[64 << 20]));
                });
                steps.expect(1);
                Gevent.sleep();
                steps.expect(4);
                assertFalse(reader.isReady());
                assertFalse(writer.isReady());
                p.server().close();
                q.client().close();
                Gevent.sleep(); // both were woken by the closes: they run before this greenlet again
                assertTrue(reader.isReady() && writer.isReady());
                assertInstanceOf(SocketException.class, reader.get());
                assertInstanceOf(SocketException.class, writer.get());
                assertFalse(p.server().isOpen());
                steps.finish(5);
            }
        });
        steps.assertFinished();
    }

    @Test
    @DisplayName("close() on a platform thread fails a pending recv and a pending send with SocketException")
    void closeFromAnotherThreadFailsRecvAndSend() throws Exception {
        try (GreenServerSocket l = listener()) {
            Pair[] pairs = inGreenlet(() -> new Pair[] {pair(l), pair(l)});
            Pair p = pairs[0];
            Pair q = pairs[1];
            try {
                Greenlet<Throwable> reader = hub.spawn(() ->
                        assertThrows(SocketException.class, () -> p.server().recv(10)));
                Greenlet<Throwable> writer = hub.spawn(() ->
                        assertThrows(SocketException.class, () -> q.client().sendAll(new byte[64 << 20])));
                // both are parked in their waits once a task queued after them has run and they are not done
                roundTrip(hub);
                roundTrip(hub);
                assertFalse(reader.isReady());
                assertFalse(writer.isReady());
                p.server().close();
                q.client().close();
                assertInstanceOf(SocketException.class, reader.get(Duration.ofSeconds(5)));
                assertInstanceOf(SocketException.class, writer.get(Duration.ofSeconds(5)));
            } finally {
                p.close();
                q.close();
            }
        }
    }

    @Test
    @DisplayName(
            "recv and send on a closed socket raise SocketException, even with data buffered, from a greenlet and a thread")
    void recvAndSendOnClosedSocket() throws Exception {
        inGreenlet(() -> {
            try (GreenServerSocket l = listener();
                    Pair p = pair(l)) {
                p.client().sendAll(HELLO);
                p.server().close();
                p.server().close(); // idempotent
                assertThrows(SocketException.class, () -> p.server().recv(10));
                assertThrows(SocketException.class, () -> p.server().sendAll(HELLO));
                assertThrows(SocketException.class, () -> p.server().send(ByteBuffer.wrap(HELLO)));
                assertThrows(
                        SocketException.class, () -> p.server().getInputStream().read());
            }
        });
    }

    @Test
    @DisplayName(
            "a socket closed from outside its hub's context refuses recv and send at once, before the hub got to release it")
    void closedFromOutsideRefusesAtOnce() throws Exception {
        try (GreenServerSocket l = listener()) {
            Pair p = inGreenlet(() -> {
                Pair q = pair(l);
                q.server().setTimeout(0.001);
                assertThrows(SocketTimeoutException.class, () -> q.server().recv(1)); // watched by the test hub
                q.client().sendAll(HELLO); // buffered, unread
                return q;
            });
            // the hub is held by a greenlet, so the release of the descriptor must wait for it
            java.util.concurrent.atomic.AtomicBoolean hold = new java.util.concurrent.atomic.AtomicBoolean(true);
            java.util.concurrent.CountDownLatch held = new java.util.concurrent.CountDownLatch(1);
            Greenlet<Void> holder = hub.spawn(() -> {
                held.countDown();
                while (hold.get()) {
                    Thread.onSpinWait();
                }
            });
            try {
                held.await();
                p.server().close();
                assertFalse(p.server().isOpen());
                assertThrows(SocketException.class, () -> p.server().recv(10));
                assertThrows(SocketException.class, () -> p.server().recv(ByteBuffer.allocate(10)));
                assertThrows(SocketException.class, () -> p.server().sendAll(HELLO));
                assertThrows(SocketException.class, () -> p.server().send(ByteBuffer.wrap(HELLO)));
            } finally {
                hold.set(false);
            }
            holder.get(Duration.ofSeconds(10));
            p.close();
        }
    }

    @Test
    @DisplayName("a peer that closes mid-read: recv returns what came, then end of stream (empty / -1)")
    @SuppressWarnings("try") // the peer is closed inside its try on purpose
    void peerClosesMidRead() throws Exception {
        try (GreenServerSocket l = listener();
                Socket plain = new Socket(InetAddress.getLoopbackAddress(), l.port())) {
            GreenSocket s = inGreenlet(() -> l.accept());
            Greenlet<List<byte[]>> reader = hub.spawn(() -> {
                List<byte[]> parts = new ArrayList<>();
                while (true) {
                    byte[] b = s.recv(100);
                    parts.add(b);
                    if (b.length == 0) {
                        return parts;
                    }
                }
            });
            plain.getOutputStream().write("abc".getBytes(StandardCharsets.US_ASCII));
            plain.close();
            List<byte[]> parts = reader.get(Duration.ofSeconds(10));
            StringBuilder all = new StringBuilder();
            for (byte[] b : parts) {
                all.append(new String(b, StandardCharsets.US_ASCII));
            }
            assertEquals("abc", all.toString());
            assertEquals(0, parts.get(parts.size() - 1).length);
            assertEquals(-1, (int) inGreenlet(() -> s.recv(ByteBuffer.allocate(4))));
            assertEquals(-1, (int) inGreenlet(() -> s.recvInto(new byte[4], 0, 4)));
            s.close();
        }
    }

    @Test
    @DisplayName("a peer that resets (SO_LINGER 0) while a greenlet waits in recv: IOException, not a hang")
    @SuppressWarnings("try") // the peer is closed inside its try on purpose
    void peerResetsMidRead() throws Exception {
        try (GreenServerSocket l = listener();
                Socket plain = new Socket(InetAddress.getLoopbackAddress(), l.port())) {
            GreenSocket s = inGreenlet(() -> l.accept());
            Greenlet<Throwable> reader = hub.spawn(() -> {
                assertArrayEquals(HELLO, s.recv(5));
                return assertThrows(IOException.class, () -> s.recv(100));
            });
            plain.getOutputStream().write(HELLO);
            roundTrip(hub);
            plain.setSoLinger(true, 0);
            plain.close();
            Throwable e = reader.get(Duration.ofSeconds(10));
            assertFalse(e instanceof SocketTimeoutException, e.toString());
            assertTrue(s.isOpen(), "a reset does not close our side");
            s.close();
        }
    }

    @Test
    @DisplayName("bad arguments are refused at the call, naming the argument and the value")
    void badArgumentsNamed() {
        inGreenlet(() -> {
            try (GreenServerSocket l = listener();
                    Pair p = pair(l)) {
                GreenSocket s = p.server();
                IllegalArgumentException e =
                        assertThrows(IllegalArgumentException.class, () -> s.setTimeout(Duration.ofSeconds(-1)));
                assertTrue(e.getMessage().contains("perCall") && e.getMessage().contains("PT-1S"), e.getMessage());
                e = assertThrows(IllegalArgumentException.class, () -> s.setTimeout(-0.5));
                assertTrue(e.getMessage().contains("seconds") && e.getMessage().contains("-0.5"), e.getMessage());
                assertNull(s.getTimeout(), "a refused setTimeout changed nothing");
                e = assertThrows(IllegalArgumentException.class, () -> s.recv(0));
                assertTrue(e.getMessage().contains("max") && e.getMessage().contains("0"), e.getMessage());
                e = assertThrows(IllegalArgumentException.class, () -> s.recv(-1));
                assertTrue(e.getMessage().contains("max") && e.getMessage().contains("-1"), e.getMessage());
                NullPointerException n = assertThrows(NullPointerException.class, () -> s.recv((ByteBuffer) null));
                assertTrue(n.getMessage().contains("into"), n.getMessage());
                n = assertThrows(NullPointerException.class, () -> s.sendAll((byte[]) null));
                assertTrue(n.getMessage().contains("data"), n.getMessage());
                n = assertThrows(NullPointerException.class, () -> s.sendAll((ByteBuffer) null));
                assertTrue(n.getMessage().contains("from"), n.getMessage());
                n = assertThrows(NullPointerException.class, () -> s.send(null));
                assertTrue(n.getMessage().contains("from"), n.getMessage());
                n = assertThrows(NullPointerException.class, () -> s.recvInto(null, 0, 1));
                assertTrue(n.getMessage().contains("buf"), n.getMessage());
                assertThrows(IndexOutOfBoundsException.class, () -> s.recvInto(new byte[4], 2, 3));
                n = assertThrows(NullPointerException.class, () -> GreenSocket.connect((InetSocketAddress) null));
                assertTrue(n.getMessage().contains("address"), n.getMessage());
                n = assertThrows(NullPointerException.class, () -> GreenSocket.connect(null, 80, null));
                assertTrue(n.getMessage().contains("host"), n.getMessage());
                e = assertThrows(
                        IllegalArgumentException.class, () -> GreenSocket.connect(addressOf(l), Duration.ofMillis(-5)));
                assertTrue(e.getMessage().contains("timeout") && e.getMessage().contains("PT-0.005S"), e.getMessage());
                e = assertThrows(IllegalArgumentException.class, () -> GreenSocket.connect(addressOf(l), -1.0));
                assertTrue(e.getMessage().contains("timeoutSeconds"), e.getMessage());
                e = assertThrows(IllegalArgumentException.class, () -> GreenSocket.connect("localhost", 70000, null));
                assertTrue(e.getMessage().contains("port") && e.getMessage().contains("70000"), e.getMessage());
                e = assertThrows(
                        IllegalArgumentException.class,
                        () -> GreenSocket.connect(InetSocketAddress.createUnresolved("localhost", l.port())));
                assertTrue(e.getMessage().contains("address") && e.getMessage().contains("localhost"), e.getMessage());
                n = assertThrows(NullPointerException.class, () -> GreenSocket.wrap(null));
                assertTrue(n.getMessage().contains("connected"), n.getMessage());
                n = assertThrows(NullPointerException.class, () -> s.setOption(null, 1));
                assertTrue(n.getMessage().contains("name"), n.getMessage());
                // nothing was disturbed
                p.client().sendAll(HELLO);
                assertArrayEquals(HELLO, s.recv(10));
            }
        });
    }

    @Test
    @DisplayName("connect to a closed port: ConnectException naming the address, from a greenlet and from a thread")
    void connectRefusedNamesTheAddress() throws Exception {
        InetSocketAddress closed;
        try (GreenServerSocket l = listener()) {
            closed = addressOf(l);
        }
        GreenRunnable inGreenlet = () -> {
            ConnectException e = assertThrows(ConnectException.class, () -> GreenSocket.connect(closed));
            assertTrue(e.getMessage().contains(closed.toString()), e.getMessage());
        };
        GreenRunnable onThread = () -> {
            ConnectException e =
                    assertThrows(ConnectException.class, () -> GreenSocket.connect(closed, Duration.ofSeconds(5)));
            assertTrue(e.getMessage().contains(closed.toString()), e.getMessage());
        };
        inGreenlet(inGreenlet); // warm up: each hub's selector is made by its first wait
        Foreign.runAndWait("foreign-test-thread", onThread);
        roundTrip(Hub.getDefault());
        int before = openDescriptors();
        for (int i = 0; i < 20; i++) {
            inGreenlet(inGreenlet);
            Foreign.runAndWait("foreign-test-thread", onThread);
        }
        roundTrip(Hub.getDefault()); // the closes from the thread complete in the default hub's next iteration
        assertEquals(before, openDescriptors(), "a refused connect leaves no descriptor");
    }

    @Test
    @DisplayName(
            "connect(\"localhost\", port, timeout) looks the name up and connects (localhost may name ::1 first: refused, then 127.0.0.1)")
    void connectByHostName() throws Exception {
        inGreenlet(() -> {
            try (GreenServerSocket l = listener();
                    GreenSocket c = GreenSocket.connect("localhost", l.port(), Duration.ofSeconds(5));
                    GreenSocket s = l.accept()) {
                c.sendAll(HELLO);
                assertArrayEquals(HELLO, s.recv(10));
                assertEquals(l.port(), c.remoteAddress().getPort());
            }
        });
        Foreign.runAndWait("foreign-test-thread", () -> {
            try (GreenServerSocket l = listener();
                    GreenSocket c = GreenSocket.connect("127.0.0.1", l.port(), null);
                    GreenSocket s = l.accept()) {
                s.sendAll(HELLO);
                assertArrayEquals(HELLO, c.recv(10));
            }
        });
    }

    @Test
    @DisplayName(
            "a hub closed while a platform thread waits on one of its sockets: the wait fails with SocketException")
    void hubClosedUnderAForeignWaiter() throws Exception {
        Hub other = Hub.create("closing-hub");
        try (GreenServerSocket l = listener()) {
            Pair p = other.spawn(() -> {
                        Pair q = pair(l);
                        q.server().setTimeout(0.001);
                        assertThrows(
                                SocketTimeoutException.class, () -> q.server().recv(1)); // watched by `other`
                        q.server().setTimeout(null);
                        return q;
                    })
                    .get(Duration.ofSeconds(10));
            try {
                AtomicReference<Throwable> failure = new AtomicReference<>();
                Thread t = startForeign(() -> p.server().recv(10), failure);
                spinUntilWaiting(t);
                other.close();
                t.join(10_000);
                assertFalse(t.isAlive(), "the foreign waiter hangs after its hub closed");
                assertInstanceOf(SocketException.class, failure.get());
            } finally {
                p.close();
            }
        } finally {
            other.close();
        }
    }

    @Test
    @DisplayName("the first socket wait of a hub that is closing (in the finally of the kill) waits like any other")
    void firstSocketWaitWhileTheHubCloses() throws Exception {
        Hub closing = Hub.create("closing-hub");
        try (GreenServerSocket l = listener()) {
            Pair q = inGreenlet(() -> pair(l)); // the accepted socket has not waited: no hub watches it yet
            try {
                AtomicReference<Throwable> inFinally = new AtomicReference<>();
                java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);
                closing.spawn(() -> {
                    try {
                        started.countDown();
                        Gevent.sleep(10);
                    } finally {
                        q.server().setTimeout(0.05);
                        try {
                            q.server().recv(10); // nothing comes: the per-call timeout ends it
                        } catch (Throwable e) {
                            inFinally.set(e);
                        }
                    }
                });
                started.await();
                closing.close();
                assertInstanceOf(SocketTimeoutException.class, inFinally.get());
            } finally {
                q.close();
            }
        } finally {
            closing.close();
        }
    }

    @Test
    @DisplayName(
            "500 sockets opened, used and closed leave no descriptor behind (closed in the hub and from outside it)")
    void manySocketsLeaveNoDescriptor() throws Exception {
        try (GreenServerSocket l = listener()) {
            inGreenlet(
                    () -> { // warm up: classes, the hub's selector
                        try (Pair p = pair(l)) {
                            p.client().sendAll(HELLO);
                            p.server().recv(10);
                        }
                    });
            int before = openDescriptors();
            inGreenlet(() -> {
                for (int i = 0; i < 500; i++) {
                    try (Pair p = pair(l)) {
                        p.client().sendAll(HELLO);
                        assertArrayEquals(HELLO, p.server().recv(10));
                    }
                }
            });
            assertEquals(before, openDescriptors(), "closed in the hub's context");
            List<Pair> outside = inGreenlet(() -> {
                List<Pair> ps = new ArrayList<>();
                for (int i = 0; i < 100; i++) {
                    Pair p = pair(l);
                    p.client().sendAll(HELLO);
                    assertArrayEquals(HELLO, p.server().recv(10)); // watched by the hub now
                    ps.add(p);
                }
                return ps;
            });
            assertTrue(openDescriptors() >= before + 200);
            outside.forEach(Pair::close); // from the test thread: completes in the hub's next iteration
            roundTrip(hub);
            assertEquals(before, openDescriptors(), "closed from outside the hub, after one round trip through it");
        }
    }
}
