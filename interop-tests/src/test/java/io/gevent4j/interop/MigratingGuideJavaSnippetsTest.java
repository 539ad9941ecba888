package io.gevent4j.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gevent4j.Gevent;
import io.gevent4j.Greenlet;
import io.gevent4j.Timeout;
import io.gevent4j.pool.Pool;
import io.gevent4j.queue.Queue;
import io.gevent4j.server.StreamServer;
import io.gevent4j.socket.GreenSocket;
import io.gevent4j.testing.GeventTestBase;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Java programs of docs/migrating.md's section 7 (from gevent or eventlet), run as they are written there. */
class MigratingGuideJavaSnippetsTest extends GeventTestBase {
    private final List<String> printed = new ArrayList<>();

    private String slow() {
        Gevent.sleep(10);
        return "slow";
    }

    private void run(io.gevent4j.GreenRunnable body) {
        hub.spawn(body).get(Duration.ofSeconds(30));
    }

    @Test
    void spawnAndJoin() {
        run(() -> {
            List<Greenlet<Integer>> jobs = new ArrayList<>();
            for (int n = 0; n < 3; n++) {
                int x = n; // arguments: capture them in the lambda
                jobs.add(Gevent.spawn(() -> {
                    Gevent.sleep(0.1);
                    return x * 2;
                }));
            }
            Gevent.joinAll(jobs);
            printed.add(String.valueOf(jobs.stream().map(Greenlet::value).toList())); // [0, 2, 4]
        });
        assertEquals(List.of("[0, 2, 4]"), printed);
    }

    @Test
    void timeout() {
        run(() -> {
            Timeout t = Timeout.startNew(Duration.ofSeconds(1));
            try (t) {
                Gevent.sleep(10);
            } catch (Timeout x) {
                if (x != t) throw x; // someone else's timeout: pass it on
                printed.add("too slow");
            }
            printed.add(Gevent.withTimeout(Duration.ofSeconds(1), () -> slow(), "fallback"));
        });
        assertEquals(List.of("too slow", "fallback"), printed);
    }

    @Test
    void queueWorkers() {
        run(() -> {
            Queue<Integer> q = new Queue<>();
            Greenlet<Void> boss = Gevent.spawn(() -> {
                for (int task = 0; task < 6; task++) q.put(task);
                q.shutdown();
            });
            List<Greenlet<?>> all = new ArrayList<>(List.of(boss));
            for (String name : List.of("a", "b")) {
                all.add(Gevent.spawn(() -> {
                    for (int task : q) { // ends once the queue is shut down and drained
                        printed.add(name + " got " + task);
                        Gevent.sleep();
                    }
                }));
            }
            Gevent.joinAll(all);
        });
        assertEquals(List.of("a got 0", "b got 1", "a got 2", "b got 3", "a got 4", "b got 5"), printed);
    }

    @Test
    void streamServerHandler() {
        run(() -> {
            StreamServer[] holder = new StreamServer[1];
            Greenlet<Void> serving = Gevent.spawn(() -> {
                StreamServer server = new StreamServer(
                        new InetSocketAddress("127.0.0.1", 0),
                        (socket, address) -> {
                            for (byte[] data;
                                    (data = socket.recv(4096)).length > 0; ) { // an empty array: the client closed
                                socket.sendAll(data);
                            }
                        },
                        new Pool(100));
                holder[0] = server;
                server.serveForever();
            });
            Gevent.sleep(); // the serving greenlet runs: serveForever starts the server, then waits
            assertTrue(holder[0].isStarted());
            try (GreenSocket s = GreenSocket.connect(new InetSocketAddress("127.0.0.1", holder[0].serverPort()))) {
                s.sendAll("hello".getBytes(StandardCharsets.UTF_8));
                printed.add(new String(s.recv(4096), StandardCharsets.UTF_8));
            }
            holder[0].stop();
            assertTrue(serving.join(Duration.ofSeconds(10)));
        });
        assertEquals(List.of("hello"), printed);
    }
}
