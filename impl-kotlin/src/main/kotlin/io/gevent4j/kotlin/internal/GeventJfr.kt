package io.gevent4j.kotlin.internal

import java.lang.reflect.Field
import jdk.jfr.Category
import jdk.jfr.Description
import jdk.jfr.Enabled
import jdk.jfr.Event
import jdk.jfr.EventType
import jdk.jfr.FlightRecorder
import jdk.jfr.FlightRecorderListener
import jdk.jfr.Label
import jdk.jfr.Name
import jdk.jfr.Recording
import jdk.jfr.RecordingState
import jdk.jfr.StackTrace
import jdk.jfr.Threshold
import jdk.jfr.Timespan
import kotlin.coroutines.Continuation

/** JFR: the hub blocked (the monitor's report). Committed on the monitor thread. */
@Name("io.gevent4j.HubBlocked")
@Label("Hub Blocked")
@Category("gevent4j")
@Description(
    "A hub held by one greenlet (or one hub callback) without a switch for longer than its maximum blocking time"
)
@StackTrace(false) // the monitor thread's frames say nothing: the greenlet's own are in the stack field
internal class HubBlockedEvent : Event() {
    @field:Label("Hub") @JvmField var hub: String? = null
    @field:Label("Greenlet")
    @field:Description("Empty when a hub callback holds the hub")
    @JvmField
    var greenlet: String? = null
    @field:Label("Kind") @field:Description("Java, Kotlin, or callback") @JvmField var kind: String? = null
    @field:Label("Blocked For") @field:Timespan(Timespan.NANOSECONDS) @JvmField var blockedFor: Long = 0L
    @field:Label("Stack")
    @field:Description("The greenlet's own frames, innermost first")
    @JvmField
    var stack: String? = null
}

/** JFR: a greenlet died with an exception (the failure gevent4j reports to the logger `io.gevent4j.Greenlet`). */
@Name("io.gevent4j.GreenletFailed")
@Label("Greenlet Failed")
@Category("gevent4j")
@Description("A greenlet ended with an exception other than GreenletExit")
@StackTrace(false)
internal class GreenletFailedEvent : Event() {
    @field:Label("Hub") @JvmField var hub: String? = null
    @field:Label("Greenlet") @JvmField var greenlet: String? = null
    @field:Label("Kind") @JvmField var kind: String? = null
    @field:Label("Exception Class") @JvmField var exceptionClass: String? = null
    @field:Label("Message") @JvmField var message: String? = null
}

/** JFR: one task of a hub (a greenlet's turn, a callback, a timer) that ran longer than the threshold. */
@Name("io.gevent4j.GreenletTurn")
@Label("Long Greenlet Turn")
@Category("gevent4j")
@Description("A hub task that ran longer than the threshold: a greenlet's turn between two switches, or a hub callback")
@Threshold("20 ms")
@Enabled(false) // off unless a recording asks for it: a default recording does not time every hub task
@StackTrace(false)
internal class GreenletTurnEvent : Event() {
    @field:Label("Hub") @JvmField var hub: String? = null
    @field:Label("Greenlet")
    @field:Description("Empty when the task was a hub callback or its greenlet is not known")
    @JvmField
    var greenlet: String? = null
    @field:Label("Kind") @field:Description("Java, Kotlin, callback or timer") @JvmField var kind: String? = null
}

/**
 * gevent4j's JFR events. Free when no recording enables them: the blocked-hub and failure events are made only on the
 * monitor thread and at a failure; the turn event is timed only while [turnsOn], a static volatile flag that a
 * [FlightRecorderListener] refreshes when a recording starts or stops (read once per hub task: a plain load on x86).
 * JFR itself need not be present (a runtime image without `jdk.jfr`): then nothing is recorded.
 */
internal object GeventJfr {
    /** True while a running recording enables [GreenletTurnEvent]. */
    @Volatile @JvmField var turnsOn: Boolean = false

    private val available: Boolean =
        try {
            Class.forName("jdk.jfr.FlightRecorder", false, GeventJfr::class.java.classLoader)
            true
        } catch (e: Throwable) {
            false
        }

    private val installed = java.util.concurrent.atomic.AtomicBoolean()

    /**
     * Called at every hub's creation; installs the recording listener once per JVM. Cheap: adding a listener does not
     * start JFR (the listener is told when JFR starts, and a recording already running is read at once).
     */
    fun install() {
        if (!available || installed.get() || !installed.compareAndSet(false, true)) return
        try {
            FlightRecorder.addListener(
                object : FlightRecorderListener {
                    override fun recordingStateChanged(recording: Recording) {
                        if (
                            recording.state == RecordingState.RUNNING ||
                                recording.state == RecordingState.STOPPED ||
                                recording.state == RecordingState.CLOSED
                        ) {
                            refresh()
                        }
                    }
                }
            )
            if (FlightRecorder.isInitialized()) refresh() // a recording that started before
        } catch (e: Throwable) {
            Reporting.warning("gevent4j: JFR events of long greenlet turns are off: $e")
        }
    }

    private fun refresh() {
        turnsOn = EventType.getEventType(GreenletTurnEvent::class.java).isEnabled
    }

    /**
     * The monitor thread, every sample: re-reads whether a recording wants long turns, so that an event enabled on a
     * recording already running (`Recording.enable`, JMC, the FlightRecorder MXBean) is seen within a sample period,
     * not only when some recording starts or stops (the listener's only signals).
     */
    fun refreshFromMonitor() {
        if (!available || !installed.get()) return
        try {
            refresh()
        } catch (e: Throwable) {
            // JFR shutting down with the JVM: keep the last value
        }
    }

    fun hubBlocked(hub: HubImpl, holder: GreenletCore<*>?, blockedNanos: Long, stack: List<StackTraceElement>) {
        if (!available) return
        val e = HubBlockedEvent()
        if (!e.shouldCommit()) return
        e.hub = hub.name()
        e.greenlet = holder?.name() ?: ""
        e.kind = kindOf(holder, "callback")
        e.blockedFor = blockedNanos
        e.stack = stack.joinToString("\n") { "at $it" }
        e.commit()
    }

    fun greenletFailed(g: GreenletCore<*>, t: Throwable) {
        if (!available) return
        val e = GreenletFailedEvent()
        if (!e.shouldCommit()) return
        e.hub = g.hub.name()
        e.greenlet = g.name()
        e.kind = kindOf(g, "")
        e.exceptionClass = t.javaClass.name
        e.message = t.message
        e.commit()
    }

    /**
     * Hub thread, while [turnsOn]: runs [task] as [HubImpl] does, timed; a task over the threshold is recorded with the
     * greenlet it ran ([TurnOwner]).
     */
    fun runTimed(hub: HubImpl, task: Runnable, what: String) {
        val e = GreenletTurnEvent()
        e.begin()
        try {
            task.run()
        } catch (t: Throwable) {
            Reporting.callbackFailed(hub.name(), what, t)
        }
        e.end()
        if (!e.shouldCommit()) return
        // outside the task's try: a failure finding the owner (reflection on a user's Runnable) must not end the loop
        val g =
            try {
                TurnOwner.of(hub, task)
            } catch (t: Throwable) {
                null
            }
        e.hub = hub.name()
        e.greenlet = g?.name() ?: ""
        e.kind = kindOf(g, what)
        e.commit()
    }

    private fun kindOf(g: GreenletCore<*>?, none: String): String =
        when (g) {
            null -> none
            is KotlinGreenletCore<*> -> "Kotlin"
            else -> "Java"
        }
}

/**
 * Which greenlet a hub task ran, found after the task from the task object itself (only for a long turn while a
 * recording wants it, so the hot path pays nothing):
 * - a Kotlin greenlet's resumption is a kotlinx dispatched continuation: its context holds the greenlet;
 * - HANDOFF: the task is the greenlet's turn task, a lambda that captured the greenlet;
 * - SCHEDULED_ON_HUB: the task is the JDK's `VirtualThread::runContinuation`, which captured the virtual thread; the
 *   live Java greenlet on that thread is the one (a greenlet that ended in that very turn is no longer live: not
 *   named). Anything else (a timer, a callback, a rawlink callback) has no greenlet.
 */
internal object TurnOwner {
    private val captured =
        object : ClassValue<Field?>() {
            override fun computeValue(type: Class<*>): Field? {
                for (f in type.declaredFields) {
                    if (java.lang.reflect.Modifier.isStatic(f.modifiers)) continue
                    if (
                        GreenletCore::class.java.isAssignableFrom(f.type) || Thread::class.java.isAssignableFrom(f.type)
                    ) {
                        return try {
                            f.isAccessible = true
                            f
                        } catch (e: Throwable) {
                            null // java.lang not open: SCHEDULED_ON_HUB is off anyway
                        }
                    }
                }
                return null
            }
        }

    fun of(hub: HubImpl, task: Runnable): GreenletCore<*>? {
        if (task is Continuation<*>) return task.context[KotlinGreenletCore]
        if (task is GreenletCore<*>) return task
        val f = captured.get(task.javaClass) ?: return null
        return when (
            val v =
                try {
                    f.get(task)
                } catch (e: Throwable) {
                    null
                }
        ) {
            is GreenletCore<*> -> v
            is Thread -> hub.liveSnapshot(Int.MAX_VALUE).firstOrNull { it is JavaGreenletCore<*> && it.thread === v }
            else -> null
        }
    }
}
