package io.gevent4j.interop;

import static io.gevent4j.testing.Recording.recorder;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gevent4j.BlockingSwitchOutException;
import io.gevent4j.Gevent;
import io.gevent4j.Greenlet;
import io.gevent4j.JavaGreenletMode;
import io.gevent4j.event.Event;
import io.gevent4j.testing.GeventTestBase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Java and Kotlin greenlets on one hub (the test base's), waiting for each other. */
class CrossKindJoinTest extends GeventTestBase {

    @BeforeEach
    void checkMode() {
        assertEquals(
                JavaGreenletMode.valueOf(System.getProperty("gevent4j.test.expectedMode")), hub.javaGreenletMode());
    }

    @Test
    void aJavaGreenletJoinsAKotlinGreenlet() {
        Greenlet<Integer> java = hub.spawn(() -> {
            Greenlet<Integer> k = KotlinSide.kotlinAdder(hub, 20, 22, 3);
            assertTrue(k.isStarted());
            return k.get();
        });
        assertEquals(42, java.get(Duration.ofSeconds(10)));
    }

    @Test
    void aKotlinGreenletAwaitsAJavaGreenlet() {
        Greenlet<Integer> java = hub.spawn(() -> {
            Gevent.sleep(0.01);
            return 21;
        });
        Greenlet<Integer> kotlin = KotlinSide.kotlinDoubler(hub, java);
        assertEquals(42, kotlin.get(Duration.ofSeconds(10)));
        assertTrue(java.isDead());
    }

    @Test
    void aKotlinBodyCallingAJavaBlockingFacadeGetsTheClearError() {
        Greenlet<Void> other = hub.spawn(() -> Gevent.sleep(30));
        Greenlet<?> k = KotlinSide.kotlinCallingJavaJoin(hub, other);
        assertTrue(k.join(Duration.ofSeconds(10)));
        BlockingSwitchOutException e = assertThrows(BlockingSwitchOutException.class, k::get);
        assertTrue(e.getMessage().contains("awaitJoin()"), e.getMessage());
        assertTrue(e.getMessage().contains("join()"), e.getMessage());
        assertTrue(other.isAlive(), "the refused join must not have waited for the other greenlet");
        other.kill();
    }

    @Test
    void oneEventWakesJavaAndKotlinWaitersInTheOrderTheyWaited() {
        List<String> log = recorder();
        Event e = new Event();
        List<Greenlet<?>> all = new ArrayList<>();
        all.add(hub.spawn(() -> {
            e.waitFor();
            log.add("java-1");
        }));
        all.add(KotlinSide.kotlinEventWaiter(hub, e, log, "kotlin-2"));
        all.add(hub.spawn(() -> {
            e.waitFor();
            log.add("java-3");
        }));
        all.add(KotlinSide.kotlinEventWaiter(hub, e, log, "kotlin-4"));
        // Let all four block, then set from this foreign thread.
        hub.spawn(() -> Gevent.sleep()).join();
        assertEquals(4, e.linkCount());
        e.set();
        for (Greenlet<?> g : all) {
            assertTrue(g.join(Duration.ofSeconds(10)));
        }
        assertEquals(List.of("java-1", "kotlin-2", "java-3", "kotlin-4"), log);
    }

    @Test
    void aForeignThreadJoinsBothKinds() {
        Greenlet<Integer> k = KotlinSide.kotlinAdder(hub, 1, 2, 5);
        Greenlet<Integer> j = hub.spawn(() -> k.get() + 10);
        assertEquals(13, j.get());
        assertEquals(3, k.value());
    }
}
