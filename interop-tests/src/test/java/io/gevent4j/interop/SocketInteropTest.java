package io.gevent4j.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gevent4j.Greenlet;
import io.gevent4j.Hub;
import io.gevent4j.socket.GreenServerSocket;
import io.gevent4j.socket.GreenSocket;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Java greenlets on GreenSocket and Kotlin greenlets on the suspend twins talk to each other on one hub: a
 * Kotlin echo server with Java clients, a Java echo server with Kotlin clients, and one socket read by a Kotlin
 * greenlet while a Java greenlet writes it.
 */
class SocketInteropTest {
    private static final int CLIENTS = 5;
    private static final int MESSAGES = 100;

    @Test
    void kotlinServerJavaClients() throws Exception {
        try (Hub hub = Hub.create("socket-interop");
                GreenServerSocket l = GreenServerSocket.listen(new InetSocketAddress("127.0.0.1", 0))) {
            InetSocketAddress address = new InetSocketAddress("127.0.0.1", l.port());
            Greenlet<Long> server = SocketKotlinSide.kotlinEchoServer(hub, l, CLIENTS);
            List<Greenlet<Long>> clients = new ArrayList<>();
            for (int id = 0; id < CLIENTS; id++) {
                int me = id;
                clients.add(hub.spawn(() -> javaEchoClient(address, me)));
            }
            long sent = 0;
            for (Greenlet<Long> c : clients) {
                sent += c.get(Duration.ofSeconds(30));
            }
            assertEquals(sent, (long) server.get(Duration.ofSeconds(30)));
        }
    }

    @Test
    void javaServerKotlinClients() throws Exception {
        try (Hub hub = Hub.create("socket-interop");
                GreenServerSocket l = GreenServerSocket.listen(new InetSocketAddress("127.0.0.1", 0))) {
            InetSocketAddress address = new InetSocketAddress("127.0.0.1", l.port());
            Greenlet<Long> server = hub.spawn(() -> {
                List<Greenlet<Long>> handlers = new ArrayList<>();
                for (int i = 0; i < CLIENTS; i++) {
                    GreenSocket s = l.accept();
                    handlers.add(hub.spawn(() -> javaEcho(s)));
                }
                long n = 0;
                for (Greenlet<Long> h : handlers) {
                    n += h.get();
                }
                return n;
            });
            List<Greenlet<Integer>> clients = new ArrayList<>();
            for (int id = 0; id < CLIENTS; id++) {
                clients.add(SocketKotlinSide.kotlinEchoClient(hub, address, id, MESSAGES));
            }
            for (Greenlet<Integer> c : clients) {
                assertEquals(MESSAGES, (int) c.get(Duration.ofSeconds(30)));
            }
            long expected = 0;
            for (int id = 0; id < CLIENTS; id++) {
                for (int i = 0; i < MESSAGES; i++) {
                    expected += ("k" + id + ":" + i + "\n").length();
                }
            }
            assertEquals(expected, (long) server.get(Duration.ofSeconds(30)));
        }
    }

    @Test
    void javaWritesWhatKotlinReadsOnOneSocket() throws Exception {
        try (Hub hub = Hub.create("socket-interop");
                GreenServerSocket l = GreenServerSocket.listen(new InetSocketAddress("127.0.0.1", 0))) {
            GreenSocket[] pair = hub.spawn(() -> new GreenSocket[] {
                        GreenSocket.connect(new InetSocketAddress("127.0.0.1", l.port())), l.accept()
                    })
                    .get();
            byte[] data = new byte[1 << 20];
            Arrays.fill(data, (byte) 'x');
            Greenlet<byte[]> reader = SocketKotlinSide.kotlinReadAll(hub, pair[1]);
            hub.spawn(() -> {
                        pair[0].sendAll(data);
                        pair[0].shutdownOutput();
                    })
                    .get(Duration.ofSeconds(30));
            assertArrayEquals(data, reader.get(Duration.ofSeconds(30)));
            pair[0].close();
            pair[1].close();
        }
    }

    private static long javaEchoClient(InetSocketAddress address, int id) throws IOException {
        long sent = 0;
        try (GreenSocket c = GreenSocket.connect(address)) {
            for (int i = 0; i < MESSAGES; i++) {
                byte[] line = ("j" + id + ":" + i + "\n").getBytes(StandardCharsets.US_ASCII);
                c.sendAll(line);
                byte[] back = new byte[line.length];
                int got = 0;
                while (got < back.length) {
                    int n = c.recvInto(back, got, back.length - got);
                    if (n < 0) {
                        throw new IOException("end of stream after " + got + " bytes");
                    }
                    got += n;
                }
                assertArrayEquals(line, back);
                sent += line.length;
            }
            c.shutdownOutput();
            assertEquals(0, c.recv(16).length);
        }
        return sent;
    }

    private static long javaEcho(GreenSocket s) throws IOException {
        try (s) {
            long n = 0;
            byte[] b;
            while ((b = s.recv(4096)).length > 0) {
                s.sendAll(b);
                n += b.length;
            }
            return n;
        }
    }
}
