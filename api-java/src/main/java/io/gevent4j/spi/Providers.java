package io.gevent4j.spi;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import org.jspecify.annotations.Nullable;

/**
 * For implementors only: finds the {@link GeventProvider} once, lazily. The system property
 * {@code io.gevent4j.provider} picks one by class name when several are found (on the class path, or on the module
 * path, where {@code ServiceLoader} binds every module that {@code provides} one).
 */
public final class Providers {
    private Providers() {}

    /** The artifact users must add when no provider is found. */
    public static final String IMPLEMENTATION_ARTIFACT = "io.gevent4j:gevent4j-kotlin";

    private static final class Holder {
        static final GeventProvider PROVIDER = load();
    }

    /**
     * @return the provider
     * @throws IllegalStateException when none is found on the class path or the module path (the message names the
     *     artifact to add), or when the one found speaks another SPI version
     */
    public static GeventProvider get() {
        try {
            return Holder.PROVIDER;
        } catch (ExceptionInInitializerError e) {
            if (e.getCause() instanceof IllegalStateException ise) {
                throw new IllegalStateException(ise.getMessage(), ise);
            }
            throw e;
        } catch (NoClassDefFoundError e) {
            // The holder failed to initialise earlier; load again to give the same clear message.
            load();
            throw e;
        }
    }

    private static GeventProvider load() {
        List<GeventProvider> found = new ArrayList<>();
        for (GeventProvider p : ServiceLoader.load(GeventProvider.class, Providers.class.getClassLoader())) {
            found.add(p);
        }
        if (found.isEmpty()) {
            for (GeventProvider p : ServiceLoader.load(GeventProvider.class)) {
                found.add(p);
            }
        }
        if (found.isEmpty()) {
            throw new IllegalStateException("No gevent4j implementation found: add "
                    + IMPLEMENTATION_ARTIFACT + " to the class path or the module path (runtime scope is enough for"
                    + " Java users)");
        }
        GeventProvider chosen = choose(found, System.getProperty("io.gevent4j.provider"));
        if (chosen.spiVersion() != GeventProvider.SPI_VERSION) {
            throw new IllegalStateException("gevent4j provider " + chosen.name() + " speaks SPI version "
                    + chosen.spiVersion() + ", this gevent4j-api needs " + GeventProvider.SPI_VERSION
                    + ": use matching versions of gevent4j-api and " + IMPLEMENTATION_ARTIFACT);
        }
        return chosen;
    }

    /**
     * Picks the provider: the one {@code wanted} names by class name, else the only one found. Several found and none
     * wanted is an error naming them all (taking the first would depend on the order of the path).
     *
     * @param found the providers found, at least one
     * @param wanted the value of {@code io.gevent4j.provider}, or null
     * @return the provider to use
     */
    static GeventProvider choose(List<GeventProvider> found, @Nullable String wanted) {
        if (wanted != null) {
            for (GeventProvider p : found) {
                if (p.getClass().getName().equals(wanted)) {
                    return p;
                }
            }
            throw new IllegalStateException(
                    "io.gevent4j.provider=" + wanted + " names none of the providers found: " + describe(found));
        }
        if (found.size() > 1) {
            throw new IllegalStateException("Several gevent4j implementations found: " + describe(found)
                    + ". Keep one, or pick one with -Dio.gevent4j.provider=<class name>");
        }
        return found.get(0);
    }

    private static String describe(List<GeventProvider> found) {
        List<String> names = new ArrayList<>();
        for (GeventProvider p : found) {
            names.add(p.getClass().getName() + " (" + p.name() + ")");
        }
        return String.join(", ", names);
    }
}
