/**
 * gevent's core for Java: {@link io.gevent4j.Gevent} ({@code spawn}, {@code sleep}, {@code joinAll}, {@code wait},
 * {@code iwait}, {@code killAll}, {@code withTimeout}), {@link io.gevent4j.Greenlet}, {@link io.gevent4j.Timeout},
 * {@link io.gevent4j.Hub} and the functional interfaces greenlets run.
 *
 * <h2>Nullness</h2>
 *
 * <p>Every package of {@code gevent4j-api} is {@link org.jspecify.annotations.NullMarked @NullMarked} (JSpecify): a
 * parameter, return value or field without {@link org.jspecify.annotations.Nullable @Nullable} never holds null, and
 * a null argument there is refused with a {@link NullPointerException} naming the parameter. {@code @Nullable} marks
 * the rest: a timeout that may be null ("wait for ever"), {@link io.gevent4j.Gevent#getcurrent()} outside every
 * greenlet, {@link io.gevent4j.Greenlet#exception()} before a failure, and so on. Kotlin 2 reads these annotations
 * strictly: it sees {@code String} and {@code String?}, not the platform type {@code String!}.
 *
 * <p><b>Type parameters</b> that hold a caller's values ({@code Greenlet<T>}, {@code AsyncResult<T>}, the queues'
 * {@code T}, {@code GreenletLocal<T>}, {@code GreenCallable<T>}, {@code IMap<R>}, and the {@code <T>}, {@code <A>},
 * {@code <R>} of the generic methods) are declared {@code <T extends @Nullable Object>}: the caller decides whether
 * null is a value. A {@code Queue<String>} refuses {@code put(null)} at compile time in Kotlin (and for a Java null
 * checker) and its {@code get()} returns a {@code String}; a {@code Queue<@Nullable String>} (Kotlin:
 * {@code Queue<String?>}) accepts null and returns {@code String?}. The same holds for {@link
 * io.gevent4j.event.AsyncResult#set} and {@link io.gevent4j.event.AsyncResult#get()}: an {@code AsyncResult<Void>}
 * that is set with {@code null}, as Java code often does, is an {@code AsyncResult<@Nullable Void>} in these terms.
 *
 * <p><b>Results that may be null whatever {@code T} is</b> are {@code @Nullable T}: a greenlet killed with {@link
 * io.gevent4j.GreenletExit} is successful with no value (deviation 1), so {@link io.gevent4j.Greenlet#get()},
 * {@code value()}, {@code getNowait()}, {@code toCompletableFuture()}, and the results of a pool's members
 * ({@code Group.apply}, {@code Group.map}'s elements, {@code IMap.next()}, {@code GreenPile.next()}, the callbacks of
 * {@code applyAsync} and {@code mapAsync}) are {@code @Nullable}. So are the "or null" reads: {@link
 * io.gevent4j.event.AsyncResult#value()}, {@link io.gevent4j.event.AsyncResult#waitFor()} (null on an exception or a
 * timeout) and {@link io.gevent4j.local.GreenletLocal#get()} (null before any value without an initial supplier).
 * Kotlin callers check these ({@code ?:}, {@code !!}, {@code ?.}) or use the Kotlin twins in
 * {@code io.gevent4j.kotlin}, whose {@code await()} throws the {@code GreenletExit} instead of returning null.
 */
@NullMarked
package io.gevent4j;

import org.jspecify.annotations.NullMarked;
