package io.gevent4j.kotlin.core

import io.gevent4j.kotlin.internal.ForeignContext
import io.gevent4j.kotlin.internal.ParkWait
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertSame
import org.junit.jupiter.api.Test

/**
 * A thread of no hub runs on its own, unlike a greenlet: when its Timeout fires (on the default hub's thread) just
 * after its wait was woken, the thread may already have read the wait's outcome. The Timeout must then be raised at its
 * next wait point, not written into the finished wait, where nobody reads it again (it was lost, and the Timeout
 * reported fired).
 */
class ForeignContextTest {
    @Test
    fun aThrowInAfterTheWaitWasWokenAndReadIsRaisedAtTheNextWaitPoint() {
        val ctx = ForeignContext()
        val w = ParkWait(Thread.currentThread())
        ctx.enterWait(w)
        w.wake("value") // the event it waits for
        assertEquals("value", w.await(Long.MAX_VALUE)) // the thread read its outcome: it is past the wait
        val timeout = IllegalStateException("the Timeout, fired on the default hub's thread now")
        ctx.throwIn(timeout) // before the thread left the wait
        ctx.exitWait()
        assertSame(timeout, assertFailsWith<IllegalStateException> { ctx.enterWait(ParkWait(Thread.currentThread())) })
    }
}
