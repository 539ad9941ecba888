package io.gevent4j.pool;

import io.gevent4j.event.Event;
import java.util.function.BooleanSupplier;

/**
 * An {@link Event} that is set while a set guarded by its owner's {@link SpinLock} is empty (a Group's members, a
 * GreenPool's running greenlets): what {@code join()} and {@code waitall()} wait for.
 *
 * <p>The Event is set and cleared outside the owner's lock, never under it: an Event operation takes the Event's
 * own lock, and nesting it under the owner's would let a greenlet wait for one lock while holding the other. The
 * owner counts each change between empty and non-empty under its lock ({@link #changed()}); after unlocking,
 * whoever made a change calls {@link #sync}, which applies the state it reads and starts over if the count moved
 * meanwhile, so the last one to change the set leaves the Event right. A set from an earlier change marks a moment
 * the set really was empty.
 */
final class EmptySignal {
    final Event event = new Event();
    private int changes; // guarded by the owner's lock

    EmptySignal() {
        event.set(); // owners start empty
    }

    /** Under the owner's lock: the set went from empty to non-empty or back. */
    void changed() {
        changes++;
    }

    /**
     * Outside the owner's lock: makes the Event follow the set.
     *
     * @param lock the owner's lock
     * @param isEmpty reads, under {@code lock}, whether the set is empty
     */
    void sync(SpinLock lock, BooleanSupplier isEmpty) {
        while (true) {
            boolean empty;
            int seen;
            lock.lock();
            try {
                empty = isEmpty.getAsBoolean();
                seen = changes;
            } finally {
                lock.unlock();
            }
            if (empty) {
                event.set();
            } else {
                event.clear();
            }
            lock.lock();
            try {
                if (changes == seen) {
                    return;
                }
            } finally {
                lock.unlock();
            }
        }
    }
}
