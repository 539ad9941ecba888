package io.gevent4j.contract;

import io.gevent4j.lock.Semaphore;
import io.gevent4j.testing.contract.WaitableContract;
import java.time.Duration;

/** The wait contract for {@link Semaphore}: ready with a free permit; the wait is {@code waitFor} (takes none). */
class SemaphoreContractTest extends WaitableContract<Semaphore> {
    @Override
    protected Semaphore newUnready() {
        return new Semaphore(0);
    }

    @Override
    protected void makeReady(Semaphore s) {
        s.release();
    }

    @Override
    protected boolean waitFor(Semaphore s, Duration timeout) {
        return s.waitFor(timeout);
    }
}
