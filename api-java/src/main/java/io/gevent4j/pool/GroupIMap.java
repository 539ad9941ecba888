package io.gevent4j.pool;

import io.gevent4j.GreenCallable;
import io.gevent4j.Greenlet;
import io.gevent4j.GreenletFailedException;
import io.gevent4j.lock.Semaphore;
import io.gevent4j.queue.SimpleQueue;
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
    private final @Nullable Semaphore window;
    private final SimpleQueue<Object> results = new SimpleQueue<>();
    private final Map<Integer, Item> byIndex = new HashMap<>();
    private final ArrayDeque<Item> ready = new ArrayDeque<>();
    private int nextIndex;
    private int delivered;
    private int total = -1;

    GroupIMap(Group group, Iterator<? extends GreenCallable<? extends R>> tasks, boolean ordered, int windowSize) {
        this.ordered = ordered;
        this.window = windowSize < 0 ? null : new Semaphore(windowSize);
        Greenlet.spawn(() -> {
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
                if (window != null) {
                    window.acquire();
                }
                Greenlet<? extends R> g = new Greenlet<>(task);
                group.start(g);
                Item item = new Item(count++, g, null);
                g.rawlink(w -> results.putNowait(item));
            }
        } finally {
            results.putNowait(new End(count));
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
            Object o = results.get();
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
}
