package io.gevent4j.contract;

import io.gevent4j.event.AsyncResult;
import io.gevent4j.testing.contract.WaitableContract;
import java.time.Duration;

/** The wait contract for {@link AsyncResult}: ready once set; the wait is {@code waitFor} (null on expiry). */
class AsyncResultContractTest extends WaitableContract<AsyncResult<String>> {
    @Override
    protected AsyncResult<String> newUnready() {
        return new AsyncResult<>();
    }

    @Override
    protected void makeReady(AsyncResult<String> ar) {
        ar.set("value");
    }

    @Override
    protected boolean waitFor(AsyncResult<String> ar, Duration timeout) {
        String v = ar.waitFor(timeout);
        return v != null;
    }
}
