package io.gevent4j.kotlin.internal

import io.gevent4j.GreenCallable
import io.gevent4j.Greenlet
import io.gevent4j.Hub
import io.gevent4j.Timeout
import io.gevent4j.Waitable
import io.gevent4j.event.Event
import io.gevent4j.kotlin.spi.KotlinGreenletBody
import io.gevent4j.kotlin.spi.SuspendGeventProvider
import io.gevent4j.pool.GreenPool
import io.gevent4j.spi.AsyncResultPeer
import io.gevent4j.spi.EventPeer
import io.gevent4j.spi.GeventProvider
import io.gevent4j.spi.GreenPilePeer
import io.gevent4j.spi.GreenPoolPeer
import io.gevent4j.spi.GreenletPeer
import io.gevent4j.spi.GroupPeer
import io.gevent4j.spi.Internals
import io.gevent4j.spi.PopenPeer
import io.gevent4j.spi.QueueKind
import io.gevent4j.spi.QueuePeer
import io.gevent4j.spi.RLockPeer
import io.gevent4j.spi.SemaphorePeer
import io.gevent4j.spi.ServerSocketPeer
import io.gevent4j.spi.SocketPeer
import io.gevent4j.spi.ThreadPoolPeer
import io.gevent4j.spi.TimeoutHandle
import kotlin.coroutines.CoroutineContext
import kotlin.coroutines.coroutineContext
import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.flow
import kotlinx.coroutines.yield

/**
 * The body of a Kotlin greenlet, passed through the Java constructor `Greenlet(hub, body)`: the provider recognises it
 * and makes a [KotlinGreenletCore] instead of a Java greenlet (the SPI's [KotlinGreenletBody]).
 */
internal typealias SuspendBody<T> = KotlinGreenletBody<T>

/**
 * gevent4j's implementation, found by `ServiceLoader` (META-INF/services/io.gevent4j.spi.GeventProvider), and its
 * suspend side for the twins of `io.gevent4j.kotlin` ([SuspendGeventProvider]; every peer it makes implements the
 * matching interface of `io.gevent4j.kotlin.spi`).
 */
public class KotlinGeventProvider : GeventProvider, SuspendGeventProvider {
    override fun spiVersion(): Int = GeventProvider.SPI_VERSION

    override fun name(): String = "gevent4j-kotlin"

    override fun defaultHub(): Hub = defaultHubImpl()

    override fun currentHub(): Hub = currentHubImpl()

    override fun createHub(name: String): Hub = newHub(name)

    override fun <T> newGreenlet(owner: Greenlet<T>, hub: Hub, body: GreenCallable<T>): GreenletPeer<T> {
        val h = hub as? HubImpl ?: throw IllegalArgumentException("hub $hub does not belong to ${name()}")
        h.checkOpen()
        return if (body is SuspendBody<T>) KotlinGreenletCore(owner, h, body.block)
        else JavaGreenletCore(owner, h, body)
    }

    override fun newEvent(owner: Event): EventPeer = EventCore(owner)

    override fun <T> newAsyncResult(owner: Waitable): AsyncResultPeer<T> = AsyncResultCore(owner)

    override fun newSemaphore(owner: Waitable, value: Int): SemaphorePeer = SemaphoreCore(value, owner)

    override fun newRLock(): RLockPeer = RLockCore()

    override fun newGroup(size: Int): GroupPeer = GroupCore(size)

    override fun newGreenPool(size: Int): GreenPoolPeer = GreenPoolCore(size)

    override fun <T> newGreenPile(pool: GreenPool): GreenPilePeer<T> = GreenPileCore(GreenPoolCore.of(pool))

    override fun <T> newQueue(kind: QueueKind, maxsize: Int, comparator: Comparator<in T>?): QueuePeer<T> =
        QueueCore(kind, maxsize, comparator)

    override fun newThreadPool(maxsize: Int, hub: Hub, name: String): ThreadPoolPeer {
        val h = hub as? HubImpl ?: throw IllegalArgumentException("hub $hub does not belong to ${name()}")
        h.checkOpen()
        return ThreadPoolCore(maxsize, h, name)
    }

    override fun currentLocals(): MutableMap<Any, Any>? = currentCore()?.locals()

    override fun getcurrent(): Greenlet<*>? = currentCore()?.owner

    override fun formatRunInfo(): List<String> = RunInfo.format()

    override fun checkMayBlock(op: String, twin: String) {
        Blocking.refuseOnHub(op, twin)
    }

    override fun sleep(nanos: Long) {
        if (nanos <= 0 && JavaGreenletCore.current() != null) {
            sleepZero()
            return
        }
        if (nanos <= 0 && Thread.currentThread() !is HubThread) {
            ForeignContext.current().raisePending()
            Thread.yield()
            return
        }
        Blocking.await("sleep()", "sleep()", null, nanos) { null }
    }

    override fun idle() {
        val hub = currentHubImpl()
        Blocking.await("idle()", "idle()", hub, -1) { w ->
            hub.addIdler(w)
            Runnable { hub.removeIdler(w) }
        }
    }

    override fun startTimeout(owner: Timeout, toRaise: Throwable, nanos: Long): TimeoutHandle =
        TimeoutTimer(currentWaitContext("Timeout.start()"), toRaise, nanos)

    override fun <W : Waitable> wait(objects: Collection<W>, timeoutNanos: Long, count: Int): List<W> =
        Waiting.wait(objects, timeoutNanos, count)

    override fun <W : Waitable> iwait(objects: Collection<W>, timeoutNanos: Long, count: Int): Iterator<W> =
        Waiting.iwait(objects, timeoutNanos, count)

    override fun joinAll(
        greenlets: Collection<Greenlet<*>>,
        timeoutNanos: Long,
        raiseError: Boolean,
        count: Int,
    ): List<Greenlet<*>> = Waiting.joinAll(greenlets, timeoutNanos, raiseError, count)

    override fun killAll(greenlets: Collection<Greenlet<*>>, exception: Throwable, block: Boolean, timeoutNanos: Long) {
        Waiting.killAll(greenlets, exception, block, timeoutNanos)
    }

    override fun connect(address: java.net.InetSocketAddress, timeoutNanos: Long): SocketPeer =
        SocketCore.connect(address, timeoutNanos)

    override fun connect(host: String, port: Int, timeoutNanos: Long): SocketPeer =
        NameLookup.connect(host, port, timeoutNanos)

    override fun wrapSocket(connected: java.nio.channels.SocketChannel): SocketPeer = SocketCore.wrap(connected)

    override fun listen(address: java.net.InetSocketAddress, backlog: Int): ServerSocketPeer =
        ServerSocketCore.listen(address, backlog)

    override fun newPopen(owner: Waitable, builder: ProcessBuilder): PopenPeer = PopenCore(owner, builder)

    override fun newStreamServer(
        address: java.net.InetSocketAddress?,
        listener: ServerSocketPeer?,
        handle: io.gevent4j.server.StreamServer.Handler,
        spawn: io.gevent4j.pool.Group?,
    ): io.gevent4j.spi.StreamServerPeer =
        StreamServerCore(address, ownListener(listener), spawn, ConnectionHandler.Java(handle))

    private fun ownListener(listener: ServerSocketPeer?): ServerSocketCore? =
        listener?.let {
            it as? ServerSocketCore ?: throw IllegalArgumentException("listener $it does not belong to ${name()}")
        }

    // ---- the suspend side (SuspendGeventProvider) ----------------------------------------------------------

    override suspend fun suspendSleep(nanos: Long) {
        if (nanos != 0L) {
            Blocking.awaitSuspend(null, nanos) { null }
            return
        }
        val core = coroutineContext[KotlinGreenletCore]
        core?.raisePending()
        yield()
        core?.raisePending()
    }

    override suspend fun suspendIdle() {
        val hub = coroutineContext[KotlinGreenletCore]?.hub ?: defaultHubImpl()
        Blocking.awaitSuspend(hub, -1) { w ->
            hub.addIdler(w)
            Runnable { hub.removeIdler(w) }
        }
    }

    override fun <W : Waitable> iwaitFlow(objects: Collection<W>, timeoutNanos: Long, count: Int): Flow<W> = flow {
        val it = WaitIterator(objects, timeoutNanos, count)
        try {
            while (!it.isExhausted) {
                val o = it.poll()
                if (o != null) {
                    emit(o)
                    continue
                }
                if (it.hasDeadline && it.remainingNanos == 0L) break
                val r = Blocking.awaitSuspend(null, it.remainingNanos) { w -> it.register(w) }
                if (r === Wait.TIMED_OUT && !it.hasReady()) break
            }
        } finally {
            it.close()
        }
    }

    override fun kotlinGreenlet(context: CoroutineContext): Greenlet<*>? = context[KotlinGreenletCore]?.owner

    override fun dispatcher(hub: Hub): CoroutineDispatcher =
        hub as? HubImpl ?: throw IllegalArgumentException("hub $hub does not belong to ${name()}")

    override suspend fun awaitConnect(address: java.net.InetSocketAddress, timeoutNanos: Long): SocketPeer =
        SocketCore.connectSuspend(address, timeoutNanos)

    override suspend fun awaitConnect(host: String, port: Int, timeoutNanos: Long): SocketPeer =
        NameLookup.connectSuspend(host, port, timeoutNanos)

    override fun newKotlinStreamServer(
        address: java.net.InetSocketAddress?,
        listener: ServerSocketPeer?,
        spawn: io.gevent4j.pool.Group?,
        handle: suspend (socket: io.gevent4j.socket.GreenSocket, address: java.net.InetSocketAddress) -> Unit,
    ): io.gevent4j.spi.StreamServerPeer =
        StreamServerCore(address, ownListener(listener), spawn, ConnectionHandler.Kotlin(handle))

    internal companion object {
        /** The default hub: made on first use, and again after it was closed. */
        private val default = java.util.concurrent.atomic.AtomicReference<HubImpl?>()

        /** sleep(0) of the calling Java greenlet. */
        fun sleepZero() {
            val jg = JavaGreenletCore.current() ?: return
            jg.raisePending()
            jg.hub.carrier.yieldNow(jg)
            jg.raisePending()
        }

        fun newHub(name: String): HubImpl = HubImpl(name) { CarrierSupport.carrierFor(it) }

        /**
         * The default hub, made when there is none or it was closed. A CAS, not a monitor: a hub thread may get here
         * (`Hub.getDefault()` in a greenlet of another hub; runtime.md, trap 3). A caller that loses the race to make
         * it stops the hub it made.
         */
        fun defaultHubImpl(): HubImpl {
            while (true) {
                val d = default.get()
                if (d != null && d.state == HubImpl.RUNNING) return d
                val made = newHub("gevent4j-hub-default")
                if (default.compareAndSet(d, made)) return made
                made.closeUnused()
            }
        }

        fun currentHubImpl(): HubImpl {
            val jg = JavaGreenletCore.current()
            if (jg != null) return jg.hub
            val t = Thread.currentThread()
            if (t is HubThread) return t.hub
            return defaultHubImpl()
        }

        /** The greenlet (Java or Kotlin) that calls, or null. */
        fun currentCore(): GreenletCore<*>? {
            val jg = JavaGreenletCore.current()
            if (jg != null) return jg
            val t = Thread.currentThread()
            return if (t is HubThread) t.hub.currentKotlin else null
        }

        /** Who a Timeout started now belongs to. */
        fun currentWaitContext(op: String): WaitContext {
            val core = currentCore()
            if (core != null) return core
            val t = Thread.currentThread()
            if (t is HubThread) {
                throw IllegalStateException(
                    "$op on hub \"${t.hub.name()}\" outside every greenlet (a rawlink callback or hub task) has nobody to raise in"
                )
            }
            return ForeignContext.current()
        }

        fun <T> core(g: Greenlet<T>): GreenletCore<T> = Internals.peerOf(g) as GreenletCore<T>
    }
}
