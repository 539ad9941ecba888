/**
 * gevent's {@code local}: {@link io.gevent4j.local.GreenletLocal}, one value per greenlet, Java or Kotlin.
 *
 * <p>Null-marked: a type without {@code @Nullable} never holds null; see the {@linkplain io.gevent4j package
 * documentation} for the type parameters.
 */
@NullMarked
package io.gevent4j.local;

import org.jspecify.annotations.NullMarked;
