package io.gevent4j.kotlin.internal

import io.gevent4j.GreenCallable
import io.gevent4j.Greenlet
import io.gevent4j.Hub
import io.gevent4j.Waitable
import io.gevent4j.kotlin.awaitJoin
import io.gevent4j.kotlin.spi.SuspendGreenPoolPeer
import io.gevent4j.pool.IMap
import io.gevent4j.spi.GreenPoolPeer
import java.util.ArrayDeque
import java.util.Collections
import java.util.IdentityHashMap
import java.util.function.Consumer
import kotlin.coroutines.cancellation.CancellationException
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.flow.Flow

/**
 * eventlet's `GreenPool` (spec section 13), safe from any thread. Its state (size, free slots, running members, the
 * FIFO line of spawners) is under the one short lock of [Linkable], never held across a switch and never around a
 * wake-up; the pool is "ready" while no member runs, so `waitall` is a [Linkable] wait.
 *
 * The slot line is strict FIFO (no barging, unlike a Pool's semaphore): a spawner takes a free slot at once only when
 * nobody waits; a release wakes the head of the line, which takes the slot itself when it runs (so `free()` counts it
 * until then, as eventlet's semaphore does) and wakes the next one if another slot is free. A slot is freed as the
 * member's body's last act, before anyone sees the member dead (EL-08, EL-09), or by its death link when it was killed
 * before it ran. A spawner that is a member of the full pool runs its function inline (EL-07), decided in the same
 * locked step as queueing.
 */
internal class GreenPoolCore(size: Int) : Linkable(NoOwner), GreenPoolPeer, SuspendGreenPoolPeer, Admission {
    private var size = size // guarded by lock
    private var free = size // guarded by lock
    private val members: MutableSet<Greenlet<*>> = Collections.newSetFromMap(IdentityHashMap()) // guarded by lock
    private val line = ArrayDeque<Spawner>() // guarded by lock
    /** Slots taken and not freed: members, and spawns between taking their slot and starting (under lock). */
    @Volatile private var running = 0
    private val onDeath = Consumer<Waitable> { released(it as Greenlet<*>) }

    override val ready: Boolean
        get() = running == 0

    /** A spawner's place in the line, kept across its waits until it takes a slot or leaves. */
    private class Spawner {
        @JvmField var wait: Wait? = null // its current wait, until a release wakes it (under lock)
    }

    /** Under the lock: the wait of the head of the line when a slot is free for it; taken, so it is woken once. */
    private fun headToWake(): Wait? {
        if (free <= 0) return null
        val head = line.peekFirst() ?: return null
        val w = head.wait ?: return null // woken already, and not back yet
        head.wait = null
        return w
    }

    private fun giveBack() {
        var batch: Array<Any>? = null
        val next =
            lock.locked {
                free++
                if (running == 1) batch = takeLinks() // before it reads as idle (Linkable's rule)
                running--
                headToWake()
            }
        fire(batch)
        next?.wake(WOKEN)
    }

    /**
     * The first step of a spawn, under the lock: [INLINE] for a member of the full pool, [TOOK] when a slot was free
     * and nobody in line, [REFUSED] when it would have to wait and may not ([mayWait] false), else a new place at the
     * back of the line.
     */
    private fun enter(caller: Greenlet<*>?, mayWait: Boolean): Any =
        lock.locked {
            if (caller != null && free <= 0 && members.contains(caller)) return if (mayWait) INLINE else REFUSED
            if (line.isEmpty() && free > 0) {
                free--
                running++ // in the same step as free, so that free() + running() never miss a spawn
                return TOOK
            }
            if (!mayWait) return REFUSED
            Spawner().also { line.addLast(it) }
        }

    /**
     * Outside any wait: the spawner [s] takes a slot when it is first in line and one is free (and passes a wake-up to
     * the next one when another slot is free). Taking it here, not in the registration, means a cancellation that ends
     * the wait can never leave a slot taken (kotlinx may cancel a coroutine whose wait was completed).
     */
    private fun takeAsHead(s: Spawner): Boolean {
        var next: Wait? = null
        val took =
            lock.locked {
                if (line.peekFirst() === s && free > 0) {
                    line.pollFirst()
                    free--
                    running++
                    next = headToWake()
                    true
                } else {
                    false
                }
            }
        next?.wake(WOKEN)
        return took
    }

    /** The registration of a spawner's wait: woken at once when it could take a slot now, else by a release. */
    private fun register(w: Wait, s: Spawner): Runnable? {
        val now =
            lock.locked {
                if (line.peekFirst() === s && free > 0) {
                    true
                } else {
                    s.wait = w
                    false
                }
            }
        if (now) {
            w.wake(WOKEN)
            return null
        }
        return Runnable { lock.locked { if (s.wait === w) s.wait = null } }
    }

    /**
     * A spawner whose wait ended otherwise (a kill, a Timeout, a cancellation) leaves the line, handing its wake-up on.
     */
    private fun leave(s: Spawner) {
        lock
            .locked {
                if (!line.remove(s)) return
                headToWake()
            }
            ?.wake(WOKEN)
    }

    private fun tryTakeSlot(): Boolean =
        lock.locked {
            if (line.isEmpty() && free > 0) {
                free--
                running++
                true
            } else {
                false
            }
        }

    /** Makes [g] a member for the slot its spawner took; the slot is freed when its body ends or it dies. */
    private fun track(g: Greenlet<*>) {
        lock.locked { members.add(g) } // its slot is counted in running already
        g.rawlink(onDeath)
    }

    /** A member's body ended, or it died: frees its slot now (the second call does nothing). */
    fun released(g: Greenlet<*>?) {
        if (g == null) return
        var batch: Array<Any>? = null
        val next =
            lock.locked {
                if (!members.remove(g)) return
                if (running == 1) batch = takeLinks() // before it reads as idle (Linkable's rule)
                running--
                free++
                headToWake()
            }
        fire(batch)
        next?.wake(WOKEN)
    }

    // ---- Admission --------------------------------------------------------------------------------

    override fun <T> javaTask(hub: Hub, fn: GreenCallable<T>): Greenlet<T> =
        Greenlet(
            hub,
            GreenCallable {
                try {
                    fn.call()
                } finally {
                    released(KotlinGeventProvider.currentCore()?.owner) // the slot is free before anyone sees the death
                }
            },
        )

    override fun <T> kotlinTask(hub: Hub, block: suspend CoroutineScope.() -> T): Greenlet<T> =
        Greenlet(
            hub,
            SuspendBody {
                try {
                    block()
                } finally {
                    awaitBodyChildren() // a Kotlin greenlet is a scope: it holds its slot until its children end
                    released(KotlinGeventProvider.currentCore()?.owner)
                }
            },
        )

    override fun tryStart(g: Greenlet<*>): Boolean {
        if (!tryTakeSlot()) return false
        track(g)
        startOrRelease(g)
        return true
    }

    /** Starts member [g]; when that fails (its hub closed meanwhile) its slot is freed before the failure goes on. */
    private fun startOrRelease(g: Greenlet<*>) {
        try {
            g.start()
        } catch (t: Throwable) {
            g.unlink(onDeath)
            released(g)
            throw t
        }
    }

    override fun startBlocking(g: Greenlet<*>, op: String, twin: String) {
        check(
            spawnLoop(null, Thread.currentThread() !is HubThread, { g }) { r ->
                Blocking.await(op, twin, null, -1, r)
            } != null
        )
    }

    override suspend fun startSuspend(g: Greenlet<*>) {
        check(spawnLoop(null, true, { g }) { r -> Blocking.awaitSuspend(null, -1, r) } != null)
    }

    // ---- spawn ------------------------------------------------------------------------------------

    /**
     * Takes a slot (waiting with [await] in line, FIFO), then makes a member with [newTask] and starts it; null, with
     * no slot taken, when [caller] is a member of the full pool and must run the function inline (EL-07). With
     * [mayWait] false (a blocking call on a hub thread outside a Java greenlet) a spawn that would wait, or run inline,
     * is refused before anything is taken, queued or run. A wait that ends otherwise takes no slot.
     */
    private inline fun <T> spawnLoop(
        caller: Greenlet<*>?,
        mayWait: Boolean,
        newTask: () -> Greenlet<T>,
        await: ((Wait) -> Runnable?) -> Any?,
    ): Greenlet<T>? {
        val first = enter(caller, mayWait)
        if (first === INLINE) return null
        if (first === REFUSED) throw Blocking.onHub(SPAWN, SPAWN_TWIN, Thread.currentThread() as HubThread)
        if (first is Spawner) {
            try {
                // woken by a release: take the slot if it is still ours to take, else wait again in our place
                while (!takeAsHead(first)) await { w -> register(w, first) }
            } catch (t: Throwable) {
                leave(first)
                throw t
            }
        }
        val g =
            try {
                newTask()
            } catch (t: Throwable) {
                giveBack()
                throw t
            }
        track(g)
        startOrRelease(g)
        return g
    }

    override fun <T> spawn(fn: GreenCallable<T>): Greenlet<T> {
        val hub = Hub.current()
        val caller = KotlinGeventProvider.currentCore()?.owner
        return spawnLoop(caller, Thread.currentThread() !is HubThread, { javaTask(hub, fn) }) { r ->
            Blocking.await(SPAWN, SPAWN_TWIN, null, -1, r)
        } ?: inline(hub, fn)
    }

    /** Runs [fn] in the calling member and returns a finished greenlet holding its outcome (one yield: its join). */
    private fun <T> inline(hub: Hub, fn: GreenCallable<T>): Greenlet<T> {
        val outcome =
            try {
                Result.success(fn.call())
            } catch (e: Exception) {
                Result.failure(e)
            }
        val done = Greenlet(hub, GreenCallable { outcome.getOrThrow() })
        done.start()
        done.join()
        return done
    }

    override suspend fun <T> spawnSuspend(block: suspend CoroutineScope.() -> T): Greenlet<T> {
        val hub = Hub.current()
        val caller = KotlinGeventProvider.currentCore()?.owner
        spawnLoop(caller, true, { kotlinTask(hub, block) }) { r -> Blocking.awaitSuspend(null, -1, r) }
            ?.let {
                return it
            }
        val outcome =
            try {
                Result.success(coroutineScope(block))
            } catch (e: Exception) {
                if (e is CancellationException) throw e
                Result.failure(e)
            }
        val done = Greenlet(hub, SuspendBody { outcome.getOrThrow() })
        done.start()
        done.awaitJoin()
        return done
    }

    // ---- the rest ---------------------------------------------------------------------------------

    override fun size(): Int = lock.locked { size }

    override fun free(): Int = lock.locked { free }

    override fun running(): Int = running

    override fun waiting(): Int = lock.locked { line.size }

    override fun resize(newSize: Int) {
        lock
            .locked {
                free += newSize - size
                size = newSize
                headToWake() // the head takes one and hands the next free slot on
            }
            ?.wake(WOKEN)
    }

    fun isMember(g: Greenlet<*>?): Boolean = g != null && lock.locked { members.contains(g) }

    private fun checkNotMember() {
        check(!isMember(KotlinGeventProvider.currentCore()?.owner)) {
            "Calling waitall() from within one of the GreenPool's greenthreads will never terminate."
        }
    }

    override fun waitall() {
        checkNotMember()
        awaitReady("GreenPool.waitall", "GreenPool.awaitWaitall", -1)
    }

    override suspend fun waitallSuspend() {
        checkNotMember()
        awaitReadySuspend(-1)
    }

    /** eventlet's GreenMap: the tasks run in a new pool of this pool's current size, taking none of its slots. */
    fun imapWindow(): Int = maxOf(1, size())

    override fun <R> imap(tasks: Iterator<GreenCallable<out R>>): IMap<R> =
        ImapCore.javaIterator(GreenPoolCore(size()), imapWindow(), tasks, true, "GreenPool.imapFlow")

    override fun <A, R> imapFlow(items: Iterable<A>, fn: suspend (A) -> R): Flow<R> {
        val size = size()
        return ImapCore.flow({ GreenPoolCore(size) }, maxOf(1, size), items, true, fn)
    }

    override fun toString(): String = lock.locked { "<GreenPool size=$size free=$free running=$running>" }

    companion object {
        /** The core behind [pool] (a facade of this implementation). */
        fun of(pool: io.gevent4j.pool.GreenPool): GreenPoolCore =
            io.gevent4j.spi.Internals.peer(pool) as? GreenPoolCore
                ?: throw IllegalStateException("$pool is not a GreenPool of gevent4j-kotlin")

        /** The spawner took a slot. */
        private val TOOK = Any()

        /** A release woke the spawner: it takes the slot itself when it runs, if it is first in line. */
        private val WOKEN = Any()

        /** The spawner is a member of the full pool: it runs the function inline. */
        private val INLINE = Any()

        /** The spawner would wait but may not (a blocking call on a hub thread). */
        private val REFUSED = Any()

        private const val SPAWN = "GreenPool.spawn/spawnN (or GreenPile.spawn)"
        private const val SPAWN_TWIN = "GreenPool.spawnSuspend (GreenPile.spawnSuspend for a pile)"
    }
}
