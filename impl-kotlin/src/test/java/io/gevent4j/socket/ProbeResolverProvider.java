package io.gevent4j.socket;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.spi.InetAddressResolver;
import java.net.spi.InetAddressResolverProvider;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A name resolver for the tests (installed through META-INF/services): names ending in {@link #SUFFIX} are
 * answered here, recording the thread that looked them up, optionally held until a gate opens; names starting
 * with {@code nx} are unknown. Every other name goes to the JDK's own resolver, unchanged.
 */
public final class ProbeResolverProvider extends InetAddressResolverProvider {
    public static final String SUFFIX = ".gevent4j-probe.test";
    /** host -> name of the thread that looked it up. */
    public static final Map<String, String> LOOKED_UP_ON = new ConcurrentHashMap<>();
    /** host -> a gate the lookup waits for (at most 10 s). */
    public static final Map<String, CountDownLatch> GATES = new ConcurrentHashMap<>();

    @Override
    public InetAddressResolver get(Configuration configuration) {
        InetAddressResolver builtin = configuration.builtinResolver();
        return new InetAddressResolver() {
            @Override
            public Stream<InetAddress> lookupByName(String host, LookupPolicy policy) throws UnknownHostException {
                if (!host.endsWith(SUFFIX)) {
                    return builtin.lookupByName(host, policy);
                }
                LOOKED_UP_ON.put(host, Thread.currentThread().getName());
                CountDownLatch gate = GATES.get(host);
                if (gate != null) {
                    try {
                        gate.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                if (host.startsWith("nx")) {
                    throw new UnknownHostException(host);
                }
                return Stream.of(InetAddress.getByAddress(host, new byte[] {127, 0, 0, 1}));
            }

            @Override
            public String lookupByAddress(byte[] addr) throws UnknownHostException {
                return builtin.lookupByAddress(addr);
            }
        };
    }

    @Override
    public String name() {
        return "gevent4j test probe";
    }
}
