package io.gevent4j.kotlin.contract

import io.gevent4j.kotlin.awaitPeek
import io.gevent4j.kotlin.testing.SuspendWaitContract
import io.gevent4j.queue.JoinableQueue
import io.gevent4j.queue.LifoQueue
import io.gevent4j.queue.PriorityQueue
import io.gevent4j.queue.Queue
import io.gevent4j.queue.QueueEmptyException
import io.gevent4j.queue.SimpleQueue
import kotlin.time.Duration
import org.junit.jupiter.api.Nested

/** The suspend-twin wait contract for the queues, one nested class per kind: `awaitPeek(timeout)`. */
class QueuePeekKotlinContractTest {
    abstract class PeekContract : SuspendWaitContract<SimpleQueue<String>>() {
        override fun makeReady(w: SimpleQueue<String>) = w.put("item")

        override fun isReady(w: SimpleQueue<String>): Boolean = w.qsize() > 0

        override suspend fun awaitReady(w: SimpleQueue<String>, timeout: Duration?): Boolean =
            try {
                w.awaitPeek(timeout)
                true
            } catch (e: QueueEmptyException) {
                false
            }

        override fun blockingWait(w: SimpleQueue<String>) {
            w.peek()
        }

        override val twinName: String = "awaitPeek"
    }

    @Nested
    inner class OfSimpleQueue : PeekContract() {
        override fun newUnready(): SimpleQueue<String> = SimpleQueue()
    }

    @Nested
    inner class OfQueue : PeekContract() {
        override fun newUnready(): SimpleQueue<String> = Queue(1)
    }

    @Nested
    inner class OfJoinableQueue : PeekContract() {
        override fun newUnready(): SimpleQueue<String> = JoinableQueue()
    }

    @Nested
    inner class OfLifoQueue : PeekContract() {
        override fun newUnready(): SimpleQueue<String> = LifoQueue()
    }

    @Nested
    inner class OfPriorityQueue : PeekContract() {
        override fun newUnready(): SimpleQueue<String> = PriorityQueue()
    }
}
