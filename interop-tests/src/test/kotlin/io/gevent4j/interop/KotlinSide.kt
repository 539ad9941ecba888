@file:JvmName("KotlinSide")

package io.gevent4j.interop

import io.gevent4j.Greenlet
import io.gevent4j.Hub
import io.gevent4j.event.Event
import io.gevent4j.kotlin.await
import io.gevent4j.kotlin.sleep
import io.gevent4j.kotlin.spawnSuspend
import kotlin.time.Duration.Companion.milliseconds

/** Kotlin greenlets that the Java interop tests start: real suspend bodies, called from Java. */

/** A Kotlin greenlet that yields [yields] times, then returns [a] + [b]. */
fun kotlinAdder(hub: Hub, a: Int, b: Int, yields: Int): Greenlet<Int> =
    hub.spawnSuspend {
        repeat(yields) { sleep() }
        a + b
    }

/** A Kotlin greenlet that awaits [javaGreenlet] (a Java greenlet) and returns its value times two. */
fun kotlinDoubler(hub: Hub, javaGreenlet: Greenlet<Int>): Greenlet<Int> = hub.spawnSuspend { javaGreenlet.await() * 2 }

/** A Kotlin greenlet that calls the Java blocking facade [Greenlet.join] — which must refuse at once. */
fun kotlinCallingJavaJoin(hub: Hub, other: Greenlet<*>): Greenlet<Unit> = hub.spawnSuspend { other.join() }

/** A Kotlin ticker: counts in [ticks] every [periodMillis] ms until [stop] is set. */
fun kotlinTicker(hub: Hub, ticks: IntArray, periodMillis: Long, stop: Event): Greenlet<Unit> =
    hub.spawnSuspend {
        while (!stop.isSet) {
            ticks[0]++
            sleep(periodMillis.milliseconds)
        }
    }

/** A Kotlin greenlet that waits for [e] and records the order in [log]. */
fun kotlinEventWaiter(hub: Hub, e: Event, log: MutableList<String>, name: String): Greenlet<Unit> =
    hub.spawnSuspend {
        e.await()
        log.add(name)
    }

/** A Kotlin greenlet that yields once, then runs [action] on the hub. */
fun kotlinGreenlet(hub: Hub, action: Runnable): Greenlet<Unit> =
    hub.spawnSuspend {
        sleep()
        action.run()
    }
