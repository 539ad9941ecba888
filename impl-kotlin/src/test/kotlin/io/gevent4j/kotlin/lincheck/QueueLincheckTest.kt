package io.gevent4j.kotlin.lincheck

import io.gevent4j.queue.Queue
import io.gevent4j.queue.QueueEmptyException
import io.gevent4j.queue.QueueFullException
import io.gevent4j.queue.SimpleQueue
import org.jetbrains.lincheck.datastructures.DSLScenarioBuilder
import org.jetbrains.lincheck.datastructures.IntGen
import org.jetbrains.lincheck.datastructures.Operation
import org.jetbrains.lincheck.datastructures.Param

/** The non-blocking operations both queue tests check (QueueFull/QueueEmpty turned into results). */
@Param(name = "item", gen = IntGen::class, conf = "1:4")
abstract class QueueOperations<Q : SimpleQueue<Int>>(protected val q: Q) : AbstractLincheckTest() {
    @Operation
    fun putNowait(@Param(name = "item") item: Int): String =
        try {
            q.putNowait(item)
            "ok"
        } catch (e: QueueFullException) {
            "full"
        }

    @Operation
    fun getNowait(): String =
        try {
            q.getNowait().toString()
        } catch (e: QueueEmptyException) {
            "empty"
        }

    @Operation
    fun peekNowait(): String =
        try {
            q.peekNowait().toString()
        } catch (e: QueueEmptyException) {
            "empty"
        }

    @Operation fun qsize(): Int = q.qsize()

    @Operation fun isEmpty(): Boolean = q.isEmpty

    @Operation fun isFull(): Boolean = q.isFull
}

/**
 * Linearizability of the queues' non-blocking entry points from several threads of no hub: putNowait, getNowait,
 * peekNowait (QueueFull/QueueEmpty turned into results), qsize, isEmpty, isFull, and for a (joinable) Queue the
 * unfinished-task count. A bounded `Queue(2)` here, an unbounded `SimpleQueue` below.
 */
@Param(name = "item", gen = IntGen::class, conf = "1:4")
class QueueLincheckTest : QueueOperations<Queue<Int>>(Queue(2)) {
    @Operation fun unfinishedTasks(): Int = q.unfinishedTasks()

    override fun sequentialModel(): Class<*> = BoundedQueueModel::class.java

    /**
     * A put changes both the size and the unfinished-task count; a reader that sees the new size must not be followed
     * by one that sees the old count.
     */
    override fun customScenarios(): List<DSLScenarioBuilder.() -> Unit> =
        listOf({
            parallel {
                thread { actor(QueueLincheckTest::putNowait, 3) }
                thread { actor(QueueLincheckTest::qsize) }
                thread { actor(QueueLincheckTest::unfinishedTasks) }
            }
        })
}

/** The sequential model of a (joinable) `Queue(2)`: FIFO, at most 2 items; every put adds an unfinished task. */
class BoundedQueueModel {
    private val items = ArrayDeque<Int>()
    private var unfinished = 0

    fun putNowait(item: Int): String {
        if (items.size >= 2) return "full"
        items.addLast(item)
        unfinished++
        return "ok"
    }

    fun getNowait(): String = items.removeFirstOrNull()?.toString() ?: "empty"

    fun peekNowait(): String = items.firstOrNull()?.toString() ?: "empty"

    fun qsize(): Int = items.size

    fun isEmpty(): Boolean = items.isEmpty()

    fun isFull(): Boolean = items.size >= 2

    fun unfinishedTasks(): Int = unfinished
}

/** The same for an unbounded `SimpleQueue`: putNowait always succeeds. */
@Param(name = "item", gen = IntGen::class, conf = "1:4")
class SimpleQueueLincheckTest : QueueOperations<SimpleQueue<Int>>(SimpleQueue()) {
    override fun sequentialModel(): Class<*> = UnboundedQueueModel::class.java
}

/** The sequential model of an unbounded `SimpleQueue`. */
class UnboundedQueueModel {
    private val items = ArrayDeque<Int>()

    fun putNowait(item: Int): String {
        items.addLast(item)
        return "ok"
    }

    fun getNowait(): String = items.removeFirstOrNull()?.toString() ?: "empty"

    fun peekNowait(): String = items.firstOrNull()?.toString() ?: "empty"

    fun qsize(): Int = items.size

    fun isEmpty(): Boolean = items.isEmpty()

    fun isFull(): Boolean = false
}
