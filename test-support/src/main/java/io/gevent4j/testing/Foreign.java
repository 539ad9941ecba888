package io.gevent4j.testing;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

import io.gevent4j.GreenCallable;
import io.gevent4j.GreenRunnable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * A foreign thread: a daemon platform thread of no hub (a "service thread") running a body, and its outcome.
 * Results are read from a thread of no hub ({@link #value()}, {@link #failure()}, {@link #get()}, {@link #finish()})
 * or from inside a Java greenlet, yielding meanwhile ({@link #valueInGreenlet()}, {@link #failureInGreenlet()}).
 */
public final class Foreign<T> {
    /** The thread. */
    public final Thread thread;
    /**
     * The outcome: the body's value, or completed exceptionally with an {@link ExecutionException} wrapping
     * what the body threw (wrapped so that a CancellationException it throws cannot read as a cancelled future).
     */
    public final CompletableFuture<T> result = new CompletableFuture<>();

    private Foreign(String name, GreenCallable<T> body) {
        thread = Thread.ofPlatform().name(name).daemon().unstarted(() -> {
            try {
                result.complete(body.call());
            } catch (Throwable t) {
                result.completeExceptionally(new ExecutionException(t));
            }
        });
        thread.start();
    }

    /** Starts {@code body} on a new foreign thread named {@code name}. */
    public static <T> Foreign<T> call(String name, GreenCallable<T> body) {
        return new Foreign<>(name, body);
    }

    /** Starts {@code body} (no result) on a new foreign thread named {@code name}. */
    public static Foreign<Void> run(String name, GreenRunnable body) {
        return new Foreign<Void>(name, () -> {
            body.run();
            return null;
        });
    }

    /**
     * Runs {@code body} on a new foreign thread; its outcome is the returned future as-is (completed
     * exceptionally with what the body threw).
     */
    public static <T> CompletableFuture<T> future(String name, GreenCallable<T> body) {
        CompletableFuture<T> f = new CompletableFuture<>();
        Thread.ofPlatform().name(name).daemon().start(() -> {
            try {
                f.complete(body.call());
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        });
        return f;
    }

    /** Runs {@code body} on a new foreign thread and returns its value (at most 10 s), re-throwing its failure. */
    public static <T> T callAndWait(String name, GreenCallable<T> body) throws Exception {
        return call(name, body).get();
    }

    /** Runs {@code body} on a new foreign thread, waits for it (at most 30 s) and re-throws what it threw. */
    public static void runAndWait(String name, GreenRunnable body) throws Exception {
        Foreign<Void> f = run(name, body);
        f.join();
        try {
            f.result.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause().getCause();
            if (cause instanceof Error err) {
                throw err;
            }
            throw (Exception) cause;
        }
    }

    /** Like {@link CompletableFuture#get(long, TimeUnit)} with 10 s: an ExecutionException wraps a failure. */
    public T get() throws Exception {
        try {
            return result.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw (ExecutionException) e.getCause();
        }
    }

    /** The value, from a thread of no hub; a failure becomes an AssertionError. */
    public T value() throws Exception {
        try {
            return result.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError(
                    "foreign thread " + thread.getName() + " failed",
                    e.getCause().getCause());
        }
    }

    /** The failure, from a thread of no hub; a value becomes an AssertionError. */
    public Throwable failure() throws Exception {
        try {
            T v = result.get(10, TimeUnit.SECONDS);
            throw new AssertionError("foreign thread " + thread.getName() + " returned " + v + " instead of failing");
        } catch (ExecutionException e) {
            return e.getCause().getCause();
        }
    }

    /** Inside a greenlet: yields until the thread finished, then returns as {@link #value()}. */
    public T valueInGreenlet() throws Exception {
        Waiting.yieldUntil(result::isDone, "foreign thread " + thread.getName() + " to finish");
        return value();
    }

    /** Inside a greenlet: yields until the thread finished, then returns as {@link #failure()}. */
    public Throwable failureInGreenlet() throws Exception {
        Waiting.yieldUntil(result::isDone, "foreign thread " + thread.getName() + " to finish");
        return failure();
    }

    /** Waits until the thread is blocked in a gevent4j call (registered as a waiter); fails if it ended instead. */
    public void awaitParked() throws InterruptedException {
        Waiting.yieldUntil(() -> Waiting.isParked(thread) || result.isDone(), thread.getName() + " to block");
        if (result.isDone()) {
            fail(thread.getName() + " ended instead of blocking: " + result);
        }
    }

    /** Joins the thread (at most 30 s) and re-throws its failure as an AssertionError (an Error as itself). */
    public void finish() throws InterruptedException {
        join();
        try {
            result.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause().getCause();
            if (cause instanceof Error err) {
                throw err;
            }
            throw new AssertionError(thread.getName() + " failed", cause);
        }
    }

    private void join() throws InterruptedException {
        thread.join(30_000);
        assertFalse(thread.isAlive(), thread.getName() + " did not finish in 30 s");
    }
}
