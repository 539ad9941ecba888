package io.gevent4j.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gevent4j.Gevent;
import io.gevent4j.testing.GeventTestBase;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SmokeTest extends GeventTestBase {
    @Test
    void spawnJoinFromForeignThread() {
        assertEquals(42, hub.spawn(() -> 42).get());
    }

    @Test
    void sch02() {
        List<String> out = inGreenlet(() -> {
            List<String> o = new ArrayList<>();
            for (String n : List.of("1", "2", "3")) {
                Gevent.spawn(() -> { o.add(n + "A"); Gevent.sleep(); o.add(n + "B"); });
            }
            o.add("M1");
            Gevent.sleep();
            o.add("M2");
            Gevent.sleep(0.01);
            return o;
        });
        assertEquals(List.of("M1", "1A", "2A", "3A", "M2", "1B", "2B", "3B"), out);
    }
}
