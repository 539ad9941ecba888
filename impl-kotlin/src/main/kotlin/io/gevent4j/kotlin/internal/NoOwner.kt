package io.gevent4j.kotlin.internal

import io.gevent4j.Waitable
import java.util.function.Consumer

/**
 * The owner of a primitive used inside another object (a pool's slots, a group's empty signal): no user holds it, so
 * nobody rawlinks it; its callbacks would have nobody to receive.
 */
internal object NoOwner : Waitable {
    override fun isReady(): Boolean = false

    override fun rawlink(callback: Consumer<in Waitable>): Unit =
        throw UnsupportedOperationException("an internal primitive takes no rawlink")

    override fun unlink(callback: Consumer<in Waitable>) {}
}
