package io.gevent4j.kotlin.internal

import io.gevent4j.GreenCallable
import io.gevent4j.Greenlet
import io.gevent4j.Hub
import kotlinx.coroutines.CoroutineScope

/**
 * How a pool-like object ([GroupCore], [GreenPoolCore]) takes in a new member, the one seam the fan-out algorithms
 * ([GroupMap], [ImapCore]) need: a member's greenlet is made by [javaTask] or [kotlinTask] (a GreenPool wraps the body
 * so that the slot is free before anyone sees the death); [tryStart] adds and starts it when that takes no wait;
 * [startBlocking] and [startSuspend] wait in the object's FIFO line for a slot first. A wait that ends otherwise (a
 * kill, a Timeout, a cancellation) takes no slot and starts nothing.
 */
internal interface Admission {
    /** A new, not started Java greenlet on [hub] running [fn] as a member's body. */
    fun <T> javaTask(hub: Hub, fn: GreenCallable<T>): Greenlet<T> = Greenlet(hub, fn)

    /** A new, not started Kotlin greenlet on [hub] running [block] as a member's body. */
    fun <T> kotlinTask(hub: Hub, block: suspend CoroutineScope.() -> T): Greenlet<T> = kotlinGreenlet(hub, block)

    /**
     * Adds and starts [g] when that takes no wait: a GreenPool when a slot is free and nobody waits for one; a Pool
     * when its semaphore has a permit (a caller that does not wait may barge, SEM-10); a Group always.
     */
    fun tryStart(g: Greenlet<*>): Boolean

    /** Adds and starts [g], waiting in line for a slot (the blocking form: [op] and [twin] name a refusal). */
    fun startBlocking(g: Greenlet<*>, op: String, twin: String)

    /** The suspend form of [startBlocking]. */
    suspend fun startSuspend(g: Greenlet<*>)
}

/** A new, not started Kotlin greenlet on [hub] running [block]. */
internal fun <T> kotlinGreenlet(hub: Hub, block: suspend CoroutineScope.() -> T): Greenlet<T> =
    Greenlet(hub, SuspendBody(block))
