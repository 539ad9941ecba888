/**
 * gevent's {@code subprocess}: {@link io.gevent4j.subprocess.Popen} and {@link io.gevent4j.subprocess.Subprocess},
 * child processes whose waits and pipes yield to the hub in a Java greenlet.
 *
 * <p>Null-marked: a type without {@code @Nullable} never holds null; see the {@linkplain io.gevent4j package
 * documentation} for the type parameters.
 */
@NullMarked
package io.gevent4j.subprocess;

import org.jspecify.annotations.NullMarked;
