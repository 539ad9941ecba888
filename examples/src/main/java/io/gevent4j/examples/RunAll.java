package io.gevent4j.examples;

import io.gevent4j.Hub;
import io.gevent4j.examples.kv.KvMigration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs every example, Java and Kotlin side by side, with a header each. Exits 0 when all pass, 1 when one
 * throws, 2 when one hangs. Arguments, if any, select the examples whose name contains one of them
 * (case-insensitive), e.g. {@code RunAll timeout}.
 */
public final class RunAll {
    private RunAll() {}

    /** Longest run allowed for one example before RunAll gives up. */
    private static final long WATCHDOG_MILLIS = 30_000;

    private record Example(String name, Runnable body) {}

    private static final List<Example> EXAMPLES = List.of(
            new Example("SpawnAndJoin (Java)", SpawnAndJoin::run),
            new Example("SpawnAndJoin (Kotlin)", SpawnAndJoinKotlin::run),
            new Example("SpawnLater (Java)", SpawnLater::run),
            new Example("SpawnLater (Kotlin)", SpawnLaterKotlin::run),
            new Example("KillAndLink (Java)", KillAndLink::run),
            new Example("KillAndLink (Kotlin)", KillAndLinkKotlin::run),
            new Example("Timeouts (Java)", Timeouts::run),
            new Example("Timeouts (Kotlin)", TimeoutsKotlin::run),
            new Example("EventSetterWaiters (Java)", EventSetterWaiters::run),
            new Example("EventSetterWaiters (Kotlin)", EventSetterWaitersKotlin::run),
            new Example("AsyncResultSetterWaiters (Java)", AsyncResultSetterWaiters::run),
            new Example("AsyncResultSetterWaiters (Kotlin)", AsyncResultSetterWaitersKotlin::run),
            new Example("QueueBossWorkers (Java)", QueueBossWorkers::run),
            new Example("QueueBossWorkers (Kotlin)", QueueBossWorkersKotlin::run),
            new Example("BoundedSemaphoreWorkers (Java)", BoundedSemaphoreWorkers::run),
            new Example("BoundedSemaphoreWorkers (Kotlin)", BoundedSemaphoreWorkersKotlin::run),
            new Example("GreenletLocalSessions (Java)", GreenletLocalSessions::run),
            new Example("GreenletLocalSessions (Kotlin)", GreenletLocalSessionsKotlin::run),
            new Example("PoolMap (Java)", PoolMap::run),
            new Example("PoolMap (Kotlin)", PoolMapKotlin::run),
            new Example("Crawler (Java)", Crawler::run),
            new Example("GreenPoolPile (Java)", GreenPoolPile::run),
            new Example("GreenPoolPile (Kotlin)", GreenPoolPileKotlin::run),
            new Example("SubprocessTicker (Java)", SubprocessTicker::run),
            new Example("SubprocessTicker (Kotlin)", SubprocessTickerKotlin::run),
            new Example("HashFilesOnThreadPool (Java)", HashFilesOnThreadPool::run),
            new Example("HashFilesOnThreadPool (Kotlin)", HashFilesOnThreadPoolKotlin::run),
            new Example("HttpServerOnGreenlets (Java)", HttpServerOnGreenlets::run),
            new Example("EchoServer (Java)", EchoServer::run),
            new Example("EchoServer (Kotlin)", EchoServerKotlin::run),
            new Example("ChatServer (Java)", ChatServer::run),
            new Example("ChatServer (Kotlin)", ChatServerKotlin::run),
            new Example("KvMigration stage 1 (Java)", KvMigration::runJava),
            new Example(
                    "KvMigration stage 2 (half migrated: Kotlin server, Java and Kotlin handlers)",
                    KvMigration::runHalfMigrated),
            new Example("KvMigration stage 3 (Kotlin)", KvMigration::runKotlin),
            new Example("ConcurrentFetches (Java)", ConcurrentFetches::run),
            new Example("ConcurrentFetches (Kotlin)", ConcurrentFetchesKotlin::run));

    public static void main(String[] args) throws InterruptedException {
        System.out.println("gevent4j examples; default hub's Java greenlet mode: "
                + Hub.getDefault().javaGreenletMode());
        int ran = 0;
        int failed = 0;
        for (Example example : EXAMPLES) {
            if (!selected(example, args)) {
                continue;
            }
            ran++;
            System.out.println();
            System.out.println("=== " + example.name() + " ===");
            long t0 = System.nanoTime();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread runner = new Thread(
                    () -> {
                        try {
                            example.body().run();
                        } catch (Throwable t) {
                            failure.set(t);
                        }
                    },
                    "example-runner");
            runner.setDaemon(true);
            runner.start();
            runner.join(WATCHDOG_MILLIS);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            System.out.flush();
            if (runner.isAlive()) {
                System.out.println("--- " + example.name() + " HUNG: not done after " + ms + " ms");
                System.out.flush();
                System.exit(2);
            }
            Throwable t = failure.get();
            if (t != null) {
                failed++;
                System.out.println("--- " + example.name() + " FAILED after " + ms + " ms: " + t);
                t.printStackTrace(System.out);
            } else {
                System.out.println("--- " + example.name() + " ok (" + ms + " ms)");
            }
        }
        System.out.println();
        System.out.println(ran + " examples run, " + failed + " failed");
        System.out.flush();
        System.exit(failed == 0 ? 0 : 1);
    }

    private static boolean selected(Example example, String[] args) {
        if (args.length == 0) {
            return true;
        }
        String name = example.name().toLowerCase(Locale.ROOT);
        for (String arg : args) {
            if (name.contains(arg.toLowerCase(Locale.ROOT))) {
                return true;
            }
        }
        return false;
    }
}
