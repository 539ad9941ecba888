package io.gevent4j.kotlin.internal

import io.gevent4j.GreenletExit
import io.gevent4j.Hub
import io.gevent4j.event.Event
import io.gevent4j.kotlin.await
import io.gevent4j.kotlin.awaitJoin
import io.gevent4j.kotlin.awaitKill
import io.gevent4j.kotlin.spi.SuspendStreamServerPeer
import io.gevent4j.pool.Group
import io.gevent4j.spi.StreamServerPeer
import java.net.InetSocketAddress
import java.time.Duration
import kotlin.time.Duration.Companion.nanoseconds
import kotlinx.coroutines.NonCancellable
import kotlinx.coroutines.withContext

/**
 * gevent's `BaseServer`/`StreamServer`: the state of one server and the algorithms that wait (`stop`, `serveForever`),
 * each written once as an inline function that takes its waits as lambdas and serves the blocking facade (Java) and the
 * suspend twin (Kotlin). The accept loop is [ServerAcceptor]; what runs per connection is [ConnectionHandler].
 *
 * States: NEW -> STARTING (binding) -> STARTED -> STOPPED; a failed bind goes back to NEW (the server may be started
 * again), a stopped server never starts again. `accepting` (SRV-11) is the presence of a current [ServerAcceptor]:
 * `stopAccepting` retires it (a kill that lands in its wait and leaves the listener open), `startAccepting` spawns a
 * new one on the hub that started the server. State changes are made under a spin lock (any thread may call); kills,
 * spawns and closes happen after it is released.
 */
internal class StreamServerCore(
    private val given: InetSocketAddress?,
    initialListener: ServerSocketCore?,
    private val group: Group?,
    private val handler: ConnectionHandler,
) : StreamServerPeer, SuspendStreamServerPeer {
    private val lock = SpinLock()
    private var state = NEW
    @Volatile private var listener: ServerSocketCore? = initialListener
    @Volatile private var bound: InetSocketAddress? = initialListener?.let { localAddress(it) }
    private var backlog = DEFAULT_BACKLOG // gevent's StreamServer.backlog; the JDK's 50 drops SYNs in bursts
    private var handlerHubs: List<HubImpl> = emptyList()
    private var publicHubs: List<Hub> = emptyList()
    private var acceptorHub: HubImpl? = null
    @Volatile private var acceptor: ServerAcceptor? = null
    private val stopped = Event() // set by stop(): serveForever's wait

    // ---- options -------------------------------------------------------------------------------------

    override fun backlog(backlog: Int) {
        lock.locked {
            check(given != null) { "backlog is only accepted with an address, not with a listening socket (SRV-13)" }
            check(state == NEW) { "backlog($backlog) must be called before start(): ${describe(state)}" }
            this.backlog = backlog
        }
    }

    override fun hubs(hubs: List<Hub>) {
        val impls =
            hubs.map { it as? HubImpl ?: throw IllegalArgumentException("hub $it does not belong to gevent4j-kotlin") }
        lock.locked {
            check(state == NEW) { "hubs(...) must be called before start(): ${describe(state)}" }
            handlerHubs = impls
            publicHubs = hubs
        }
    }

    override fun hubs(): List<Hub> = lock.locked { publicHubs }

    // ---- start / accepting ---------------------------------------------------------------------------

    override fun start() {
        start(false)
    }

    /**
     * Binds (address form) and spawns the acceptor on the caller's hub. With [ifNeeded] (serveForever), a server
     * started already is left as it is (true) and a stopped one answers false; without it both are an error.
     */
    private fun start(ifNeeded: Boolean): Boolean {
        val hub = KotlinGeventProvider.currentHubImpl()
        val was =
            lock.locked {
                val s = state
                if (s == NEW) state = STARTING
                s
            }
        if (was != NEW) {
            if (ifNeeded) return was != STOPPED
            throw IllegalStateException("start() of $this: ${describe(was)}")
        }
        val l: ServerSocketCore
        try {
            l =
                listener
                    ?: ServerSocketCore.listen(given!!, backlog).also {
                        bound = localAddress(it)
                        listener = it
                    }
        } catch (t: Throwable) {
            lock.locked { state = NEW }
            throw t
        }
        val a =
            lock.locked {
                if (state != STARTING) return@locked null // stop() was called meanwhile, by another thread
                state = STARTED
                acceptorHub = hub
                ServerAcceptor(this, hub, l, group, handler, handlerHubs).also { acceptor = it }
            }
        if (a == null) {
            l.close()
            throw IllegalStateException("start() of $this: stopped while starting")
        }
        try {
            a.spawn(acceptorName())
        } catch (t: Throwable) {
            closeNow()
            throw t
        }
        return true
    }

    override fun stopAccepting() {
        val a =
            lock.locked {
                val a = acceptor
                acceptor = null
                a
            }
        a?.greenlet?.kill(GreenletExit(), false, null)
    }

    override fun startAccepting() {
        val a =
            lock.locked {
                check(state == STARTED) { "startAccepting() of $this: ${describe(state)}" }
                if (acceptor != null) return
                ServerAcceptor(this, acceptorHub!!, listener!!, group, handler, handlerHubs).also { acceptor = it }
            }
        a.spawn(acceptorName())
    }

    /** Whether [a] is the server's acceptor (not retired). Any thread. */
    fun isCurrent(a: ServerAcceptor): Boolean = acceptor === a

    /** Whether the server was stopped (not merely told to stop accepting). Any thread. */
    fun isStopped(): Boolean = lock.locked { state == STOPPED }

    /** [a]'s loop ended. If the server did not retire it (its hub closed, the listener failed), the server stops. */
    fun acceptorEnded(a: ServerAcceptor) {
        val mine =
            lock.locked {
                val m = acceptor === a
                if (m) acceptor = null
                m
            }
        if (mine) closeNow()
    }

    // ---- stop / serveForever -------------------------------------------------------------------------

    /** gevent's `close()`: stopped, not accepting, the listener closed; `serveForever` wakes. Never waits. */
    private fun closeNow() {
        val (a, l) =
            lock.locked {
                state = STOPPED
                val a = acceptor
                acceptor = null
                a to listener
            }
        stopped.set()
        a?.greenlet?.kill(GreenletExit(), false, null)
        l?.close()
    }

    /**
     * gevent's `stop(timeout)`: close; then, with a group that has members, join it up to the timeout and kill the
     * rest.
     */
    private inline fun stopWith(timeoutNanos: Long, join: (Group, Long) -> Unit, kill: (Group) -> Unit) {
        closeNow()
        val g = group ?: return
        if (g.isEmpty) return
        join(g, if (timeoutNanos < 0) DEFAULT_STOP_NANOS else timeoutNanos)
        kill(g)
    }

    override fun stop(timeoutNanos: Long) {
        if (group != null) Blocking.refuseOnHub("StreamServer.stop()", "StreamServer.awaitStop()")
        stopWith(
            timeoutNanos,
            { g, nanos -> g.join(Duration.ofNanos(nanos), false) },
            { g -> g.kill(GreenletExit(), true, Duration.ofNanos(KILL_WAIT_NANOS)) },
        )
    }

    override suspend fun awaitStop(timeoutNanos: Long) {
        stopWith(
            timeoutNanos,
            { g, nanos -> g.awaitJoin(nanos.nanoseconds) },
            { g -> g.awaitKill(GreenletExit(), KILL_WAIT_NANOS.nanoseconds) },
        )
    }

    /** gevent's `serve_forever`: start if needed, wait for stop, then stop (also when the wait ends by a kill). */
    private inline fun serveWith(wait: () -> Unit, stopAfter: () -> Unit) {
        if (!start(true)) return
        try {
            wait()
        } finally {
            stopAfter()
        }
    }

    override fun serveForever() {
        Blocking.refuseOnHub("StreamServer.serveForever()", "StreamServer.awaitServeForever()")
        serveWith({ stopped.waitFor() }, { stop(-1) })
    }

    override suspend fun awaitServeForever() {
        serveWith({ stopped.await() }, { withContext(NonCancellable) { awaitStop(-1) } })
    }

    // ---- queries -------------------------------------------------------------------------------------

    override fun isStarted(): Boolean = lock.locked { state == STARTED }

    override fun isClosed(): Boolean = listener?.isOpen() != true

    override fun serverPort(): Int = address().port

    override fun address(): InetSocketAddress = bound ?: given!!

    override fun pool(): Group? = group

    override fun toString(): String = "StreamServer(${address()})"

    private fun acceptorName(): String = "StreamServer acceptor ${address()}"

    private fun describe(s: Int): String =
        when (s) {
            NEW -> "it is not started"
            STARTING -> "it is being started"
            STARTED -> "it was started already"
            else -> "it was stopped (a stopped server cannot start again)"
        }

    private companion object {
        /** gevent's `StreamServer.backlog`. */
        const val DEFAULT_BACKLOG: Int = 256
        const val NEW = 0
        const val STARTING = 1
        const val STARTED = 2
        const val STOPPED = 3

        /** gevent's `stop_timeout`. */
        const val DEFAULT_STOP_NANOS = 1_000_000_000L

        /** gevent's `pool.kill(block=True, timeout=1)` after the join. */
        const val KILL_WAIT_NANOS = 1_000_000_000L

        fun localAddress(l: ServerSocketCore): InetSocketAddress? =
            try {
                l.channel().localAddress as InetSocketAddress?
            } catch (_: java.io.IOException) {
                null
            }
    }
}
