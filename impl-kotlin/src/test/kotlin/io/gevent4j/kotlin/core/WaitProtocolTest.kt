package io.gevent4j.kotlin.core

import io.gevent4j.Gevent
import io.gevent4j.Waitable
import io.gevent4j.kotlin.iwait
import io.gevent4j.kotlin.testing.KotlinTestBase
import io.mockk.every
import io.mockk.just
import io.mockk.mockk
import io.mockk.runs
import io.mockk.slot
import io.mockk.verify
import java.time.Duration
import java.util.function.Consumer
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertSame
import kotlin.test.assertTrue
import kotlin.time.Duration.Companion.milliseconds
import kotlinx.coroutines.flow.toList

/**
 * `wait`/`iwait` speak only the wait protocol (`rawlink`/`unlink`), so any [Waitable] works — checked here at that seam
 * with mocks: each object is linked once, what fires is handed out, and everything left linked is unlinked when the
 * wait ends (gevent MOD-08: no garbage links).
 */
class WaitProtocolTest : KotlinTestBase() {
    private fun mockWaitable(callback: io.mockk.CapturingSlot<Consumer<in Waitable>>): Waitable {
        val w = mockk<Waitable>()
        every { w.rawlink(capture(callback)) } just runs
        every { w.unlink(any()) } just runs
        every { w.isReady } returns false
        return w
    }

    @Test
    fun aTimedOutWaitUnlinksWhatItLinked() {
        val cb = slot<Consumer<in Waitable>>()
        val w = mockWaitable(cb)
        val start = System.nanoTime()
        val ready = Gevent.wait(listOf(w), Duration.ofMillis(200), 0)
        assertWithin(WAIT_MIN, WAIT_MAX, since(start))
        assertTrue(ready.isEmpty())
        verify(exactly = 1) { w.rawlink(any()) }
        verify(exactly = 1) { w.unlink(cb.captured) }
    }

    @Test
    fun iwaitHandsOutWhatFiresAndUnlinksTheRestAfterCount() {
        val cb1 = slot<Consumer<in Waitable>>()
        val cb2 = slot<Consumer<in Waitable>>()
        val a = mockWaitable(cb1)
        val b = mockWaitable(cb2)
        val got = runGreenlet {
            // b fires from another thread while the Kotlin greenlet is suspended in the flow
            Thread.ofPlatform().start {
                while (!cb2.isCaptured) Thread.onSpinWait()
                cb2.captured.accept(b)
            }
            iwait(listOf(a, b), timeout = 5000.milliseconds, count = 1).toList()
        }
        assertEquals(1, got.size)
        assertSame(b, got[0])
        verify(exactly = 1) { a.unlink(cb1.captured) }
        verify(exactly = 1) { b.unlink(cb2.captured) }
    }
}
