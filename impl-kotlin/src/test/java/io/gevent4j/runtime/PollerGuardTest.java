package io.gevent4j.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Trap 1: the JVM's socket sub-pollers must never belong to a hub. A fresh JVM (so that no socket I/O ran
 * before) does its first virtual-thread socket I/O inside a Java greenlet, closes that hub, then does socket
 * I/O on a plain virtual thread: without the guard, the pollers inherited the hub's scheduler and die with it,
 * and that I/O hangs.
 */
class PollerGuardTest {
    @Test
    void socketIoOutsideHubsWorksAfterTheHubThatFirstDidIoIsClosed() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(
                        java,
                        "--add-opens",
                        "java.base/java.lang=ALL-UNNAMED",
                        "-cp",
                        System.getProperty("java.class.path"),
                        PollerGuardMain.class.getName())
                .redirectErrorStream(true)
                .start();
        boolean ended = p.waitFor(60, TimeUnit.SECONDS);
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!ended) {
            p.destroyForcibly();
        }
        assertTrue(ended, "the child JVM hung: " + out);
        List<String> lines = out.lines().filter(l -> l.startsWith("guard:")).toList();
        assertEquals(
                List.of(
                        "guard: mode SCHEDULED_ON_HUB",
                        "guard: greenlet io ok",
                        "guard: io after close ok",
                        "guard: tasks that reached the closed hub 0"),
                lines,
                out);
        assertEquals(0, p.exitValue(), out);
    }
}
