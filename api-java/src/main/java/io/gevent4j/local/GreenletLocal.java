package io.gevent4j.local;

import io.gevent4j.spi.Providers;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * gevent's {@code local}: one value per greenlet, Java or Kotlin (a Java {@link ThreadLocal} would be per hub
 * thread for Kotlin greenlets). Outside every greenlet it is per thread. A greenlet's values go when it dies
 * (LOC-07); a child greenlet does not inherit them (LOC-06). Never blocks.
 *
 * @param <T> the value type
 */
public class GreenletLocal<T extends @Nullable Object> {
    private final @Nullable Supplier<? extends T> initial;
    private final ThreadLocal<@Nullable Object> outside = new ThreadLocal<>();
    private static final Object NULL = new Object();

    /** A local whose initial value is null. */
    public GreenletLocal() {
        this.initial = null;
    }

    private GreenletLocal(Supplier<? extends T> initial) {
        this.initial = initial;
    }

    /**
     * @param initial called once per greenlet (or thread), on its first {@link #get()} without a {@link #set}
     * @param <T> the value type
     * @return a new local
     */
    public static <T extends @Nullable Object> GreenletLocal<T> withInitial(Supplier<? extends T> initial) {
        return new GreenletLocal<>(Objects.requireNonNull(initial, "initial must not be null"));
    }

    /** @return the calling greenlet's (or thread's) value */
    @SuppressWarnings("unchecked")
    public @Nullable T get() {
        Map<Object, Object> m = Providers.get().currentLocals();
        Object v = m != null ? m.get(this) : outside.get();
        if (v == null) {
            if (initial == null) {
                return null;
            }
            T first = initial.get();
            set(first);
            return first;
        }
        return v == NULL ? null : (T) v;
    }

    /** @param value the calling greenlet's (or thread's) new value */
    public void set(@Nullable T value) {
        Object v = value == null ? NULL : value;
        Map<Object, Object> m = Providers.get().currentLocals();
        if (m != null) {
            m.put(this, v);
        } else {
            outside.set(v);
        }
    }

    /** Forgets the calling greenlet's (or thread's) value; the next {@link #get()} starts afresh. */
    public void remove() {
        Map<Object, Object> m = Providers.get().currentLocals();
        if (m != null) {
            m.remove(this);
        } else {
            outside.remove();
        }
    }
}
