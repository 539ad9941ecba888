package io.gevent4j.kotlin.internal

/** Where gevent4j reports what no caller can receive: greenlet failures and exceptions of hub callbacks. */
internal object Reporting {
    private val greenlets: System.Logger = System.getLogger("io.gevent4j.Greenlet")
    private val hubs: System.Logger = System.getLogger("io.gevent4j.Hub")

    /** A greenlet died with [t]: reported once, with its name and stack, as gevent prints it (SCH-15). */
    fun greenletFailed(name: String, t: Throwable) {
        greenlets.log(System.Logger.Level.ERROR, "Greenlet \"$name\" failed with ${t.javaClass.name}", t)
    }

    /** [g] died with [t]: logged as above, and a JFR event when a recording wants it ([GeventJfr]). */
    fun greenletFailed(g: GreenletCore<*>, t: Throwable) {
        greenletFailed(g.name(), t)
        GeventJfr.greenletFailed(g, t)
    }

    /** A callback running on hub [hub] threw; the hub goes on. */
    fun callbackFailed(hub: String, what: String, t: Throwable) {
        hubs.log(System.Logger.Level.ERROR, "$what on hub \"$hub\" failed with ${t.javaClass.name}", t)
    }

    fun warning(message: String) {
        hubs.log(System.Logger.Level.WARNING, message)
    }
}
