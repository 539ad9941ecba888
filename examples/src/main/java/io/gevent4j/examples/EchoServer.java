package io.gevent4j.examples;

import io.gevent4j.Gevent;
import io.gevent4j.Greenlet;
import io.gevent4j.Hub;
import io.gevent4j.server.StreamServer;
import io.gevent4j.socket.GreenSocket;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * gevent's {@code examples/echoserver.py}: a {@code StreamServer} runs {@link #echo} in a new greenlet for every
 * client; the handler reads lines through the socket's cooperative stream and echoes them until the client says
 * {@code quit}. Three client greenlets talk to it at the same time, on the same hub, then the server stops.
 */
public final class EchoServer {
    private EchoServer() {}

    public static void main(String[] args) {
        run();
    }

    /** Runs the scenario as a greenlet on the default hub. */
    public static void run() {
        Hub.getDefault().spawn(EchoServer::scenario).get();
    }

    private static void scenario() throws IOException {
        StreamServer server = new StreamServer(new InetSocketAddress("127.0.0.1", 0), EchoServer::echo).start();
        System.out.println("server: listening on 127.0.0.1 (port " + server.serverPort() + ")");
        List<Greenlet<?>> clients = new ArrayList<>();
        for (String name : List.of("alice", "bob", "carol")) {
            clients.add(Gevent.spawn(() -> client(name, server.serverPort())).name(name));
        }
        Gevent.joinAll(clients, null, true, 0);
        server.stop();
        System.out.println("server: stopped (closed=" + server.isClosed() + ")");
    }

    /** The handler: one greenlet per connection; the server closes the socket when it returns. */
    private static void echo(GreenSocket socket, InetSocketAddress address) throws IOException {
        System.out.println("server: new connection, served in a greenlet of its own");
        BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        OutputStream out = socket.getOutputStream();
        out.write("Welcome to the echo server! Type quit to exit.\n".getBytes(StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) { // null: the client closed
            if (line.equals("quit")) {
                out.write("bye\n".getBytes(StandardCharsets.UTF_8));
                break;
            }
            out.write(("echo: " + line + "\n").getBytes(StandardCharsets.UTF_8));
        }
    }

    private static void client(String name, int port) throws IOException {
        try (GreenSocket s = GreenSocket.connect(new InetSocketAddress("127.0.0.1", port))) {
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            OutputStream out = s.getOutputStream();
            System.out.println("  " + name + " <- " + in.readLine());
            for (String line : List.of("hello from " + name, "how are you?", "quit")) {
                out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
                System.out.println("  " + name + " -> " + line);
                System.out.println("  " + name + " <- " + in.readLine());
            }
            System.out.println("  " + name + " sees the end of the stream: " + (in.readLine() == null));
        }
    }
}
