package io.gevent4j.pool;

import io.gevent4j.Greenlet;
import io.gevent4j.Hub;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/** {@link Group#greenletExecutor()}: each task in a new Java greenlet of the group, on the hub of the executor's creator. */
final class GreenletExecutor implements Executor {
    private final Group group;
    private final Hub hub;

    GreenletExecutor(Group group, Hub hub) {
        this.group = group;
        this.hub = hub;
    }

    @Override
    public void execute(Runnable command) {
        Objects.requireNonNull(command, "command must not be null");
        Greenlet<Void> g;
        try {
            g = new Greenlet<Void>(hub, command::run);
        } catch (IllegalStateException closed) {
            throw new RejectedExecutionException(closed.getMessage(), closed);
        }
        group.start(g); // a full Pool waits here for a slot, in its FIFO line
    }

    @Override
    public String toString() {
        return "<greenletExecutor of " + group + " on " + hub.name() + ">";
    }
}
