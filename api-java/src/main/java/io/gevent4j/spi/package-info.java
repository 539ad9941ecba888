/**
 * For implementors only: the service a gevent4j implementation provides ({@link io.gevent4j.spi.GeventProvider},
 * found with {@link java.util.ServiceLoader}) and the peers the API objects delegate to. Not for applications.
 *
 * <p>Null-marked: a type without {@code @Nullable} never holds null; see the {@linkplain io.gevent4j package
 * documentation} for the type parameters.
 */
@NullMarked
package io.gevent4j.spi;

import org.jspecify.annotations.NullMarked;
