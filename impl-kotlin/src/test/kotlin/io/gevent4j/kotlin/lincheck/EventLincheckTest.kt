package io.gevent4j.kotlin.lincheck

import io.gevent4j.event.Event
import java.time.Duration
import org.jetbrains.lincheck.datastructures.Operation

/** Linearizability of Event's entry points from several threads of no hub: set, clear, isSet, isReady, waitFor(0). */
class EventLincheckTest : AbstractLincheckTest() {
    private val e = Event()

    @Operation fun set() = e.set()

    @Operation fun clear() = e.clear()

    @Operation fun isSet(): Boolean = e.isSet

    @Operation fun isReady(): Boolean = e.isReady

    @Operation fun waitForZero(): Boolean = e.waitFor(Duration.ZERO)

    override fun sequentialModel(): Class<*> = EventModel::class.java
}

/** The sequential model of `Event()`: a flag. */
class EventModel {
    private var flag = false

    fun set() {
        flag = true
    }

    fun clear() {
        flag = false
    }

    fun isSet(): Boolean = flag

    fun isReady(): Boolean = flag

    fun waitForZero(): Boolean = flag
}
