/**
 * gevent4j's implementation on kotlinx.coroutines, and the Kotlin surface: the suspend twins of the Java API
 * ({@code io.gevent4j.kotlin}). It provides {@link io.gevent4j.spi.GeventProvider} to module {@code io.gevent4j}.
 *
 * <p>Java greenlets run as virtual threads scheduled on the hub
 * ({@link io.gevent4j.JavaGreenletMode#SCHEDULED_ON_HUB}) only when {@code java.lang} is open to this module: on
 * the module path {@code --add-opens java.base/java.lang=io.gevent4j.kotlin} ({@code ALL-UNNAMED} opens it to
 * the class path only); without it Java greenlets run in {@link io.gevent4j.JavaGreenletMode#HANDOFF} mode.
 */
@SuppressWarnings("module") // the qualified export names io.gevent4j.test, which this build cannot see
module io.gevent4j.kotlin {
    requires transitive io.gevent4j;
    requires transitive kotlin.stdlib;
    requires transitive kotlinx.coroutines.core;
    // HubMXBean registration (java.management), the legacy-locking check (com.sun.management), JFR events
    requires java.management;
    requires jdk.management;
    requires jdk.jfr;

    exports io.gevent4j.kotlin;
    // io.gevent4j.kotlin.spi is not exported: it serves implementors of io.gevent4j.spi, which module io.gevent4j
    // exports to this module only (another implementation works on the class path)
    // the virtual-time test hub (gevent4j-test) drives the hub through TestHubHook
    exports io.gevent4j.kotlin.internal to
            io.gevent4j.test;

    provides io.gevent4j.spi.GeventProvider with
            io.gevent4j.kotlin.internal.KotlinGeventProvider;
}
