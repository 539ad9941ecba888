package io.gevent4j.socket;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gevent4j.Greenlet;
import io.gevent4j.testing.GeventTestBase;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The first round trip: a listener, an accepted and a connected socket on one hub, each wait yielding. */
class GreenSocketSmokeTest extends GeventTestBase {
    @Test
    void echoBetweenTwoGreenletsOnOneHub() {
        inGreenlet(() -> {
            try (GreenServerSocket l = GreenServerSocket.listen(new InetSocketAddress("127.0.0.1", 0))) {
                Greenlet<Void> server = hub.spawn(() -> {
                    steps.expect(2);
                    try (GreenSocket s = l.accept()) {
                        byte[] b = s.recv(100);
                        s.sendAll(b);
                    }
                });
                steps.expect(1);
                GreenSocket c = GreenSocket.connect(new InetSocketAddress("127.0.0.1", l.port()));
                c.sendAll("hello".getBytes(StandardCharsets.UTF_8));
                byte[] back = c.recv(100);
                steps.finish(3);
                assertArrayEquals("hello".getBytes(StandardCharsets.UTF_8), back);
                assertEquals(0, c.recv(10).length);
                c.close();
                server.get();
            }
        });
        steps.assertFinished();
    }
}
