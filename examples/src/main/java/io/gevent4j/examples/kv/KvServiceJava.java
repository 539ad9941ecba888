package io.gevent4j.examples.kv;

import io.gevent4j.Gevent;
import io.gevent4j.Greenlet;
import io.gevent4j.GreenletExit;
import io.gevent4j.Hub;
import io.gevent4j.pool.Pool;
import io.gevent4j.server.StreamServer;
import io.gevent4j.socket.GreenSocket;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Stage 1 of the migration: the key-value service all in Java. Java greenlets and the blocking facades: a
 * {@link StreamServer} with a {@link Pool} runs {@link #handle} for each connection, an auditor greenlet iterates
 * the events {@code Queue}, the main greenlet waits for the shutdown {@code Event}. See docs/migrating.md.
 */
public final class KvServiceJava {
    private KvServiceJava() {}

    /** Starts the service on the default hub; the greenlet ends after {@code SHUTDOWN}, with a summary. */
    public static Greenlet<String> start(KvStore store) {
        return Hub.getDefault().spawn(() -> serve(store));
    }

    private static String serve(KvStore store) throws IOException {
        Greenlet<Void> auditor = Gevent.spawn(() -> audit(store));
        AtomicInteger served = new AtomicInteger();
        StreamServer server = new StreamServer(
                        new InetSocketAddress("127.0.0.1", 0),
                        (socket, address) -> {
                            served.incrementAndGet();
                            handle(store, socket);
                        },
                        new Pool(KvProtocol.MAX_CONNECTIONS))
                .start();
        try {
            store.port().set(server.serverPort());
            store.shutdown().waitFor();
        } finally {
            server.stop(KvProtocol.STOP_TIMEOUT); // waits for the handlers, then kills those left
            store.events().shutdown(); // the auditor's loop ends once the queue is drained
            auditor.join();
        }
        return "served " + served + " connections in Java";
    }

    /** The auditor: takes every event from the queue, in order, and marks it done ({@code AUDIT} joins the queue). */
    public static void audit(KvStore store) {
        for (String event : store.events()) { // ends once the queue is shut down and drained
            store.audit().add(event);
            store.events().taskDone();
        }
    }

    /** Serves one connection until {@code QUIT}, {@code SHUTDOWN} or the end of the stream. */
    public static void handle(KvStore store, GreenSocket socket) throws IOException {
        store.servedBy().add("java");
        BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        OutputStream out = socket.getOutputStream();
        try {
            for (String line; (line = in.readLine()) != null; ) {
                KvProtocol.Request request = KvProtocol.parse(line);
                switch (request.verb()) {
                    case "QUIT" -> {
                        send(out, KvProtocol.bye(store));
                        return;
                    }
                    case "SHUTDOWN" -> {
                        send(out, KvProtocol.bye(store) + ", shutting down");
                        store.shutdown().set();
                        return;
                    }
                    default ->
                        send(
                                out,
                                Gevent.withTimeout(
                                        KvProtocol.REQUEST_TIMEOUT,
                                        () -> answer(store, request),
                                        KvProtocol.timedOut(request)));
                }
            }
        } catch (GreenletExit e) { // killed: the server stopped while the client was still connected
            KvProtocol.dropped(store);
            throw e;
        }
    }

    private static String answer(KvStore store, KvProtocol.Request request) {
        String now = KvProtocol.answerNow(store, request);
        if (now != null) {
            return now;
        }
        if (request.verb().equals("WAIT")) {
            store.keySet(request.key()).waitFor();
            return KvProtocol.value(request.key(), store.get(request.key()));
        }
        store.events().join(); // AUDIT: until the auditor has taken every event so far
        return KvProtocol.audit(store);
    }

    private static void send(OutputStream out, String reply) throws IOException {
        out.write((reply + "\n").getBytes(StandardCharsets.UTF_8));
    }
}
