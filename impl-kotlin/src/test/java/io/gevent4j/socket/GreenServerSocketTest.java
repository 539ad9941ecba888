package io.gevent4j.socket;

import static io.gevent4j.socket.SocketTesting.ANY_LOOPBACK;
import static io.gevent4j.socket.SocketTesting.addressOf;
import static io.gevent4j.socket.SocketTesting.listener;
import static io.gevent4j.socket.SocketTesting.openDescriptors;
import static io.gevent4j.socket.SocketTesting.roundTrip;
import static io.gevent4j.socket.SocketTesting.startForeign;
import static io.gevent4j.testing.Waiting.spinUntilWaiting;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gevent4j.Gevent;
import io.gevent4j.Greenlet;
import io.gevent4j.GreenletExit;
import io.gevent4j.Timeout;
import io.gevent4j.testing.Foreign;
import io.gevent4j.testing.GeventTestBase;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** GreenServerSocket: listen, accept and its waits, in both hub modes. */
@SuppressWarnings("try") // connected sockets held open only by their try
class GreenServerSocketTest extends GeventTestBase {
    private static final byte[] HELLO = "hello".getBytes(StandardCharsets.US_ASCII);

    @Test
    @DisplayName("two greenlets wait in accept while a third runs; two connections reach one each")
    void twoAcceptorsWaitWhileAnotherRuns() {
        inGreenlet(() -> {
            try (GreenServerSocket l = listener()) {
                steps.expect(1);
                Greenlet<GreenSocket> a1 = hub.spawn(() -> {
                    steps.expect(2);
                    return l.accept();
                });
                Greenlet<GreenSocket> a2 = hub.spawn(() -> {
                    steps.expect(3);
                    return l.accept();
                });
                Gevent.sleep();
                steps.expect(4); // both wait in accept, this one runs
                assertFalse(a1.isReady() || a2.isReady());
                try (GreenSocket c1 = GreenSocket.connect(addressOf(l));
                        GreenSocket c2 = GreenSocket.connect(addressOf(l));
                        GreenSocket s1 = a1.get();
                        GreenSocket s2 = a2.get()) {
                    Set<Integer> ports = new HashSet<>(List.of(
                            s1.remoteAddress().getPort(), s2.remoteAddress().getPort()));
                    assertEquals(
                            Set.of(
                                    c1.localAddress().getPort(),
                                    c2.localAddress().getPort()),
                            ports);
                }
                steps.finish(5);
            }
        });
        steps.assertFinished();
    }

    @Test
    @DisplayName(
            "accept(timeout) answers null on expiry, within gevent's wait-style bounds, in a greenlet and on a thread")
    void acceptTimeoutAnswersNull() throws Exception {
        inGreenlet(() -> {
            try (GreenServerSocket l = listener()) {
                long t0 = System.nanoTime();
                assertNull(l.accept(Duration.ofMillis(200)));
                assertWithin(WAIT_MIN, WAIT_MAX, since(t0));
                assertNull(l.accept(Duration.ZERO));
                try (GreenSocket c = GreenSocket.connect(addressOf(l));
                        GreenSocket s = l.accept(Duration.ofSeconds(5))) {
                    assertNotNull(s);
                    c.sendAll(HELLO);
                    assertArrayEquals(HELLO, s.recv(10));
                }
            }
        });
        Foreign.runAndWait("foreign-test-thread", () -> {
            try (GreenServerSocket l = listener()) {
                long t0 = System.nanoTime();
                assertNull(l.accept(Duration.ofMillis(200)));
                assertWithin(WAIT_MIN, WAIT_MAX, since(t0));
            }
        });
    }

    @Test
    @DisplayName("section 0 (a): an outer Timeout landing in accept raises that very Timeout; the listener stays open")
    void outerTimeoutLandsInAccept() {
        inGreenlet(() -> {
            try (GreenServerSocket l = listener()) {
                Timeout t = Timeout.startNew(Duration.ofMillis(1));
                try {
                    assertSame(t, assertThrows(Timeout.class, () -> l.accept(Duration.ofSeconds(1))));
                } finally {
                    t.cancel();
                }
                Timeout t2 = Timeout.startNew(Duration.ofMillis(1));
                try {
                    assertSame(t2, assertThrows(Timeout.class, l::accept));
                } finally {
                    t2.cancel();
                }
                assertTrue(l.isOpen());
                try (GreenSocket c = GreenSocket.connect(addressOf(l));
                        GreenSocket s = l.accept()) {
                    assertNotNull(s);
                }
            }
        });
    }

    @Test
    @DisplayName("a kill landing in accept: GreenletExit in the greenlet, the listener stays open")
    void killLandsInAccept() {
        inGreenlet(() -> {
            try (GreenServerSocket l = listener()) {
                AtomicReference<Throwable> seen = new AtomicReference<>();
                Greenlet<GreenSocket> g = hub.spawn(() -> {
                    try {
                        return l.accept();
                    } catch (Throwable e) {
                        seen.set(e);
                        throw e;
                    }
                });
                Gevent.sleep();
                g.kill();
                assertInstanceOf(GreenletExit.class, seen.get());
                assertTrue(l.isOpen());
                try (GreenSocket c = GreenSocket.connect(addressOf(l));
                        GreenSocket s = l.accept()) {
                    assertNotNull(s);
                }
            }
        });
    }

    @Test
    @DisplayName("close() in another greenlet fails a pending accept with SocketException at once")
    void closeFromAnotherGreenletFailsAccept() {
        inGreenlet(() -> {
            GreenServerSocket l = listener();
            Greenlet<Throwable> acceptor = hub.spawn(() -> {
                steps.expect(2);
                Throwable e = assertThrows(SocketException.class, l::accept);
                steps.expect(4);
                return e;
            });
            steps.expect(1);
            Gevent.sleep();
            steps.expect(3);
            l.close();
            Gevent.sleep(); // the woken acceptor runs before this greenlet again
            assertTrue(acceptor.isReady());
            assertInstanceOf(SocketException.class, acceptor.get());
            assertFalse(l.isOpen());
            assertThrows(SocketException.class, l::accept);
            assertThrows(SocketException.class, () -> l.accept(Duration.ofSeconds(1)));
            l.close(); // idempotent
            assertEquals("<GreenServerSocket closed>", l.toString());
            assertThrows(IllegalStateException.class, l::port);
            steps.finish(5);
        });
        steps.assertFinished();
    }

    @Test
    @DisplayName(
            "close() on a platform thread fails a pending accept (greenlet and foreign waiter) with SocketException")
    void closeFromAnotherThreadFailsAccept() throws Exception {
        GreenServerSocket l = listener();
        Greenlet<Throwable> acceptor = hub.spawn(() -> assertThrows(SocketException.class, l::accept));
        AtomicReference<Throwable> foreign = new AtomicReference<>();
        roundTrip(hub);
        Thread t = startForeign(l::accept, foreign);
        spinUntilWaiting(t);
        assertFalse(acceptor.isReady());
        l.close();
        assertInstanceOf(SocketException.class, acceptor.get(Duration.ofSeconds(5)));
        t.join(5_000);
        assertFalse(t.isAlive());
        assertInstanceOf(SocketException.class, foreign.get());
    }

    @Test
    @DisplayName(
            "a listener closed from outside its hub's context accepts nothing more, even a connection already queued")
    void closedFromOutsideRefusesAcceptAtOnce() throws Exception {
        GreenServerSocket l = listener();
        GreenSocket c = inGreenlet(() -> {
            assertNull(l.accept(Duration.ofMillis(1))); // watched by the test hub
            return GreenSocket.connect(addressOf(l)); // queued in the kernel, not accepted
        });
        java.util.concurrent.atomic.AtomicBoolean hold = new java.util.concurrent.atomic.AtomicBoolean(true);
        java.util.concurrent.CountDownLatch held = new java.util.concurrent.CountDownLatch(1);
        Greenlet<Void> holder = hub.spawn(
                () -> { // holds the hub: the release of the descriptor waits for it
                    held.countDown();
                    while (hold.get()) {
                        Thread.onSpinWait();
                    }
                });
        try {
            held.await();
            l.close();
            assertThrows(SocketException.class, () -> l.accept(Duration.ZERO));
            assertThrows(SocketException.class, l::accept);
        } finally {
            hold.set(false);
            holder.get(Duration.ofSeconds(10));
            c.close();
        }
    }

    @Test
    @DisplayName(
            "listen on a port in use: BindException naming the address, and no descriptor left behind, even after many tries")
    void listenOnPortInUse() throws Exception {
        try (GreenServerSocket l = listener()) {
            InetSocketAddress taken = addressOf(l);
            BindException first = assertThrows(BindException.class, () -> GreenServerSocket.listen(taken));
            assertTrue(first.getMessage().contains(taken.toString()), first.getMessage());
            int before = openDescriptors();
            for (int i = 0; i < 200; i++) {
                assertThrows(BindException.class, () -> GreenServerSocket.listen(taken, 5));
            }
            inGreenlet(() -> assertThrows(BindException.class, () -> GreenServerSocket.listen(taken)));
            assertEquals(before, openDescriptors());
        }
    }

    @Test
    @DisplayName("bad arguments are refused at the call, naming the argument and the value")
    void badArguments() throws Exception {
        NullPointerException n = assertThrows(NullPointerException.class, () -> GreenServerSocket.listen(null));
        assertTrue(n.getMessage().contains("address"), n.getMessage());
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> GreenServerSocket.listen(InetSocketAddress.createUnresolved("localhost", 0)));
        assertTrue(e.getMessage().contains("address") && e.getMessage().contains("localhost"), e.getMessage());
        try (GreenServerSocket l = listener()) {
            e = assertThrows(IllegalArgumentException.class, () -> l.accept(Duration.ofSeconds(-2)));
            assertTrue(e.getMessage().contains("timeout") && e.getMessage().contains("PT-2S"), e.getMessage());
            assertTrue(l.isOpen());
            assertNotEquals(0, l.port());
            assertEquals(l.port(), l.localAddress().getPort());
            assertTrue(l.toString().contains(String.valueOf(l.port())), l.toString());
        }
    }

    @Test
    @DisplayName(
            "a listener bound with port 0 reports its port; a listen, accept, close cycle repeated leaves no descriptor")
    void listenersLeaveNoDescriptor() throws Exception {
        inGreenlet(() -> {
            try (GreenServerSocket l = GreenServerSocket.listen(ANY_LOOPBACK);
                    GreenSocket c = GreenSocket.connect(addressOf(l));
                    GreenSocket s = l.accept()) {
                assertNotNull(s);
            }
        });
        int before = openDescriptors();
        inGreenlet(() -> {
            for (int i = 0; i < 100; i++) {
                try (GreenServerSocket l = GreenServerSocket.listen(ANY_LOOPBACK)) {
                    assertNull(l.accept(Duration.ZERO));
                    try (GreenSocket c = GreenSocket.connect(addressOf(l));
                            GreenSocket s = l.accept()) {
                        c.sendAll(HELLO);
                        assertArrayEquals(HELLO, s.recv(10));
                    }
                }
            }
        });
        assertEquals(before, openDescriptors());
    }
}
