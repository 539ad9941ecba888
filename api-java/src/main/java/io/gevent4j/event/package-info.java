/**
 * gevent's events: {@link io.gevent4j.event.Event} (a flag greenlets wait on) and {@link io.gevent4j.event.AsyncResult}
 * (a one-value mailbox, also the bridge from a {@link java.util.concurrent.CompletionStage}).
 *
 * <p>Null-marked: a type without {@code @Nullable} never holds null; see the {@linkplain io.gevent4j package
 * documentation} for the type parameters.
 */
@NullMarked
package io.gevent4j.event;

import org.jspecify.annotations.NullMarked;
