package io.gevent4j.examples;

import io.gevent4j.Gevent;
import io.gevent4j.Greenlet;
import io.gevent4j.Hub;
import io.gevent4j.subprocess.Communicated;
import io.gevent4j.subprocess.Popen;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * gevent's subprocess example: a child runs {@code ls; sleep 0.3} while a ticker greenlet keeps printing, because
 * waiting for the child ({@code communicate}) yields to the hub instead of blocking it. The child's pipes are read
 * by gevent4j's own threads, never by the hub.
 */
public final class SubprocessTicker {
    private SubprocessTicker() {}

    public static void main(String[] args) {
        run();
    }

    /** Runs the scenario as a greenlet on the default hub. */
    public static void run() {
        Hub.getDefault().spawn(SubprocessTicker::scenario).get();
    }

    private static void scenario() throws Exception {
        AtomicInteger ticks = new AtomicInteger();
        Greenlet<Void> ticker = Gevent.spawn(() -> {
            while (true) {
                System.out.println("ticker: tick " + ticks.incrementAndGet());
                Gevent.sleep(0.05);
            }
        });
        // Popen(['sh', '-c', 'ls; sleep 0.3'], stdout=PIPE): Redirect.PIPE (the ProcessBuilder default) is gevent's
        // PIPE
        Popen p = new Popen(new ProcessBuilder("sh", "-c", "ls; sleep 0.3").redirectError(Redirect.INHERIT));
        System.out.println("main: started pid " + p.pid() + ", waiting for its output");
        Communicated out = p.communicate(); // cooperative: the ticker runs meanwhile
        ticker.kill();
        String listing = new String(out.stdout(), StandardCharsets.UTF_8).strip();
        System.out.println("main: child exited with " + p.returncode() + " after " + ticks.get()
                + " ticks; ls printed: " + String.join(" ", listing.split("\n")));
    }
}
