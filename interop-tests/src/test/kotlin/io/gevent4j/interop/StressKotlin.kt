@file:JvmName("StressKotlin")

package io.gevent4j.interop

import io.gevent4j.Greenlet
import io.gevent4j.Hub
import io.gevent4j.event.Event
import io.gevent4j.kotlin.await
import io.gevent4j.kotlin.sleep
import io.gevent4j.kotlin.spawnSuspend
import kotlin.time.Duration
import kotlin.time.Duration.Companion.microseconds

/** The Kotlin half of [SingleRunnerStressTest]: the same mix of switches, through the suspend twins. */
fun kotlinWorker(hub: Hub, section: CriticalSection, flip: Event, id: Int, iterations: Int): Greenlet<Unit> =
    hub.spawnSuspend {
        for (k in 0 until iterations) {
            section.enter()
            when ((id + k) % 4) {
                0 -> sleep()
                1 -> sleep(100.microseconds)
                2 -> if (flip.isSet) flip.clear() else flip.set()
                else -> flip.await(Duration.ZERO)
            }
        }
    }
