package io.gevent4j.kotlin.internal

import java.util.ArrayDeque

/** A waiter with its place in a FIFO line: the ticket it drew when it first started waiting. */
internal interface Ticketed {
    val ticket: Long
}

/**
 * Adds [e] to a line kept in ticket order. A new waiter has the highest ticket and goes to the tail. A waiter that was
 * woken but lost its permit or item to a caller that was not waiting (gevent lets such a caller barge in, SEM-10, Q-13)
 * comes back with its old ticket and goes back to its place among those still waiting: gevent keeps it, so several such
 * waiters keep their order (`addFirst` in the order they run would reverse them).
 */
internal fun <E : Ticketed> ArrayDeque<E>.addInTicketOrder(e: E) {
    val last = peekLast()
    if (last == null || last.ticket < e.ticket) {
        addLast(e)
        return
    }
    var ahead: ArrayList<E>? = null
    while (true) {
        val f = peekFirst() ?: break
        if (f.ticket > e.ticket) break
        (ahead ?: ArrayList<E>(2).also { ahead = it }).add(pollFirst())
    }
    addFirst(e)
    ahead?.let { for (i in it.indices.reversed()) addFirst(it[i]) }
}
