package io.gevent4j.pool;

import io.gevent4j.GreenBiFunction;
import io.gevent4j.GreenCallable;
import io.gevent4j.GreenFunction;
import io.gevent4j.GreenRunnable;
import io.gevent4j.Greenlet;
import io.gevent4j.GreenletExit;
import io.gevent4j.GreenletFailedException;
import io.gevent4j.spi.Arguments;
import io.gevent4j.spi.GroupPeer;
import io.gevent4j.spi.Internals;
import io.gevent4j.spi.Providers;
import java.time.Duration;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * gevent's {@code gevent.pool.Group}: an unbounded set of greenlets that leave the group when they die.
 *
 * <p>Membership changes are asynchronous, as in gevent: a member that dies is removed by a link callback, so
 * {@link #size()} drops one loop iteration after the death (PL-15, PL-18). {@link #discard} removes at once.
 *
 * <p>Every method may be called from any thread. A blocking method called inside a Java greenlet yields to the
 * hub; on a thread that belongs to no hub it blocks the thread; on a hub thread outside a Java greenlet (a Kotlin
 * coroutine body, a rawlink callback) it throws {@link io.gevent4j.BlockingSwitchOutException} at once. A negative
 * timeout is an {@link IllegalArgumentException}; a null timeout means none.
 */
public class Group implements Iterable<Greenlet<?>> {
    static {
        Internals.install(Group.class, g -> ((Group) g).peer);
    }

    /** The implementation: every algorithm of the group (and of a {@link Pool}'s slots) lives there. */
    final GroupPeer peer;

    /** Creates an empty group. */
    public Group() {
        this(-1);
    }

    /** A group of {@code size} slots, -1 for none; the size was checked. */
    Group(int size) {
        this.peer = Providers.get().newGroup(size);
    }

    /**
     * Creates a group that tracks the given greenlets (started or not); each leaves the group when it dies.
     *
     * @param members the initial members
     * @throws NullPointerException if {@code members} or one of them is null
     */
    public Group(Collection<? extends Greenlet<?>> members) {
        this();
        Objects.requireNonNull(members, "members must not be null");
        for (Greenlet<?> g : members) {
            Objects.requireNonNull(g, "members must not contain null");
        }
        for (Greenlet<?> g : members) {
            peer.add(g, false, -1);
        }
    }

    // ---- membership ----------------------------------------------------------------------------------

    /**
     * Adds a greenlet to the group; it leaves the group when it dies. Does not start it. Never blocks in a Group
     * ({@link Pool#add(Greenlet)} waits for a free slot).
     *
     * @param g the greenlet
     * @throws NullPointerException if {@code g} is null
     */
    public void add(Greenlet<?> g) {
        Objects.requireNonNull(g, "g must not be null");
        peer.add(g, false, -1);
    }

    /**
     * Removes a greenlet from the group at once, without killing it; it keeps running. A non-member is ignored.
     *
     * @param g the greenlet
     * @throws NullPointerException if {@code g} is null
     */
    public void discard(Greenlet<?> g) {
        Objects.requireNonNull(g, "g must not be null");
        peer.discard(g);
    }

    /**
     * Tells whether {@code g} is a member (gevent's {@code g in group}).
     *
     * @param g the greenlet, may be null
     * @return true when it is a member
     */
    public boolean contains(@Nullable Greenlet<?> g) {
        return peer.contains(g);
    }

    /**
     * The number of members (gevent's {@code len(group)}). A dead member counts until its link callback ran.
     *
     * @return the number of members
     */
    public int size() {
        return peer.size();
    }

    /**
     * Tells whether the group has no members (gevent's {@code not group}).
     *
     * @return true when empty
     */
    public boolean isEmpty() {
        return size() == 0;
    }

    /**
     * Iterates over a snapshot of the members, in the order they were added. Never blocks.
     *
     * @return an iterator over the snapshot
     */
    @Override
    public Iterator<Greenlet<?>> iterator() {
        return peer.members().iterator();
    }

    // ---- spawn / start -------------------------------------------------------------------------------

    /**
     * Creates a greenlet for {@code fn} on the caller's hub, adds it and starts it. In a {@link Pool} this blocks
     * while the pool is full.
     *
     * @param fn the body
     * @param <T> the result type
     * @return the started greenlet
     * @throws NullPointerException if {@code fn} is null
     */
    public <T extends @Nullable Object> Greenlet<T> spawn(GreenCallable<T> fn) {
        Objects.requireNonNull(fn, "fn must not be null");
        Greenlet<T> g = new Greenlet<>(fn);
        start(g);
        return g;
    }

    /**
     * Creates a greenlet for {@code fn} on the caller's hub, adds it and starts it. In a {@link Pool} this blocks
     * while the pool is full.
     *
     * @param fn the body
     * @return the started greenlet
     * @throws NullPointerException if {@code fn} is null
     */
    public Greenlet<Void> spawn(GreenRunnable fn) {
        Objects.requireNonNull(fn, "fn must not be null");
        Greenlet<Void> g = new Greenlet<>(fn);
        start(g);
        return g;
    }

    /**
     * Adds {@code g} (as {@link #add(Greenlet)}, so a full {@link Pool} blocks) and then starts it.
     *
     * @param g a greenlet that was not started
     * @throws NullPointerException if {@code g} is null
     */
    public void start(Greenlet<?> g) {
        add(g);
        g.start();
    }

    /**
     * An {@link java.util.concurrent.Executor} whose every task runs in a new Java greenlet of this group, on the
     * hub of the caller of this method ({@link io.gevent4j.Hub#current()}). The task may block cooperatively, as any
     * greenlet: e.g. {@code httpServer.setExecutor(pool.greenletExecutor())} serves each exchange in a greenlet.
     * Contrast {@link io.gevent4j.Hub#asExecutor()}, whose tasks run on the hub thread itself and must not block.
     *
     * <p>{@code execute(task)} is {@link #start(Greenlet)} of a new greenlet: in a full {@link Pool} it waits for a
     * slot in the pool's line (cooperatively in a Java greenlet, blocking a thread of no hub, and
     * {@link io.gevent4j.BlockingSwitchOutException} on a hub thread outside a Java greenlet), so a Pool bounds how
     * many tasks run at once. Tasks start in the order {@code execute} returned: in submission order for one
     * submitting thread (the JDK HttpServer's dispatcher is one). A task that throws is reported like any greenlet
     * failure and the executor goes on. On a closed hub {@code execute} throws
     * {@link java.util.concurrent.RejectedExecutionException}.
     *
     * <p>In {@link io.gevent4j.JavaGreenletMode#HANDOFF HANDOFF} mode the tasks are greenlets as well, but a JDK
     * blocking call inside one (an HttpServer exchange's streams are plain JDK sockets) keeps the hub until it
     * returns, as any JDK blocking call in a HANDOFF greenlet does: it works, without concurrency while it blocks.
     *
     * @return a new executor on this group
     */
    public java.util.concurrent.Executor greenletExecutor() {
        return peer.greenletExecutor(io.gevent4j.Hub.current());
    }

    // ---- join / kill ---------------------------------------------------------------------------------

    /**
     * Waits until the group is empty. Returns at once, without yielding, when it is already empty (PL-11).
     *
     * @return true
     */
    public boolean join() {
        return join(null, false);
    }

    /**
     * Waits until the group is empty or the timeout expires. With {@code raiseError}, after the wait, the first
     * member present <em>when join was called</em> (in insertion order) that has failed has its error thrown: the
     * same instance when unchecked, else wrapped in {@link GreenletFailedException} (PL-14, PL-15).
     *
     * @param timeout the longest wait, null for none
     * @param raiseError whether to throw a member's failure
     * @return true when the group was empty on return (false on timeout)
     * @throws IllegalArgumentException if {@code timeout} is negative
     */
    public boolean join(@Nullable Duration timeout, boolean raiseError) {
        return peer.join(Arguments.timeoutNanos(timeout, "timeout"), raiseError);
    }

    /**
     * Same as {@link #join(Duration, boolean)} with the timeout in seconds.
     *
     * @param seconds the longest wait
     * @param raiseError whether to throw a member's failure
     * @return true when the group was empty on return
     * @throws IllegalArgumentException if {@code seconds} is negative or NaN
     */
    public boolean join(double seconds, boolean raiseError) {
        return join(Arguments.ofSeconds(seconds, "seconds"), raiseError);
    }

    /** Kills every member with {@link GreenletExit} and waits until the group is empty (PL-16). */
    public void kill() {
        kill(new GreenletExit(), true, null);
    }

    /**
     * Kills every member with {@code exception} (never twice the same one) and, when {@code block}, waits until
     * the group is empty, also killing members added meanwhile. When the timeout expires the call returns silently
     * and the survivors stay members (PL-17).
     *
     * @param exception the exception to raise in each member
     * @param block whether to wait for the members to die
     * @param timeout the longest wait, null for none
     * @throws NullPointerException if {@code exception} is null
     * @throws IllegalArgumentException if {@code timeout} is negative
     */
    public void kill(Throwable exception, boolean block, @Nullable Duration timeout) {
        Objects.requireNonNull(exception, "exception must not be null");
        peer.kill(exception, block, Arguments.timeoutNanos(timeout, "timeout"));
    }

    /**
     * Kills one member with {@link GreenletExit} and waits for it to die. A non-member, or a member already being
     * killed by the group, is ignored. The member leaves the group one loop iteration after its death (PL-18).
     *
     * @param g the member
     * @throws NullPointerException if {@code g} is null
     */
    public void killone(Greenlet<?> g) {
        killone(g, new GreenletExit(), true, null);
    }

    /**
     * Kills one member with {@code exception} and, when {@code block}, waits up to {@code timeout} for it to die
     * (silently on expiry). A non-member, or a member already being killed by the group, is ignored.
     *
     * @param g the member
     * @param exception the exception to raise in it
     * @param block whether to wait for its death
     * @param timeout the longest wait, null for none
     * @throws NullPointerException if {@code g} or {@code exception} is null
     * @throws IllegalArgumentException if {@code timeout} is negative
     */
    public void killone(Greenlet<?> g, Throwable exception, boolean block, @Nullable Duration timeout) {
        Objects.requireNonNull(g, "g must not be null");
        Objects.requireNonNull(exception, "exception must not be null");
        peer.killone(g, exception, block, Arguments.timeoutNanos(timeout, "timeout"));
    }

    // ---- apply / map ---------------------------------------------------------------------------------

    /**
     * Runs {@code fn} in a new member and waits for its result. Called from a member of this group it runs
     * {@code fn} inline instead, so a full pool cannot deadlock (PL-22).
     *
     * @param fn the function
     * @param <T> the result type
     * @return its result (null when the member was killed with GreenletExit)
     * @throws RuntimeException the function's unchecked failure, the same instance
     * @throws GreenletFailedException wrapping the function's checked failure
     * @throws NullPointerException if {@code fn} is null
     */
    public <T extends @Nullable Object> @Nullable T apply(GreenCallable<T> fn) {
        Objects.requireNonNull(fn, "fn must not be null");
        return peer.apply(fn);
    }

    /**
     * Runs {@code fn} in a new member without waiting. Never blocks: on a full {@link Pool} it returns a greenlet
     * that is <em>not</em> a member and that waits for a slot itself (PL-03, PL-06).
     *
     * @param fn the function
     * @param <T> the result type
     * @return the greenlet whose result is {@code fn}'s
     * @throws NullPointerException if {@code fn} is null
     */
    public <T extends @Nullable Object> Greenlet<T> applyAsync(GreenCallable<T> fn) {
        Objects.requireNonNull(fn, "fn must not be null");
        return peer.applyAsync(fn);
    }

    /**
     * As {@link #applyAsync(GreenCallable)}, and on success {@code callback} receives the result in a greenlet of
     * its own; on failure it is not called (PL-24).
     *
     * @param fn the function
     * @param callback receives the result (null when the member was killed with GreenletExit)
     * @param <T> the result type
     * @return the greenlet whose result is {@code fn}'s
     * @throws NullPointerException if {@code fn} or {@code callback} is null
     */
    public <T extends @Nullable Object> Greenlet<T> applyAsync(
            GreenCallable<T> fn, Consumer<? super @Nullable T> callback) {
        Objects.requireNonNull(fn, "fn must not be null");
        Objects.requireNonNull(callback, "callback must not be null");
        Greenlet<T> g = applyAsync(fn);
        g.linkValue(done -> callback.accept(done.value()));
        return g;
    }

    /**
     * Applies {@code fn} to every item in a member each and returns the results in input order (PL-26). Blocks
     * until all are done, or until the first error in input order, which is thrown (unchecked as the same
     * instance, checked wrapped in {@link GreenletFailedException}) without cancelling the other tasks (PL-28,
     * PL-29). An error of the input iterator is thrown too (PL-31). Called from a member it runs inline.
     *
     * @param fn the function
     * @param items the inputs
     * @param <A> the input type
     * @param <R> the result type
     * @return the results in input order (null for a member killed with GreenletExit)
     * @throws NullPointerException if {@code fn} or {@code items} is null
     */
    public <A extends @Nullable Object, R extends @Nullable Object> List<@Nullable R> map(
            GreenFunction<? super A, ? extends R> fn, Iterable<? extends A> items) {
        Objects.requireNonNull(fn, "fn must not be null");
        Objects.requireNonNull(items, "items must not be null");
        return peer.map(fn, items);
    }

    /**
     * Runs {@link #map} in a new greenlet that is not a member; never blocks (PL-36).
     *
     * @param fn the function
     * @param items the inputs
     * @param <A> the input type
     * @param <R> the result type
     * @return the greenlet whose result is the list
     * @throws NullPointerException if {@code fn} or {@code items} is null
     */
    public <A extends @Nullable Object, R extends @Nullable Object> Greenlet<List<@Nullable R>> mapAsync(
            GreenFunction<? super A, ? extends R> fn, Iterable<? extends A> items) {
        Objects.requireNonNull(fn, "fn must not be null");
        Objects.requireNonNull(items, "items must not be null");
        return Greenlet.spawn(() -> map(fn, items));
    }

    /**
     * As {@link #mapAsync(GreenFunction, Iterable)}; on success {@code callback} receives the list in a greenlet
     * of its own.
     *
     * @param fn the function
     * @param items the inputs
     * @param callback receives the list (null when the greenlet was killed with GreenletExit)
     * @param <A> the input type
     * @param <R> the result type
     * @return the greenlet whose result is the list
     * @throws NullPointerException if an argument is null
     */
    public <A extends @Nullable Object, R extends @Nullable Object> Greenlet<List<@Nullable R>> mapAsync(
            GreenFunction<? super A, ? extends R> fn,
            Iterable<? extends A> items,
            Consumer<? super @Nullable List<@Nullable R>> callback) {
        Objects.requireNonNull(callback, "callback must not be null");
        Greenlet<List<@Nullable R>> g = mapAsync(fn, items);
        g.linkValue(done -> callback.accept(done.value()));
        return g;
    }

    /**
     * Applies {@code fn} to every item, each in a member, and returns the results lazily in input order (PL-33).
     * Never blocks: a greenlet that is not a member reads the input (lazily, and in a bounded {@link Pool} at most
     * its size ahead of the consumer) and spawns the tasks. The returned iterator blocks in
     * {@code hasNext}/{@code next}; a failed task throws there and the iteration goes on (PL-30).
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
        return peer.imap(Tasks.of(fn, items), true, "Group.imapFlow");
    }

    /**
     * Applies {@code fn} to pairs taken from {@code a} and {@code b} together (zip: the shorter input ends it,
     * PL-27), each in a member, and returns the results lazily in input order, as {@link #imap(GreenFunction,
     * Iterable)}.
     *
     * @param fn the function
     * @param a the first inputs
     * @param b the second inputs
     * @param <A> the first input type
     * @param <B> the second input type
     * @param <R> the result type
     * @return the one-pass result iterator
     * @throws NullPointerException if an argument is null
     */
    public <A extends @Nullable Object, B extends @Nullable Object, R extends @Nullable Object> IMap<R> imap(
            GreenBiFunction<? super A, ? super B, ? extends R> fn, Iterable<? extends A> a, Iterable<? extends B> b) {
        return peer.imap(Tasks.zip(fn, a, b), true, "Group.imapFlow");
    }

    /**
     * As {@link #imap(GreenFunction, Iterable)}, but the results come in completion order (PL-32).
     *
     * @param fn the function
     * @param items the inputs
     * @param <A> the input type
     * @param <R> the result type
     * @return the one-pass result iterator
     * @throws NullPointerException if {@code fn} or {@code items} is null
     */
    public <A extends @Nullable Object, R extends @Nullable Object> IMap<R> imapUnordered(
            GreenFunction<? super A, ? extends R> fn, Iterable<? extends A> items) {
        return peer.imap(Tasks.of(fn, items), false, "Group.imapUnorderedFlow");
    }

    @Override
    public String toString() {
        return "<" + getClass().getSimpleName() + " size=" + size() + ">";
    }
}
