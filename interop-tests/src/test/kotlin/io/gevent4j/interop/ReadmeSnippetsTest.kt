package io.gevent4j.interop

import io.gevent4j.kotlin.await
import io.gevent4j.kotlin.sleep
import io.gevent4j.kotlin.spawn
import io.gevent4j.kotlin.spawnBlocking
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.time.Duration.Companion.milliseconds

/** The README's Kotlin example, compiled and run as it is written there. */
class ReadmeSnippetsTest {
    @Test
    fun kotlinExampleOfTheReadme() {
        val g = spawn { // a Kotlin greenlet: a coroutine on the hub
            sleep(100.milliseconds)
            "done"
        }
        val javaToo = spawnBlocking { g.get() } // a Java greenlet (blocking code) joins it; the reverse works too
        assertEquals("done", javaToo.get()) // from main: blocks until both are done
    }

    @Test
    fun aKotlinGreenletAwaitsBlockingJavaCodeRunInAJavaGreenlet() {
        val viaJava = spawn {
            spawnBlocking {
                    io.gevent4j.Gevent.sleep(0.01) // a Java blocking facade, legal in a Java greenlet
                    21
                }
                .await() * 2
        }
        assertEquals(42, viaJava.get())
    }
}
