package io.gevent4j.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gevent4j.Gevent;
import io.gevent4j.Greenlet;
import io.gevent4j.GreenletExit;
import io.gevent4j.Hub;
import io.gevent4j.event.Event;
import io.gevent4j.pool.Pool;
import io.gevent4j.socket.GreenServerSocket;
import io.gevent4j.socket.GreenSocket;
import io.gevent4j.testing.GeventTestBase;
import io.gevent4j.testing.LogCapture;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * StreamServer under faults and load: a port in use, clients that vanish or crawl, failing handlers, many
 * connections, several hubs, stop() with handlers pending, and the server's hub closing under it. Clients are
 * GreenSockets in greenlets (or plain threads where said), on 127.0.0.1.
 */
class StreamServerFaultTest extends GeventTestBase {
    static final InetSocketAddress ANY_PORT = new InetSocketAddress("127.0.0.1", 0);

    static InetSocketAddress at(StreamServer s) {
        return new InetSocketAddress("127.0.0.1", s.serverPort());
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] readAllBytes(GreenSocket c) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (true) {
            byte[] b = c.recv(8192);
            if (b.length == 0) {
                return out.toByteArray();
            }
            out.write(b, 0, b.length);
        }
    }

    static String readAll(GreenSocket c) throws IOException {
        return new String(readAllBytes(c), StandardCharsets.UTF_8);
    }

    static String request(StreamServer s, String msg) throws IOException {
        try (GreenSocket c = GreenSocket.connect(at(s))) {
            c.sendAll(bytes(msg));
            return readAll(c);
        }
    }

    /** Replies "ok:" + the first chunk received. */
    static final StreamServer.Handler REPLY = (socket, address) -> {
        byte[] b = socket.recv(4096);
        socket.sendAll(bytes("ok:" + new String(b, StandardCharsets.UTF_8)));
    };

    static long openDescriptors() {
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            return s.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void aPortInUseIsABindExceptionNamingTheAddressAndLeaksNoDescriptor() {
        inGreenlet(() -> {
            GreenServerSocket taken = GreenServerSocket.listen(ANY_PORT);
            InetSocketAddress where = new InetSocketAddress("127.0.0.1", taken.port());
            StreamServer warmUp = new StreamServer(where, REPLY);
            try {
                assertThrows(BindException.class, warmUp::start); // loads what the failure path needs
                long before = openDescriptors();
                for (int i = 0; i < 20; i++) {
                    StreamServer s = new StreamServer(where, REPLY);
                    BindException e = assertThrows(BindException.class, s::start);
                    assertTrue(e.getMessage().contains("127.0.0.1:" + where.getPort()), e.getMessage());
                    assertFalse(s.isStarted());
                }
                assertEquals(before, openDescriptors(), "no descriptor leaked by the failed starts");
            } finally {
                taken.close();
            }
            warmUp.start(); // a failed start left the server as it was: it may start once the port is free
            assertEquals("ok:again", request(warmUp, "again"));
            warmUp.stop();
        });
    }

    @Test
    void aClientThatDisconnectsMidReadEndsItsHandlerAndFreesTheSlot() {
        inGreenlet(() -> {
            List<String> outcomes = Collections.synchronizedList(new ArrayList<>());
            List<GreenSocket> sockets = Collections.synchronizedList(new ArrayList<>());
            Event twoDone = new Event();
            Pool pool = new Pool(1);
            StreamServer s = new StreamServer(
                            ANY_PORT,
                            (socket, address) -> {
                                sockets.add(socket);
                                try {
                                    int got = 0;
                                    while (got < 10) { // expects 10 bytes, the client sends 3
                                        byte[] b = socket.recv(10);
                                        if (b.length == 0) {
                                            outcomes.add("eof after " + got);
                                            return;
                                        }
                                        got += b.length;
                                        if (got == 10) {
                                            socket.sendAll(bytes("full"));
                                        }
                                    }
                                } catch (IOException e) {
                                    outcomes.add("IOException");
                                } finally {
                                    if (outcomes.size() == 2) {
                                        twoDone.set();
                                    }
                                }
                            },
                            pool)
                    .start();
            GreenSocket orderly = GreenSocket.connect(at(s));
            orderly.sendAll(bytes("abc"));
            Gevent.sleep(0.01);
            orderly.close(); // FIN mid-read
            GreenSocket abrupt = GreenSocket.connect(at(s));
            abrupt.sendAll(bytes("abc"));
            Gevent.sleep(0.01);
            abrupt.setOption(StandardSocketOptions.SO_LINGER, 0);
            abrupt.close(); // RST mid-read
            assertTrue(twoDone.waitFor(Duration.ofSeconds(5)), "both handlers ended: " + outcomes);
            assertEquals("eof after 3", outcomes.get(0));
            assertTrue(
                    outcomes.get(1).equals("IOException") || outcomes.get(1).equals("eof after 3"),
                    outcomes.toString());
            assertEquals(2, sockets.size());
            Gevent.sleep(0); // the second member's death callback
            for (GreenSocket hs : sockets) {
                assertFalse(hs.isOpen(), "the handler's socket is closed");
            }
            assertEquals(1, pool.freeCount(), "the slot is free");
            try (GreenSocket c = GreenSocket.connect(at(s))) {
                c.sendAll(bytes("0123456789"));
                assertEquals("full", readAll(c), "the pool of one serves the next client");
            }
            s.stop();
        });
    }

    @Test
    void aFullPoolLeavesNewConnectionsInTheKernelQueueNotInTheServer() {
        // SRV-05's mechanism: the acceptor waits for a slot before it accepts. A connection the server had accepted
        // and then closed would end with an orderly end of stream; one still in the kernel's queue when the
        // listener closes is reset (Linux).
        inGreenlet(() -> {
            Event entered = new Event();
            StreamServer s = new StreamServer(
                            ANY_PORT,
                            (socket, address) -> {
                                entered.set();
                                socket.recv(10); // holds the only slot until the stop kills it
                            },
                            1)
                    .start();
            GreenSocket first = GreenSocket.connect(at(s));
            assertTrue(entered.waitFor(Duration.ofSeconds(5)));
            GreenSocket queued = GreenSocket.connect(at(s)); // completed by the kernel, never accepted
            queued.sendAll(bytes("x"));
            Gevent.sleep(0.01);
            s.stop(Duration.ZERO);
            assertThrows(IOException.class, () -> queued.recv(10), "reset by the kernel: it was never accepted");
            assertEquals("", readAll(first), "the accepted one was closed by the server");
            first.close();
            queued.close();
        });
    }

    @Test
    void aSlowClientDoesNotDelayTheOthers() {
        inGreenlet(() -> {
            List<String> order = Collections.synchronizedList(new ArrayList<>());
            // echoes line by line
            StreamServer s = new StreamServer(ANY_PORT, (socket, address) -> {
                        ByteArrayOutputStream line = new ByteArrayOutputStream();
                        while (true) {
                            byte[] b = socket.recv(100);
                            if (b.length == 0) {
                                return;
                            }
                            for (byte x : b) {
                                line.write(x);
                                if (x == '\n') {
                                    socket.sendAll(line.toByteArray());
                                    line.reset();
                                }
                            }
                        }
                    })
                    .start();
            Event slowStarted = new Event();
            Greenlet<Void> slow = Gevent.spawn(() -> {
                try (GreenSocket c = GreenSocket.connect(at(s))) {
                    byte[] msg = bytes("slowly....\n");
                    for (int i = 0; i < msg.length; i++) {
                        c.sendAll(new byte[] {msg[i]});
                        slowStarted.set();
                        Gevent.sleep(0.01);
                    }
                    assertEquals("slowly....\n", new String(c.recv(100), StandardCharsets.UTF_8));
                    order.add("slow");
                }
            });
            slowStarted.waitFor();
            List<Greenlet<Void>> fast = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                int id = i;
                fast.add(Gevent.spawn(() -> {
                    try (GreenSocket c = GreenSocket.connect(at(s))) {
                        for (int round = 0; round < 3; round++) {
                            String line = "fast" + id + "." + round + "\n";
                            c.sendAll(bytes(line));
                            assertEquals(line, new String(c.recv(100), StandardCharsets.UTF_8));
                        }
                        order.add("fast" + id);
                    }
                }));
            }
            Gevent.joinAll(fast, null, true, 0);
            slow.get();
            assertEquals(6, order.size());
            assertEquals("slow", order.get(5), "every fast client was served while the slow one was sending: " + order);
            s.stop();
        });
    }

    @Test
    void aHandlerThatThrowsACheckedExceptionIsReportedOnceAndFreesItsSlot() {
        IOException boom = new IOException("handler failed");
        try (LogCapture log = new LogCapture("io.gevent4j.Greenlet")) {
            inGreenlet(() -> {
                Pool pool = new Pool(1);
                StreamServer s = new StreamServer(
                                ANY_PORT,
                                (socket, address) -> {
                                    byte[] b = socket.recv(10);
                                    if (b[0] == 'x') {
                                        throw boom;
                                    }
                                    socket.sendAll(b);
                                },
                                pool)
                        .start();
                for (int i = 0; i < 3; i++) {
                    assertEquals("", request(s, "x"), "closed with no response");
                    assertEquals("fine" + i, request(s, "fine" + i), "the server goes on, the slot was freed");
                }
                s.stop();
            });
            assertEquals(3, log.about(boom), "each failure reported once: " + log.records);
        }
    }

    @Test // about 1 s on 2 cores: not tagged "stress"
    void aThousandConcurrentConnectionsEveryByteAccountedFor() {
        int n = 1000;
        int payload = 2000;
        Hub clients = Hub.create("stress-clients");
        try {
            inGreenlet(() -> {
                AtomicLong serverBytes = new AtomicLong();
                AtomicInteger concurrent = new AtomicInteger();
                AtomicInteger maxConcurrent = new AtomicInteger();
                Event allIn = new Event();
                StreamServer s = new StreamServer(ANY_PORT, (socket, address) -> {
                            int now = concurrent.incrementAndGet();
                            maxConcurrent.accumulateAndGet(now, Math::max);
                            if (now == n) {
                                allIn.set();
                            }
                            allIn.waitFor(Duration.ofSeconds(20)); // every connection is open at once
                            ByteBuffer buf = ByteBuffer.allocate(4096);
                            while (true) {
                                buf.clear();
                                int r = socket.recv(buf);
                                if (r < 0) {
                                    break;
                                }
                                serverBytes.addAndGet(r);
                                buf.flip();
                                socket.sendAll(buf);
                            }
                            concurrent.decrementAndGet();
                        })
                        .backlog(n)
                        .start();
                InetSocketAddress where = at(s);
                List<Greenlet<Integer>> gs = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    int seq = i;
                    gs.add(clients.spawn(() -> {
                        byte[] msg = new byte[payload];
                        ByteBuffer.wrap(msg).putInt(seq);
                        for (int k = 4; k < payload; k++) {
                            msg[k] = (byte) (seq * 31 + k);
                        }
                        try (GreenSocket c = GreenSocket.connect(where)) {
                            c.sendAll(msg);
                            c.shutdownOutput();
                            byte[] back = readAllBytes(c);
                            assertArrayEquals(msg, back, "connection " + seq + " got its own bytes back");
                            return back.length;
                        }
                    }));
                }
                long total = 0;
                for (Greenlet<Integer> g : gs) {
                    assertTrue(g.join(Duration.ofSeconds(60)), "client done");
                    total += g.get();
                }
                assertEquals((long) n * payload, total, "every byte came back");
                assertEquals((long) n * payload, serverBytes.get(), "every byte reached the server");
                assertEquals(n, maxConcurrent.get(), "all connections were open at once");
                s.stop();
            });
        } finally {
            clients.close();
        }
    }

    @Test
    void aServerOnSeveralHubsServesConnectionsOnEachInTurn() {
        Hub h1 = Hub.create("srv-h1");
        Hub h2 = Hub.create("srv-h2");
        try {
            inGreenlet(() -> {
                List<Hub> seen = Collections.synchronizedList(new ArrayList<>());
                StreamServer s = new StreamServer(ANY_PORT, (socket, address) -> {
                            Hub mine = Hub.current();
                            assertTrue(mine.isHubThread(), "the handler runs in the context of its hub");
                            seen.add(mine);
                            REPLY.handle(socket, address); // its socket waits on its own hub
                        })
                        .hubs(h1, h2)
                        .start();
                assertEquals(List.of(h1, h2), s.hubs());
                for (int i = 0; i < 6; i++) {
                    assertEquals("ok:" + i, request(s, "" + i));
                }
                assertEquals(List.of(h1, h2, h1, h2, h1, h2), seen, "round-robin over the hubs");
                s.stop();
            });
        } finally {
            h1.close();
            h2.close();
        }
    }

    @Test
    void aPoolBoundsTheWholeServerAcrossHubsAndStopKillsHandlersOnEveryHub() {
        Hub h1 = Hub.create("srv-h1");
        Hub h2 = Hub.create("srv-h2");
        try {
            inGreenlet(() -> {
                Map<String, Hub> where = new ConcurrentHashMap<>();
                List<Throwable> killed = Collections.synchronizedList(new ArrayList<>());
                Pool pool = new Pool(2);
                StreamServer s = new StreamServer(
                                ANY_PORT,
                                (socket, address) -> {
                                    String id = new String(socket.recv(10), StandardCharsets.UTF_8);
                                    where.put(id, Hub.current());
                                    try {
                                        Gevent.sleep(5);
                                    } catch (GreenletExit e) {
                                        killed.add(e);
                                        throw e;
                                    }
                                },
                                pool)
                        .hubs(h1, h2)
                        .start();
                GreenSocket a = GreenSocket.connect(at(s));
                a.sendAll(bytes("a"));
                GreenSocket b = GreenSocket.connect(at(s));
                b.sendAll(bytes("b"));
                while (where.size() < 2) {
                    Gevent.sleep(0.001);
                }
                assertSame(h1, where.get("a"));
                assertSame(h2, where.get("b"));
                assertTrue(pool.isFull(), "one pool for both hubs");
                try (GreenSocket third = GreenSocket.connect(at(s))) {
                    third.sendAll(bytes("c"));
                    third.setTimeout(Duration.ofMillis(10));
                    assertThrows(SocketTimeoutException.class, () -> third.recv(10));
                    assertFalse(where.containsKey("c"), "the full pool stopped the accepting");
                    long t0 = System.nanoTime();
                    s.stop(Duration.ofMillis((long) (WAIT_TIMEOUT * 1000)));
                    assertWithin(WAIT_MIN, WAIT_MAX, since(t0));
                }
                assertEquals(2, killed.size(), "the handlers on both hubs were killed");
                assertTrue(pool.isEmpty());
                assertEquals("", readAll(a));
                assertEquals("", readAll(b));
                a.close();
                b.close();
            });
        } finally {
            h1.close();
            h2.close();
        }
    }

    @Test
    void aClosedHubIsSkippedAndWithEveryHubClosedTheFailureIsReported() {
        Hub h1 = Hub.create("srv-h1");
        Hub h2 = Hub.create("srv-h2");
        try (LogCapture log = new LogCapture("io.gevent4j.Hub")) {
            inGreenlet(() -> {
                List<Hub> seen = Collections.synchronizedList(new ArrayList<>());
                StreamServer s = new StreamServer(ANY_PORT, (socket, address) -> {
                            seen.add(Hub.current());
                            REPLY.handle(socket, address);
                        })
                        .hubs(h1, h2)
                        .start();
                assertEquals("ok:1", request(s, "1"));
                h2.close();
                for (int i = 0; i < 3; i++) {
                    assertEquals("ok:" + i, request(s, "" + i));
                }
                assertEquals(List.of(h1, h1, h1, h1), seen);
                h1.close();
                assertEquals("", request(s, "none"), "no hub to serve it: closed with no response");
                assertTrue(s.isStarted(), "the server goes on");
                s.stop();
            });
            assertTrue(
                    log.records.stream()
                            .anyMatch(r -> String.valueOf(r.getMessage()).contains("starting a handler")),
                    "reported: " + log.records);
        } finally {
            h1.close();
            h2.close();
        }
    }

    @Test
    void stopWithHandlersPendingInAPoolKillsThemAllAndClosesTheirSockets() {
        inGreenlet(() -> {
            AtomicInteger entered = new AtomicInteger();
            List<GreenSocket> sockets = Collections.synchronizedList(new ArrayList<>());
            StreamServer s = new StreamServer(
                            ANY_PORT,
                            (socket, address) -> {
                                sockets.add(socket);
                                entered.incrementAndGet();
                                socket.recv(10); // waits for ever: the clients send nothing
                            },
                            new Pool())
                    .start();
            List<GreenSocket> clients = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                clients.add(GreenSocket.connect(at(s)));
            }
            while (entered.get() < 5) {
                Gevent.sleep(0.001);
            }
            s.stop(Duration.ofMillis(10));
            assertTrue(s.pool().isEmpty());
            for (GreenSocket hs : sockets) {
                assertFalse(hs.isOpen());
            }
            for (GreenSocket c : clients) {
                assertEquals("", readAll(c));
                c.close();
            }
        });
    }

    @Test
    void stopWithHandlersPendingWithoutAPoolLetsThemAllFinish() {
        inGreenlet(() -> {
            AtomicInteger entered = new AtomicInteger();
            StreamServer s = new StreamServer(ANY_PORT, (socket, address) -> {
                        entered.incrementAndGet();
                        byte[] b = socket.recv(10); // the clients send after the stop
                        socket.sendAll(bytes("after stop:" + new String(b, StandardCharsets.UTF_8)));
                    })
                    .start();
            List<GreenSocket> clients = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                clients.add(GreenSocket.connect(at(s)));
            }
            while (entered.get() < 5) {
                Gevent.sleep(0.001);
            }
            s.stop();
            assertTrue(s.isClosed());
            for (int i = 0; i < 5; i++) {
                GreenSocket c = clients.get(i);
                c.sendAll(bytes("" + i));
                assertEquals("after stop:" + i, readAll(c));
                c.close();
            }
        });
    }

    @Test
    void theServersHubClosingStopsTheServerAndLeaksNothing() throws Exception {
        inGreenlet(
                () -> { // the test hub's selector (used by the client below) exists before the count
                    try (GreenServerSocket l = GreenServerSocket.listen(ANY_PORT);
                            GreenSocket c = GreenSocket.connect(new InetSocketAddress("127.0.0.1", l.port()));
                            GreenSocket a = l.accept()) {
                        c.sendAll(bytes("w"));
                        assertEquals(1, a.recv(1).length);
                    }
                });
        long before = openDescriptors();
        Hub serverHub = Hub.create("srv-doomed");
        AtomicReference<StreamServer> server = new AtomicReference<>();
        Event entered = new Event();
        serverHub
                .spawn(() -> {
                    server.set(new StreamServer(ANY_PORT, (socket, address) -> {
                                entered.set();
                                socket.recv(10); // waits until the hub closes
                            })
                            .start());
                })
                .get();
        StreamServer s = server.get();
        AtomicReference<Throwable> serveForeverOutcome = new AtomicReference<>();
        Thread serving = new Thread(() -> {
            try {
                s.serveForever();
                serveForeverOutcome.set(new Throwable("returned"));
            } catch (Throwable t) {
                serveForeverOutcome.set(t);
            }
        });
        serving.start();
        InetSocketAddress where = at(s);
        AtomicReference<GreenSocket> client = new AtomicReference<>();
        inGreenlet(() -> {
            client.set(GreenSocket.connect(where));
            assertTrue(entered.waitFor(Duration.ofSeconds(5)));
        });
        serverHub.close();
        serving.join(5000);
        assertFalse(serving.isAlive(), "serveForever returned once the server's hub closed");
        assertEquals("returned", serveForeverOutcome.get().getMessage());
        assertTrue(s.isClosed());
        assertFalse(s.isStarted());
        inGreenlet(() -> {
            assertEquals("", readAll(client.get()), "the killed handler's socket was closed");
            client.get().close();
            assertThrows(ConnectException.class, () -> GreenSocket.connect(where));
        });
        assertNotNull(where);
        assertEquals(before, openDescriptors(), "no descriptor outlives the hub");
    }
}
