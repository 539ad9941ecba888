package io.gevent4j.socket;

import static io.gevent4j.socket.SocketTesting.addressOf;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gevent4j.Greenlet;
import io.gevent4j.testing.GeventTestBase;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Many connections on one hub, each carrying numbered messages both ways. */
@Tag("stress")
class GreenSocketStressTest extends GeventTestBase {
    private static final int CONNECTIONS = 200;
    private static final int ROUND_TRIPS = Integer.getInteger("gevent4j.stress.multiplier", 1) * 200;
    private static final int SIZE = 64;

    @Test
    @DisplayName(
            "200 connections x 200 round trips of 64 B between greenlets of one hub, every sequence number checked")
    void manyConnectionsManyRoundTrips() {
        long total = inGreenlet(() -> {
            try (GreenServerSocket l = GreenServerSocket.listen(SocketTesting.ANY_LOOPBACK, CONNECTIONS)) {
                List<Greenlet<Long>> all = new ArrayList<>();
                for (int i = 0; i < CONNECTIONS; i++) {
                    int id = i;
                    all.add(hub.spawn(() -> server(l.accept())));
                    all.add(hub.spawn(() -> client(GreenSocket.connect(addressOf(l)), id)));
                }
                long sum = 0;
                for (Greenlet<Long> g : all) {
                    sum += g.get();
                }
                return sum;
            }
        });
        assertEquals(2L * CONNECTIONS * ROUND_TRIPS, total);
    }

    /** Answers each message with its sequence number + 1 in the second long; returns the messages answered. */
    private static long server(GreenSocket s) throws IOException {
        try (s) {
            ByteBuffer b = ByteBuffer.allocate(SIZE);
            long n = 0;
            while (readFully(s, b)) {
                long id = b.getLong(0);
                long seq = b.getLong(8);
                assertEquals(n, seq, "connection " + id + ": message out of order");
                b.putLong(8, seq + 1);
                b.flip();
                s.sendAll(b);
                b.clear();
                n++;
            }
            return n;
        }
    }

    private static long client(GreenSocket c, int id) throws IOException {
        try (c) {
            ByteBuffer b = ByteBuffer.allocate(SIZE);
            for (int seq = 0; seq < ROUND_TRIPS; seq++) {
                b.clear();
                b.putLong(0, id).putLong(8, seq);
                for (int i = 16; i < SIZE; i++) {
                    b.put(i, (byte) (id + seq + i));
                }
                c.sendAll(b);
                b.clear();
                if (!readFully(c, b)) {
                    throw new IOException("connection " + id + ": end of stream at " + seq);
                }
                assertEquals(id, b.getLong(0));
                assertEquals(seq + 1, b.getLong(8), "connection " + id + ": wrong answer");
                for (int i = 16; i < SIZE; i++) {
                    assertEquals((byte) (id + seq + i), b.get(i));
                }
            }
            c.shutdownOutput();
            return ROUND_TRIPS;
        }
    }

    /** Fills {@code b}; false at a clean end of stream before the first byte. */
    private static boolean readFully(GreenSocket s, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            if (s.recv(b) < 0) {
                if (b.position() == 0) {
                    return false;
                }
                throw new IOException("end of stream inside a message");
            }
        }
        return true;
    }
}
