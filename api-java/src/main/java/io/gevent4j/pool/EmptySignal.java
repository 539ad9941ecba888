package io.gevent4j.pool;

import io.gevent4j.event.Event;
import java.util.function.BooleanSupplier;

/**
 * An {@link Event} that is set while a set guarded by its owner's {@link SpinLock} is empty (a Group's members, a
 * GreenPool's running greenlets): what {@code join()} and {@code waitall()} wait for.
 *
 * <p>The Event is set and cleared outside the owner's lock, never under it, so that the owner's lock never nests
 * the Event's. After a change between empty and non-empty, the thread that made it calls {@link #sync}, which
 * reads the state under the owner's lock and applies it, all under a lock of its own: applies happen in the
 * order of their reads, so none can undo a later one (a stale {@code set()} after an {@code add} has returned
 * would let {@code join()} see an empty group that is not).
 */
final class EmptySignal {
    final Event event = new Event();
    private final SpinLock applying = new SpinLock();

    EmptySignal() {
        event.set(); // owners start empty
    }

    /**
     * Outside the owner's lock, after a change between empty and non-empty: makes the Event follow the set.
     *
     * @param lock the owner's lock
     * @param isEmpty reads, under {@code lock}, whether the set is empty
     */
    void sync(SpinLock lock, BooleanSupplier isEmpty) {
        applying.lock();
        try {
            boolean empty;
            lock.lock();
            try {
                empty = isEmpty.getAsBoolean();
            } finally {
                lock.unlock();
            }
            if (empty) {
                event.set();
            } else {
                event.clear();
            }
        } finally {
            applying.unlock();
        }
    }
}
