package io.gevent4j.kotlin.internal

import java.util.concurrent.ConcurrentHashMap

/**
 * Every hub of the JVM whose loop has not ended, for the run info and the operability tools. Lock-free: hub threads
 * make hubs and end them (no monitor on a hub thread's path, runtime.md trap 3). A hub's own thread keeps it reachable
 * until its loop ends and it leaves this set, so the set need not be weak.
 */
internal object Hubs {
    private val all: MutableSet<HubImpl> = ConcurrentHashMap.newKeySet()

    fun add(hub: HubImpl) {
        all.add(hub)
    }

    fun remove(hub: HubImpl) {
        all.remove(hub)
    }

    /** The hubs running now, by name. */
    fun snapshot(): List<HubImpl> = all.sortedBy { it.name() }
}
