package io.gevent4j.kotlin.internal

import io.gevent4j.kotlin.spi.SuspendGeventProvider
import io.gevent4j.spi.GeventProvider
import io.gevent4j.spi.Internals
import io.gevent4j.spi.Providers

/**
 * How the suspend twins of `io.gevent4j.kotlin` reach an implementation: the provider and the peers through the
 * interfaces of `io.gevent4j.kotlin.spi`, never through this implementation's classes, so that another provider picked
 * with `io.gevent4j.provider` gets a clear [IllegalStateException] (the object, the provider, the missing interface)
 * instead of a `ClassCastException`. The hot path is a type check: nothing is allocated.
 */
internal object SuspendAccess {
    /** The provider's suspend side, for [op] (a twin, as the message names it). */
    fun provider(op: String): SuspendGeventProvider {
        val p = Providers.get()
        return p as? SuspendGeventProvider ?: throw missingProvider(op, p)
    }

    /** The peer of [apiObject] as [P], for [op] (a twin, as the message names it). */
    inline fun <reified P : Any> peer(apiObject: Any, op: String): P {
        val peer = Internals.peer(apiObject)
        return peer as? P ?: throw missingPeer(op, apiObject, peer, P::class.java)
    }

    fun missingProvider(op: String, p: GeventProvider): IllegalStateException =
        IllegalStateException(
            "$op needs a gevent4j provider that implements ${SuspendGeventProvider::class.java.name}, but the provider " +
                "in use, \"${p.name()}\" (${p.javaClass.name}), does not. ${ADVICE}"
        )

    fun missingPeer(op: String, apiObject: Any, peer: Any, wanted: Class<*>): IllegalStateException {
        val p = Providers.get()
        return IllegalStateException(
            "$op needs the suspend form of $apiObject, but its peer (${peer.javaClass.name}) made by the gevent4j " +
                "provider \"${p.name()}\" (${p.javaClass.name}) does not implement ${wanted.name}. $ADVICE"
        )
    }

    private const val ADVICE =
        "The suspend twins of io.gevent4j.kotlin need a provider that implements the " +
            "interfaces of io.gevent4j.kotlin.spi (gevent4j-kotlin's does); with this one, call the blocking Java form " +
            "in a Java greenlet (spawnBlocking { })."
}
