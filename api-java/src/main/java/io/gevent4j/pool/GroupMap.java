package io.gevent4j.pool;

import io.gevent4j.GreenFunction;
import io.gevent4j.GreenRunnable;
import io.gevent4j.Gevent;
import io.gevent4j.Greenlet;
import io.gevent4j.GreenletExit;
import io.gevent4j.Timeout;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * {@link Group#map} over a {@link Collection}: the caller spawns the tasks itself (a collection's iterator does not
 * block), with no helper greenlet and no result queue. The observable behaviour is that of {@code list(imap(...))}:
 * results in input order; a task that failed at the head of the line (every earlier one done) ends the call with
 * its error as soon as the caller runs again (after each spawn, and whenever a full pool makes it queue for a
 * slot), and the rest of the input is still spawned, by a helper greenlet, as gevent's map greenlet would go on
 * (PL-29); an error of the input's iterator comes after the results of the items read before it (PL-31). Waiting
 * for a slot keeps the pool's FIFO order with every other spawner.
 */
final class GroupMap<A, R> {
    private final Group group;
    private final GreenFunction<? super A, ? extends R> fn;
    private final Iterator<? extends A> input;
    private final ArrayList<Greenlet<R>> tasks;
    private final ArrayList<Object> values;
    private int head; // every task before it is done, its value taken and its greenlet dropped

    private GroupMap(Group group, GreenFunction<? super A, ? extends R> fn, Collection<? extends A> items) {
        this.group = group;
        this.fn = fn;
        this.input = items.iterator();
        this.tasks = new ArrayList<>(items.size());
        this.values = new ArrayList<>(items.size());
    }

    static <A, R> List<R> run(Group group, GreenFunction<? super A, ? extends R> fn, Collection<? extends A> items) {
        return new GroupMap<A, R>(group, fn, items).mapAll();
    }

    @SuppressWarnings("unchecked")
    private List<R> mapAll() {
        RuntimeException inputError = null;
        while (true) {
            A x;
            try {
                if (!input.hasNext()) {
                    break;
                }
                x = input.next();
            } catch (GreenletExit | Timeout e) {
                throw e;
            } catch (RuntimeException e) {
                inputError = e;
                break;
            }
            Greenlet<R> g = task(x);
            if (!group.tryAdd(g)) {
                takeDoneHeads(g); // a head that failed ends the call before we queue for a slot
                group.addInLine(g); // the pool's FIFO line for a slot
            }
            g.start();
            tasks.add(g);
            values.add(null);
            if (tasks.get(head).isDead()) {
                takeDoneHeads(null); // drops done greenlets early; a failed head ends the call
            }
        }
        List<R> out = new ArrayList<>(tasks.size());
        for (int i = 0; i < tasks.size(); i++) {
            Greenlet<R> t = tasks.get(i);
            out.add(t == null ? (R) values.get(i) : t.get()); // the first failure in input order is thrown
        }
        if (inputError != null) {
            throw inputError;
        }
        return out;
    }

    private Greenlet<R> task(A x) {
        return new Greenlet<>(() -> fn.apply(x));
    }

    /**
     * Takes the values of the dead tasks at the head of the line, dropping the greenlets. A failed one ends the
     * call: the rest of the input (and {@code pending}, created but not added) goes to a helper greenlet.
     */
    private void takeDoneHeads(@Nullable Greenlet<R> pending) {
        while (head < tasks.size() && tasks.get(head).isDead()) {
            Greenlet<R> t = tasks.get(head);
            if (!t.isSuccessful()) {
                Gevent.spawn((GreenRunnable) () -> {
                    if (pending != null) {
                        group.start(pending);
                    }
                    while (input.hasNext()) {
                        group.start(task(input.next()));
                    }
                });
                t.getNowait(); // throws its failure
            }
            values.set(head, t.getNowait());
            tasks.set(head, null);
            head++;
        }
    }
}
