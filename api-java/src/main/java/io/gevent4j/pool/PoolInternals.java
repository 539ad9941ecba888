package io.gevent4j.pool;

import io.gevent4j.Greenlet;
import io.gevent4j.event.Event;
import io.gevent4j.lock.Semaphore;
import io.gevent4j.queue.SimpleQueue;
import io.gevent4j.spi.Internals;
import io.gevent4j.spi.PoolAccess;
import org.jspecify.annotations.Nullable;

/** The one {@link PoolAccess}: what the implementation's suspend twins need of the pools. */
final class PoolInternals implements PoolAccess {
    private static final PoolInternals INSTANCE = new PoolInternals();
    private static boolean installed;

    private PoolInternals() {}

    /** Called from the class initialisers of {@link Group} and {@link GreenPool}; installs once. */
    static synchronized void install() {
        if (!installed) {
            installed = true;
            Internals.install(Group.class, o -> INSTANCE);
            Internals.install(GreenPool.class, o -> INSTANCE);
            Internals.install(GreenPile.class, o -> INSTANCE);
        }
    }

    @Override
    public Event empty(Group group) {
        return group.emptyEvent();
    }

    @Override
    public @Nullable Semaphore slots(Pool pool) {
        return pool.slots();
    }

    @Override
    public boolean tryAdd(Group group, Greenlet<?> g) {
        return group.tryAdd(g);
    }

    @Override
    public void addHoldingSlot(Pool pool, Greenlet<?> g) {
        pool.addHoldingSlot(g);
    }

    @Override
    public boolean tryTakeSlot(GreenPool pool) {
        return pool.tryTakeSlot();
    }

    @Override
    public @Nullable Object slotOrTicket(GreenPool pool, @Nullable Greenlet<?> caller) {
        return pool.slotOrTicket(caller);
    }

    @Override
    public @Nullable Event takeSlot(GreenPool pool, Object ticket) {
        return pool.takeSlot((GreenPool.Ticket) ticket);
    }

    @Override
    public void abandonTicket(GreenPool pool, Object ticket) {
        pool.abandonTicket((GreenPool.Ticket) ticket);
    }

    @Override
    public void track(GreenPool pool, Greenlet<?> g) {
        pool.track(g);
    }

    @Override
    public void released(GreenPool pool, @Nullable Greenlet<?> g) {
        pool.released(g);
    }

    @Override
    public Event idle(GreenPool pool) {
        return pool.idle();
    }

    @Override
    public boolean isMember(GreenPool pool, @Nullable Greenlet<?> g) {
        return pool.isMember(g);
    }

    @Override
    public GreenPool pool(GreenPile<?> pile) {
        return pile.pool();
    }

    @Override
    public void spawning(GreenPile<?> pile) {
        pile.spawning();
    }

    @Override
    public void spawned(GreenPile<?> pile, @Nullable Greenlet<?> g) {
        pile.spawned(g);
    }

    @Override
    public <T> SimpleQueue<Greenlet<T>> results(GreenPile<T> pile) {
        return pile.results();
    }

    @Override
    public void taken(GreenPile<?> pile) {
        pile.taken();
    }
}
