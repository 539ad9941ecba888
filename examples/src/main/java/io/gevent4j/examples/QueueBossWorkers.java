package io.gevent4j.examples;

import io.gevent4j.Gevent;
import io.gevent4j.Greenlet;
import io.gevent4j.Hub;
import io.gevent4j.queue.Queue;
import io.gevent4j.queue.QueueShutDownException;
import java.util.ArrayList;
import java.util.List;

/**
 * gevent's {@code Queue}: a boss hands tasks to three workers. The queue is bounded, so the boss waits while
 * it is full; each worker marks its task done, the boss {@code join()}s until all are done and then shuts the
 * queue down, which ends the workers' loops. Then the blog's version: a queue filled up front, and workers
 * that take turns with {@code sleep(0)} while it is not empty.
 */
public final class QueueBossWorkers {
    private QueueBossWorkers() {}

    private static final int TASKS = 9;

    public static void main(String[] args) {
        run();
    }

    /** Runs the scenario as a greenlet on the default hub. */
    public static void run() {
        Hub.getDefault().spawn(QueueBossWorkers::scenario).get();
    }

    private static void scenario() {
        Queue<Integer> q = new Queue<>(3); // put() waits while 3 tasks are queued
        List<Greenlet<?>> workers = new ArrayList<>();
        for (String name : List.of("steve", "john", "nancy")) {
            workers.add(Gevent.spawn(() -> worker(name, q)).name(name));
        }
        Greenlet<Void> boss = Gevent.spawn(() -> boss(q)).name("boss");
        boss.join();
        Gevent.joinAll(workers);
        System.out.println("main: boss and workers done; unfinishedTasks=" + q.unfinishedTasks() + ", isShutDown="
                + q.isShutDown());
        try {
            q.put(99);
        } catch (QueueShutDownException e) {
            System.out.println("main: put() after shutdown threw QueueShutDownException");
        }

        // The blog's version: tasks put up front (each counts as unfinished), workers take turns with sleep(0).
        Queue<Integer> preloaded = new Queue<>();
        for (int i = 1; i <= 6; i++) {
            preloaded.putNowait(i);
        }
        List<Greenlet<?>> turnTakers = new ArrayList<>();
        for (String name : List.of("A", "B", "C")) {
            turnTakers.add(Gevent.spawn(() -> {
                while (!preloaded.isEmpty()) { // no switch between isEmpty() and get(): get() cannot wait
                    int task = preloaded.get();
                    System.out.println("  worker " + name + " got task-" + task);
                    preloaded.taskDone();
                    Gevent.sleep(); // let the others take one
                }
            }));
        }
        Gevent.joinAll(turnTakers);
        System.out.println("main: preloaded queue drained; join() returns at once: " + preloaded.join(null));
    }

    private static void boss(Queue<Integer> q) {
        for (int task = 1; task <= TASKS; task++) {
            q.put(task); // waits while the queue is full
            System.out.println("boss: put task-" + task + " (qsize " + q.qsize() + ")");
        }
        System.out.println("boss: all tasks queued; waiting until every one is done");
        q.join();
        System.out.println("boss: all " + TASKS + " tasks done; shutting the queue down");
        q.shutdown();
    }

    private static void worker(String name, Queue<Integer> q) {
        int done = 0;
        for (Integer task : q) { // get() each item; ends once the queue is shut down and drained
            System.out.println("  " + name + " got task-" + task);
            Gevent.sleep(); // the work: yields once, so the others run
            q.taskDone();
            done++;
        }
        System.out.println("  " + name + " quits after " + done + " tasks: the queue is shut down");
    }
}
