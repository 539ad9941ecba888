package io.gevent4j.spi;

import io.gevent4j.Greenlet;
import io.gevent4j.event.Event;
import io.gevent4j.lock.Semaphore;
import io.gevent4j.pool.GreenPile;
import io.gevent4j.pool.GreenPool;
import io.gevent4j.pool.Group;
import io.gevent4j.pool.Pool;
import io.gevent4j.queue.SimpleQueue;
import org.jspecify.annotations.Nullable;

/**
 * For implementors only: the steps out of which the pools' blocking methods are made, so that an implementation's
 * suspend twins wait on the same objects (with their own suspending waits) and keep the same accounting. Reached
 * through {@code Internals.peer(group)} or {@code Internals.peer(greenPool)}, which return this one object.
 *
 * <p>None of these methods blocks; each is safe from any thread.
 */
public interface PoolAccess {
    /**
     * @param group a group
     * @return the event that is set while the group has no members
     */
    Event empty(Group group);

    /**
     * @param pool a pool
     * @return its slot semaphore (one permit per free slot), or null for an unbounded {@code Pool()}
     */
    @Nullable Semaphore slots(Pool pool);

    /**
     * Adds {@code g}, which is not a member, to {@code group} when that takes no wait: always in a {@link Group} or
     * unbounded pool, in a bounded {@link Pool} when a slot is free (it takes the slot).
     *
     * @param group the group
     * @param g a greenlet that is not a member
     * @return true when {@code g} is a member on return
     */
    boolean tryAdd(Group group, Greenlet<?> g);

    /**
     * Adds {@code g} to {@code pool} for a slot the caller has taken from {@link #slots}; gives the slot back when
     * {@code g} is a member already.
     *
     * @param pool the pool
     * @param g a greenlet
     */
    void addHoldingSlot(Pool pool, Greenlet<?> g);

    /**
     * Takes a slot of {@code pool} when it has one and nobody waits for one; never queues.
     *
     * @param pool the green pool
     * @return true when a slot was taken
     */
    boolean tryTakeSlot(GreenPool pool);

    /** What {@link #slotOrTicket} returns to a member of a full pool: run the function inline (EL-07). */
    Object INLINE = new Object();

    /**
     * In one step: {@link #INLINE} when {@code caller} is a member of {@code pool} and no slot is free; else takes
     * a slot at once when one is free and nobody waits for one; else queues a ticket (FIFO) and returns it. Its
     * holder then calls {@link #takeSlot} until that returns null, waiting for the Event it returns in between.
     *
     * @param pool the green pool
     * @param caller the spawning greenlet, or null when the inline rule does not apply
     * @return {@link #INLINE}, null when a slot was taken, else the ticket (opaque)
     */
    @Nullable Object slotOrTicket(GreenPool pool, @Nullable Greenlet<?> caller);

    /**
     * @param pool the green pool
     * @param ticket a ticket of {@link #slotOrTicket}
     * @return null when the ticket was first in line and a slot was free: the slot is taken and the ticket is done;
     *     else the Event to wait for before calling again
     */
    @Nullable Event takeSlot(GreenPool pool, Object ticket);

    /**
     * Withdraws a ticket whose holder stopped waiting (killed, cancelled, timed out), handing its wake-up on.
     *
     * @param pool the green pool
     * @param ticket the ticket
     */
    void abandonTicket(GreenPool pool, Object ticket);

    /**
     * Makes {@code g} a member of {@code pool} for a slot the caller has taken; it frees the slot when it dies.
     *
     * @param pool the green pool
     * @param g a greenlet that was not started
     */
    void track(GreenPool pool, Greenlet<?> g);

    /**
     * Frees the slot of member {@code g} at once: a member's body calls it as its last act, so that the slot is
     * free before the member is seen dead (eventlet's order). Idempotent with the member's death link.
     *
     * @param pool the green pool
     * @param g the member, may be null (nothing happens)
     */
    void released(GreenPool pool, @Nullable Greenlet<?> g);

    /**
     * @param pool a green pool
     * @return the event that is set while the pool runs no greenlet
     */
    Event idle(GreenPool pool);

    /**
     * @param pool a green pool
     * @param g a greenlet, may be null
     * @return whether {@code g} is a member of it
     */
    boolean isMember(GreenPool pool, @Nullable Greenlet<?> g);

    /**
     * @param pile a green pile
     * @return the pool it spawns into
     */
    GreenPool pool(GreenPile<?> pile);

    /**
     * Counts a spawn into {@code pile} that is about to wait for its slot; end it with {@link #spawned}.
     *
     * @param pile the pile
     */
    void spawning(GreenPile<?> pile);

    /**
     * Ends a spawn counted by {@link #spawning}: queues {@code g} in spawn order, or uncounts it when null (the
     * spawn failed or was cancelled).
     *
     * @param pile the pile
     * @param g the spawned greenlet, or null
     */
    void spawned(GreenPile<?> pile, @Nullable Greenlet<?> g);

    /**
     * @param pile the pile
     * @param <T> the result type
     * @return the queue of its spawned greenlets, in spawn order; take from it, then call {@link #taken}
     */
    <T> SimpleQueue<Greenlet<T>> results(GreenPile<T> pile);

    /**
     * Counts one result of {@code pile} as consumed.
     *
     * @param pile the pile
     */
    void taken(GreenPile<?> pile);
}
