package io.gevent4j.kotlin.spi

import io.gevent4j.GreenCallable
import io.gevent4j.Greenlet
import io.gevent4j.Hub
import io.gevent4j.Waitable
import io.gevent4j.pool.Group
import io.gevent4j.socket.GreenSocket
import io.gevent4j.spi.GeventProvider
import io.gevent4j.spi.ServerSocketPeer
import io.gevent4j.spi.SocketPeer
import io.gevent4j.spi.StreamServerPeer
import java.net.InetSocketAddress
import kotlin.coroutines.CoroutineContext
import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.flow.Flow

/**
 * For implementors only: the suspend side of a [GeventProvider], which `io.gevent4j.spi` (pure Java) cannot name. The
 * suspend twins of `io.gevent4j.kotlin` reach an implementation through it and through the peer interfaces of this
 * package ([SuspendEventPeer], [SuspendQueuePeer], ...), never through an implementation's classes; a provider whose
 * peers do not implement them still serves every Java facade, and each twin then fails with an [IllegalStateException]
 * naming the object, the provider and the missing interface.
 *
 * A provider that implements this interface promises that every peer it makes implements the matching peer interface of
 * this package, and that its `newGreenlet` runs a [KotlinGreenletBody] as a Kotlin greenlet (a coroutine on the hub)
 * instead of calling it. Timeouts are nanoseconds, negative for none; the twins have checked every argument. Cancelling
 * a caller suspended in any of these functions must end its wait promptly and undo what the wait registered.
 */
public interface SuspendGeventProvider {
    /**
     * gevent's `sleep`: suspends the caller at least [nanos]; 0 yields once, behind every greenlet that is runnable
     * already; negative suspends until the caller is cancelled (an infinite duration). A pending kill or Timeout of the
     * calling greenlet is raised here.
     *
     * @param nanos how long
     */
    public suspend fun suspendSleep(nanos: Long)

    /** gevent's `idle`: suspends until the caller's hub has nothing else to run. */
    public suspend fun suspendIdle()

    /**
     * gevent's `iwait` as a cold [Flow]: each collection links the objects and emits them as they become ready.
     *
     * @param objects the objects
     * @param timeoutNanos the overall limit, negative for none
     * @param count how many to emit, `<= 0` for all
     * @return the flow
     */
    public fun <W : Waitable> iwaitFlow(objects: Collection<W>, timeoutNanos: Long, count: Int): Flow<W>

    /**
     * @param context a coroutine's context
     * @return the Kotlin greenlet whose coroutine has [context], or null for any other coroutine
     */
    public fun kotlinGreenlet(context: CoroutineContext): Greenlet<*>?

    /**
     * @param hub a hub of this provider
     * @return the hub as a kotlinx dispatcher, sharing the hub's FIFO queue
     * @throws IllegalArgumentException for a hub of another provider
     */
    public fun dispatcher(hub: Hub): CoroutineDispatcher

    /**
     * Connects a new TCP socket, suspending until connected.
     *
     * @param address a resolved address
     * @param timeoutNanos negative for none
     * @return the connected socket's peer
     */
    public suspend fun awaitConnect(address: InetSocketAddress, timeoutNanos: Long): SocketPeer

    /**
     * Looks [host] up off the hub, then connects to its first address that accepts, suspending meanwhile.
     *
     * @param host a name or a literal address
     * @param port 0..65535
     * @param timeoutNanos for the lookup and the connects together, negative for none
     * @return the connected socket's peer
     */
    public suspend fun awaitConnect(host: String, port: Int, timeoutNanos: Long): SocketPeer

    /**
     * The implementation side of a `StreamServer` whose handlers are suspend functions, each run in a new Kotlin
     * greenlet: exactly one of [address] and [listener] is given. Nothing is bound or started yet.
     *
     * @param address where to listen once started, or null
     * @param listener a listening socket's peer (the server owns it from now on), or null
     * @param spawn the group the handlers join, or null
     * @param handle the handler
     * @return the server's peer
     * @throws IllegalArgumentException for a listener of another provider
     */
    public fun newKotlinStreamServer(
        address: InetSocketAddress?,
        listener: ServerSocketPeer?,
        spawn: Group?,
        handle: suspend (socket: GreenSocket, address: InetSocketAddress) -> Unit,
    ): StreamServerPeer
}

/**
 * For implementors only: the body of a Kotlin greenlet, passed through the Java constructor `Greenlet(hub, body)`. A
 * [SuspendGeventProvider] recognises it in `newGreenlet` and runs [block] as a coroutine on the hub; [call] is never
 * used.
 *
 * @param T the result type
 * @property block the greenlet's body
 */
public class KotlinGreenletBody<T>(@JvmField public val block: suspend CoroutineScope.() -> T) : GreenCallable<T> {
    /**
     * @throws IllegalStateException always: a provider that runs this body as plain Java code is not a
     *   [SuspendGeventProvider]
     */
    override fun call(): T =
        throw IllegalStateException("a Kotlin greenlet body runs as a coroutine, not through call()")
}
