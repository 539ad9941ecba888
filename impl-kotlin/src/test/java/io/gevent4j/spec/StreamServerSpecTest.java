package io.gevent4j.spec;

/*
 * Spec section 11 (gevent-semantics.md): StreamServer (SRV-01..SRV-14), with the server started from the scenario
 * greenlet on the test hub (so its acceptor and handlers run there) and clients that are GreenSockets in greenlets
 * of the same hub, on 127.0.0.1.
 *
 * Skipped cases, with reasons:
 *   SRV-06  spawn=gevent.spawn_raw and spawn=None: the Java API takes a Group (or nothing, or a pool size) as its
 *           spawn argument, never a function. spawn_raw has no Java form (every greenlet is a Greenlet); spawn=None,
 *           a handler run on the hub itself, has none either: a handler there could not wait at all, so every
 *           handler runs in a greenlet of its own.
 *   SRV-12 (first half) a handler of the wrong arity: a compile-time error in Java (Handler is a functional
 *           interface). The "error in the spawn function" half has no user-supplied spawn function; a failure to
 *           start a handler (every hub of the server closed) is tested in StreamServerFaultTest.
 */

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gevent4j.Gevent;
import io.gevent4j.Greenlet;
import io.gevent4j.GreenletExit;
import io.gevent4j.event.Event;
import io.gevent4j.pool.Pool;
import io.gevent4j.server.StreamServer;
import io.gevent4j.socket.GreenServerSocket;
import io.gevent4j.socket.GreenSocket;
import io.gevent4j.testing.GeventTestBase;
import io.gevent4j.testing.LogCapture;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class StreamServerSpecTest extends GeventTestBase {
    static final InetSocketAddress ANY_PORT = new InetSocketAddress("127.0.0.1", 0);

    static InetSocketAddress at(StreamServer s) {
        return new InetSocketAddress("127.0.0.1", s.serverPort());
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Reads until the end of the stream. */
    static String readAll(GreenSocket c) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (true) {
            byte[] b = c.recv(4096);
            if (b.length == 0) {
                return out.toString(StandardCharsets.UTF_8);
            }
            out.write(b, 0, b.length);
        }
    }

    /** Connects, sends {@code msg}, reads the reply until the server closes. */
    static String request(StreamServer s, String msg) throws IOException {
        try (GreenSocket c = GreenSocket.connect(at(s))) {
            c.sendAll(bytes(msg));
            return readAll(c);
        }
    }

    /** Echoes what the client sends until it shuts its output. */
    static final StreamServer.Handler ECHO = (socket, address) -> {
        while (true) {
            byte[] b = socket.recv(4096);
            if (b.length == 0) {
                return;
            }
            socket.sendAll(b);
        }
    };

    /** Replies "ok:" + the first chunk received, then returns. */
    static final StreamServer.Handler REPLY = (socket, address) -> {
        byte[] b = socket.recv(4096);
        socket.sendAll(bytes("ok:" + new String(b, StandardCharsets.UTF_8)));
    };

    /** A port that was free a moment ago. */
    static int freePort() throws IOException {
        try (ServerSocketChannel ch = ServerSocketChannel.open()) {
            ch.bind(ANY_PORT);
            return ((InetSocketAddress) ch.getLocalAddress()).getPort();
        }
    }

    /** Asserts that a request is not served: the connection is accepted by the kernel, no reply comes in 10 ms. */
    static void assertNotServed(GreenSocket c) throws IOException {
        c.setTimeout(Duration.ofMillis(10));
        long t0 = System.nanoTime();
        assertThrows(SocketTimeoutException.class, () -> c.recv(10));
        assertWithin(GET_MIN, GET_MAX, since(t0));
        c.setTimeout((Duration) null);
    }

    @Test
    @DisplayName("SRV-01: before start() the server is not started and connecting is refused")
    void srv01_notStartedRefusesConnections() {
        inGreenlet(() -> {
            int port = freePort();
            StreamServer s = new StreamServer(new InetSocketAddress("127.0.0.1", port), REPLY);
            assertFalse(s.isStarted());
            assertTrue(s.isClosed(), "nothing is bound before start (gevent's closed)");
            assertEquals(port, s.serverPort());
            assertThrows(ConnectException.class, () -> GreenSocket.connect(new InetSocketAddress("127.0.0.1", port)));
            s.start();
            assertTrue(s.isStarted());
            assertFalse(s.isClosed());
            assertEquals("ok:a", request(s, "a"));
            s.stop();
        });
    }

    @Test
    @DisplayName("SRV-02: from a listening socket, not started: the kernel accepts, no handler runs, a read times out")
    void srv02_listenerNotStartedQueuesButDoesNotServe() {
        inGreenlet(() -> {
            AtomicInteger handled = new AtomicInteger();
            GreenServerSocket l = GreenServerSocket.listen(ANY_PORT);
            StreamServer s = new StreamServer(l, (socket, address) -> {
                handled.incrementAndGet();
                REPLY.handle(socket, address);
            });
            assertFalse(s.isStarted());
            assertFalse(s.isClosed(), "the listener is open");
            assertEquals(l.port(), s.serverPort());
            try (GreenSocket c = GreenSocket.connect(at(s))) {
                c.sendAll(bytes("q"));
                assertNotServed(c);
                assertEquals(0, handled.get());
                s.start(); // the queued connection is served now
                assertEquals("ok:q", readAll(c));
            }
            assertEquals(1, handled.get());
            s.stop();
            assertFalse(l.isOpen(), "stop() closes the server's listener");
        });
    }

    @Test
    @DisplayName(
            "SRV-03: start(): started, port > 0; 5 concurrent clients of a 0.05 s handler take ~0.05 s, each in its own Greenlet")
    void srv03_concurrentClientsEachInItsOwnGreenlet() {
        inGreenlet(() -> {
            List<Greenlet<?>> handlers = Collections.synchronizedList(new ArrayList<>());
            AtomicInteger inside = new AtomicInteger();
            AtomicInteger insideAtFirstExit = new AtomicInteger(-1);
            StreamServer s = new StreamServer(ANY_PORT, (socket, address) -> {
                        handlers.add(Gevent.getcurrent());
                        inside.incrementAndGet();
                        Gevent.sleep(0.05);
                        insideAtFirstExit.compareAndSet(-1, inside.get());
                        REPLY.handle(socket, address);
                    })
                    .start();
            assertTrue(s.isStarted());
            assertTrue(s.serverPort() > 0);
            assertEquals("ok:w", request(s, "w")); // warm-up: the first connection pays for class loading
            handlers.clear();
            insideAtFirstExit.set(-1);
            inside.set(0);
            long t0 = System.nanoTime();
            List<Greenlet<String>> clients = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                String msg = "c" + i;
                clients.add(Gevent.spawn(() -> request(s, msg)));
            }
            Gevent.joinAll(clients);
            double elapsed = since(t0);
            for (int i = 0; i < 5; i++) {
                assertEquals("ok:c" + i, clients.get(i).get());
            }
            assertEquals(5, insideAtFirstExit.get(), "all five handlers ran at once");
            assertWithin(0.05, 0.05 + GET_MAX, elapsed);
            assertEquals(5, handlers.size());
            assertEquals(5, handlers.stream().distinct().count(), "one greenlet per connection");
            for (Greenlet<?> g : handlers) {
                assertNotNull(g);
                assertSame(hub, g.hub());
            }
            s.stop();
        });
    }

    @Test
    @DisplayName("SRV-04: when the handler returns, the server closes the client socket")
    void srv04_socketClosedWhenHandlerReturns() {
        inGreenlet(() -> {
            AtomicReference<GreenSocket> seen = new AtomicReference<>();
            Event returned = new Event();
            StreamServer s = new StreamServer(ANY_PORT, (socket, address) -> {
                        seen.set(socket);
                        socket.sendAll(bytes("hi"));
                        returned.set(); // returns without closing
                    })
                    .start();
            try (GreenSocket c = GreenSocket.connect(at(s))) {
                assertEquals("hi", readAll(c), "the client sees the end of the stream");
            }
            assertTrue(returned.isSet());
            assertFalse(seen.get().isOpen(), "the handler's socket is closed");
            s.stop();
        });
    }

    @Test
    @DisplayName(
            "SRV-05: spawn=1 makes a Pool(1); 3 clients of a 0.05 s handler are served one after another (~0.15 s)")
    void srv05_poolOfOneServesOneAtATime() {
        inGreenlet(() -> {
            List<String> events = Collections.synchronizedList(new ArrayList<>());
            StreamServer s = new StreamServer(
                            ANY_PORT,
                            (socket, address) -> {
                                byte[] b = socket.recv(10);
                                String id = new String(b, StandardCharsets.UTF_8);
                                events.add("in " + id);
                                Gevent.sleep(0.05);
                                events.add("out " + id);
                                socket.sendAll(b);
                            },
                            1)
                    .start();
            Pool pool = assertInstanceOf(Pool.class, s.pool());
            assertEquals(1, pool.poolSize());
            assertEquals("w", request(s, "w")); // warm-up: the first connection pays for class loading
            events.clear();
            long t0 = System.nanoTime();
            List<Greenlet<String>> clients = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                String id = "" + i;
                clients.add(Gevent.spawn(() -> request(s, id)));
            }
            Gevent.joinAll(clients);
            double elapsed = since(t0);
            for (int i = 0; i < 3; i++) {
                assertEquals("" + i, clients.get(i).get());
            }
            assertEquals(6, events.size());
            for (int i = 0; i < 6; i += 2) { // in x, out x, in y, out y, ...: never two at once
                String id = events.get(i).substring(3);
                assertEquals("in " + id, events.get(i));
                assertEquals("out " + id, events.get(i + 1));
            }
            assertWithin(0.15, 0.15 + GET_MAX, elapsed);
            s.stop();
        });
    }

    @Test
    @DisplayName(
            "SRV-05: spawn=2 full: the server stops accepting (a third request times out), and serves again once a slot frees")
    void srv05_fullPoolStopsAcceptingUntilASlotFrees() {
        inGreenlet(() -> {
            Event release = new Event();
            AtomicInteger entered = new AtomicInteger();
            Pool pool = new Pool(2);
            StreamServer s = new StreamServer(
                            ANY_PORT,
                            (socket, address) -> {
                                entered.incrementAndGet();
                                byte[] b = socket.recv(10);
                                if (b[0] == 'L') {
                                    release.waitFor();
                                }
                                socket.sendAll(bytes("ok:" + new String(b, StandardCharsets.UTF_8)));
                            },
                            pool)
                    .start();
            GreenSocket long1 = GreenSocket.connect(at(s));
            GreenSocket long2 = GreenSocket.connect(at(s));
            long1.sendAll(bytes("L1"));
            long2.sendAll(bytes("L2"));
            while (entered.get() < 2) {
                Gevent.sleep(0.001);
            }
            assertTrue(pool.isFull());
            try (GreenSocket third = GreenSocket.connect(at(s))) { // the kernel accepts it
                third.sendAll(bytes("S"));
                assertNotServed(third);
                assertNotServed(third);
                assertEquals(2, entered.get(), "the third connection was not accepted");
                release.set(); // both long requests end, their slots free
                assertEquals("ok:L1", readAll(long1));
                assertEquals("ok:L2", readAll(long2));
                assertEquals("ok:S", readAll(third));
            }
            assertEquals("ok:T", request(s, "T"));
            long1.close();
            long2.close();
            s.stop();
        });
    }

    @Test
    @DisplayName("SRV-07: stop() closes the listener: not started, closed, later connects refused")
    void srv07_stopClosesTheListener() {
        inGreenlet(() -> {
            StreamServer s = new StreamServer(ANY_PORT, REPLY).start();
            InetSocketAddress where = at(s);
            assertEquals("ok:x", request(s, "x"));
            s.stop();
            assertFalse(s.isStarted());
            assertTrue(s.isClosed());
            assertEquals(where.getPort(), s.serverPort(), "the port is still reported after stop");
            assertThrows(ConnectException.class, () -> GreenSocket.connect(where));
        });
    }

    @Test
    @DisplayName(
            "SRV-08: with a pool, stop(timeout) waits for the handlers up to timeout, then kills them with GreenletExit")
    void srv08_stopWithPoolWaitsThenKills() {
        inGreenlet(() -> {
            AtomicReference<Throwable> handlerGot = new AtomicReference<>();
            Event entered = new Event();
            StreamServer s = new StreamServer(
                            ANY_PORT,
                            (socket, address) -> {
                                entered.set();
                                try {
                                    Gevent.sleep(5);
                                } catch (GreenletExit e) {
                                    handlerGot.set(e);
                                    throw e;
                                }
                            },
                            10)
                    .start();
            GreenSocket c = GreenSocket.connect(at(s));
            assertTrue(entered.waitFor(Duration.ofSeconds(5)));
            long t0 = System.nanoTime();
            s.stop(Duration.ofMillis((long) (WAIT_TIMEOUT * 1000)));
            assertWithin(WAIT_MIN, WAIT_MAX, since(t0));
            assertInstanceOf(GreenletExit.class, handlerGot.get());
            assertTrue(s.pool().isEmpty());
            assertEquals("", readAll(c), "the killed handler's socket is closed");
            c.close();
        });
    }

    @Test
    @DisplayName("SRV-08: the default stop timeout is 1 s")
    void srv08_defaultStopTimeoutIsOneSecond() {
        inGreenlet(() -> {
            Event entered = new Event();
            StreamServer s = new StreamServer(
                            ANY_PORT,
                            (socket, address) -> {
                                entered.set();
                                Gevent.sleep(5);
                            },
                            10)
                    .start();
            GreenSocket c = GreenSocket.connect(at(s));
            assertTrue(entered.waitFor(Duration.ofSeconds(5)));
            long t0 = System.nanoTime();
            s.stop();
            assertWithin(1.0 - (WAIT_TIMEOUT - WAIT_MIN), 1.0 + (WAIT_MAX - WAIT_TIMEOUT), since(t0));
            assertTrue(s.pool().isEmpty());
            c.close();
        });
    }

    @Test
    @DisplayName("SRV-09: without a pool, stop() returns at once and the handler runs to completion")
    void srv09_stopWithoutPoolLetsHandlersRun() {
        inGreenlet(() -> {
            Event entered = new Event();
            StreamServer s = new StreamServer(ANY_PORT, (socket, address) -> {
                        entered.set();
                        Gevent.sleep(0.1);
                        steps.expect(2);
                        socket.sendAll(bytes("late"));
                    })
                    .start();
            assertNull(s.pool());
            try (GreenSocket c = GreenSocket.connect(at(s))) {
                assertTrue(entered.waitFor(Duration.ofSeconds(5)));
                long t0 = System.nanoTime();
                s.stop();
                assertTrue(since(t0) < AT_ONCE_MAX, "stop() returned at once");
                steps.expect(1);
                assertTrue(s.isClosed());
                assertEquals("late", readAll(c), "the handler ran on and could still use its socket");
                steps.finish(3);
            }
        });
        steps.assertFinished();
    }

    @Test
    @DisplayName(
            "SRV-10: serve_forever starts the server, blocks, and returns ~0.05 s later when another greenlet calls stop()")
    void srv10_serveForeverReturnsWhenStopped() {
        inGreenlet(() -> {
            StreamServer s = new StreamServer(ANY_PORT, REPLY);
            Greenlet<Void> g = Gevent.spawn(s::serveForever);
            Gevent.sleep(0);
            assertTrue(s.isStarted(), "serveForever started the server");
            assertFalse(g.isDead());
            assertEquals("ok:y", request(s, "y"));
            long t0 = System.nanoTime();
            Gevent.spawnLater(Duration.ofMillis(50), () -> s.stop());
            assertTrue(g.join(Duration.ofSeconds(5)));
            assertWithin(0.05, 0.05 + GET_MAX, since(t0));
            assertTrue(g.isSuccessful());
            assertNull(g.get());
            assertTrue(s.isClosed());
        });
    }

    @Test
    @DisplayName("SRV-10: serve_forever after start() is fine; a killed serve_forever stops the server")
    void srv10_serveForeverAfterStartAndKilled() {
        inGreenlet(() -> {
            StreamServer s = new StreamServer(ANY_PORT, REPLY).start();
            Greenlet<Void> g = Gevent.spawn(s::serveForever);
            Gevent.sleep(0.01);
            assertFalse(g.isDead());
            assertTrue(s.isStarted());
            assertEquals("ok:z", request(s, "z"));
            g.kill();
            assertTrue(g.isDead());
            assertTrue(s.isClosed(), "serve_forever's finally stopped the server");
            assertFalse(s.isStarted());
        });
    }

    @Test
    @DisplayName("SRV-10: serve_forever on a thread of no hub blocks that thread until stop()")
    void srv10_serveForeverOnAForeignThread() throws Exception {
        StreamServer s = new StreamServer(ANY_PORT, REPLY);
        Thread t = new Thread(() -> {
            try {
                s.serveForever();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        t.start();
        inGreenlet(() -> {
            while (!s.isStarted()) {
                Gevent.sleep(0.001);
            }
            assertEquals("ok:f", request(s, "f"));
            assertTrue(t.isAlive());
            s.stop();
        });
        t.join(5000);
        assertFalse(t.isAlive(), "serveForever returned after stop()");
    }

    @Test
    @DisplayName(
            "SRV-11: stop_accepting() keeps the listener open and serves nothing; start_accepting() serves again (restartable)")
    void srv11_stopAndStartAccepting() {
        inGreenlet(() -> {
            StreamServer s = new StreamServer(ANY_PORT, REPLY).start();
            for (int round = 0; round < 2; round++) {
                s.stopAccepting();
                s.stopAccepting(); // harmless
                Gevent.sleep(0);
                assertTrue(s.isStarted());
                assertFalse(s.isClosed());
                try (GreenSocket c = GreenSocket.connect(at(s))) { // the listener is open: the kernel accepts
                    c.sendAll(bytes("r" + round));
                    assertNotServed(c);
                    s.startAccepting();
                    s.startAccepting(); // harmless
                    assertEquals("ok:r" + round, readAll(c), "the queued connection is served");
                }
                assertEquals("ok:n" + round, request(s, "n" + round));
            }
            s.stop();
            assertThrows(IllegalStateException.class, s::startAccepting);
        });
    }

    @Test
    @DisplayName(
            "SRV-12: a handler that throws is reported once, its connection closed with no response, and the server goes on")
    void srv12_failingHandlerIsReportedOnceAndTheServerGoesOn() {
        IllegalStateException boom = new IllegalStateException("handler failed");
        try (LogCapture log = new LogCapture("io.gevent4j.Greenlet")) {
            inGreenlet(() -> {
                StreamServer s = new StreamServer(ANY_PORT, (socket, address) -> {
                            byte[] b = socket.recv(10);
                            if (b[0] == 'x') {
                                throw boom;
                            }
                            socket.sendAll(b);
                        })
                        .start();
                assertEquals("", request(s, "x"), "closed with no response");
                assertEquals("ok", request(s, "ok"), "the server goes on");
                s.stop();
            });
            assertEquals(1, log.about(boom), "reported exactly once: " + log.records);
            String message = String.valueOf(log.records.stream()
                    .filter(r -> r.getThrown() == boom)
                    .findFirst()
                    .orElseThrow()
                    .getMessage());
            assertTrue(message.contains("StreamServer handler"), "names the handler greenlet: " + message);
        }
    }

    @Test
    @DisplayName("SRV-13: a null handle, backlog with a listener or after start, and other bad calls fail at the call")
    void srv13_badArgumentsAndStates() {
        inGreenlet(() -> {
            NullPointerException npe = assertThrows(
                    NullPointerException.class, () -> new StreamServer(ANY_PORT, (StreamServer.Handler) null));
            assertTrue(npe.getMessage().contains("handle"), npe.getMessage());
            npe = assertThrows(NullPointerException.class, () -> new StreamServer((InetSocketAddress) null, REPLY));
            assertTrue(npe.getMessage().contains("address"), npe.getMessage());
            IllegalArgumentException iae =
                    assertThrows(IllegalArgumentException.class, () -> new StreamServer(ANY_PORT, REPLY, -1));
            assertTrue(iae.getMessage().contains("poolSize") && iae.getMessage().contains("-1"), iae.getMessage());
            iae = assertThrows(
                    IllegalArgumentException.class,
                    () -> new StreamServer(InetSocketAddress.createUnresolved("localhost", 0), REPLY));
            assertTrue(iae.getMessage().contains("address"), iae.getMessage());

            try (GreenServerSocket l = GreenServerSocket.listen(ANY_PORT)) {
                StreamServer fromListener = new StreamServer(l, REPLY);
                IllegalStateException ise = assertThrows(IllegalStateException.class, () -> fromListener.backlog(25));
                assertTrue(ise.getMessage().contains("backlog"), ise.getMessage());
            }

            StreamServer s = new StreamServer(ANY_PORT, REPLY);
            iae = assertThrows(IllegalArgumentException.class, () -> s.backlog(0));
            assertTrue(iae.getMessage().contains("backlog") && iae.getMessage().contains("0"), iae.getMessage());
            assertSame(s, s.backlog(25));
            assertThrows(IllegalArgumentException.class, () -> s.hubs(List.of()));
            assertThrows(IllegalArgumentException.class, () -> s.hubs(hub, hub));
            assertThrows(NullPointerException.class, () -> s.hubs(hub, null));
            assertThrows(IllegalStateException.class, s::startAccepting, "not started");
            s.start();
            assertThrows(IllegalStateException.class, () -> s.backlog(25));
            assertThrows(IllegalStateException.class, () -> s.hubs(hub));
            assertThrows(IllegalStateException.class, s::start, "start() twice");
            iae = assertThrows(IllegalArgumentException.class, () -> s.stop(Duration.ofSeconds(-1)));
            assertTrue(iae.getMessage().contains("timeout"), iae.getMessage());
            assertTrue(s.isStarted(), "a refused stop changed nothing");
            assertEquals("ok:b", request(s, "b"));
            s.stop();
            s.stop(); // harmless
            assertThrows(IllegalStateException.class, s::start, "a stopped server cannot start again");
        });
    }

    @Test
    @DisplayName("SRV-13: backlog(n) before start sets the listen backlog of the address form")
    void srv13_backlogBeforeStartIsUsed() {
        inGreenlet(() -> {
            StreamServer s = new StreamServer(ANY_PORT, REPLY).backlog(3).start();
            assertEquals("ok:k", request(s, "k"));
            s.stop();
        });
    }

    @Test
    @DisplayName("SRV-14: try-with-resources calls stop()")
    void srv14_closeIsStop() {
        inGreenlet(() -> {
            InetSocketAddress where;
            StreamServer kept;
            try (StreamServer s = new StreamServer(ANY_PORT, REPLY).start()) {
                where = at(s);
                kept = s;
                assertEquals("ok:w", request(s, "w"));
            }
            assertTrue(kept.isClosed());
            assertFalse(kept.isStarted());
            assertThrows(ConnectException.class, () -> GreenSocket.connect(where));
        });
    }
}
