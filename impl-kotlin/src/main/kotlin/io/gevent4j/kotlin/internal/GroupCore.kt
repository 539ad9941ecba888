package io.gevent4j.kotlin.internal

import io.gevent4j.GreenCallable
import io.gevent4j.GreenFunction
import io.gevent4j.Greenlet
import io.gevent4j.GreenletFailedException
import io.gevent4j.Hub
import io.gevent4j.Waitable
import io.gevent4j.kotlin.await
import io.gevent4j.kotlin.spi.SuspendGroupPeer
import io.gevent4j.pool.IMap
import io.gevent4j.spi.GroupPeer
import java.util.concurrent.Executor
import java.util.function.Consumer
import kotlin.time.Duration.Companion.nanoseconds
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.flow.Flow

/**
 * gevent's `Group` and `Pool` (spec section 7), safe from any thread: the members (insertion order) and the ones being
 * killed are under the one short lock of [Linkable], never held across a switch; the group is "ready" while it has no
 * member, so [join] is a [Linkable] wait. A bounded pool's slots are a [SemaphoreCore] (gevent's Pool is a Semaphore: a
 * caller that does not wait takes a free slot before queued ones, SEM-10), taken before a member is added and given
 * back when it leaves. A member leaves by its death link, one loop iteration after it died (PL-15, PL-18), or by
 * [discard].
 *
 * Every operation is written once: the blocking form (a Java facade's call) and the suspend form (a Kotlin twin) pass
 * their own wait to the same inline loop.
 */
internal class GroupCore(private val size: Int) : Linkable(NoOwner), GroupPeer, SuspendGroupPeer, Admission {
    private val members = LinkedHashSet<Greenlet<*>>() // guarded by lock
    private val dying = HashSet<Greenlet<*>>() // guarded by lock
    @Volatile private var count = 0
    private val slots: SemaphoreCore? = if (size >= 0) SemaphoreCore(size, NoOwner) else null
    private val onDeath = Consumer<Waitable> { discarded(it as Greenlet<*>) }

    override val ready: Boolean
        get() = count == 0

    // ---- membership --------------------------------------------------------------------------------

    /** Adds [g] with no slot accounting; true when it was not a member. */
    private fun addMember(g: Greenlet<*>): Boolean {
        val added =
            lock.locked {
                val a = members.add(g)
                if (a) count = members.size
                a
            }
        if (added) g.rawlink(onDeath)
        return added
    }

    override fun discard(g: Greenlet<*>) {
        g.unlink(onDeath)
        discarded(g)
    }

    private fun discarded(g: Greenlet<*>) {
        var batch: Array<Any>? = null
        val removed =
            lock.locked {
                val r = members.remove(g)
                if (dying.isNotEmpty()) dying.remove(g)
                if (r) {
                    if (members.isEmpty()) batch = takeLinks() // before it reads as empty (Linkable's rule)
                    count = members.size
                }
                r
            }
        fire(batch) // outside the lock: waking may post to a hub
        if (removed) slots?.release(Int.MAX_VALUE)
    }

    override fun contains(g: Greenlet<*>?): Boolean = g != null && lock.locked { members.contains(g) }

    override fun size(): Int = count

    override fun members(): List<Greenlet<*>> = lock.locked { ArrayList(members) }

    override fun poolSize(): Int = size

    override fun freeCount(): Int = if (slots == null) 1 else maxOf(0, size - count)

    private fun isFull(): Boolean = freeCount() <= 0

    /** Adds [g] for a slot the caller took; gives the slot back when [g] is a member already. */
    private fun addHoldingSlot(g: Greenlet<*>) {
        val added =
            try {
                addMember(g)
            } catch (t: Throwable) {
                slots!!.release(Int.MAX_VALUE)
                throw t
            }
        if (!added) slots!!.release(Int.MAX_VALUE)
    }

    private inline fun addLoop(g: Greenlet<*>, blocking: Boolean, acquire: (SemaphoreCore) -> Boolean): Boolean {
        if (slots == null) {
            addMember(g)
            return true
        }
        if (contains(g)) return true // a member already takes no second slot (nor is it added again: it may be dying)
        if (tryAddNew(g)) return true
        if (!blocking || !acquire(slots)) return false
        addHoldingSlot(g)
        return true
    }

    /** Adds [g], not a member, when that takes no wait. */
    private fun tryAddNew(g: Greenlet<*>): Boolean {
        val s = slots ?: return addMember(g).let { true }
        if (!s.tryAcquireNow()) return false
        addHoldingSlot(g)
        return true
    }

    override fun add(g: Greenlet<*>, blocking: Boolean, timeoutNanos: Long): Boolean =
        addLoop(g, blocking) { s ->
            s.acquire(timeoutNanos, "Pool.add/spawn/start", "Pool.awaitAdd (Group.spawnSuspend to spawn)")
        }

    override suspend fun addSuspend(g: Greenlet<*>, timeoutNanos: Long): Boolean =
        addLoop(g, true) { s -> s.awaitAcquire(timeoutNanos) }

    private inline fun waitAvailableLoop(waitFor: (SemaphoreCore) -> Int): Int {
        val s = slots ?: return 1
        if (s.counter() > 0) return s.counter()
        if (waitFor(s) <= 0) return 0
        return maxOf(0, s.counter())
    }

    override fun waitAvailable(timeoutNanos: Long): Int = waitAvailableLoop { s ->
        Blocking.refuseOnHub("Pool.waitAvailable", "Pool.awaitAvailable")
        s.waitFor(timeoutNanos)
    }

    override suspend fun waitAvailableSuspend(timeoutNanos: Long): Int = waitAvailableLoop { s ->
        s.waitForSuspend(timeoutNanos)
    }

    // ---- Admission: how map, imap and the executor start members -----------------------------------

    override fun tryStart(g: Greenlet<*>): Boolean {
        if (!tryAddNew(g)) return false
        startOrDiscard(g)
        return true
    }

    override fun startBlocking(g: Greenlet<*>, op: String, twin: String) {
        if (!tryAddNew(g)) {
            slots!!.acquire(-1, op, twin) // the semaphore's own FIFO line
            addHoldingSlot(g)
        }
        startOrDiscard(g)
    }

    override suspend fun startSuspend(g: Greenlet<*>) {
        if (!tryAddNew(g)) {
            slots!!.awaitAcquire(-1)
            addHoldingSlot(g)
        }
        startOrDiscard(g)
    }

    /**
     * Starts member [g]; when that fails (its hub closed meanwhile) it leaves, freeing its slot, before the failure
     * goes on.
     */
    private fun startOrDiscard(g: Greenlet<*>) {
        try {
            g.start()
        } catch (t: Throwable) {
            discard(g)
            throw t
        }
    }

    // ---- join / kill -------------------------------------------------------------------------------

    /**
     * [await] waits until the group is empty; then, with [raiseError], the first member present at the call (in
     * insertion order) that failed has its failure thrown by [raise] (PL-14, PL-15).
     */
    private inline fun joinLoop(raiseError: Boolean, await: () -> Boolean, raise: (Greenlet<*>) -> Unit): Boolean {
        val before = if (raiseError) members() else emptyList()
        val emptied = await() // true once empty, even if a member was added right after (gevent)
        for (g in before) if (g.exception() != null) raise(g)
        return emptied
    }

    override fun join(timeoutNanos: Long, raiseError: Boolean): Boolean =
        joinLoop(
            raiseError,
            { awaitReady("Group.join", "Group.awaitJoin", timeoutNanos) },
            { g -> g.getNowait() }, // as Greenlet.get: unchecked the same instance, checked wrapped
        )

    override suspend fun joinSuspend(timeoutNanos: Long, raiseError: Boolean): Boolean =
        joinLoop(
            raiseError,
            { awaitReadySuspend(timeoutNanos) },
            { g -> throw g.exception()!! }, // as await(): the same instance
        )

    /** Kills [g] unless the group is killing it already or it is no member; true when this call killed it. */
    private fun killOnce(g: Greenlet<*>, exception: Throwable): Boolean {
        val first = lock.locked { members.contains(g) && dying.add(g) }
        if (first) KotlinGeventProvider.core(g).killAsync(exception)
        return first
    }

    /**
     * Kills every member, once each, and with [block] waits until the group is empty, killing members added meanwhile;
     * [joinAll] waits for a list of greenlets at most `left` nanos (negative: no bound) and tells whether all died;
     * [awaitEmpty] waits for the death links to have run. Expiry returns silently (PL-17).
     */
    private inline fun killLoop(
        exception: Throwable,
        block: Boolean,
        timeoutNanos: Long,
        joinAll: (List<Greenlet<*>>, Long) -> Boolean,
        awaitEmpty: (Long) -> Boolean,
    ) {
        val deadline = if (timeoutNanos < 0) -1L else Blocking.deadlineOf(timeoutNanos)
        while (true) {
            val now = members()
            if (now.isEmpty()) return
            for (g in now) killOnce(g, exception)
            if (!block) return
            val left = if (deadline < 0) -1L else deadline - HubClocks.now()
            if (deadline >= 0 && left <= 0) return
            if (!joinAll(now, left)) return // timed out: silent
            val after = members()
            if (after.isNotEmpty() && after.all { it.isDead }) {
                // all dead, their link callbacks have not run yet: let them run
                val rest = if (deadline < 0) -1L else maxOf(0L, deadline - HubClocks.now())
                if (!awaitEmpty(rest)) return
            }
        }
    }

    override fun kill(exception: Throwable, block: Boolean, timeoutNanos: Long) {
        if (block && count > 0) Blocking.refuseOnHub("Group.kill", "Group.awaitKill") // before any member is killed
        killLoop(
            exception,
            block,
            timeoutNanos,
            { list, left -> Waiting.joinAll(list, left, false, 0).size >= list.size },
            { left -> awaitReady("Group.kill", "Group.awaitKill", left) },
        )
    }

    override suspend fun killSuspend(exception: Throwable, timeoutNanos: Long) {
        killLoop(
            exception,
            true,
            timeoutNanos,
            { list, left ->
                io.gevent4j.kotlin.joinAll(list, if (left < 0) null else left.nanoseconds).size >= list.size
            },
            { left -> awaitReadySuspend(left) },
        )
    }

    override fun killone(g: Greenlet<*>, exception: Throwable, block: Boolean, timeoutNanos: Long) {
        if (block && contains(g)) {
            // a member that has not run dies at once; one that runs must be waited for: refuse before the kill
            val state = KotlinGeventProvider.core(g).state
            if (state == GreenletCore.RUNNING || state == GreenletCore.FINISHING)
                Blocking.refuseOnHub("Group.killone", "Group.awaitKillone")
        }
        if (killOnce(g, exception) && block)
            g.join(if (timeoutNanos < 0) null else java.time.Duration.ofNanos(timeoutNanos))
    }

    override suspend fun killoneSuspend(g: Greenlet<*>, exception: Throwable, timeoutNanos: Long) {
        if (killOnce(g, exception)) {
            val core = KotlinGeventProvider.core(g)
            if (!core.isDead) Blocking.awaitSuspend(core.hub, timeoutNanos) { w -> core.registerJoin(w) }
        }
    }

    // ---- apply / map / imap ------------------------------------------------------------------------

    override fun <T> apply(fn: GreenCallable<T>): T? {
        if (contains(KotlinGeventProvider.currentCore()?.owner)) return callInline(fn)
        Blocking.refuseOnHub("Group.apply", "Group.awaitApply")
        val g = javaTask(Hub.current(), fn)
        startBlocking(g, "Group.apply", "Group.awaitApply")
        return g.get()
    }

    override fun <T> applyAsync(fn: GreenCallable<T>): Greenlet<T> {
        val hub = Hub.current()
        val g = javaTask(hub, fn)
        if (tryStart(g)) return g
        // a full pool: a greenlet that is no member waits for the slot itself (PL-03, PL-06)
        @Suppress("UNCHECKED_CAST")
        return Greenlet(hub, GreenCallable { apply(fn) as T }).start()
    }

    override fun <A, R> map(fn: GreenFunction<in A, out R>, items: Iterable<A>): List<R> {
        if (contains(KotlinGeventProvider.currentCore()?.owner)) return items.map { callInline { fn.apply(it) } }
        if (items is Collection<*> && items.isEmpty()) return emptyList()
        Blocking.refuseOnHub("Group.map", "Group.mapSuspend")
        return GroupMap.blocking(this, items) { hub, x -> javaTask(hub, GreenCallable { fn.apply(x) }) }
    }

    override suspend fun <A, R> mapSuspend(items: Iterable<A>, fn: suspend (A) -> R): List<R> {
        if (contains(KotlinGeventProvider.currentCore()?.owner)) return items.map { fn(it) }
        return GroupMap.suspending(this, items) { hub, x -> kotlinTask(hub) { fn(x) } }
    }

    /** The bound on results in flight of an imap: the pool's size, none for a Group or an unbounded pool. */
    fun imapWindow(): Int = if (size >= 0) maxOf(1, size) else -1

    override fun <R> imap(tasks: Iterator<GreenCallable<out R>>, ordered: Boolean, twin: String): IMap<R> =
        ImapCore.javaIterator(this, imapWindow(), tasks, ordered, twin)

    override suspend fun <T> spawnSuspend(block: suspend CoroutineScope.() -> T): Greenlet<T> {
        val g = kotlinTask(Hub.current(), block)
        startSuspend(g)
        return g
    }

    override suspend fun <T> applySuspend(block: suspend () -> T): T {
        if (contains(KotlinGeventProvider.currentCore()?.owner)) return block()
        return spawnSuspend { block() }.await()
    }

    override fun <A, R> imapFlow(items: Iterable<A>, ordered: Boolean, fn: suspend (A) -> R): Flow<R> =
        ImapCore.flow({ this }, imapWindow(), items, ordered, fn)

    override fun greenletExecutor(hub: Hub): Executor = GreenletExecutor(this, hub)

    override fun toString(): String = "<GroupCore size=$count>"

    companion object {
        /** The core behind [group] (a facade of this implementation). */
        fun of(group: io.gevent4j.pool.Group): GroupCore =
            io.gevent4j.spi.Internals.peer(group) as? GroupCore
                ?: throw IllegalStateException("$group is not a group of gevent4j-kotlin")

        /**
         * Runs a member's function in the calling member (PL-22): a checked failure is wrapped as Greenlet.get does.
         */
        fun <T> callInline(fn: GreenCallable<T>): T =
            try {
                fn.call()
            } catch (e: RuntimeException) {
                throw e
            } catch (e: Exception) {
                throw GreenletFailedException(e)
            }
    }
}
