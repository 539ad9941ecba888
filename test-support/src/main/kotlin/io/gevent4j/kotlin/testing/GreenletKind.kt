package io.gevent4j.kotlin.testing

/**
 * The kind of greenlet that plays a part in a scenario: a Kotlin greenlet (a coroutine, suspend twins) or a Java
 * greenlet (a virtual thread, blocking calls). A case that must hold for either is one parameterized test over this
 * enum (`@EnumSource(GreenletKind::class)`) instead of a copy per kind.
 */
enum class GreenletKind {
    KOTLIN,
    JAVA,
}
