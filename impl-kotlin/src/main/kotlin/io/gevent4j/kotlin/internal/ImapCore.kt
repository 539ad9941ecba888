package io.gevent4j.kotlin.internal

import io.gevent4j.GreenCallable
import io.gevent4j.Greenlet
import io.gevent4j.GreenletExit
import io.gevent4j.GreenletFailedException
import io.gevent4j.Hub
import io.gevent4j.Timeout
import io.gevent4j.pool.IMap
import io.gevent4j.spi.QueueKind
import kotlin.coroutines.cancellation.CancellationException
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.flow

/**
 * gevent's `imap`/`imap_unordered` (PL-30..PL-33, EL-11..EL-14), one algorithm for the Java iterator ([IMap]) and the
 * Kotlin flows: a feeder greenlet, no member, reads the input lazily and starts a task per item through the [Admission]
 * of the group or pool (waiting in its FIFO line for a slot); each task's end is queued, and the consumer takes the
 * results in input order ([ordered]) or in completion order. With a [window] (a bounded pool's size) the feeder reads
 * an item only while fewer than that many results are in flight (started and not taken by the consumer), so an endless
 * input works. The feeder of the Java iterator is a Java greenlet (the input is Java code that may block cooperatively)
 * and waits with the blocking forms; that of a flow is a Kotlin greenlet and suspends.
 *
 * The consumer's end: a Java consumer killed (or timed out) while it waits for a result stops the feeder (deviation
 * 41); a flow whose collection ends (early with `take(n)`, by a failed task, by cancellation) stops it too. The tasks
 * in flight run on.
 */
internal class ImapCore<R> private constructor(window: Int, private val ordered: Boolean) {
    /** A started task (its end is queued by its death link), or the input's failure. */
    private class Item(@JvmField val index: Int, @JvmField val task: Greenlet<*>?, @JvmField val inputError: Throwable?)

    /** The feeder's last word: how many items it produced. */
    private class End(@JvmField val count: Int)

    private val window: SemaphoreCore? = if (window < 0) null else SemaphoreCore(window, NoOwner)
    private val results = QueueCore<Any>(QueueKind.SIMPLE, 0, null)
    private val byIndex = HashMap<Int, Item>() // ordered: the ends that came before their turn
    private val ready = ArrayDeque<Item>() // unordered: the ends in completion order
    private var nextIndex = 0
    private var delivered = 0
    private var total = -1
    private var inputError: Item? = null // unordered: the input's failure, held until the results before it went
    @Volatile private var stopped = false
    private lateinit var feeder: Greenlet<*>

    private fun isInputFailure(e: Throwable): Boolean =
        e !is CancellationException && e !is GreenletExit && e !is Timeout

    /**
     * The feeder's loop: [takeWindow] waits for room in the window, [startInLine] for a slot; [newTask] makes a
     * member's greenlet for an item.
     */
    private inline fun <X> feed(
        input: Iterator<X>,
        newTask: (X) -> Greenlet<*>,
        takeWindow: (SemaphoreCore) -> Unit,
        admission: Admission,
        startInLine: (Greenlet<*>) -> Unit,
    ) {
        var count = 0
        try {
            while (true) {
                window?.let(takeWindow)
                if (stopped) break // the consumer has gone: read no more
                val x =
                    try {
                        if (!input.hasNext()) break
                        input.next()
                    } catch (e: Throwable) {
                        if (!isInputFailure(e)) throw e
                        results.putNow(Item(count++, null, e), -1)
                        break
                    }
                val g = newTask(x)
                val item = Item(count, g, null)
                g.rawlink { results.putNow(item, -1) }
                if (!admission.tryStart(g)) startInLine(g)
                count++
            }
        } catch (e: Throwable) {
            // the feeder failed of its own (a closed hub refusing a task): the consumer hears of it, after the
            // results before it, rather than seeing the results end early
            if (!isInputFailure(e)) throw e
            results.putNow(Item(count++, null, e), -1)
        } finally {
            results.putNow(End(count), -1)
        }
    }

    /** Files [o], a queued end (or the feeder's last word), in its place. */
    private fun file(o: Any) {
        if (o is End) {
            total = o.count
        } else {
            val it = o as Item
            if (ordered) byIndex[it.index] = it else if (it.task == null) inputError = it else ready.addLast(it)
        }
    }

    private fun hasReady(): Boolean =
        if (ordered) byIndex.containsKey(nextIndex) else ready.isNotEmpty() || inputError?.index == delivered

    /** The consumer's wait for the next result: [take] waits for the next queued end. */
    private inline fun hasNextLoop(take: () -> Any): Boolean {
        while (true) {
            if (hasReady()) return true
            if (total in 0..delivered) return false
            file(take())
        }
    }

    /** After [hasNextLoop] said true: the item, taken out of line, and its room in the window given back. */
    private fun takeItem(): Item {
        val it =
            when {
                ordered -> byIndex.remove(nextIndex++)!!
                ready.isNotEmpty() -> ready.removeFirst()
                else -> inputError!!.also { inputError = null }
            }
        delivered++
        if (it.task != null) window?.release(Int.MAX_VALUE)
        return it
    }

    fun stop() {
        stopped = true
        if (!feeder.isDead) KotlinGeventProvider.core(feeder).killAsync(GreenletExit())
    }

    /** The Java [IMap]: a failed task throws in `next()` and the iteration goes on (PL-30). */
    private inner class JavaIterator(private val twin: String) : IMap<R> {
        override fun hasNext(): Boolean = hasNextLoop {
            val now = results.attemptGet(true)
            if (now !== QueueCore.NONE) return@hasNextLoop now!!
            Blocking.refuseOnHub("IMap.next", twin)
            try {
                results.get(-1, true)
            } catch (t: Throwable) {
                stop() // the consumer was killed or timed out: the feeder stops (deviation 41)
                throw t
            }
        }

        @Suppress("UNCHECKED_CAST")
        override fun next(): R {
            if (!hasNext()) throw NoSuchElementException("no more results")
            val it = takeItem()
            val task = it.task ?: throw asUnchecked(it.inputError!!)
            return task.getNowait() as R
        }

        override fun remove(): Unit = throw UnsupportedOperationException("remove")
    }

    /** The flow's next value, or [End] when there is none; a failed task throws, the same instance. */
    private suspend fun nextSuspend(): Any? {
        if (!hasNextLoop { results.receive(-1) }) return DONE
        val it = takeItem()
        val task = it.task ?: throw it.inputError!!
        return GroupMap.outcome(task)
    }

    companion object {
        private val DONE = Any()

        private fun asUnchecked(t: Throwable): RuntimeException =
            when (t) {
                is RuntimeException -> t
                is Error -> throw t
                else -> GreenletFailedException(t)
            }

        /** The Java `imap`: a Java feeder greenlet on the caller's hub starts each task in [admission]. */
        fun <R> javaIterator(
            admission: Admission,
            window: Int,
            tasks: Iterator<GreenCallable<out R>>,
            ordered: Boolean,
            twin: String,
        ): IMap<R> {
            val core = ImapCore<R>(window, ordered)
            val hub = Hub.current()
            core.feeder =
                Greenlet(
                        hub,
                        GreenCallable {
                            core.feed(
                                tasks,
                                { t -> admission.javaTask(hub, t) },
                                { w -> w.acquire(-1, "IMap feeder", "imapFlow") },
                                admission,
                                { g -> admission.startBlocking(g, "IMap feeder", "imapFlow") },
                            )
                            null
                        },
                    )
                    .start()
            return core.JavaIterator(twin)
        }

        /** The Kotlin flows: each collection starts a Kotlin feeder greenlet on the collector's hub. */
        fun <A, R> flow(
            newAdmission: () -> Admission,
            window: Int,
            items: Iterable<A>,
            ordered: Boolean,
            fn: suspend (A) -> R,
        ): Flow<R> = flow {
            val core = ImapCore<R>(window, ordered)
            val admission = newAdmission()
            val hub = Hub.current()
            core.feeder =
                Greenlet(
                        hub,
                        SuspendBody {
                            core.feed(
                                items.iterator(),
                                { x -> admission.kotlinTask(hub) { fn(x) } },
                                { w -> w.awaitAcquire(-1) },
                                admission,
                                { g -> admission.startSuspend(g) },
                            )
                        },
                    )
                    .start()
            try {
                while (true) {
                    val v = core.nextSuspend()
                    if (v === DONE) break
                    @Suppress("UNCHECKED_CAST") emit(v as R)
                }
            } finally {
                core.stop()
            }
        }
    }
}
