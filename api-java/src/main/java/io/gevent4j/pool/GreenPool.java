package io.gevent4j.pool;

import io.gevent4j.GreenBiFunction;
import io.gevent4j.GreenCallable;
import io.gevent4j.GreenFunction;
import io.gevent4j.GreenRunnable;
import io.gevent4j.Greenlet;
import io.gevent4j.spi.GreenPoolPeer;
import io.gevent4j.spi.Internals;
import io.gevent4j.spi.Providers;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * eventlet's {@code eventlet.GreenPool}: runs greenlets with at most {@code size} of them at a time.
 *
 * <p>{@link #spawn(GreenCallable)} and {@link #spawnN(GreenRunnable)} wait for a free slot, in FIFO order of the
 * spawners; a slot is released as soon as its greenlet ends (success, failure or kill), before anyone joining
 * that greenlet resumes (EL-08, EL-09). Spawning never yields when a slot is free: the new greenlet runs once the
 * caller yields (EL-02).
 *
 * <p><b>Reentrancy (EL-07).</b> A spawn made by one of this pool's own greenlets while the pool is full would wait
 * for ever for a slot that the caller itself holds. As in eventlet, such a spawn instead runs the function
 * <em>inline</em>, in the calling greenlet, and returns an already-finished greenlet holding its result or
 * failure (the failure is not thrown from {@code spawn}; it is thrown by {@link Greenlet#get()}). Building that
 * finished greenlet yields to the hub once.
 *
 * <p>Every method may be called from any thread; the pool's state sits under one short lock that is never held
 * across a wait. Waiting follows the caller contexts of {@link Group}: a Java greenlet yields to the hub, a thread
 * that belongs to no hub blocks, and a wait on a hub thread outside a Java greenlet (a Kotlin greenlet's body) is
 * refused with {@link io.gevent4j.BlockingSwitchOutException} naming the suspend twin
 * ({@code GreenPool.spawnSuspend}, {@code GreenPool.awaitWaitall}, {@code GreenPool.imapFlow}).
 */
public class GreenPool {
    static {
        Internals.install(GreenPool.class, p -> ((GreenPool) p).peer);
    }

    private final GreenPoolPeer peer;

    /** Creates a pool of 1000 slots (eventlet's default). */
    public GreenPool() {
        this(1000);
    }

    /**
     * Creates a pool of {@code size} slots. {@code GreenPool(0)} is valid; spawning into it waits for ever (EL-01).
     *
     * @param size the number of slots
     * @throws IllegalArgumentException if {@code size} is negative, naming the value
     */
    public GreenPool(int size) {
        if (size < 0) {
            throw new IllegalArgumentException("GreenPool() expect size >= 0, actual: " + size);
        }
        this.peer = Providers.get().newGreenPool(size);
    }

    /**
     * Spawns {@code fn} in a new greenlet, first waiting (in FIFO order) for a free slot. Called from one of this
     * pool's greenlets while the pool is full, runs {@code fn} inline instead (see the class comment).
     *
     * @param fn the body
     * @param <T> the result type
     * @return the started greenlet (already finished in the inline case)
     * @throws NullPointerException if {@code fn} is null
     * @throws io.gevent4j.Timeout if a timeout interrupts the wait; no slot is then taken
     */
    public <T extends @Nullable Object> Greenlet<T> spawn(GreenCallable<T> fn) {
        Objects.requireNonNull(fn, "fn must not be null");
        return peer.spawn(fn);
    }

    /**
     * As {@link #spawn(GreenCallable)}, for a body with no result, and returns nothing (eventlet's
     * {@code spawn_n}). On a full pool it waits, so it yields (EL-06); from inside a full pool it runs inline
     * (EL-07), and a failure of the body is then reported as a failed greenlet's would be, not thrown.
     *
     * @param fn the body
     * @throws NullPointerException if {@code fn} is null
     * @throws io.gevent4j.Timeout if a timeout interrupts the wait
     */
    public void spawnN(GreenRunnable fn) {
        Objects.requireNonNull(fn, "fn must not be null");
        spawn(() -> {
            fn.run();
            return null;
        });
    }

    /**
     * The number of slots (eventlet's {@code size} attribute), as set by the constructor or {@link #resize}. Never
     * blocks.
     *
     * @return the size
     */
    public int size() {
        return peer.size();
    }

    /**
     * The number of free slots: {@code size - running()}; negative after shrinking below the running count
     * (EL-05). Never blocks.
     *
     * @return the free slots
     */
    public int free() {
        return peer.free();
    }

    /**
     * The number of greenlets of this pool that have not finished yet (inline runs are not counted). Never blocks.
     *
     * @return the running count
     */
    public int running() {
        return peer.running();
    }

    /**
     * The number of spawners waiting for a free slot (EL-04). Never blocks.
     *
     * @return the waiting count
     */
    public int waiting() {
        return peer.waiting();
    }

    /**
     * Changes the number of slots. Running greenlets are not affected, so {@link #free()} may go negative; growing
     * wakes waiting spawners. Never blocks.
     *
     * @param newSize the new number of slots
     * @throws IllegalArgumentException if {@code newSize} is negative, naming the value
     */
    public void resize(int newSize) {
        if (newSize < 0) {
            throw new IllegalArgumentException("GreenPool.resize() expect size >= 0, actual: " + newSize);
        }
        peer.resize(newSize);
    }

    /**
     * Waits until no greenlet of this pool is running; returns at once when none is (EL-10).
     *
     * @throws IllegalStateException if called from one of this pool's greenlets (it would never return)
     * @throws io.gevent4j.Timeout if a timeout interrupts the wait
     */
    public void waitall() {
        peer.waitall();
    }

    /**
     * Applies {@code fn} to every item, each in a greenlet of its own, and returns the results lazily in input
     * order (EL-11). As eventlet's {@code GreenMap}, the tasks run in a new pool of this pool's current size: at
     * most that many at once, without taking this pool's slots (they are not counted by {@link #running()}, and an
     * imap from inside a full pool does not deadlock). Never blocks: a helper greenlet (not a member) reads the
     * input, at most the pool size ahead of the consumer, and spawns the tasks. The iterator blocks in {@code hasNext}/{@code next}; a failed task
     * throws there (unchecked errors as the same instance, checked ones wrapped in
     * {@link io.gevent4j.GreenletFailedException}) and the iteration goes on (EL-12).
     *
     * @param fn the function
     * @param items the inputs
     * @param <A> the input type
     * @param <R> the result type
     * @return the one-pass result iterator
     * @throws NullPointerException if {@code fn} or {@code items} is null
     */
    public <A extends @Nullable Object, R extends @Nullable Object> IMap<R> imap(
            GreenFunction<? super A, ? extends R> fn, Iterable<? extends A> items) {
        return peer.imap(Tasks.of(fn, items));
    }

    /**
     * As {@link #imap(GreenFunction, Iterable)}, over pairs taken from {@code a} and {@code b} together (zip: the
     * shorter input ends it).
     *
     * @param fn the function
     * @param a the first inputs
     * @param b the second inputs
     * @param <A> the first input type
     * @param <B> the second input type
     * @param <R> the result type
     * @return the one-pass result iterator, in input order
     * @throws NullPointerException if an argument is null
     */
    public <A extends @Nullable Object, B extends @Nullable Object, R extends @Nullable Object> IMap<R> imap(
            GreenBiFunction<? super A, ? super B, ? extends R> fn, Iterable<? extends A> a, Iterable<? extends B> b) {
        return peer.imap(Tasks.zip(fn, a, b));
    }

    /**
     * eventlet's {@code starmap}: applies {@code fn} to each argument tuple, as {@link #imap(GreenFunction,
     * Iterable)} does (EL-13); the results come in input order.
     *
     * @param fn the function, given each tuple
     * @param argTuples the argument tuples
     * @param <R> the result type
     * @return the one-pass result iterator
     * @throws NullPointerException if {@code fn} or {@code argTuples} is null
     */
    public <R extends @Nullable Object> IMap<R> starmap(
            GreenFunction<? super Object[], ? extends R> fn, Iterable<Object[]> argTuples) {
        return imap(fn, argTuples);
    }

    @Override
    public String toString() {
        return peer.toString();
    }
}
