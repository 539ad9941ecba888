package io.gevent4j.runtime;

import io.gevent4j.Hub;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

/** The child JVM of {@link PollerGuardTest}. */
public final class PollerGuardMain {
    private PollerGuardMain() {}

    public static void main(String[] args) throws Exception {
        try (ServerSocket server = new ServerSocket(0, 8, InetAddress.getLoopbackAddress())) {
            Thread.ofPlatform().daemon().start(() -> echo(server));
            Hub hub = Hub.create("first-io");
            System.out.println("guard: mode " + hub.javaGreenletMode());
            int got = hub.spawn(() -> roundTrip(server.getLocalPort())).get(Duration.ofSeconds(20));
            System.out.println(got == 42 ? "guard: greenlet io ok" : "guard: greenlet io wrong " + got);
            hub.close();
            AtomicReference<Object> r = new AtomicReference<>();
            Thread vt = Thread.ofVirtual().start(() -> {
                try {
                    r.set(roundTrip(server.getLocalPort()));
                } catch (Exception e) {
                    r.set(e);
                }
            });
            vt.join(Duration.ofSeconds(20));
            System.out.println(
                    Integer.valueOf(42).equals(r.get())
                            ? "guard: io after close ok"
                            : "guard: io after close failed " + r.get());
            // Had the JDK's pollers inherited the hub as scheduler, their continuations would now reach the
            // closed hub's fallback executor.
            long late = io.gevent4j.kotlin.internal.Fallback.received.get();
            System.out.println("guard: tasks that reached the closed hub " + late);
            System.exit(Integer.valueOf(42).equals(r.get()) && got == 42 && late == 0 ? 0 : 1);
        }
    }

    private static int roundTrip(int port) throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(42);
            out.flush();
            InputStream in = s.getInputStream();
            return in.read();
        }
    }

    private static void echo(ServerSocket server) {
        while (true) {
            try (Socket c = server.accept()) {
                int b = c.getInputStream().read();
                Thread.sleep(100); // the reader must park in the poller, not find the byte waiting
                c.getOutputStream().write(b);
            } catch (Exception e) {
                return;
            }
        }
    }
}
