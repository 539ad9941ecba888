package io.gevent4j.pool;

import io.gevent4j.GreenFunction;
import io.gevent4j.Gevent;
import io.gevent4j.Greenlet;
import io.gevent4j.GreenRunnable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;

/**
 * {@link Group#map} over a {@link Collection}: the caller spawns the tasks itself (a collection's iterator does not
 * block), with no helper greenlet and no result queue. The observable behaviour is that of {@code list(imap(...))}:
 * results in input order; a task that failed at the head of the line (every earlier one done) ends the call with
 * its error as soon as the caller runs again (after each spawn, and whenever a full pool makes it queue for a
 * slot), and the rest of the input is still spawned, by a helper greenlet, as gevent's map greenlet would go on
 * (PL-29). Waiting for a slot keeps the pool's FIFO order with every other spawner.
 */
final class GroupMap<A, R> {
    private final Group group;
    private final GreenFunction<? super A, ? extends R> fn;
    private final Greenlet<?>[] tasks;
    private final Object[] values;
    private int spawned;
    private int head; // every task before it is done and its value taken

    private GroupMap(Group group, GreenFunction<? super A, ? extends R> fn, int n) {
        this.group = group;
        this.fn = fn;
        this.tasks = new Greenlet<?>[n];
        this.values = new Object[n];
    }

    static <A, R> List<R> run(Group group, GreenFunction<? super A, ? extends R> fn, Collection<? extends A> items) {
        Object[] inputs = items.toArray(); // one consistent snapshot, even of a concurrent collection
        return new GroupMap<A, R>(group, fn, inputs.length).mapAll(inputs);
    }

    @SuppressWarnings("unchecked")
    private List<R> mapAll(Object[] inputs) {
        for (int i = 0; i < inputs.length; i++) {
            Greenlet<R> g = task((A) inputs[i]);
            if (!group.tryAdd(g)) {
                takeDoneHeads(inputs, i, g); // a head that failed ends the call before we queue for a slot
                group.addInLine(g); // the pool's FIFO line for a slot
            }
            g.start();
            tasks[spawned++] = g;
            if (head < spawned && tasks[head].isDead()) {
                takeDoneHeads(inputs, i + 1, null);
            }
        }
        List<R> out = new ArrayList<>(inputs.length);
        for (int i = 0; i < inputs.length; i++) {
            Greenlet<?> t = tasks[i];
            out.add(t == null ? (R) values[i] : (R) t.get()); // the first failure in input order is thrown
        }
        return out;
    }

    private Greenlet<R> task(A x) {
        return new Greenlet<>(() -> fn.apply(x));
    }

    /**
     * Takes the values of the dead tasks at the head of the line, dropping the greenlets. A failed one ends the
     * call: the inputs from {@code next} on (and {@code pending}, created but not added) go to a helper greenlet.
     */
    @SuppressWarnings("unchecked")
    private void takeDoneHeads(Object[] inputs, int next, Greenlet<R> pending) {
        while (head < spawned && tasks[head].isDead()) {
            Greenlet<?> t = tasks[head];
            if (!t.isSuccessful()) {
                Object[] rest = java.util.Arrays.copyOfRange(inputs, next, inputs.length);
                Gevent.spawn((GreenRunnable) () -> {
                    if (pending != null) {
                        group.start(pending);
                    }
                    for (Object x : rest) {
                        group.start(task((A) x));
                    }
                });
                t.getNowait(); // throws its failure
            }
            values[head] = t.getNowait();
            tasks[head] = null;
            head++;
        }
    }
}
