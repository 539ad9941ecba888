package io.gevent4j.contract;

import io.gevent4j.Greenlet;
import io.gevent4j.event.Event;
import io.gevent4j.testing.contract.WaitableContract;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The wait contract for {@link Greenlet}: ready once dead; made ready by opening the gate its body waits on. */
class GreenletContractTest extends WaitableContract<Greenlet<Void>> {
    private final Map<Greenlet<Void>, Event> gates = new ConcurrentHashMap<>();

    @Override
    protected Greenlet<Void> newUnready() {
        Event gate = new Event();
        Greenlet<Void> g = hub.spawn(() -> {
            gate.waitFor();
        });
        gates.put(g, gate);
        return g;
    }

    @Override
    protected void makeReady(Greenlet<Void> g) {
        gates.get(g).set();
    }

    @Override
    protected boolean waitFor(Greenlet<Void> g, Duration timeout) {
        return g.join(timeout);
    }

    @Override
    protected void dispose(Greenlet<Void> g) {
        gates.remove(g).set();
    }
}
