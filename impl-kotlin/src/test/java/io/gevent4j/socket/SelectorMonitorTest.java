package io.gevent4j.socket;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gevent4j.Greenlet;
import io.gevent4j.GreenletFailedException;
import io.gevent4j.Hub;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A greenlet that closes a socket makes the selector drop the socket's key at once (a poll that does not wait).
 * That poll must run no readiness callback: a callback can meet contention (waking a waiter of another hub takes
 * that hub's locks) and yield, and inside {@code selectNow(consumer)} it did so under the selector's monitor. Since
 * JDK 24 a virtual thread unmounts with the monitors it holds, so in SCHEDULED_ON_HUB the hub's own thread then
 * blocked on its selector's monitor while the greenlet, which only that thread runs, held it; in HANDOFF the closer
 * kept the baton while it spun. Found by W8 on two hubs (performance.md). Callbacks now run on the hub's thread only.
 */
class SelectorMonitorTest {
    private static final byte[] PING = "ping".getBytes(StandardCharsets.US_ASCII);

    /** A connected pair: the greenlets' end (wrapped later) and the plain JDK end the test writes to. */
    private record Pair(SocketChannel green, SocketChannel plain) {}

    private static Pair pair(ServerSocketChannel listener) throws Exception {
        SocketChannel client = SocketChannel.open(listener.getLocalAddress());
        SocketChannel accepted = listener.accept();
        return new Pair(client, accepted);
    }

    /** The socket's watch (internal: reached by reflection, as no API exposes it). */
    private static Object watch(GreenSocket s) throws Exception {
        Field peer = GreenSocket.class.getDeclaredField("peer");
        peer.setAccessible(true);
        Object core = peer.get(s);
        return core.getClass().getField("watch").get(core);
    }

    private static Object field(Object o, String name) throws Exception {
        Field f = o.getClass().getDeclaredField(name);
        f.setAccessible(true);
        return f.get(o);
    }

    private static void call(Object o, String method) throws Exception {
        Method m = o.getClass().getMethod(method);
        m.setAccessible(true);
        m.invoke(o);
    }

    /** Waits (at most 10 s) until somebody waits on the socket: its reader has registered. */
    private static void awaitWaiter(GreenSocket s) throws Exception {
        Object watch = watch(s);
        Method hasWaiters = watch.getClass().getMethod("hasWaiters");
        hasWaiters.setAccessible(true);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!(Boolean) hasWaiters.invoke(watch)) {
            assertTrue(System.nanoTime() < deadline, "the reader never waited");
            Thread.onSpinWait();
        }
    }

    /**
     * Waits (at most 10 s, without yielding: a greenlet calls it) until the kernel reports {@code c} readable, on a
     * selector of its own.
     */
    private static void awaitReadable(SocketChannel c) throws Exception {
        try (Selector own = Selector.open()) {
            c.register(own, SelectionKey.OP_READ);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (own.selectNow() == 0) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("the written bytes never made the socket readable");
                }
                Thread.onSpinWait();
            }
        }
    }

    @Test
    @DisplayName(
            "a greenlet closing a socket while a ready socket's wake-up is contended completes, and the hub runs on")
    void closeWhileAReadyWatchIsContended() throws Exception {
        Hub hub = Hub.create("selector-monitor");
        boolean stuck = false;
        List<SocketChannel> opened = new ArrayList<>();
        try (ServerSocketChannel listener = ServerSocketChannel.open()) {
            listener.bind(new InetSocketAddress("127.0.0.1", 0));
            Pair a = pair(listener);
            opened.addAll(List.of(a.green(), a.plain()));
            Pair b = pair(listener);
            opened.addAll(List.of(b.green(), b.plain()));
            GreenSocket ga = GreenSocket.wrap(a.green());
            GreenSocket gb = GreenSocket.wrap(b.green());
            Greenlet<byte[]> readerA = hub.spawn(() -> ga.recv(16));
            Greenlet<byte[]> readerB = hub.spawn(() -> gb.recv(16));
            awaitWaiter(ga);
            awaitWaiter(gb);
            // the test thread holds a's watch lock: whoever runs a's readiness callback spins (and yields) until
            // it is released. That callback stands for any wake-up that can meet contention: a waiter of another
            // hub or thread, whose wake takes its hub's locks (W8 on two hubs).
            Object lock = field(watch(ga), "lock");
            call(lock, "lock");
            Greenlet<String> closer;
            try {
                closer = hub.spawn(() -> {
                    a.plain().write(ByteBuffer.wrap(PING));
                    awaitReadable(a.green()); // so that a poll made now sees a ready
                    gb.close(); // drops b's cancelled key: a poll, which sees a ready
                    return "closed";
                });
                try {
                    // before the fix the closer ran a's callback itself, under its hub selector's monitor, and never
                    // got past it while the lock was held (in SCHEDULED_ON_HUB the hub then blocked on that monitor);
                    // now it runs none (HANDOFF) or leaves the flush to the hub's thread (SCHEDULED_ON_HUB)
                    assertEquals("closed", closer.get(Duration.ofSeconds(10)));
                } catch (io.gevent4j.Timeout t) {
                    stuck = true;
                    throw new AssertionError(
                            "the closing greenlet is stuck in a readiness callback it ran under "
                                    + "its selector's monitor",
                            t);
                }
            } finally {
                call(lock, "unlock");
            }
            assertArrayEquals(PING, readerA.get(Duration.ofSeconds(10))); // the hub's thread delivered a's readiness
            GreenletFailedException failed =
                    assertThrows(GreenletFailedException.class, () -> readerB.get(Duration.ofSeconds(10)));
            assertInstanceOf(SocketException.class, failed.getCause()); // its socket was closed under it
            ga.close();
        } finally {
            for (SocketChannel c : opened) {
                c.close();
            }
            if (!stuck) {
                hub.close(); // a stuck hub's daemon threads are left: closing it could wait forever
            }
        }
    }
}
