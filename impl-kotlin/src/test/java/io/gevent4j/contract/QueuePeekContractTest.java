package io.gevent4j.contract;

import io.gevent4j.queue.JoinableQueue;
import io.gevent4j.queue.LifoQueue;
import io.gevent4j.queue.PriorityQueue;
import io.gevent4j.queue.Queue;
import io.gevent4j.queue.QueueEmptyException;
import io.gevent4j.queue.SimpleQueue;
import io.gevent4j.testing.contract.WaitContract;
import java.time.Duration;
import org.junit.jupiter.api.Nested;

/**
 * The wait contract for the queues, one nested class per kind: ready when an item is queued; the wait is
 * {@code peek} (it takes nothing, so the object stays ready), made ready by a {@code put}. Queues are not
 * {@link io.gevent4j.Waitable}, so there is no link protocol. (Channel holds no items: its waits are in
 * ChannelSpecTest.)
 */
class QueuePeekContractTest {

    abstract static class PeekContract extends WaitContract<SimpleQueue<String>> {
        @Override
        protected void makeReady(SimpleQueue<String> q) {
            q.put("item");
        }

        @Override
        protected boolean isReady(SimpleQueue<String> q) {
            return q.qsize() > 0;
        }

        @Override
        protected boolean waitFor(SimpleQueue<String> q, Duration timeout) {
            try {
                q.peek(timeout);
                return true;
            } catch (QueueEmptyException e) {
                return false;
            }
        }
    }

    @Nested
    class OfSimpleQueue extends PeekContract {
        @Override
        protected SimpleQueue<String> newUnready() {
            return new SimpleQueue<>();
        }
    }

    @Nested
    class OfQueue extends PeekContract {
        @Override
        protected SimpleQueue<String> newUnready() {
            return new Queue<>(1);
        }
    }

    @Nested
    class OfJoinableQueue extends PeekContract {
        @Override
        protected SimpleQueue<String> newUnready() {
            return new JoinableQueue<>();
        }
    }

    @Nested
    class OfLifoQueue extends PeekContract {
        @Override
        protected SimpleQueue<String> newUnready() {
            return new LifoQueue<>();
        }
    }

    @Nested
    class OfPriorityQueue extends PeekContract {
        @Override
        protected SimpleQueue<String> newUnready() {
            return new PriorityQueue<>();
        }
    }
}
