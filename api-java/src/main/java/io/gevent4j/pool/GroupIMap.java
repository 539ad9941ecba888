package io.gevent4j.pool;

import java.util.Objects;

import io.gevent4j.GreenFunction;

import io.gevent4j.GreenBiFunction;

import io.gevent4j.GreenCallable;
import io.gevent4j.Greenlet;
import io.gevent4j.GreenletFailedException;
import io.gevent4j.lock.Semaphore;
import io.gevent4j.queue.SimpleQueue;
import io.gevent4j.spi.Providers;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import org.jspecify.annotations.Nullable;

/** The IMap of a Group: a feeder greenlet (not a member) spawns the tasks into the group and collects their ends. */
final class GroupIMap<R> implements IMap<R> {
    private static final class Item {
        final int index;
        final @Nullable Greenlet<?> task;
        final @Nullable Throwable inputError;

        Item(int index, @Nullable Greenlet<?> task, @Nullable Throwable inputError) {
            this.index = index;
            this.task = task;
            this.inputError = inputError;
        }
    }

    private static final class End {
        final int count;

        End(int count) {
            this.count = count;
        }
    }

    private final boolean ordered;
    private volatile boolean abandoned; // the consumer has stopped: the feeder no longer waits for the window
    private final Greenlet<?> feeder; // reads the input and spawns the tasks
    private boolean consumerInterrupted; // the consumer's wait for a result ended with its kill or Timeout
    private final String twin; // the suspend twin a Kotlin body should use instead of iterating
    private final @Nullable Semaphore window;
    private final SimpleQueue<Object> results = new SimpleQueue<>();
    private final Map<Integer, Item> byIndex = new HashMap<>();
    private final ArrayDeque<Item> ready = new ArrayDeque<>();
    private int nextIndex;
    private int delivered;
    private int total = -1;

    GroupIMap(Group group, Iterator<? extends GreenCallable<? extends R>> tasks, boolean ordered, int windowSize,
            String twin) {
        this.ordered = ordered;
        this.twin = twin;
        this.window = windowSize < 0 ? null : new Semaphore(windowSize);
        this.feeder = Greenlet.spawn(() -> {
            feed(group, tasks);
            return null;
        });
    }

    private void feed(Group group, Iterator<? extends GreenCallable<? extends R>> tasks) {
        int count = 0;
        try {
            while (true) {
                GreenCallable<? extends R> task;
                try {
                    if (!tasks.hasNext()) {
                        break;
                    }
                    task = tasks.next();
                } catch (RuntimeException | Error e) {
                    if (e instanceof io.gevent4j.GreenletExit || e instanceof io.gevent4j.Timeout) {
                        throw e;
                    }
                    results.putNowait(new Item(count++, null, e));
                    break;
                }
                if (window != null && !abandoned) {
                    window.acquire();
                }
                Greenlet<? extends R> g = group.newTask(task);
                group.start(g);
                Item item = new Item(count++, g, null);
                g.rawlink(w -> results.putNowait(item));
            }
        } finally {
            results.putNowait(new End(count));
        }
    }

    /**
     * The consumer was killed (or timed out) while waiting for a result: the feeder stops spawning, as Group.map
     * over a Collection does when its caller is killed (deviation 41); the tasks already spawned run on.
     *
     * @return true when it stopped the feeder
     */
    boolean stopIfConsumerInterrupted() {
        if (!consumerInterrupted) {
            return false;
        }
        feeder.kill(new io.gevent4j.GreenletExit(), false, null);
        return true;
    }

    /**
     * The consumer stops reading (map raised): the feeder goes on spawning the rest of the input, no longer held
     * to the window, as gevent's map greenlet goes on after the caller got the error.
     */
    void abandon() {
        abandoned = true;
        if (window != null) {
            window.release(); // wakes a feeder waiting for the window; it then stops asking
        }
    }

    @Override
    public boolean hasNext() {
        while (true) {
            if (ordered ? byIndex.containsKey(nextIndex) : !ready.isEmpty()) {
                return true;
            }
            if (total >= 0 && delivered >= total) {
                return false;
            }
            if (results.isEmpty()) {
                Providers.get().checkMayBlock("IMap.next", twin);
            }
            Object o;
            try {
                o = results.get();
            } catch (RuntimeException | Error e) {
                consumerInterrupted = true; // a kill, a Timeout or an interrupt of the consumer, not a task's failure
                throw e;
            }
            if (o instanceof End e) {
                total = e.count;
            } else {
                Item it = (Item) o;
                if (ordered) {
                    byIndex.put(it.index, it);
                } else {
                    ready.add(it);
                }
            }
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public R next() {
        if (!hasNext()) {
            throw new NoSuchElementException("no more results");
        }
        Item it = ordered ? byIndex.remove(nextIndex++) : ready.poll();
        delivered++;
        if (it.task == null) {
            Throwable t = it.inputError;
            if (t instanceof RuntimeException re) {
                throw re;
            }
            if (t instanceof Error er) {
                throw er;
            }
            throw new GreenletFailedException(t);
        }
        if (window != null) {
            window.release();
        }
        return (R) it.task.getNowait();
    }

    /** The tasks of a map over one input: {@code fn(x)} for each item, read lazily. */
    static <A, R> Iterator<GreenCallable<R>> tasks(GreenFunction<? super A, ? extends R> fn, Iterable<? extends A> items) {
        Objects.requireNonNull(fn, "fn must not be null");
        Objects.requireNonNull(items, "items must not be null");
        Iterator<? extends A> it = items.iterator();
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public GreenCallable<R> next() {
                A x = it.next();
                return () -> fn.apply(x);
            }
        };
    }

    /** The tasks of a map over two inputs zipped: {@code fn(x, y)}, the shorter input ends it. */
    static <A, B, R> Iterator<GreenCallable<R>> zipTasks(GreenBiFunction<? super A, ? super B, ? extends R> fn,
            Iterable<? extends A> a, Iterable<? extends B> b) {
        Objects.requireNonNull(fn, "fn must not be null");
        Objects.requireNonNull(a, "a must not be null");
        Objects.requireNonNull(b, "b must not be null");
        Iterator<? extends A> ia = a.iterator();
        Iterator<? extends B> ib = b.iterator();
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return ia.hasNext() && ib.hasNext();
            }

            @Override
            public GreenCallable<R> next() {
                A x = ia.next();
                B y = ib.next();
                return () -> fn.apply(x, y);
            }
        };
    }
}
