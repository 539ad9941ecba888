package io.gevent4j.contract;

import io.gevent4j.event.Event;
import io.gevent4j.testing.contract.WaitableContract;
import java.time.Duration;

/** The wait contract for {@link Event}: ready once set; the wait is {@code waitFor}. */
class EventContractTest extends WaitableContract<Event> {
    @Override
    protected Event newUnready() {
        return new Event();
    }

    @Override
    protected void makeReady(Event e) {
        e.set();
    }

    @Override
    protected boolean waitFor(Event e, Duration timeout) {
        return e.waitFor(timeout);
    }
}
