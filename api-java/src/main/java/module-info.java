/**
 * gevent4j's pure-Java API: greenlets, the hub, and the gevent-style primitives, pools, queues, sockets,
 * servers and subprocesses. It holds no implementation: {@link io.gevent4j.spi.GeventProvider} is found with
 * {@link java.util.ServiceLoader}, and the one implementation, module {@code io.gevent4j.kotlin}
 * (artifact {@code gevent4j-kotlin}), must be on the module path (or the class path) at run time.
 *
 * <p>On the module path, Java greenlets run as virtual threads scheduled on the hub
 * ({@link io.gevent4j.JavaGreenletMode#SCHEDULED_ON_HUB}) only with
 * {@code --add-opens java.base/java.lang=io.gevent4j.kotlin}; {@code ALL-UNNAMED} opens {@code java.lang} to
 * the class path only, and then the mode is {@link io.gevent4j.JavaGreenletMode#HANDOFF}.
 */
@SuppressWarnings("module") // the qualified export names io.gevent4j.kotlin, which this build cannot see
module io.gevent4j {
    requires static transitive org.jspecify;

    exports io.gevent4j;
    exports io.gevent4j.event;
    exports io.gevent4j.local;
    exports io.gevent4j.lock;
    exports io.gevent4j.monitor;
    exports io.gevent4j.pool;
    exports io.gevent4j.queue;
    exports io.gevent4j.server;
    exports io.gevent4j.socket;
    exports io.gevent4j.subprocess;
    exports io.gevent4j.threadpool;

    // the peers an implementation provides: for the implementation module only
    exports io.gevent4j.spi to
            io.gevent4j.kotlin;

    uses io.gevent4j.spi.GeventProvider;
}
