/**
 * A program as a user writes it on the module path: it requires the API only; the implementation module is
 * resolved by service binding ({@code io.gevent4j} uses {@code GeventProvider}, {@code io.gevent4j.kotlin}
 * provides it).
 */
module io.gevent4j.modulepath {
    requires io.gevent4j;
    // to read the hub's MXBean and gevent4j's JFR events, as a tool in the application would
    requires java.management;
    requires jdk.jfr;
}
