package io.gevent4j.kotlin.test

import io.gevent4j.Gevent
import io.gevent4j.Hub
import io.gevent4j.Timeout
import io.gevent4j.event.Event
import io.gevent4j.kotlin.await
import io.gevent4j.kotlin.awaitJoin
import io.gevent4j.kotlin.idle
import io.gevent4j.kotlin.sleep
import io.gevent4j.kotlin.spawn
import io.gevent4j.kotlin.spawnBlocking
import io.gevent4j.kotlin.spawnSuspend
import io.gevent4j.kotlin.withGeventTimeout
import java.util.concurrent.ConcurrentLinkedQueue
import kotlin.test.assertEquals
import kotlin.time.Duration.Companion.milliseconds
import kotlin.time.Duration.Companion.seconds
import kotlinx.coroutines.TimeoutCancellationException
import kotlinx.coroutines.delay
import kotlinx.coroutines.launch
import kotlinx.coroutines.withTimeout
import kotlinx.coroutines.withTimeoutOrNull
import org.junit.jupiter.params.ParameterizedTest
import org.junit.jupiter.params.provider.Arguments
import org.junit.jupiter.params.provider.MethodSource

/**
 * The Kotlin side of VirtualTimeTraceTest: Kotlin greenlets, their child coroutines, kotlinx `delay`/`withTimeout` and
 * the suspend twins keep the real hub's order on a virtual hub, at exact virtual times.
 */
class VirtualTimeKotlinTraceTest {
    class KTrace(private val clock: () -> Long) {
        private val entries = ConcurrentLinkedQueue<Pair<String, Long>>()

        fun add(e: String) {
            entries.add(e to clock())
        }

        fun events(): List<String> = entries.map { it.first }

        fun timed(): List<String> =
            entries.map { (e, n) -> "$e@${n / 1_000_000}" + if (n % 1_000_000 != 0L) "+${n % 1_000_000}ns" else "" }
    }

    fun interface Scenario {
        suspend fun run(t: KTrace)
    }

    companion object {
        @JvmStatic
        fun scenarios(): List<Arguments> =
            listOf(
                Arguments.of(
                    "delay, sleep and a Java sleep interleave by deadline (SCH-04 in Kotlin)",
                    Scenario { t ->
                        val c = spawnBlocking {
                            t.add("j-start")
                            Gevent.sleep(0.1)
                            t.add("j100")
                        }
                        sleep() // the Java greenlet starts and arms its timer first
                        val a = spawn {
                            delay(200.milliseconds)
                            t.add("d200")
                        }
                        val b = spawn {
                            sleep(10.milliseconds)
                            t.add("s10")
                        }
                        spawn { t.add("now") }
                        sleep()
                        t.add("main")
                        a.awaitJoin()
                        b.awaitJoin()
                        c.awaitJoin()
                        t.add("end")
                    },
                    listOf("j-start@0", "now@0", "main@0", "s10@10", "j100@100", "d200@200", "end@200"),
                ),
                Arguments.of(
                    "child coroutines of a greenlet (a greenlet is a scope)",
                    Scenario { t ->
                        val g = spawn {
                            launch {
                                delay(30.milliseconds)
                                t.add("child30")
                            }
                            launch {
                                delay(5.milliseconds)
                                t.add("child5")
                            }
                            t.add("body-returns")
                        }
                        g.awaitJoin()
                        t.add("joined")
                    },
                    listOf("body-returns@0", "child5@5", "child30@30", "joined@30"),
                ),
                Arguments.of(
                    "kotlinx withTimeout, withTimeoutOrNull and withGeventTimeout (TO-19 in Kotlin)",
                    Scenario { t ->
                        try {
                            withTimeout(250.milliseconds) { delay(10.seconds) }
                        } catch (e: TimeoutCancellationException) {
                            t.add("kotlinx")
                        }
                        t.add("orNull:" + withTimeoutOrNull(50.milliseconds) { Event().await() })
                        try {
                            withGeventTimeout(200.milliseconds) { sleep(10.seconds) }
                        } catch (e: Timeout) {
                            t.add("gevent")
                        }
                        t.add(
                            "value:" +
                                withGeventTimeout(100.milliseconds, "fallback") {
                                    sleep(1.seconds)
                                    "slept"
                                }
                        )
                    },
                    listOf("kotlinx@250", "orNull:null@300", "gevent@500", "value:fallback@600"),
                ),
                Arguments.of(
                    "timed suspend twins and idle (SCH-11 in Kotlin)",
                    Scenario { t ->
                        val ev = Event()
                        spawn {
                            idle()
                            t.add("idle")
                        }
                        spawn {
                            repeat(2) {
                                t.add("busy$it")
                                sleep()
                            }
                        }
                        t.add("await:" + ev.await(40.milliseconds))
                        spawn {
                            delay(5.milliseconds)
                            ev.set()
                        }
                        t.add("await2:" + ev.await(1.seconds))
                    },
                    listOf("busy0@0", "busy1@0", "idle@0", "await:false@40", "await2:true@45"),
                ),
            )
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    fun sameOrderAsARealHubAtExactVirtualTimes(name: String, scenario: Scenario, expected: List<String>) {
        val real = KTrace { 0L }
        Hub.create("ktrace-real").use { hub -> hub.spawnSuspend { scenario.run(real) }.get() }
        runGeventTest(timeout = 30.seconds) {
            val virtual = KTrace { currentTime.inWholeNanoseconds }
            scenario.run(virtual)
            assertEquals(expected, virtual.timed(), "$name: the virtual run's exact times")
            assertEquals(real.events(), virtual.events(), "$name: the same order on both hubs")
        }
    }
}
