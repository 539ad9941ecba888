package io.gevent4j.examples.kv;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The one client that drives every stage with the same script: four connections from one plain thread (plain
 * {@code java.net.Socket}s, as an outside user would have), to 127.0.0.1 only, each read bounded by a socket
 * timeout. The transcript records what each client sent and heard; the order is fixed by the protocol (a client
 * reads its reply before the script goes on), never by timing, so every stage must produce the same one.
 */
public final class KvClient {
    private KvClient() {}

    /** Longest wait for one reply before the script fails: far above every wait of the service. */
    private static final int READ_TIMEOUT_MILLIS = 10_000;

    /** Runs the script against the service on {@code port} and returns the transcript. Closes every socket. */
    public static List<String> script(int port) throws IOException {
        List<String> transcript = new ArrayList<>();
        List<Conn> open = new ArrayList<>();
        try {
            Conn alice = connect("alice", port, transcript, open);
            alice.request("WHOAMI"); // no session yet
            alice.request("HELLO alice");
            alice.request("SET color blue");
            alice.request("WHOAMI"); // the session local: 3 requests
            Conn bob = connect("bob", port, transcript, open);
            bob.request("HELLO bob");
            bob.request("GET color");
            bob.request("WAIT shape"); // nobody sets it: the request timeout answers
            alice.say("WAIT size"); // waits until bob sets it
            bob.request("SET size large");
            alice.hear();
            Conn carol = connect("carol", port, transcript, open);
            carol.request("HELLO carol");
            carol.request("AUDIT"); // joins the events queue
            carol.request("FLY away");
            Conn dave = connect("dave", port, transcript, open);
            dave.request("HELLO dave"); // then stays connected: dropped at shutdown
            bob.request("QUIT");
            bob.hearEnd();
            alice.request("WHOAMI");
            alice.request("QUIT");
            alice.hearEnd();
            carol.request("SHUTDOWN");
            carol.hearEnd();
            dave.hearEnd(); // the server stopped and killed dave's handler
            return transcript;
        } finally {
            for (Conn c : open) {
                c.socket.close();
            }
        }
    }

    private static Conn connect(String name, int port, List<String> transcript, List<Conn> open) throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
        Conn c = new Conn(name, socket, transcript);
        open.add(c);
        socket.setSoTimeout(READ_TIMEOUT_MILLIS);
        return c;
    }

    private static final class Conn {
        final String name;
        final Socket socket;
        final List<String> transcript;
        final BufferedReader in;
        final OutputStream out;

        Conn(String name, Socket socket, List<String> transcript) throws IOException {
            this.name = name;
            this.socket = socket;
            this.transcript = transcript;
            in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            out = socket.getOutputStream();
        }

        void request(String line) throws IOException {
            say(line);
            hear();
        }

        void say(String line) throws IOException {
            out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            transcript.add(name + " -> " + line);
        }

        void hear() throws IOException {
            String reply = in.readLine();
            if (reply == null) {
                throw new UncheckedIOException(new IOException(name + ": the server closed the connection"));
            }
            transcript.add(name + " <- " + reply);
        }

        void hearEnd() throws IOException {
            String reply = in.readLine();
            transcript.add(name + " <- " + (reply == null ? "(end of stream)" : reply));
        }
    }
}
