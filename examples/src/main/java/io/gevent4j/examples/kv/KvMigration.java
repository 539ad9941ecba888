package io.gevent4j.examples.kv;

import io.gevent4j.Gevent;
import io.gevent4j.Greenlet;
import io.gevent4j.GreenletExit;
import io.gevent4j.Waitable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Drives one stage of the key-value service's migration (Java, half migrated, Kotlin) with {@link KvClient}'s
 * script, from a plain thread: starts the service, runs the script, waits for the service to stop, and returns
 * the client's transcript followed by the auditor's log. The three stages must give the same one
 * ({@code KvMigrationTranscriptTest}); docs/migrating.md walks through them.
 */
public final class KvMigration {
    private KvMigration() {}

    /** How long the service may take to start listening, and to stop after the script. */
    private static final Duration SERVICE_BOUND = Duration.ofSeconds(10);

    /**
     * What one stage gave.
     *
     * @param transcript the client's lines, then the audit log
     * @param summary the service greenlet's value (how many connections, served in which language)
     * @param servedBy the language of each connection's handler, in the order they started
     */
    public record Run(List<String> transcript, String summary, List<String> servedBy) {}

    /** Stage 1, all in Java. */
    public static void runJava() {
        print(KvServiceJava::start);
    }

    /** Stage 2, half migrated: a Kotlin server handing every other connection to the Java handler. */
    public static void runHalfMigrated() {
        print(KvServiceHalfMigrated::start);
    }

    /** Stage 3, all in Kotlin. */
    public static void runKotlin() {
        print(KvServiceKotlin::start);
    }

    /** Runs the script against a fresh store served by {@code stage}; kills the service if anything fails. */
    public static Run drive(Function<KvStore, Greenlet<String>> stage) throws IOException {
        KvStore store = new KvStore();
        Greenlet<String> service = stage.apply(store);
        try {
            List<Waitable> first = Gevent.wait(List.of(store.port(), service), SERVICE_BOUND, 1);
            if (!store.port().isReady()) {
                throw new IllegalStateException(
                        first.isEmpty() ? "the service did not start listening" : "the service ended before listening",
                        service.exception());
            }
            List<String> transcript =
                    new ArrayList<>(KvClient.script(store.port().get()));
            String summary = service.get(SERVICE_BOUND);
            for (String event : store.audit()) {
                transcript.add("audit: " + event);
            }
            return new Run(transcript, summary, List.copyOf(store.servedBy()));
        } finally {
            if (!service.isDead()) {
                service.kill(new GreenletExit(), true, SERVICE_BOUND);
            }
        }
    }

    private static void print(Function<KvStore, Greenlet<String>> stage) {
        Run run;
        try {
            run = drive(stage);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (String line : run.transcript()) {
            System.out.println("  " + line);
        }
        System.out.println("service: " + run.summary());
    }
}
