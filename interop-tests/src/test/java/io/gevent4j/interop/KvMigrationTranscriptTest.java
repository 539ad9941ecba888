package io.gevent4j.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gevent4j.Hub;
import io.gevent4j.JavaGreenletMode;
import io.gevent4j.examples.kv.KvMigration;
import io.gevent4j.examples.kv.KvServiceHalfMigrated;
import io.gevent4j.examples.kv.KvServiceJava;
import io.gevent4j.examples.kv.KvServiceKotlin;
import io.gevent4j.testing.LogCapture;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The key-value service of docs/migrating.md, in its three stages (all Java; a Kotlin server handing every other
 * connection to the unchanged Java handler; all Kotlin), driven by the same client script: the three transcripts
 * (what the clients sent and heard, then the auditor's log) are the same, in both hub modes, and nothing is
 * reported as a failure. The transcript covers the session local (WHOAMI), the per-request Timeout (WAIT shape),
 * an Event set in one connection waking a request of another (WAIT size), the events Queue's join (AUDIT), the
 * shutdown Event, and a handler killed at shutdown (dave) — in stage 2 a Java greenlet, reached by the kill its
 * Kotlin server greenlet passes on.
 */
class KvMigrationTranscriptTest {
    private static final List<String> EXPECTED = List.of(
            "alice -> WHOAMI",
            "alice <- ERR no session: say HELLO first",
            "alice -> HELLO alice",
            "alice <- HELLO alice",
            "alice -> SET color blue",
            "alice <- OK",
            "alice -> WHOAMI",
            "alice <- YOU ARE alice (3 requests)",
            "bob -> HELLO bob",
            "bob <- HELLO bob",
            "bob -> GET color",
            "bob <- VALUE color blue",
            "bob -> WAIT shape",
            "bob <- TIMEOUT WAIT shape",
            "alice -> WAIT size",
            "bob -> SET size large",
            "bob <- OK",
            "alice <- VALUE size large",
            "carol -> HELLO carol",
            "carol <- HELLO carol",
            "carol -> AUDIT",
            "carol <- AUDIT 5 events, last: carol joined",
            "carol -> FLY away",
            "carol <- ERR unknown command: FLY away",
            "dave -> HELLO dave",
            "dave <- HELLO dave",
            "bob -> QUIT",
            "bob <- BYE bob",
            "bob <- (end of stream)",
            "alice -> WHOAMI",
            "alice <- YOU ARE alice (5 requests)",
            "alice -> QUIT",
            "alice <- BYE alice",
            "alice <- (end of stream)",
            "carol -> SHUTDOWN",
            "carol <- BYE carol, shutting down",
            "carol <- (end of stream)",
            "dave <- (end of stream)",
            "audit: alice joined",
            "audit: alice set color=blue",
            "audit: bob joined",
            "audit: bob set size=large",
            "audit: carol joined",
            "audit: dave joined",
            "audit: bob left",
            "audit: alice left",
            "audit: carol left",
            "audit: dave dropped at shutdown");

    @Test
    void theThreeStagesGiveTheSameTranscript() throws Exception {
        assertEquals(
                JavaGreenletMode.valueOf(System.getProperty("gevent4j.test.expectedMode")),
                Hub.getDefault().javaGreenletMode());
        try (LogCapture log = new LogCapture("io.gevent4j.Greenlet", "io.gevent4j.Hub")) {
            KvMigration.Run java = KvMigration.drive(KvServiceJava::start);
            KvMigration.Run half = KvMigration.drive(KvServiceHalfMigrated::start);
            KvMigration.Run kotlin = KvMigration.drive(KvServiceKotlin::start);

            assertEquals(EXPECTED, java.transcript(), "stage 1, all Java");
            assertEquals(EXPECTED, half.transcript(), "stage 2, half migrated");
            assertEquals(EXPECTED, kotlin.transcript(), "stage 3, all Kotlin");
            assertEquals("served 4 connections in Java", java.summary());
            assertEquals("served 4 connections: 2 in Kotlin, 2 handed to Java", half.summary());
            assertEquals("served 4 connections in Kotlin", kotlin.summary());
            // observed, not counted by the service: which handler served each connection (accept order)
            assertEquals(List.of("java", "java", "java", "java"), java.servedBy(), "stage 1 handlers");
            assertEquals(List.of("kotlin", "java", "kotlin", "java"), half.servedBy(), "stage 2 handlers");
            assertEquals(List.of("kotlin", "kotlin", "kotlin", "kotlin"), kotlin.servedBy(), "stage 3 handlers");
            assertEquals(
                    List.of(),
                    log.records.stream()
                            .map(r -> r.getLevel() + " " + r.getMessage())
                            .toList(),
                    "nothing reported");
        }
    }
}
