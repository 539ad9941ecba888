package io.gevent4j.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gevent4j.Greenlet;
import io.gevent4j.Hub;
import io.gevent4j.JavaGreenletMode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A Java greenlet doing plain blocking {@code java.net} socket I/O. In SCHEDULED_ON_HUB mode the read parks
 * the virtual thread and the hub runs the other greenlets meanwhile: the loopback server answers only after a
 * Kotlin and a Java greenlet on the same hub have run, so the test would hang (and fail) if the read stalled
 * the hub. In HANDOFF mode the read keeps the baton (the documented "unpatched gevent" limitation): the
 * server gives up waiting after 300 ms and the others have not run by then.
 */
class BlockingSocketIoTest {
    @Test
    void otherGreenletsRunWhileAJavaGreenletBlocksInASocketRead() throws Exception {
        try (Hub hub = Hub.create("socket-io");
                ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            boolean scheduled = hub.javaGreenletMode() == JavaGreenletMode.SCHEDULED_ON_HUB;
            CountDownLatch othersRan = new CountDownLatch(2);
            Thread serverThread = Thread.ofPlatform().start(() -> serve(server, othersRan, scheduled ? 20_000 : 300));

            Greenlet<String> reader = hub.spawn(() -> {
                try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
                    s.setSoTimeout(30_000);
                    OutputStream out = s.getOutputStream();
                    out.write("ping\n".getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    return new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8))
                            .readLine();
                }
            });
            Greenlet<kotlin.Unit> kotlin = KotlinSide.kotlinGreenlet(hub, othersRan::countDown);
            Greenlet<Void> java = hub.spawn(othersRan::countDown);

            String reply = reader.get(Duration.ofSeconds(40));
            assertTrue(kotlin.join(Duration.ofSeconds(10)) && java.join(Duration.ofSeconds(10)));
            serverThread.join();
            assertEquals(scheduled ? "pong others-ran=true" : "pong others-ran=false", reply);
        }
    }

    private static void serve(ServerSocket server, CountDownLatch othersRan, long waitMillis) {
        try (Socket c = server.accept()) {
            BufferedReader in = new BufferedReader(new InputStreamReader(c.getInputStream(), StandardCharsets.UTF_8));
            String req = in.readLine();
            boolean ran = othersRan.await(waitMillis, TimeUnit.MILLISECONDS);
            PrintWriter out = new PrintWriter(c.getOutputStream(), true, StandardCharsets.UTF_8);
            out.println(("ping".equals(req) ? "pong" : "bad") + " others-ran=" + ran);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
