package io.gevent4j.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.gevent4j.Hub;
import io.gevent4j.JavaGreenletMode;
import org.junit.jupiter.api.Test;

/**
 * The build runs every test twice: with {@code --add-opens java.base/java.lang=ALL-UNNAMED} and without.
 * Each run states the mode it expects (system property set by Surefire), so a run that silently fell back
 * to HANDOFF (trap 17) fails here.
 */
class HubModeTest {
    @Test
    void eachTestRunUsesTheModeItWasConfiguredFor() {
        String expected = System.getProperty("gevent4j.test.expectedMode");
        assertNotNull(expected, "surefire must set gevent4j.test.expectedMode");
        try (Hub hub = Hub.create("mode")) {
            assertEquals(JavaGreenletMode.valueOf(expected), hub.javaGreenletMode());
        }
    }
}
