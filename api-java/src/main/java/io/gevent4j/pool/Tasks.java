package io.gevent4j.pool;

import io.gevent4j.GreenBiFunction;
import io.gevent4j.GreenCallable;
import io.gevent4j.GreenFunction;
import java.util.Iterator;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** The inputs of an imap as lazy tasks, for the implementation's feeder: no algorithm, only the adapters. */
final class Tasks {
    private Tasks() {}

    /** {@code fn(x)} for each item, read lazily. */
    static <A extends @Nullable Object, R extends @Nullable Object> Iterator<GreenCallable<R>> of(
            GreenFunction<? super A, ? extends R> fn, Iterable<? extends A> items) {
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

    /** {@code fn(x, y)} over two inputs zipped, read lazily; the shorter input ends it. */
    static <A extends @Nullable Object, B extends @Nullable Object, R extends @Nullable Object>
            Iterator<GreenCallable<R>> zip(
                    GreenBiFunction<? super A, ? super B, ? extends R> fn,
                    Iterable<? extends A> a,
                    Iterable<? extends B> b) {
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
