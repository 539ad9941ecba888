package io.gevent4j.kotlin.internal

import io.gevent4j.JavaGreenletMode
import java.lang.reflect.Constructor
import java.util.concurrent.Executor
import java.util.concurrent.ThreadFactory
import java.util.concurrent.locks.LockSupport

/**
 * How a hub runs Java greenlets (the internal SPI the design calls `HubCarrier`): one implementation per
 * [JavaGreenletMode]. Every method but [start] and [resume] is called by the greenlet's own thread.
 */
internal interface JavaCarrier {
    val mode: JavaGreenletMode

    /** A new, unstarted thread that will run [body]. */
    fun newThread(body: Runnable): Thread

    /** Schedules the first run of [core] at the tail of the hub's queue. Any thread. */
    fun start(core: JavaGreenletCore<*>)

    /** gevent's `sleep(0)`: back to the tail of the queue. */
    fun yieldNow(core: JavaGreenletCore<*>)

    /** A wait for the calling greenlet. */
    fun newWait(core: JavaGreenletCore<*>): Wait

    /** Blocks the calling greenlet until [w] is done; returns its outcome. */
    fun await(core: JavaGreenletCore<*>, w: Wait): Any?

    /** HANDOFF only: gives [core] a turn again (hub side). Any thread. */
    fun resume(core: JavaGreenletCore<*>)

    /** HANDOFF only: the greenlet gives the baton back and waits for its next turn. */
    fun block(core: JavaGreenletCore<*>, w: Wait?)

    /** The greenlet's body has ended; its thread is about to exit. */
    fun finished(core: JavaGreenletCore<*>)
}

/**
 * SCHEDULED_ON_HUB: virtual threads whose scheduler is the hub itself, made with the JDK-internal
 * `java.lang.ThreadBuilders$VirtualThreadBuilder(Executor)`. Parking yields the hub; `unpark` re-submits the
 * continuation to the hub's FIFO queue. JDK blocking calls (sockets, monitors, j.u.c locks) yield too.
 */
internal class ScheduledCarrier(hub: Executor, ctor: Constructor<*>) : JavaCarrier {
    private val factory: ThreadFactory = (ctor.newInstance(hub) as Thread.Builder.OfVirtual).factory()

    override val mode: JavaGreenletMode
        get() = JavaGreenletMode.SCHEDULED_ON_HUB

    override fun newThread(body: Runnable): Thread = factory.newThread(body)

    override fun start(core: JavaGreenletCore<*>) {
        core.thread!!.start()
    }

    override fun yieldNow(core: JavaGreenletCore<*>) {
        Thread.yield()
    }

    override fun newWait(core: JavaGreenletCore<*>): Wait = ParkWait(core.thread!!) // called by the running body

    override fun await(core: JavaGreenletCore<*>, w: Wait): Any? = (w as ParkWait).await(Long.MAX_VALUE)

    override fun resume(core: JavaGreenletCore<*>): Unit = throw UnsupportedOperationException()

    override fun block(core: JavaGreenletCore<*>, w: Wait?): Unit = throw UnsupportedOperationException()

    override fun finished(core: JavaGreenletCore<*>) {}
}

/**
 * HANDOFF: ordinary virtual threads (default scheduler) and a strict baton between each of them and the hub thread: the
 * hub thread hands a greenlet its turn and parks until the greenlet blocks or ends, so only one runs at a time.
 * gevent4j's own blocking calls pass the baton back; JDK blocking calls keep it (and stall the hub).
 */
internal class HandoffCarrier(private val hub: HubImpl) : JavaCarrier {
    private val factory: ThreadFactory = Thread.ofVirtual().factory()

    override val mode: JavaGreenletMode
        get() = JavaGreenletMode.HANDOFF

    override fun newThread(body: Runnable): Thread = factory.newThread(body)

    override fun start(core: JavaGreenletCore<*>) {
        hub.execute(core.turnTask)
    }

    /** On the hub thread: run [core] until it hands the baton back. */
    fun runTurn(core: JavaGreenletCore<*>) {
        if (core.turn == JavaGreenletCore.TURN_FINISHED) return
        core.turn = JavaGreenletCore.TURN_GREENLET
        hub.currentTurn = core
        try {
            turn(core)
        } finally {
            hub.currentTurn = null
        }
    }

    private fun turn(core: JavaGreenletCore<*>) {
        if (!core.threadStarted) {
            core.threadStarted = true
            core.thread!!.start()
        } else {
            LockSupport.unpark(core.thread) // not finished, so still set
        }
        while (core.turn == JavaGreenletCore.TURN_GREENLET) {
            LockSupport.park(core)
            Thread.interrupted() // never spin on the hub thread's interrupt flag
        }
    }

    override fun yieldNow(core: JavaGreenletCore<*>) {
        resume(core)
        block(core, null)
    }

    override fun newWait(core: JavaGreenletCore<*>): Wait = HandoffWait(core)

    override fun await(core: JavaGreenletCore<*>, w: Wait): Any? = (w as HandoffWait).await()

    override fun resume(core: JavaGreenletCore<*>) {
        hub.execute(core.turnTask)
    }

    override fun block(core: JavaGreenletCore<*>, w: Wait?) {
        var interrupted = false
        core.turn = JavaGreenletCore.TURN_HUB
        LockSupport.unpark(hub.thread)
        while (core.turn != JavaGreenletCore.TURN_GREENLET) {
            LockSupport.park(core)
            if (Thread.interrupted()) {
                interrupted = true
                // end the wait with an error; the wake hands us a turn
                w?.wakeThrow(interrupted())
            }
        }
        if (interrupted) Thread.currentThread().interrupt()
    }

    override fun finished(core: JavaGreenletCore<*>) {
        core.turn = JavaGreenletCore.TURN_FINISHED
        LockSupport.unpark(hub.thread)
    }
}

/**
 * Chooses the mode once per JVM: SCHEDULED_ON_HUB when the JDK is 24+ (monitors do not pin, JEP 491), the legacy
 * locking mode is off, `java.lang` is open to us ([OPENS_FLAG]: `--add-opens java.base/java.lang=ALL-UNNAMED` on the
 * class path, `=io.gevent4j.kotlin` on the module path) and the JDK-internal builder exists and works; else HANDOFF,
 * with one warning line that names the flag. `-Dgevent4j.hub.mode=SCHEDULED_ON_HUB|HANDOFF` forces a mode.
 */
internal object CarrierSupport {
    @JvmField val ctor: Constructor<*>?
    @JvmField val reason: String

    /**
     * The flag that opens `java.lang` to this code where it was loaded: to its module's name when gevent4j-kotlin is a
     * named module (on the module path: `io.gevent4j.kotlin`), to `ALL-UNNAMED` on the class path.
     */
    @JvmField val OPENS_FLAG: String = opensFlag(CarrierSupport::class.java.module)

    /** The `--add-opens` flag that opens `java.lang` to [module]. */
    fun opensFlag(module: Module): String =
        "--add-opens java.base/java.lang=" + (if (module.isNamed) module.name else "ALL-UNNAMED")

    init {
        var c: Constructor<*>? = null
        var why: String
        val forced = System.getProperty("gevent4j.hub.mode")
        try {
            when {
                forced != null &&
                    forced != JavaGreenletMode.SCHEDULED_ON_HUB.name &&
                    forced != JavaGreenletMode.HANDOFF.name ->
                    throw IllegalArgumentException("gevent4j.hub.mode must be SCHEDULED_ON_HUB or HANDOFF: $forced")
                forced == JavaGreenletMode.HANDOFF.name -> why = "forced by -Dgevent4j.hub.mode=HANDOFF"
                Runtime.version().feature() < 24 ->
                    why = "JDK ${Runtime.version().feature()} < 24: monitors pin virtual threads (JEP 491)"
                legacyLocking() -> why = "-XX:LockingMode=1 turns JEP 491 off"
                !Any::class.java.module.isOpen("java.lang", CarrierSupport::class.java.module) ->
                    why = "java.lang is not open: add $OPENS_FLAG"
                else -> {
                    val k = Class.forName("java.lang.ThreadBuilders\$VirtualThreadBuilder")
                    val ctor = k.getDeclaredConstructor(Executor::class.java)
                    ctor.isAccessible = true
                    ctor.newInstance(Executor { it.run() }) // UnsupportedOperationException without continuations
                    c = ctor
                    why = "virtual threads scheduled on the hub"
                }
            }
        } catch (e: IllegalArgumentException) {
            throw e
        } catch (e: Throwable) {
            c = null
            why = "the JDK's virtual-thread builder is unusable: $e"
        }
        ctor = c
        reason = why
        if (c == null && forced == null) {
            Reporting.warning(
                "gevent4j: Java greenlets run in HANDOFF mode ($why); JDK blocking calls in Java greenlets " +
                    "will stall the hub. Use JDK 25 with $OPENS_FLAG."
            )
        }
        preparePoller()
    }

    fun carrierFor(hub: HubImpl): JavaCarrier {
        val c = ctor
        return if (c != null) ScheduledCarrier(hub, c) else HandoffCarrier(hub)
    }

    private fun legacyLocking(): Boolean =
        try {
            val bean =
                java.lang.management.ManagementFactory.getPlatformMXBean(
                    com.sun.management.HotSpotDiagnosticMXBean::class.java
                )
            bean.getVMOption("LockingMode").value == "1"
        } catch (e: Throwable) {
            false
        }

    /**
     * Trap 1: the JDK's socket sub-pollers are virtual threads made by whichever thread first does virtual-thread
     * socket I/O, and they inherit its scheduler. Initialise them here, on a platform thread, before the first hub
     * exists, so that they never belong to a hub (and never die with one).
     */
    private fun preparePoller() {
        val init = Runnable {
            try {
                Class.forName("sun.nio.ch.Poller", true, null)
            } catch (e: Throwable) {
                // not this JDK's layout: nothing to pre-initialise
            }
        }
        if (Thread.currentThread().isVirtual) {
            val t = Thread.ofPlatform().daemon().start(init)
            t.join()
        } else {
            init.run()
        }
    }
}
