package io.gevent4j.kotlin.spec

import io.gevent4j.BlockingSwitchOutException
import io.gevent4j.Hub
import io.gevent4j.Timeout
import io.gevent4j.kotlin.await
import io.gevent4j.kotlin.awaitCall
import io.gevent4j.kotlin.awaitCheckCall
import io.gevent4j.kotlin.awaitCheckOutput
import io.gevent4j.kotlin.awaitClose
import io.gevent4j.kotlin.awaitCommunicate
import io.gevent4j.kotlin.awaitExit
import io.gevent4j.kotlin.awaitKill
import io.gevent4j.kotlin.awaitReadStderr
import io.gevent4j.kotlin.awaitReadStdout
import io.gevent4j.kotlin.awaitRun
import io.gevent4j.kotlin.awaitWriteStdin
import io.gevent4j.kotlin.sleep
import io.gevent4j.kotlin.spawn
import io.gevent4j.kotlin.spawnSuspend
import io.gevent4j.kotlin.testing.KotlinTestBase
import io.gevent4j.kotlin.waitAll
import io.gevent4j.subprocess.CalledProcessErrorException
import io.gevent4j.subprocess.Communicated
import io.gevent4j.subprocess.Popen
import io.gevent4j.subprocess.Subprocess
import io.gevent4j.subprocess.TimeoutExpiredException
import java.io.ByteArrayOutputStream
import java.io.File
import java.io.IOException
import java.lang.ProcessBuilder.Redirect
import java.util.Random
import java.util.concurrent.TimeUnit
import kotlin.test.assertContentEquals
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertFalse
import kotlin.test.assertIs
import kotlin.test.assertNull
import kotlin.test.assertSame
import kotlin.test.assertTrue
import kotlin.test.fail
import kotlin.time.Duration.Companion.milliseconds
import kotlin.time.Duration.Companion.seconds
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.BeforeAll
import org.junit.jupiter.api.DisplayName
import org.junit.jupiter.api.Test

/**
 * Spec section 10 (gevent.subprocess) through the Kotlin suspend twins, in Kotlin greenlets: `Popen.awaitExit`,
 * `awaitCommunicate`, `awaitClose`, `awaitReadStdout`/`awaitReadStderr`/`awaitWriteStdin`, and the module twins
 * `awaitRun`, `awaitCheckOutput`, `awaitCall`, `awaitCheckCall`; plus the refusals of the blocking facades in a Kotlin
 * body and what a cancellation, a kill and an outer Timeout do to each wait. Skipped and adapted cases: see the comment
 * at the top of SubprocessSpecTest.java.
 */
class SubprocessKotlinSpecTest : KotlinTestBase() {
    companion object {
        @JvmStatic
        @BeforeAll
        fun warmUp() {
            Hub.create("subprocess-kotlin-warm-up").use { h ->
                val g =
                    h.spawnSuspend {
                        Popen(quiet("sh", "-c", "exit 0")).awaitExit()
                        Popen(ProcessBuilder("cat")).awaitCommunicate("x".toByteArray())
                        val s = Popen(quiet("sleep", "1"))
                        try {
                            s.awaitExit(1.milliseconds)
                        } catch (expected: TimeoutExpiredException) {
                            // the warm-up timeout
                        }
                        s.kill()
                        s.awaitExit()
                    }
                g.join(java.time.Duration.ofSeconds(20))
                g.get()
            }
        }

        fun quiet(vararg cmd: String): ProcessBuilder =
            ProcessBuilder(*cmd)
                .redirectInput(Redirect.from(File("/dev/null")))
                .redirectOutput(Redirect.DISCARD)
                .redirectError(Redirect.DISCARD)

        fun aliveChildren(): Set<Long> =
            ProcessHandle.current().children().filter { it.isAlive }.map { it.pid() }.toList().toSet()

        const val ERR_SCRIPT = "yes err | head -c 200000 >&2; cat; yes err2 | head -c 100000 >&2"

        fun expectedStderr(): ByteArray = ("err\n".repeat(50_000) + "err2\n".repeat(20_000)).toByteArray()
    }

    private fun ByteArray.text(): String = String(this, Charsets.ISO_8859_1)

    // ---- SP-01 .. SP-03 ---------------------------------------------------------------------------------------

    @Test
    @DisplayName("SP-01: awaitExit() suspends: a Kotlin ticker greenlet runs 5 ticks while the caller waits (steps)")
    fun sp01_awaitExitLetsATickerRun() {
        runGreenlet {
            val p = Popen(ProcessBuilder("cat").redirectOutput(Redirect.DISCARD).redirectError(Redirect.DISCARD))
            val ticker = spawn {
                repeat(5) { i ->
                    sleep(20.milliseconds)
                    expect(2 + i)
                }
                expect(7)
                p.stdin()!!.close()
            }
            expect(1)
            val rc = p.awaitExit()
            finish(8)
            assertEquals(0, rc)
            ticker.awaitKill() // dead already: returns at once
        }
        assertFinished()
    }

    @Test
    @DisplayName("SP-02: awaitExit() -> 10 for exit 10; waitAll([popen]) -> [popen], then poll() == 11")
    fun sp02_exitCodeAndWaitAll() {
        runGreenlet {
            val p = Popen(quiet("sh", "-c", "exit 10"))
            assertEquals(10, p.awaitExit())
            assertEquals(10, p.poll())
            val q = Popen(quiet("sh", "-c", "exit 11"))
            assertEquals(listOf(q), waitAll(listOf(q)))
            assertEquals(11, q.poll())
        }
    }

    @Test
    @DisplayName(
        "SP-03: awaitExit(10 ms) -> TimeoutExpiredException in [0.009, 0.12] s; kill() -> -9; terminate() -> -15"
    )
    fun sp03_awaitExitTimeoutAndSignals() {
        runGreenlet {
            val p = Popen(quiet("sleep", "10"))
            val start = System.nanoTime()
            val e = assertFailsWith<TimeoutExpiredException> { p.awaitExit(10.milliseconds) }
            assertWithin(GET_MIN, GET_MAX, since(start))
            assertEquals(java.time.Duration.ofMillis(10), e.timeout())
            assertNull(p.poll(), "the child runs on")
            p.kill()
            assertEquals(-9, p.awaitExit())
            val t = Popen(quiet("sleep", "10"))
            t.terminate()
            assertEquals(-15, t.awaitExit(10.seconds))
        }
    }

    // ---- SP-04 .. SP-05 ---------------------------------------------------------------------------------------

    @Test
    @DisplayName("SP-04: awaitCommunicate(b\"banana\") -> (b\"banana\", b\"pineapple\")")
    fun sp04_awaitCommunicateFeedsStdinAndReadsBoth() {
        runGreenlet {
            val p = Popen(ProcessBuilder("sh", "-c", "cat; printf pineapple >&2"))
            assertEquals(
                Communicated("banana".toByteArray(), "pineapple".toByteArray()),
                p.awaitCommunicate("banana".toByteArray()),
            )
            assertEquals(0, p.returncode())
        }
    }

    @Test
    @DisplayName(
        "SP-05: awaitCommunicate(timeout = 100 ms) -> TimeoutExpired; after kill(), awaitCommunicate() -> (b'early\\n', null)"
    )
    fun sp05_outputReadBeforeTheTimeoutIsKept() {
        runGreenlet {
            val p =
                Popen(
                    ProcessBuilder("sh", "-c", "echo early; exec sleep 10")
                        .redirectInput(Redirect.from(File("/dev/null")))
                        .redirectError(Redirect.DISCARD)
                )
            val e = assertFailsWith<TimeoutExpiredException> { p.awaitCommunicate(timeout = 100.milliseconds) }
            assertTrue("early\n".startsWith(e.output()!!.text()), "partial output: ${e.output()!!.text()}")
            p.kill()
            val c = p.awaitCommunicate()
            assertEquals("early\n", c.stdout()!!.text())
            assertNull(c.stderr())
            assertEquals(-9, p.returncode())
        }
    }

    // ---- SP-06 .. SP-08: the module twins ---------------------------------------------------------------------

    @Test
    @DisplayName("SP-06: awaitRun(timeout) kills the child and carries the output read before the expiry")
    fun sp06_awaitRunKillsOnExpiry() {
        runGreenlet {
            val before = aliveChildren()
            assertFailsWith<TimeoutExpiredException> {
                awaitRun(listOf("sh", "-c", "while :; do :; done"), timeout = 0.1.milliseconds)
            }
            assertEquals(emptySet(), aliveChildren() - before, "the child was killed and reaped")
            val start = System.nanoTime()
            val e =
                assertFailsWith<TimeoutExpiredException> {
                    awaitRun(listOf("sh", "-c", "printf BDFL; exec sleep 3600"), capture = true, timeout = 1.seconds)
                }
            assertWithin(1.0, 1.0 + WAIT_MAX, since(start))
            assertEquals("BDFL", e.output()!!.text())
            assertContentEquals(ByteArray(0), e.stderr())
            assertFailsWith<TimeoutExpiredException> {
                awaitCheckOutput(listOf("sh", "-c", "exec sleep 3"), 100.milliseconds)
            }
            assertFailsWith<TimeoutExpiredException> { awaitCall(listOf("sh", "-c", "exec sleep 3"), 100.milliseconds) }
        }
    }

    @Test
    @DisplayName("SP-07: a missing program -> IOException from Popen(...) and from awaitRun, 7 times in a row")
    fun sp07_missingProgram() {
        runGreenlet {
            repeat(7) {
                val e = assertFailsWith<IOException> { Popen(listOf("this_name_must_not_exist")) }
                assertTrue(e.message!!.contains("No such file or directory"), e.message)
                assertFailsWith<IOException> { awaitRun(listOf("this_name_must_not_exist"), capture = true) }
            }
            assertFailsWith<IOException> { awaitCheckOutput(listOf("this_name_must_not_exist")) }
        }
    }

    @Test
    @DisplayName(
        "SP-08: awaitCheckOutput(exit 44) -> CalledProcessError 44; awaitRun(exit 47, check) -> 47; awaitCheckCall, awaitCall"
    )
    fun sp08_checkedTwins() {
        runGreenlet {
            val e =
                assertFailsWith<CalledProcessErrorException> {
                    awaitCheckOutput(listOf("sh", "-c", "printf partial; exit 44"))
                }
            assertEquals(44, e.returncode())
            assertEquals("partial", e.output()!!.text())
            assertEquals(
                47,
                assertFailsWith<CalledProcessErrorException> {
                        awaitRun(listOf("sh", "-c", "exit 47"), capture = true, check = true)
                    }
                    .returncode(),
            )
            val cp = awaitRun(listOf("sh", "-c", "printf out; exit 47"), capture = true)
            assertEquals(47, cp.returncode())
            assertEquals("out", cp.stdout()!!.text())
            assertEquals(47, assertFailsWith<CalledProcessErrorException> { cp.checkReturncode() }.returncode())
            assertEquals("hello", awaitCheckOutput(listOf("printf", "hello")).text())
            assertEquals(5, awaitCall(listOf("sh", "-c", "exit 5")))
            assertEquals(
                3,
                assertFailsWith<CalledProcessErrorException> { awaitCheckCall(listOf("sh", "-c", "exit 3")) }
                    .returncode(),
            )
            awaitCheckCall(listOf("sh", "-c", "exit 0"))
            val fed =
                awaitRun(
                    ProcessBuilder("cat").redirectError(Redirect.DISCARD),
                    "fed".toByteArray(),
                    10.seconds,
                    check = true,
                )
            assertEquals("fed", fed.stdout()!!.text())
        }
    }

    // ---- the stream twins and awaitClose ----------------------------------------------------------------------

    @Test
    @DisplayName(
        "awaitWriteStdin / awaitReadStdout / awaitReadStderr: 300 KB through stdin and out of both pipes, every byte"
    )
    fun streamTwinsMoveBigDataWithoutDeadlock() {
        val input = ByteArray(300_000).also { Random(3).nextBytes(it) }
        runGreenlet {
            val p = Popen(ProcessBuilder("sh", "-c", ERR_SCRIPT))
            suspend fun readAll(stderr: Boolean): ByteArray {
                val out = ByteArrayOutputStream()
                val buf = ByteArray(8192)
                while (true) {
                    val n = if (stderr) p.awaitReadStderr(buf) else p.awaitReadStdout(buf, 0, buf.size)
                    if (n < 0) return out.toByteArray()
                    out.write(buf, 0, n)
                }
            }
            val out = spawn { readAll(false) }
            val err = spawn { readAll(true) }
            var off = 0
            while (off < input.size) {
                val n = minOf(10_000, input.size - off)
                p.awaitWriteStdin(input, off, n)
                off += n
            }
            p.stdin()!!.close()
            assertContentEquals(input, out.await())
            assertContentEquals(expectedStderr(), err.await())
            assertEquals(0, p.awaitExit())
            assertFailsWith<IOException> { p.awaitWriteStdin(byteArrayOf(1)) }
            p.awaitClose()
            assertFailsWith<IOException> { p.awaitReadStdout(ByteArray(1)) }
        }
    }

    @Test
    @DisplayName(
        "awaitClose() closes the pipes, then waits: `yes` writing to its closed stdout dies of SIGPIPE (128 + 13)"
    )
    fun awaitCloseClosesThePipesThenWaits() {
        runGreenlet {
            val p =
                Popen(
                    ProcessBuilder("yes")
                        .redirectInput(Redirect.from(File("/dev/null")))
                        .redirectError(Redirect.DISCARD)
                )
            val buf = ByteArray(4)
            assertEquals(
                4,
                p.awaitReadStdout(buf).let { n ->
                    var k = n
                    while (k < 4) k += p.awaitReadStdout(buf, k, 4 - k)
                    k
                },
            )
            assertEquals("y\ny\n", buf.text())
            p.awaitClose()
            assertEquals(141, p.poll(), "killed by a SIGPIPE it was not sent by this Popen: 128 + 13")
            val q = Popen(quiet("sleep", "10"))
            assertFailsWith<IllegalStateException> { q.awaitReadStdout(ByteArray(1)) }
            assertFailsWith<IllegalStateException> { q.awaitReadStderr(ByteArray(1)) }
            assertFailsWith<IllegalStateException> { q.awaitWriteStdin(ByteArray(1)) }
            q.kill()
            q.awaitClose()
            assertEquals(-9, q.poll())
        }
    }

    // ---- refusals, bad input ----------------------------------------------------------------------------------

    @Test
    @DisplayName(
        "in a Kotlin body every blocking facade throws BlockingSwitchOutException naming its twin, and starts nothing"
    )
    fun blockingFacadesRefuseInAKotlinBody() {
        runGreenlet {
            val p = Popen(ProcessBuilder("cat"))
            val cases: List<Pair<String, () -> Any?>> =
                listOf(
                    "Popen.awaitExit()" to { p.waitFor() },
                    "Popen.awaitExit()" to { p.waitFor(java.time.Duration.ofSeconds(1)) },
                    "Popen.awaitCommunicate()" to { p.communicate() },
                    "Popen.awaitClose()" to { p.close() },
                    "Popen.awaitReadStdout()" to { p.stdout()!!.read() },
                    "Popen.awaitReadStderr()" to { p.stderr()!!.read(ByteArray(4)) },
                    "Popen.awaitWriteStdin()" to { p.stdin()!!.write(1) },
                )
            for ((twin, call) in cases) {
                val e = assertFailsWith<BlockingSwitchOutException> { call() }
                assertTrue(e.message!!.contains(twin), "$twin: ${e.message}")
            }
            val before = aliveChildren()
            val module: List<Pair<String, () -> Any?>> =
                listOf(
                    "awaitRun()" to { Subprocess.run(listOf("sleep", "10"), false, null, false) },
                    "awaitCheckOutput()" to { Subprocess.checkOutput(listOf("sleep", "10")) },
                    "awaitCall()" to { Subprocess.call(listOf("sleep", "10")) },
                    "awaitCheckCall()" to { Subprocess.checkCall(listOf("sleep", "10")) },
                )
            for ((twin, call) in module) {
                val e = assertFailsWith<BlockingSwitchOutException> { call() }
                assertTrue(e.message!!.contains(twin), "$twin: ${e.message}")
            }
            assertEquals(before, aliveChildren(), "no child was started")
            // nothing was closed by the refusals
            assertEquals("still open", p.awaitCommunicate("still open".toByteArray()).stdout()!!.text())
        }
    }

    @Test
    @DisplayName("the twins refuse negative timeouts and empty commands at the call, naming the argument")
    fun twinsRefuseBadArguments() {
        runGreenlet {
            val before = aliveChildren()
            assertEquals(
                "args must not be empty",
                assertFailsWith<IllegalArgumentException> { awaitRun(emptyList()) }.message,
            )
            assertEquals(
                "timeout must not be negative: -1s",
                assertFailsWith<IllegalArgumentException> { awaitRun(listOf("sleep", "10"), timeout = (-1).seconds) }
                    .message,
            )
            assertEquals(
                "timeout must not be negative: -1s",
                assertFailsWith<IllegalArgumentException> { awaitCheckOutput(listOf("sleep", "10"), (-1).seconds) }
                    .message,
            )
            assertEquals(before, aliveChildren(), "no child was started")
            val p = Popen(quiet("sleep", "10"))
            assertEquals(
                "timeout must not be negative: -5ms",
                assertFailsWith<IllegalArgumentException> { p.awaitExit((-5).milliseconds) }.message,
            )
            assertFailsWith<IllegalArgumentException> { p.awaitCommunicate(timeout = (-5).milliseconds) }
            assertFailsWith<IllegalStateException> { p.awaitCommunicate("x".toByteArray()) }
            assertNull(p.poll())
            p.kill()
            assertEquals(-9, p.awaitExit())
        }
    }

    // ---- cancellation, kills, outer Timeouts ------------------------------------------------------------------

    @Test
    @DisplayName(
        "a kill (cancellation) and an outer Timeout land in awaitExit and awaitCommunicate; the child runs on, output kept"
    )
    fun killAndOuterTimeoutLandInTheTwins() {
        runGreenlet {
            val p =
                Popen(
                    ProcessBuilder("sh", "-c", "echo early; cat >/dev/null; echo late; exec sleep 10")
                        .redirectError(Redirect.DISCARD)
                )
            val w = spawn { p.awaitExit() }
            sleep()
            assertFalse(w.isDead)
            w.awaitKill()
            assertTrue(w.isSuccessful, "GreenletExit")
            assertNull(p.poll(), "the child runs on")

            val t = Timeout.startNew(java.time.Duration.ofMillis(50))
            try {
                p.awaitCommunicate(timeout = 5.seconds) // closes stdin: cat ends, "late" follows
                fail("awaitCommunicate returned")
            } catch (caught: Timeout) {
                assertSame(t, caught)
            } finally {
                t.cancel()
            }
            val c = spawn { p.awaitCommunicate() }
            sleep()
            c.awaitKill()
            assertNull(p.poll(), "the child runs on")
            val t2 = Timeout.startNew(java.time.Duration.ofMillis(10))
            try {
                p.awaitExit()
                fail("awaitExit returned")
            } catch (caught: Timeout) {
                assertSame(t2, caught)
            } finally {
                t2.cancel()
            }
            // what was read so far shows in each expiry's output; wait until "late" has been read, then kill
            val deadline = System.nanoTime() + 10_000_000_000L
            while (true) {
                val e = assertFailsWith<TimeoutExpiredException> { p.awaitCommunicate(timeout = 20.milliseconds) }
                val sofar = e.output()!!.text()
                assertTrue("early\nlate\n".startsWith(sofar), sofar)
                if (sofar == "early\nlate\n") break
                assertTrue(System.nanoTime() < deadline, "'late' did not arrive in 10 s")
            }
            p.kill()
            assertEquals("early\nlate\n", p.awaitCommunicate().stdout()!!.text())
            assertEquals(-9, p.returncode())
        }
    }

    @Test
    @DisplayName("a kill landing in awaitRun kills its child; a killed awaitReadStdout loses no byte")
    fun killInAwaitRunKillsTheChildAndReadsLoseNothing() {
        runGreenlet {
            val before = aliveChildren()
            val run = spawn { awaitRun(listOf("sleep", "30"), capture = true) }
            sleep()
            val started = aliveChildren() - before
            assertEquals(1, started.size, "awaitRun started its child")
            run.awaitKill(IllegalStateException("stop"))
            assertIs<IllegalStateException>(run.exception())
            ProcessHandle.of(started.first()).ifPresent { it.onExit().get(10, TimeUnit.SECONDS) }

            val p = Popen(ProcessBuilder("cat").redirectError(Redirect.DISCARD))
            val r = spawn { p.awaitReadStdout(ByteArray(1)) }
            sleep()
            r.awaitKill()
            p.awaitWriteStdin("abc".toByteArray())
            p.stdin()!!.close()
            assertEquals("abc", p.awaitCommunicate().stdout()!!.text())
        }
    }

    @Test
    @DisplayName("the twins work in any coroutine: runBlocking on a thread of no hub")
    fun twinsWorkOutsideGreenlets() {
        runBlocking {
            val p = Popen(ProcessBuilder("sh", "-c", "cat; printf pineapple >&2"))
            assertEquals(
                Communicated("banana".toByteArray(), "pineapple".toByteArray()),
                p.awaitCommunicate("banana".toByteArray(), 10.seconds),
            )
            assertEquals(0, p.awaitExit())
            assertEquals("hi", awaitCheckOutput(listOf("printf", "hi")).text())
        }
    }
}
