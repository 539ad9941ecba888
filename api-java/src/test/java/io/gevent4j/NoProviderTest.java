package io.gevent4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gevent4j.event.Event;
import io.gevent4j.spi.GeventProvider;
import java.time.Duration;
import java.util.ServiceLoader;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The api-java module's test class path has no implementation: API.md says the first use fails with a
 * message naming the artifact to add, and so must every later use (not a bare NoClassDefFoundError).
 */
class NoProviderTest {
    private static final String ARTIFACT = "io.gevent4j:gevent4j-kotlin";

    private static void assertNamesTheArtifact(String call, Executable e) {
        IllegalStateException x = assertThrows(IllegalStateException.class, e, call);
        assertTrue(
                x.getMessage() != null && x.getMessage().contains(ARTIFACT),
                call + ": the message must name " + ARTIFACT + ": " + x.getMessage());
    }

    @Test
    @DisplayName(
            "No provider on the class path: the first use, and every later one, throws IllegalStateException naming io.gevent4j:gevent4j-kotlin")
    void firstUseWithoutAnImplementationNamesTheArtifact() {
        assertFalse(
                ServiceLoader.load(GeventProvider.class).findFirst().isPresent(),
                "precondition: no GeventProvider on api-java's test class path");
        assertNamesTheArtifact("Gevent.spawn(() -> 1) (first use)", () -> Gevent.spawn(() -> 1));
        assertNamesTheArtifact("Hub.getDefault()", Hub::getDefault);
        assertNamesTheArtifact("Hub.create(\"x\")", () -> Hub.create("x"));
        assertNamesTheArtifact("new Greenlet(fn)", () -> new Greenlet<>(() -> 1));
        assertNamesTheArtifact("Gevent.sleep(0.01)", () -> Gevent.sleep(0.01));
        assertNamesTheArtifact("new Event()", Event::new);
        assertNamesTheArtifact("Timeout.startNew(1 s)", () -> Timeout.startNew(Duration.ofSeconds(1)));
    }

    @Test
    @DisplayName("No provider: argument checks and unstarted Timeouts need no implementation")
    void argumentChecksComeFirst() {
        assertEquals("0.05 seconds", new Timeout(0.05).getMessage());
        assertFalse(new Timeout(0.05).isPending());
        assertThrows(IllegalArgumentException.class, () -> new Timeout(-1.0));
        assertThrows(NullPointerException.class, () -> Hub.create(null));
        // a Timeout without a duration never fires, so starting it needs no implementation either
        Timeout none = new Timeout();
        assertEquals(none, none.start());
    }
}
