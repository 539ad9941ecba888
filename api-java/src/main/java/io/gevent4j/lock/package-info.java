/**
 * gevent's locks: {@link io.gevent4j.lock.Semaphore}, {@link io.gevent4j.lock.BoundedSemaphore} and
 * {@link io.gevent4j.lock.RLock}, whose waits yield to the hub in a Java greenlet.
 *
 * <p>Null-marked: a type without {@code @Nullable} never holds null; see the {@linkplain io.gevent4j package
 * documentation} for the type parameters.
 */
@NullMarked
package io.gevent4j.lock;

import org.jspecify.annotations.NullMarked;
