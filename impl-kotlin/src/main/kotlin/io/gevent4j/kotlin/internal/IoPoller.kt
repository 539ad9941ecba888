package io.gevent4j.kotlin.internal

import java.io.IOException
import java.nio.channels.ClosedSelectorException
import java.nio.channels.SelectableChannel
import java.nio.channels.SelectionKey
import java.nio.channels.Selector
import java.util.function.Consumer

/**
 * The I/O half of a hub's loop, as libev is gevent's: one [Selector] per hub, made the first time a channel waits on
 * the hub, and used only from the hub's context: its thread polls; its Java greenlets register and cancel keys, and
 * only a HANDOFF one (holding the hub) may also flush ([flushCancelled]). A hub that never waits on a channel never
 * makes one and keeps its park-based loop.
 *
 * Each registered channel carries its [IoWatch] as the key's attachment; a selected key hands its ready operations to
 * that watch, which wakes the greenlets (or threads) waiting for them. The loop polls with [pollNow] when it has work
 * queued and with [poll] (until the next timer) when it has none; another thread's `execute()` ends such a poll with
 * [wakeup].
 */
internal class IoPoller(private val hubName: String) : Consumer<SelectionKey> {
    private val selector: Selector = Selector.open()

    /** Channels registered here and not yet cancelled; hub-confined. */
    var registered: Int = 0
        private set

    /**
     * Whether a greenlet or thread waits on one of the channels (virtual time: an outside wake-up source). Hub thread.
     */
    fun hasWaiters(): Boolean =
        try {
            selector.keys().any { (it.attachment() as? IoWatch)?.hasWaiters() == true }
        } catch (_: ClosedSelectorException) {
            false
        }

    /** Registers [channel] (non-blocking) with no interest yet; hub context. */
    fun register(channel: SelectableChannel, watch: IoWatch): SelectionKey {
        val key = channel.register(selector, 0, watch)
        registered++
        return key
    }

    /** A key of this poller was cancelled by its watch; hub context. */
    fun cancelled(key: SelectionKey) {
        key.cancel()
        registered--
    }

    /**
     * Makes cancelled keys take effect now (the kernel forgets their descriptors, and a closed channel's descriptor is
     * released). On the hub's thread, or on a HANDOFF Java greenlet's virtual thread while it holds the hub; never on a
     * virtual thread scheduled on the hub (it would hold the selector's monitor where the JDK can park it: IoWatch
     * posts the flush to the hub's thread instead).
     *
     * It runs no readiness callback. A callback can meet contention (a waiter of another hub or thread) and yield or
     * park; inside `selectNow(consumer)` that happened under the selector's monitor, and since JDK 24 a virtual thread
     * unmounts with the monitors it holds, so in SCHEDULED_ON_HUB the hub's thread then blocked on its own selector's
     * monitor, held by a greenlet only that thread could run again (runtime.md, trap 5d). The selector is
     * level-triggered, so the readiness this poll sees and drops is reported again by the loop's next poll. Called from
     * inside a selection (a coroutine resumed inline by a readiness callback closed a socket), it does nothing: the
     * loop's next poll flushes.
     */
    fun flushCancelled() {
        try {
            selector.selectNow()
            selector.selectedKeys().clear()
        } catch (e: IOException) {
            Reporting.callbackFailed(hubName, "selectNow()", e)
        } catch (_: ClosedSelectorException) {} catch (
            _: IllegalStateException) { // "select in progress": re-entered from a readiness callback
        }
    }

    /** One poll that does not wait, which runs the ready keys' callbacks; hub thread only (see [flushCancelled]). */
    fun pollNow() {
        try {
            selector.selectNow(this)
        } catch (e: IOException) {
            Reporting.callbackFailed(hubName, "selectNow()", e)
        } catch (_: ClosedSelectorException) {}
    }

    /** Waits for readiness at most [millis] ms (0: until [wakeup]); hub thread only. */
    fun poll(millis: Long) {
        try {
            selector.select(this, millis)
        } catch (e: IOException) {
            Reporting.callbackFailed(hubName, "select()", e)
        } catch (_: ClosedSelectorException) {}
    }

    /** Ends a [poll] in progress, or makes the next one return at once. Any thread. */
    fun wakeup() {
        selector.wakeup()
    }

    /** A selected key: wake its waiters. */
    override fun accept(key: SelectionKey) {
        val watch = key.attachment() as IoWatch
        val ready =
            try {
                key.readyOps()
            } catch (_: java.nio.channels.CancelledKeyException) {
                return
            }
        watch.ready(key, ready)
    }

    /** The hub stops: every channel's waiters fail, the selector closes. Hub thread, at the end of the loop. */
    fun close() {
        val keys =
            try {
                selector.keys().toList()
            } catch (_: ClosedSelectorException) {
                return
            }
        for (k in keys) (k.attachment() as? IoWatch)?.hubClosed()
        try {
            selector.close()
        } catch (e: IOException) {
            Reporting.callbackFailed(hubName, "closing the selector", e)
        }
    }
}
