/**
 * gevent's queues: {@link io.gevent4j.queue.SimpleQueue}, {@link io.gevent4j.queue.Queue} (with {@code join} and
 * {@code shutdown}), {@link io.gevent4j.queue.PriorityQueue}, {@link io.gevent4j.queue.LifoQueue},
 * {@link io.gevent4j.queue.JoinableQueue} and {@link io.gevent4j.queue.Channel}.
 *
 * <p>Null-marked: a type without {@code @Nullable} never holds null; see the {@linkplain io.gevent4j package
 * documentation} for the type parameters.
 */
@NullMarked
package io.gevent4j.queue;

import org.jspecify.annotations.NullMarked;
