package io.gevent4j.spi;

import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Which provider {@link Providers} takes when the class path holds one, several, or a pick by property. */
class ProviderChoiceTest {
    /** A provider stand-in whose class is its own (a proxy of GeventProvider plus a marker interface). */
    private static GeventProvider fake(String name, Class<?> marker) {
        return (GeventProvider) Proxy.newProxyInstance(
                ProviderChoiceTest.class.getClassLoader(),
                new Class<?>[] {GeventProvider.class, marker},
                (proxy, m, args) -> switch (m.getName()) {
                    case "name" -> name;
                    case "spiVersion" -> GeventProvider.SPI_VERSION;
                    case "toString" -> name;
                    default -> throw new UnsupportedOperationException(m.getName());
                });
    }

    private final GeventProvider a = fake("impl-a", Runnable.class);
    private final GeventProvider b = fake("impl-b", AutoCloseable.class);

    @Test
    @DisplayName("one provider: taken")
    void theOnlyProviderIsTaken() {
        assertSame(a, Providers.choose(List.of(a), null));
    }

    @Test
    @DisplayName("several providers and no pick: an error naming them all, not the first one silently")
    void severalProvidersWithoutAPickFailNamingThemAll() {
        IllegalStateException e =
                assertThrows(IllegalStateException.class, () -> Providers.choose(List.of(a, b), null));
        assertTrue(
                e.getMessage().contains("impl-a")
                        && e.getMessage().contains("impl-b")
                        && e.getMessage().contains("io.gevent4j.provider"),
                e.getMessage());
    }

    @Test
    @DisplayName("io.gevent4j.provider picks one of several by class name; a name that matches none is an error")
    void thePropertyPicksOneByClassName() {
        assertSame(b, Providers.choose(List.of(a, b), b.getClass().getName()));
        assertSame(a, Providers.choose(List.of(a, b), a.getClass().getName()));
        IllegalStateException e =
                assertThrows(IllegalStateException.class, () -> Providers.choose(List.of(a, b), "com.example.Missing"));
        assertTrue(
                e.getMessage().contains("com.example.Missing") && e.getMessage().contains("impl-a"), e.getMessage());
    }
}
