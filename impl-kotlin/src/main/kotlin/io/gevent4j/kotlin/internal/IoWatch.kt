package io.gevent4j.kotlin.internal

import io.gevent4j.JavaGreenletMode
import java.net.SocketException
import java.nio.channels.SelectableChannel
import java.nio.channels.SelectionKey
import java.util.ArrayDeque
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater

/**
 * The readiness wait of one non-blocking channel: gevent's `wait_read`/`wait_write` on an io watcher.
 *
 * A watch belongs to the hub whose selector watches its channel. It binds to the hub of its first waiter (a greenlet's
 * hub; the default hub for a thread of no hub), so that a socket accepted on one hub and handed to a handler on another
 * is watched by the handler's hub; waiters of other hubs and threads register there through [Blocking]'s remote
 * registration. A wait is one [Blocking] wait point, so it is cooperative in a Java greenlet (either mode), blocks a
 * foreign thread, is refused on a hub thread outside a Java greenlet, has a suspend form, and a kill or a Timeout lands
 * in it.
 *
 * Interest: read/accept interest stays on after its waiters are woken (a request/response loop waits again before the
 * next poll, so the kernel's interest set does not change per round trip) and is dropped when the channel is reported
 * ready with nobody waiting; write/connect interest is dropped as soon as it fires (a socket is nearly always
 * writable).
 *
 * [close] fails every waiter, in any greenlet or thread, with a [SocketException]; a kill or a Timeout that lands in a
 * wait leaves the channel open.
 */
internal class IoWatch(private val channel: SelectableChannel, private val what: String) {
    @Volatile private var hub: HubImpl? = null
    @Volatile private var closed: Int = 0
    private val lock = SpinLock()
    private var key: SelectionKey? = null
    private val readers = ArrayDeque<Waiter>(2)
    private val writers = ArrayDeque<Waiter>(2)

    /** One waiter: also its cleanup, run after the wait in the watch's hub context. */
    private inner class Waiter(@JvmField val wait: Wait, @JvmField val read: Boolean) : Runnable {
        override fun run() {
            lock.locked { (if (read) readers else writers).remove(this) }
        }
    }

    private inner class Registrar(private val ops: Int) : (Wait) -> Runnable? {
        private val read = ops and READ_OPS != 0

        override fun invoke(w: Wait): Runnable? = register(w, ops, read)
    }

    private val readRegistrar =
        Registrar(
            if (channel.validOps() and SelectionKey.OP_ACCEPT != 0) SelectionKey.OP_ACCEPT else SelectionKey.OP_READ
        )
    private val writeRegistrar = Registrar(SelectionKey.OP_WRITE)
    private val connectRegistrar = Registrar(SelectionKey.OP_CONNECT)

    val isClosed: Boolean
        get() = closed != 0

    /** Whether anybody waits on the channel now. */
    fun hasWaiters(): Boolean = lock.locked { readers.isNotEmpty() || writers.isNotEmpty() }

    /** The hub watching the channel, bound now to the caller's hub if none is yet. */
    private fun bind(): HubImpl {
        val h = hub
        if (h != null) return h
        val mine = KotlinGeventProvider.currentHubImpl()
        return if (HUB.compareAndSet(this, null, mine)) mine else hub!!
    }

    private fun registrar(kind: Int): Registrar =
        when (kind) {
            READ -> readRegistrar
            WRITE -> writeRegistrar
            else -> connectRegistrar
        }

    /**
     * Blocking form: waits until the channel is ready for [kind] ([READ], [WRITE] or [CONNECT]).
     *
     * @return false when [timeoutNanos] (`< 0`: none) passed first
     * @throws SocketException when the channel is or gets closed
     */
    fun await(kind: Int, timeoutNanos: Long, op: String, twin: String): Boolean {
        if (closed != 0) throw closedError()
        return Blocking.await(op, twin, bind(), timeoutNanos, registrar(kind)) !== Wait.TIMED_OUT
    }

    /** Suspend form of [await]. */
    suspend fun awaitSuspend(kind: Int, timeoutNanos: Long): Boolean {
        if (closed != 0) throw closedError()
        return Blocking.awaitSuspend(bind(), timeoutNanos, registrar(kind)) !== Wait.TIMED_OUT
    }

    /** Runs in the bound hub's context (or, after that hub closed, wherever its late tasks run). */
    private fun register(w: Wait, ops: Int, read: Boolean): Runnable? {
        val h = hub
        if (h == null) { // the hub it was bound to closed in between and unbound it: the next call binds anew
            w.wakeThrow(SocketException("$what: the hub that watched it closed; call again"))
            return null
        }
        if (closed != 0) {
            w.wakeThrow(closedInAnotherGreenlet())
            return null
        }
        if (!channel.isOpen) {
            // closed through channel() rather than through us: treat it as a close, so that nobody waits for ever
            close()
            w.wakeThrow(closedError())
            return null
        }
        if (h.state == HubImpl.CLOSED) {
            w.wakeThrow(SocketException("$what: hub \"${h.name()}\" that watches it is closed"))
            return null
        }
        var k = key
        if (k == null) {
            k = h.poller().register(channel, this)
            key = k
        }
        // the waiter is queued before the interest is set: a readiness reported in between (by the hub's thread,
        // should this registration yield on a contended lock) then finds it, instead of finding nobody and dropping
        // the interest this registration relies on
        // A close that ran while this registration waited for the lock has failed the waiters queued then and
        // cancelled the key: this one is not queued, and fails as they did.
        val waiter = Waiter(w, read)
        val queued =
            lock.locked {
                if (closed != 0 || key !== k) {
                    false
                } else {
                    (if (read) readers else writers).addLast(waiter)
                    true
                }
            }
        if (!queued) {
            w.wakeThrow(closedInAnotherGreenlet())
            return null
        }
        try {
            val interest = k.interestOps()
            if (interest and ops != ops) k.interestOps(interest or ops)
        } catch (_: java.nio.channels.CancelledKeyException) {
            // closed in between, through channel() or by a close that found this waiter queued (and failed it)
            waiter.run()
            w.wakeThrow(closedInAnotherGreenlet())
            return null
        }
        return waiter
    }

    /** The selector reported [readyOps] for [k]: wake the waiters for them. Hub thread. */
    fun ready(k: SelectionKey, readyOps: Int) {
        // the common case is one reader or one writer: no array for it
        var reader: Waiter? = null
        var writer: Waiter? = null
        var moreReaders: Array<Waiter>? = null
        var moreWriters: Array<Waiter>? = null
        var drop = 0
        lock.locked {
            if (readyOps and READ_OPS != 0) {
                when (readers.size) {
                    0 -> drop = drop or READ_OPS
                    1 -> reader = readers.pollFirst()
                    else -> moreReaders = drainAll(readers)
                }
            }
            if (readyOps and WRITE_OPS != 0) {
                drop = drop or (readyOps and WRITE_OPS)
                when (writers.size) {
                    0 -> {}
                    1 -> writer = writers.pollFirst()
                    else -> moreWriters = drainAll(writers)
                }
            }
        }
        if (drop != 0 && k.isValid) {
            val interest = k.interestOps()
            if (interest and drop != 0) k.interestOps(interest and drop.inv())
        }
        reader?.wait?.wake(Unit)
        moreReaders?.let { for (x in it) x.wait.wake(Unit) }
        writer?.wait?.wake(Unit)
        moreWriters?.let { for (x in it) x.wait.wake(Unit) }
    }

    private fun drainAll(q: ArrayDeque<Waiter>): Array<Waiter> {
        val a = q.toTypedArray()
        q.clear()
        return a
    }

    /**
     * Closes the channel (idempotent): every waiter fails with a [SocketException]. In the bound hub's context the
     * descriptor is released before this returns (a Java greenlet scheduled on the hub has the hub's thread do it while
     * it waits: [HubImpl.runOnOwnThread]); from elsewhere, within the hub's next loop iteration.
     */
    fun close() {
        if (!CLOSED.compareAndSet(this, 0, 1)) return
        val h = hub
        if (h == null) {
            // nobody ever waited: no key. A waiter binding right now sees `closed` in its registration.
            closeChannel()
            return
        }
        if (h.inContext()) closeOnHub(h) else h.execute { closeOnHub(h) }
    }

    private fun closeOnHub(h: HubImpl) {
        var waiters: List<Waiter>
        val k: SelectionKey?
        lock.locked {
            waiters =
                ArrayList<Waiter>(readers.size + writers.size).apply {
                    addAll(readers)
                    addAll(writers)
                }
            readers.clear()
            writers.clear()
            k = key
            key = null
        }
        val p = if (k != null && h.state != HubImpl.CLOSED) h.pollerOrNull() else null
        p?.cancelled(k!!)
        closeChannel()
        if (p != null && h.inContext()) {
            if (Thread.currentThread().isVirtual && h.carrier.mode == JavaGreenletMode.SCHEDULED_ON_HUB) {
                // a Java greenlet scheduled on the hub must not take the selector's monitor: the JDK may park it in
                // there (a channel's lock, the wake-up lock), it would unmount holding the monitor, and the hub's
                // thread would block on it (runtime.md, trap 5d). The hub's thread flushes, and the greenlet resumes.
                h.runOnOwnThread { p.flushCancelled() }
            } else {
                p.flushCancelled()
            }
        }
        for (x in waiters) x.wait.wakeThrow(closedInAnotherGreenlet())
    }

    /**
     * The hub stopped: its waiters fail; the channel stays open, and the next waiter binds it to its own hub (a socket
     * made in a short-lived hub goes on being usable from others).
     */
    fun hubClosed() {
        val h = hub
        val waiters =
            lock.locked {
                val all = ArrayList<Waiter>(readers.size + writers.size)
                all.addAll(readers)
                all.addAll(writers)
                readers.clear()
                writers.clear()
                key = null
                all
            }
        HUB.compareAndSet(this, h, null)
        for (x in waiters) x.wait.wakeThrow(SocketException("$what: hub \"${h?.name()}\" that watches it closed"))
    }

    private fun closeChannel() {
        try {
            channel.close()
        } catch (e: java.io.IOException) {
            Reporting.warning("gevent4j: closing $what failed: $e")
        }
    }

    fun closedError(): SocketException = SocketException("$what is closed")

    private fun closedInAnotherGreenlet(): SocketException =
        SocketException("$what was closed while this wait was pending (in another greenlet or thread)")

    companion object {
        const val READ: Int = 1
        const val WRITE: Int = 2
        const val CONNECT: Int = 3
        private const val READ_OPS = SelectionKey.OP_READ or SelectionKey.OP_ACCEPT
        private const val WRITE_OPS = SelectionKey.OP_WRITE or SelectionKey.OP_CONNECT

        private val HUB: AtomicReferenceFieldUpdater<IoWatch, HubImpl> =
            AtomicReferenceFieldUpdater.newUpdater(IoWatch::class.java, HubImpl::class.java, "hub")
        private val CLOSED: AtomicIntegerFieldUpdater<IoWatch> =
            AtomicIntegerFieldUpdater.newUpdater(IoWatch::class.java, "closed")
    }
}
