package io.gevent4j.testing.contract;

import static io.gevent4j.testing.Recording.recorder;
import static io.gevent4j.testing.Recording.snapshot;
import static io.gevent4j.testing.Waiting.yieldUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gevent4j.Gevent;
import io.gevent4j.Waitable;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * {@link WaitContract} for a {@link Waitable}, plus the link protocol: a rawlink callback runs once, on the hub
 * thread, in the loop iteration after the object became ready (never synchronously, also when it is ready
 * already); an unlinked callback never runs. {@link #isReady} is the object's own {@link Waitable#isReady}.
 *
 * @param <W> the waitable
 */
public abstract class WaitableContract<W extends Waitable> extends WaitContract<W> {

    @Override
    protected boolean isReady(W w) {
        return w.isReady();
    }

    @Test
    @DisplayName(
            "contract: a rawlink callback runs once on the hub thread after the object becomes ready; an unlinked one never")
    void contract_rawlinkRunsOnceInTheHub() {
        inGreenlet(() -> {
            W w = newUnready();
            try {
                List<String> calls = recorder();
                Consumer<Waitable> linked =
                        x -> calls.add((x == w) + "/" + hub.isHubThread() + "/" + Gevent.getcurrent());
                Consumer<Waitable> unlinked = x -> calls.add("unlinked ran");
                w.rawlink(linked);
                w.rawlink(unlinked);
                w.unlink(unlinked);
                makeReady(w);
                yieldUntil(() -> !calls.isEmpty(), "the callback");
                for (int i = 0; i < 3; i++) {
                    Gevent.sleep(0);
                }
                Gevent.sleep(GET_TIMEOUT);
                assertEquals(List.of("true/true/null"), snapshot(calls), "once, on the hub, outside every greenlet");
            } finally {
                dispose(w);
            }
        });
    }

    @Test
    @DisplayName("contract: a rawlink on a ready object runs in the next loop iteration, not synchronously")
    void contract_rawlinkOnAReadyObjectRunsLater() {
        inGreenlet(() -> {
            W w = newUnready();
            try {
                readyNow(w);
                List<String> calls = recorder();
                w.rawlink(x -> calls.add("ran"));
                assertTrue(calls.isEmpty(), "not synchronously");
                yieldUntil(() -> !calls.isEmpty(), "the callback");
                Gevent.sleep(GET_TIMEOUT);
                assertEquals(List.of("ran"), snapshot(calls));
            } finally {
                dispose(w);
            }
        });
    }
}
