package io.gevent4j.examples;

import io.gevent4j.Gevent;
import io.gevent4j.Greenlet;
import io.gevent4j.Hub;
import io.gevent4j.queue.Queue;
import io.gevent4j.server.StreamServer;
import io.gevent4j.socket.GreenSocket;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A small chat on a {@code StreamServer}: each client sends its name, then lines; every line goes to the other
 * clients. Each connection has a mailbox (a {@link Queue}) and two greenlets: the handler reads the client's lines
 * and puts them in the other members' mailboxes; a writer greenlet sends what arrives in its own mailbox. When
 * the client leaves, the handler shuts its mailbox down and waits for the writer before returning (the server
 * closes the socket when the handler returns). A scripted set of clients talks through it, then it stops.
 */
public final class ChatServer {
    private ChatServer() {}

    public static void main(String[] args) {
        run();
    }

    /** Runs the scenario as a greenlet on the default hub. */
    public static void run() {
        Hub.getDefault().spawn(ChatServer::scenario).get();
    }

    /** The members' mailboxes. Only greenlets of one hub touch it, one at a time: no lock needed. */
    private static final Map<String, Queue<String>> ROOM = new LinkedHashMap<>();

    private static void handle(GreenSocket socket, InetSocketAddress address) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        OutputStream out = socket.getOutputStream();
        String name = in.readLine();
        if (name == null) {
            return;
        }
        Queue<String> mailbox = new Queue<>();
        ROOM.put(name, mailbox);
        mailbox.putNowait("welcome, " + name + " (" + ROOM.size() + " online)");
        Greenlet<Void> writer = Gevent.spawn(() -> {
            for (String message : mailbox) { // ends once the mailbox is shut down and drained
                out.write((message + "\n").getBytes(StandardCharsets.UTF_8));
            }
        });
        try {
            String line;
            while ((line = in.readLine()) != null && !line.equals("/quit")) {
                for (Map.Entry<String, Queue<String>> member : ROOM.entrySet()) {
                    if (!member.getKey().equals(name)) {
                        member.getValue().putNowait(name + ": " + line);
                    }
                }
            }
        } finally {
            ROOM.remove(name);
            mailbox.shutdown();
            writer.join(); // the socket must outlive its writer
            System.out.println("server: " + name + " left (" + ROOM.size() + " online)");
        }
    }

    /** One scripted client. */
    private static final class Client implements AutoCloseable {
        final String name;
        final GreenSocket socket;
        final BufferedReader in;

        Client(String name, int port) throws IOException {
            this.name = name;
            socket = GreenSocket.connect(new InetSocketAddress("127.0.0.1", port));
            in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            say(name);
            hear();
        }

        void say(String line) throws IOException {
            socket.sendAll((line + "\n").getBytes(StandardCharsets.UTF_8));
        }

        void hear() throws IOException {
            System.out.println("  " + name + " <- " + in.readLine());
        }

        @Override
        public void close() {
            socket.close();
        }
    }

    private static void scenario() throws IOException {
        StreamServer server = new StreamServer(new InetSocketAddress("127.0.0.1", 0), ChatServer::handle).start();
        int port = server.serverPort();
        try (Client alice = new Client("alice", port);
                Client bob = new Client("bob", port);
                Client carol = new Client("carol", port)) {
            alice.say("hi everyone");
            bob.hear();
            carol.hear();
            bob.say("hi alice!");
            alice.hear();
            carol.hear();
            carol.say("/quit");
            System.out.println("  carol sees the end of the stream: " + (carol.in.readLine() == null));
            alice.say("carol is gone, bob");
            bob.hear();
            alice.say("/quit");
            bob.say("/quit");
            System.out.println("  alice and bob see the end: " + (alice.in.readLine() == null) + ", "
                    + (bob.in.readLine() == null));
        }
        server.stop();
        System.out.println("server: stopped; " + ROOM.size() + " left in the room");
    }
}
