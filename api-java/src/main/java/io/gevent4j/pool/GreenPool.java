package io.gevent4j.pool;

import io.gevent4j.GreenBiFunction;
import io.gevent4j.GreenCallable;
import io.gevent4j.GreenFunction;
import io.gevent4j.GreenRunnable;
import io.gevent4j.Gevent;
import io.gevent4j.Greenlet;
import io.gevent4j.event.Event;
import io.gevent4j.Waitable;
import io.gevent4j.spi.PoolAccess;
import io.gevent4j.spi.Providers;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
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
    private static final String WAITALL_INSIDE =
            "Calling waitall() from within one of the GreenPool's greenthreads will never terminate.";

    static {
        PoolInternals.install();
    }

    private final SpinLock lock = new SpinLock(); // not a monitor: see SpinLock
    private int size; // guarded by lock
    private int free; // guarded by lock
    private final Set<Greenlet<?>> members = Collections.newSetFromMap(new IdentityHashMap<>()); // guarded by lock
    private final ArrayDeque<Ticket> waiters = new ArrayDeque<>(); // FIFO; guarded by lock
    private final EmptySignal idle = new EmptySignal(); // set while no member runs
    private final Consumer<Waitable> onDeath = w -> untrack((Greenlet<?>) w);
    private final Group feeder = new Group() {
        @Override
        public void start(Greenlet<?> g) {
            startMember(g);
        }

        @Override
        <T> Greenlet<T> newTask(GreenCallable<T> task) {
            return new Greenlet<>(releasingAtEnd(task));
        }

        @Override
        public void add(Greenlet<?> g) {
            throw new UnsupportedOperationException("internal group of a GreenPool");
        }
    };

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
        this.size = size;
        this.free = size;
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
    public <T> Greenlet<T> spawn(GreenCallable<T> fn) {
        Objects.requireNonNull(fn, "fn must not be null");
        Object taken = slotOrTicket(Gevent.getcurrent()); // decides "inline" and "queue" in one step
        if (taken == INLINE) {
            // the inline run ends with a join (one yield): refuse in a Kotlin body before running anything
            Providers.get().checkMayBlock("GreenPool.spawn/spawnN (inline, from a member of a full pool)",
                    "GreenPool.spawnSuspend");
            return inline(fn);
        }
        if (taken != null) {
            awaitSlot((Ticket) taken, "GreenPool.spawn/spawnN (or GreenPile.spawn)");
        }
        Greenlet<T> g;
        try {
            g = new Greenlet<>(releasingAtEnd(fn));
        } catch (RuntimeException | Error e) {
            giveBackSlot();
            throw e;
        }
        track(g);
        g.start();
        return g;
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
        lock.lock();
        try {
            return size;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The number of free slots: {@code size - running()}; negative after shrinking below the running count
     * (EL-05). Never blocks.
     *
     * @return the free slots
     */
    public int free() {
        lock.lock();
        try {
            return free;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The number of greenlets of this pool that have not finished yet (inline runs are not counted). Never blocks.
     *
     * @return the running count
     */
    public int running() {
        lock.lock();
        try {
            return members.size();
        } finally {
            lock.unlock();
        }
    }

    /**
     * The number of spawners waiting for a free slot (EL-04). Never blocks.
     *
     * @return the waiting count
     */
    public int waiting() {
        lock.lock();
        try {
            return waiters.size();
        } finally {
            lock.unlock();
        }
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
        Event wake;
        lock.lock();
        try {
            free += newSize - size;
            size = newSize;
            wake = headToWake();
        } finally {
            lock.unlock();
        }
        if (wake != null) {
            wake.set();
        }
    }

    /**
     * Waits until no greenlet of this pool is running; returns at once when none is (EL-10).
     *
     * @throws IllegalStateException if called from one of this pool's greenlets (it would never return)
     * @throws io.gevent4j.Timeout if a timeout interrupts the wait
     */
    public void waitall() {
        if (isMember(Gevent.getcurrent())) {
            throw new IllegalStateException(WAITALL_INSIDE);
        }
        if (!idle.event.isSet()) {
            Providers.get().checkMayBlock("GreenPool.waitall", "GreenPool.awaitWaitall");
        }
        while (!idle.event.isSet()) {
            idle.event.waitFor();
        }
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
    public <A, R> IMap<R> imap(GreenFunction<? super A, ? extends R> fn, Iterable<? extends A> items) {
        Iterator<GreenCallable<R>> tasks = GroupIMap.tasks(fn, items);
        return new GroupIMap<R>(new GreenPool(size()).feeder, tasks, true, window(), "GreenPool.imapFlow");
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
    public <A, B, R> IMap<R> imap(GreenBiFunction<? super A, ? super B, ? extends R> fn, Iterable<? extends A> a,
            Iterable<? extends B> b) {
        Iterator<GreenCallable<R>> tasks = GroupIMap.zipTasks(fn, a, b);
        return new GroupIMap<R>(new GreenPool(size()).feeder, tasks, true, window(), "GreenPool.imapFlow");
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
    public <R> IMap<R> starmap(GreenFunction<? super Object[], ? extends R> fn, Iterable<Object[]> argTuples) {
        return imap(fn, argTuples);
    }

    @Override
    public String toString() {
        lock.lock();
        try {
            return "<GreenPool size=" + size + " free=" + free + " running=" + members.size() + ">";
        } finally {
            lock.unlock();
        }
    }

    // ---- internals ---------------------------------------------------------------------------------------

    private int window() {
        lock.lock();
        try {
            return Math.max(1, size);
        } finally {
            lock.unlock();
        }
    }

    boolean isMember(@Nullable Greenlet<?> g) {
        if (g == null) {
            return false;
        }
        lock.lock();
        try {
            return members.contains(g);
        } finally {
            lock.unlock();
        }
    }

    Event idle() {
        return idle.event;
    }

    private void startMember(Greenlet<?> g) {
        acquireSlot("GreenPool.imap");
        track(g);
        g.start();
    }

    /**
     * {@code fn}, freeing its greenlet's slot as its last act, before the greenlet is dead: as in eventlet, a slot
     * is free again by the time anyone sees the greenlet finished (EL-08, EL-09). The death link of
     * {@link #track} still frees the slot of a greenlet killed before it ran.
     */
    private <T> GreenCallable<T> releasingAtEnd(GreenCallable<T> fn) {
        return () -> {
            try {
                return fn.call();
            } finally {
                released(Gevent.getcurrent());
            }
        };
    }

    /** A member's body ended: frees its slot now (idempotent with the death link). */
    void released(@Nullable Greenlet<?> g) {
        if (g != null) {
            untrack(g);
        }
    }

    /** Makes {@code g} a member for the slot its spawner took; the slot is freed when it dies. */
    void track(Greenlet<?> g) {
        boolean flipped;
        lock.lock();
        try {
            flipped = members.add(g) && members.size() == 1;
        } finally {
            lock.unlock();
        }
        if (flipped) {
            idle.sync(lock, members::isEmpty);
        }
        g.rawlink(onDeath);
    }

    private void untrack(Greenlet<?> g) {
        Event wake;
        boolean flipped;
        lock.lock();
        try {
            if (!members.remove(g)) {
                return;
            }
            free++;
            flipped = members.isEmpty();
            wake = headToWake();
        } finally {
            lock.unlock();
        }
        if (flipped) {
            idle.sync(lock, members::isEmpty);
        }
        if (wake != null) {
            wake.set();
        }
    }

    /**
     * A spawner's place in the FIFO line for a slot. Its signal is replaced, never cleared, when a wake finds no
     * slot for it, so that the pool's lock never nests an Event's monitor; a release computes the head's current
     * signal under the lock and sets it after, so no wake is lost.
     */
    static final class Ticket {
        Event signal = new Event(); // guarded by the pool's lock
    }

    private <T> Greenlet<T> inline(GreenCallable<T> fn) {
        T value = null;
        Exception failure = null;
        try {
            value = fn.call();
        } catch (Exception e) {
            failure = e;
        }
        T v = value;
        Exception f = failure;
        Greenlet<T> done = new Greenlet<>(() -> {
            if (f != null) {
                throw f;
            }
            return v;
        });
        done.start();
        done.join();
        return done;
    }

    /** Takes a slot, waiting for it in FIFO order of the spawners. */
    private void acquireSlot(String op) {
        Object taken = slotOrTicket(null);
        if (taken != null) {
            awaitSlot((Ticket) taken, op);
        }
    }

    /** Waits with {@code ticket} until it takes a slot; a wait that ends otherwise withdraws the ticket. */
    private void awaitSlot(Ticket ticket, String op) {
        try {
            Providers.get().checkMayBlock(op, op.equals("GreenPool.imap")
                    ? "GreenPool.imapFlow"
                    : "GreenPool.spawnSuspend (GreenPile.spawnSuspend for a pile)");
            Event signal;
            while ((signal = takeSlot(ticket)) != null) {
                signal.waitFor();
            }
        } catch (RuntimeException | Error e) {
            abandonTicket(ticket);
            throw e;
        }
    }

    boolean tryTakeSlot() {
        lock.lock();
        try {
            if (waiters.isEmpty() && free > 0) {
                free--;
                return true;
            }
            return false;
        } finally {
            lock.unlock();
        }
    }

    /** What {@link #slotOrTicket} returns to a member of a full pool: run the function inline (EL-07). */
    static final Object INLINE = PoolAccess.INLINE;

    /**
     * Under one lock: {@link #INLINE} when {@code caller} is a member and no slot is free (deciding that apart from
     * queueing would let a spawner on another thread take the last slot in between, and the member would then
     * wait inside the pool for a slot it holds); null when a slot was free and taken; else a new ticket in line.
     */
    @Nullable Object slotOrTicket(@Nullable Greenlet<?> caller) {
        lock.lock();
        try {
            if (caller != null && free <= 0 && members.contains(caller)) {
                return INLINE;
            }
            if (waiters.isEmpty() && free > 0) {
                free--;
                return null;
            }
            Ticket ticket = new Ticket();
            waiters.addLast(ticket);
            return ticket;
        } finally {
            lock.unlock();
        }
    }

    /** Null when the ticket's holder took a slot (the ticket is done); else the signal to wait for first. */
    @Nullable Event takeSlot(Ticket ticket) {
        Event wake;
        lock.lock();
        try {
            if (waiters.peekFirst() != ticket || free <= 0) {
                ticket.signal = new Event(); // wait for a release computed from now on (an Event op here would nest)
                return ticket.signal;
            }
            waiters.pollFirst();
            free--;
            wake = headToWake();
        } finally {
            lock.unlock();
        }
        if (wake != null) {
            wake.set();
        }
        return null;
    }

    void abandonTicket(Ticket ticket) {
        Event wake;
        lock.lock();
        try {
            if (!waiters.remove(ticket)) {
                return;
            }
            wake = headToWake();
        } finally {
            lock.unlock();
        }
        if (wake != null) {
            wake.set();
        }
    }

    private void giveBackSlot() {
        Event wake;
        lock.lock();
        try {
            free++;
            wake = headToWake();
        } finally {
            lock.unlock();
        }
        if (wake != null) {
            wake.set();
        }
    }

    /** The signal of the first ticket when a slot is free for it; under lock. */
    private @Nullable Event headToWake() {
        Ticket head = waiters.peekFirst();
        return head != null && free > 0 ? head.signal : null;
    }
}
