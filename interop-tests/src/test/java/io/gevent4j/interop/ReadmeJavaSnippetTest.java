package io.gevent4j.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gevent4j.Gevent;
import io.gevent4j.Greenlet;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The README's Java example, compiled and run as it is written there. */
class ReadmeJavaSnippetTest {
    @Test
    void javaExampleOfTheReadme() {
        Greenlet<String> g = Gevent.spawn(() -> {
            Gevent.sleep(0.1); // yields: other greenlets run meanwhile
            return "done";
        });
        String result = Gevent.withTimeout(Duration.ofSeconds(1), g::get); // a Timeout if not done in 1 s
        assertEquals("done", result); // get() blocks this thread (or yields, inside a greenlet)
    }
}
