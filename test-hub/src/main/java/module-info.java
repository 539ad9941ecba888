/**
 * Virtual time for tests of gevent4j code (artifact {@code gevent4j-test}): {@code io.gevent4j.test.VirtualTimeHub}
 * for Java, {@code io.gevent4j.kotlin.test.runGeventTest} for Kotlin. The hub itself stays in module
 * {@code io.gevent4j.kotlin}, which exports its internal package to this module only.
 */
module io.gevent4j.test {
    requires transitive io.gevent4j.kotlin;

    exports io.gevent4j.test;
    exports io.gevent4j.kotlin.test;
}
