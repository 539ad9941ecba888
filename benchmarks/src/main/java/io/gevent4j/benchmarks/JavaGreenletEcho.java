package io.gevent4j.benchmarks;

import io.gevent4j.Gevent;
import io.gevent4j.GreenCallable;
import io.gevent4j.GreenRunnable;
import io.gevent4j.Greenlet;
import io.gevent4j.Hub;
import io.gevent4j.Waitable;
import io.gevent4j.event.Event;
import java.io.EOFException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * W8, W8 on several hubs, and L8's server, with Java greenlets on an {@link EchoTransport}, as the peers'
 * gevent W8: an acceptor greenlet spawns a handler greenlet per connection (round-robin over the handler hubs),
 * each handler echoes until end of stream; each client greenlet connects, waits for "go", then makes
 * {@link Workload#W8_ROUNDS} round trips ({@code sendAll}, then read exactly {@link Workload#W8_SIZE} bytes back,
 * checked). Every byte count is checked: per reply, per client, and the server's total. Each repetition makes
 * its hubs and closes them, and every socket, at its end.
 */
final class JavaGreenletEcho {
    private JavaGreenletEcho() {}

    private static final Duration REP_TIMEOUT = Duration.ofSeconds(EchoLoad.REP_TIMEOUT_S);

    /** The echo server: a listener, its acceptor greenlet and one handler greenlet per connection. */
    static final class Server {
        private final EchoTransport.Listener listener;
        private final Hub[] handlerHubs;
        private final ConcurrentLinkedQueue<Greenlet<Long>> handlers = new ConcurrentLinkedQueue<>();
        private final Greenlet<Void> acceptor;

        private Server(EchoTransport.Listener listener, Hub acceptorHub, Hub[] handlerHubs) {
            this.listener = listener;
            this.handlerHubs = handlerHubs.clone();
            GreenRunnable loop = this::acceptLoop;
            this.acceptor = acceptorHub.spawn(loop);
        }

        /** Listens and starts the acceptor on {@code acceptorHub}; handlers go round-robin to {@code handlerHubs}. */
        static Server start(EchoTransport t, Hub acceptorHub, Hub[] handlerHubs) throws IOException {
            return new Server(t.listen(Workload.W8_BACKLOG), acceptorHub, handlerHubs);
        }

        int port() {
            return listener.port();
        }

        private void acceptLoop() throws IOException {
            int next = 0;
            while (true) {
                EchoTransport.Conn c;
                try {
                    c = listener.accept();
                } catch (IOException e) {
                    if (listener.isClosed()) {
                        return; // stop() closed it
                    }
                    throw e;
                }
                Hub h = handlerHubs[next++ % handlerHubs.length];
                GreenCallable<Long> handler = () -> handle(c);
                try {
                    handlers.add(h.spawn(handler));
                } catch (RuntimeException e) {
                    c.close();
                    throw e;
                }
            }
        }

        /** @return the bytes echoed */
        private static long handle(EchoTransport.Conn c) throws IOException {
            try (c) {
                c.noDelay();
                byte[] buf = new byte[EchoLoad.SERVER_BUF];
                long echoed = 0;
                int n;
                while ((n = c.recv(buf, 0, buf.length)) > 0) {
                    c.sendAll(buf, 0, n);
                    echoed += n;
                }
                return echoed;
            }
        }

        /** Closes the listener (idempotent); the acceptor ends. */
        void closeListener() {
            listener.close();
        }

        /**
         * Closes the listener, waits for the acceptor and for every handler (they end at their client's end of
         * stream) and checks that the handlers echoed {@code expectedBytes} in all.
         */
        void stop(long expectedBytes) {
            closeListener();
            join(acceptor, "acceptor");
            long echoed = 0;
            for (Greenlet<Long> h : handlers) {
                echoed += join(h, "handler");
            }
            EchoLoad.checkBytes("echo server", echoed, expectedBytes);
        }
    }

    private static <T> T join(Greenlet<T> g, String what) {
        if (!g.join(REP_TIMEOUT)) {
            throw new IllegalStateException(what + " " + g + " still running after " + REP_TIMEOUT);
        }
        return g.get(); // rethrows its failure
    }

    /**
     * One W8 repetition: the server and {@link Workload#W8_CLIENTS} clients, client {@code i} on
     * {@code hubs[i % hubs.length]}, the acceptor and the driver (which holds the clock) on {@code hubs[0]}.
     * Creates {@code hubCount} hubs and closes them before returning.
     */
    static Map<String, Double> w8(EchoTransport t, int hubCount) {
        Hub[] hubs = new Hub[hubCount];
        try {
            for (int i = 0; i < hubCount; i++) {
                hubs[i] = Hub.create("w8-" + i);
            }
            GreenCallable<Map<String, Double>> body = () -> w8Body(t, hubs);
            return hubs[0].spawn(body).get(REP_TIMEOUT.plusSeconds(30));
        } finally {
            for (Hub h : hubs) {
                if (h != null) {
                    h.close();
                }
            }
        }
    }

    private static Map<String, Double> w8Body(EchoTransport t, Hub[] hubs) throws Exception {
        int clients = Workload.W8_CLIENTS;
        Server server = Server.start(t, hubs[0], hubs);
        try {
            int port = server.port();
            Event allConnected = new Event();
            Event go = new Event();
            AtomicInteger connected = new AtomicInteger();
            List<Greenlet<Long>> cs = new ArrayList<>(clients);
            for (int i = 0; i < clients; i++) {
                int idx = i;
                GreenCallable<Long> c = () -> client(t, port, idx, connected, allConnected, go);
                cs.add(hubs[i % hubs.length].spawn(c));
            }
            awaitConnected(allConnected, cs);
            long cpu0 = EchoLoad.processCpuNanos();
            long t0 = System.nanoTime();
            go.set();
            Gevent.joinAll(cs, REP_TIMEOUT, false, 0);
            long t1 = System.nanoTime();
            long cpu1 = EchoLoad.processCpuNanos();
            long received = 0;
            for (Greenlet<Long> g : cs) {
                received += join(g, "client");
            }
            EchoLoad.checkBytes("W8 clients", received, EchoLoad.w8Bytes(clients));
            server.stop(EchoLoad.w8Bytes(clients));
            return EchoLoad.w8Result(t1 - t0, cpu1 - cpu0, clients);
        } finally {
            server.closeListener();
        }
    }

    /** Waits until every client is connected, failing at once (with its error) when one fails first. */
    private static void awaitConnected(Event allConnected, List<Greenlet<Long>> cs) {
        List<Waitable> ws = new ArrayList<>(cs.size() + 1);
        ws.add(allConnected);
        ws.addAll(cs);
        Gevent.wait(ws, EchoLoad.CONNECT_TIMEOUT, 1);
        if (allConnected.isSet()) {
            return;
        }
        for (Greenlet<Long> g : cs) {
            if (g.isReady()) {
                g.get(); // a client ended before "go": rethrows why
                throw new IllegalStateException("client " + g + " ended before go");
            }
        }
        throw new IllegalStateException("clients not connected after " + EchoLoad.CONNECT_TIMEOUT);
    }

    /** @return the bytes received (checked reply by reply) */
    private static long client(
            EchoTransport t, int port, int idx, AtomicInteger connected, Event allConnected, Event go)
            throws IOException {
        byte[] msg = EchoLoad.message(idx);
        byte[] buf = new byte[msg.length];
        long received = 0;
        try (EchoTransport.Conn c = t.connect(port)) {
            if (connected.incrementAndGet() == Workload.W8_CLIENTS) {
                allConnected.set();
            }
            go.waitFor();
            for (int r = 0; r < Workload.W8_ROUNDS; r++) {
                c.sendAll(msg, 0, msg.length);
                int got = 0;
                while (got < msg.length) {
                    int n = c.recv(buf, got, msg.length - got);
                    if (n < 0) {
                        throw new EOFException(
                                "client " + idx + " round " + r + ": end of stream after " + got + " bytes");
                    }
                    got += n;
                }
                EchoLoad.checkReply(idx, r, msg, buf);
                received += got;
            }
        }
        EchoLoad.checkBytes("client " + idx, received, (long) Workload.W8_ROUNDS * msg.length);
        return received;
    }

    /** One L8 repetition: the server on a hub of its own, {@link EchoLoad#latencyClient} on the calling thread. */
    static Map<String, Double> l8(EchoTransport t) throws IOException {
        Hub hub = Hub.create("l8");
        try {
            Server server = Server.start(t, hub, new Hub[] {hub});
            try {
                Map<String, Double> m = EchoLoad.latencyClient(server.port());
                server.stop((long) Workload.L8_ROUNDS * Workload.W8_SIZE);
                return m;
            } finally {
                server.closeListener();
            }
        } finally {
            hub.close();
        }
    }
}
