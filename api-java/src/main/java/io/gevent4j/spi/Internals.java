package io.gevent4j.spi;

import io.gevent4j.Greenlet;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * For implementors only: reaches the peer behind an API object ({@link Greenlet}, {@code Event}, ...), the
 * "shared secrets" pattern, so that an implementation's own extensions (Kotlin suspend twins, for
 * instance) can use their fast paths. Each API class installs its accessor from its class initialiser.
 */
public final class Internals {
    private Internals() {}

    private static final Map<Class<?>, Function<Object, Object>> ACCESSORS = new ConcurrentHashMap<>();

    /**
     * Called by the API classes only, once each.
     *
     * @param apiClass the API class
     * @param accessor returns the peer of an instance
     */
    public static void install(Class<?> apiClass, Function<Object, Object> accessor) {
        if (ACCESSORS.putIfAbsent(apiClass, Objects.requireNonNull(accessor, "accessor")) != null) {
            throw new IllegalStateException("peer accessor of " + apiClass.getName() + " installed already");
        }
    }

    /**
     * @param apiObject an instance of an API class (or of a subclass)
     * @return the provider's peer behind it
     * @throws IllegalArgumentException for an object of no API class
     */
    public static Object peer(Object apiObject) {
        Objects.requireNonNull(apiObject, "apiObject");
        Function<Object, Object> f = RESOLVED.get(apiObject.getClass());
        if (f == null) {
            throw new IllegalArgumentException(
                    "not a gevent4j API object: " + apiObject.getClass().getName());
        }
        return f.apply(apiObject);
    }

    /** The accessor of each concrete class, found once (a subclass uses its API superclass's). */
    private static final ClassValue<Function<Object, Object>> RESOLVED = new ClassValue<>() {
        @Override
        protected Function<Object, Object> computeValue(Class<?> type) {
            for (Class<?> c = type; c != null; c = c.getSuperclass()) {
                Function<Object, Object> f = ACCESSORS.get(c);
                if (f != null) {
                    return f;
                }
            }
            return null;
        }
    };

    /**
     * @param g a greenlet
     * @param <T> its result type
     * @return its peer
     */
    @SuppressWarnings("unchecked")
    public static <T extends @Nullable Object> GreenletPeer<T> peerOf(Greenlet<T> g) {
        return (GreenletPeer<T>) peer(g);
    }

    private static final Map<Class<?>, Function<Object, Object>> FACTORIES = new ConcurrentHashMap<>();

    /**
     * Called by the API classes only, once each: how to make an instance around a peer the implementation made
     * itself (a socket it accepted or connected in a suspend function, for instance).
     *
     * @param apiClass the API class
     * @param fromPeer makes an instance around a peer
     */
    public static void installFactory(Class<?> apiClass, Function<Object, Object> fromPeer) {
        if (FACTORIES.putIfAbsent(apiClass, Objects.requireNonNull(fromPeer, "fromPeer")) != null) {
            throw new IllegalStateException("peer factory of " + apiClass.getName() + " installed already");
        }
    }

    /**
     * @param apiClass an API class that installed a factory
     * @param peer its peer, made by the implementation
     * @param <T> the API type
     * @return a new API object around {@code peer}
     */
    public static <T> T fromPeer(Class<T> apiClass, Object peer) {
        Objects.requireNonNull(peer, "peer");
        Function<Object, Object> f = FACTORIES.get(apiClass);
        if (f == null) {
            try {
                Class.forName(apiClass.getName(), true, apiClass.getClassLoader()); // runs its installer
            } catch (ClassNotFoundException e) {
                throw new IllegalArgumentException("not a gevent4j API class: " + apiClass.getName(), e);
            }
            f = FACTORIES.get(apiClass);
            if (f == null) {
                throw new IllegalArgumentException("no peer factory for " + apiClass.getName());
            }
        }
        return apiClass.cast(f.apply(peer));
    }
}
