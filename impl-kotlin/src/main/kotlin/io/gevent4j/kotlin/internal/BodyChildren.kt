package io.gevent4j.kotlin.internal

import kotlin.coroutines.coroutineContext
import kotlinx.coroutines.Job
import kotlinx.coroutines.NonCancellable
import kotlinx.coroutines.withContext

/**
 * In the `finally` of a Kotlin greenlet's body wrapped by gevent4j (a GreenPool member, a server's handler): waits
 * until the child coroutines the body launched have ended, even when the greenlet is being killed, so that what the
 * wrapper does next (free the pool's slot, close the connection) happens when the greenlet as a scope ends, not before
 * its children. Costs nothing when the body launched none.
 */
internal suspend fun awaitBodyChildren() {
    val job = coroutineContext[Job] ?: return
    if (!job.children.iterator().hasNext()) return
    withContext(NonCancellable) { for (child in job.children) child.join() }
}
