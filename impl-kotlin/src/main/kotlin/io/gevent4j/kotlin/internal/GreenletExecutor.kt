package io.gevent4j.kotlin.internal

import io.gevent4j.GreenCallable
import io.gevent4j.Greenlet
import io.gevent4j.Hub
import java.util.concurrent.Executor
import java.util.concurrent.RejectedExecutionException

/** `Group.greenletExecutor()`: each task in a new Java greenlet of the group, on the hub of the executor's creator. */
internal class GreenletExecutor(private val group: Admission, private val hub: Hub) : Executor {
    override fun execute(command: Runnable?) {
        if (command == null) throw NullPointerException("command must not be null")
        val g =
            try {
                Greenlet<Any?>(
                    hub,
                    GreenCallable {
                        command.run()
                        null
                    },
                )
            } catch (closed: IllegalStateException) {
                throw RejectedExecutionException(closed.message, closed)
            }
        try {
            // a full Pool waits here for a slot, in its FIFO line
            group.startBlocking(g, "greenletExecutor().execute (on a full Pool)", "Group.spawnSuspend")
        } catch (closed: IllegalStateException) {
            throw RejectedExecutionException(closed.message, closed) // the hub closed meanwhile
        }
    }

    override fun toString(): String = "<greenletExecutor of $group on ${hub.name()}>"
}
