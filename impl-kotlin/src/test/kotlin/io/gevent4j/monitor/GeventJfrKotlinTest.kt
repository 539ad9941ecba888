package io.gevent4j.monitor

import io.gevent4j.kotlin.sleep
import io.gevent4j.kotlin.spawnSuspend
import java.time.Duration
import kotlin.test.assertEquals
import kotlin.test.assertTrue
import org.junit.jupiter.api.Test

/** The long-turn JFR event names a Kotlin greenlet (found from its dispatched continuation). */
class GeventJfrKotlinTest {
    @Test
    fun aKotlinGreenletsLongTurnIsRecordedWithItsName() {
        MonitoredHubs().use { hubs ->
            val hub = hubs.create("jfr-kotlin", "1")
            val events =
                GeventJfrEventsTest.recorded {
                    val g =
                        hub.spawnSuspend {
                                sleep() // the next turn is a resumption (a dispatched continuation)
                                GeventJfrEventsTest.spin(60)
                                sleep()
                            }
                            .name("jfr-kotlin-turn")
                    assertTrue(g.join(Duration.ofSeconds(30)))
                }
            val turn =
                events.firstOrNull {
                    it.eventType.name == GeventJfrEventsTest.TURN && it.getString("greenlet") == "jfr-kotlin-turn"
                } ?: throw AssertionError("no long turn of jfr-kotlin-turn in $events")
            assertEquals("jfr-kotlin", turn.getString("hub"))
            assertEquals("Kotlin", turn.getString("kind"))
            assertTrue(turn.duration.toMillis() >= 60, "$turn")
        }
    }
}
