package io.gevent4j.subprocess;

import static io.gevent4j.testing.Processes.bytes;
import static io.gevent4j.testing.Processes.quiet;
import static io.gevent4j.testing.Processes.text;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.gevent4j.BlockingSwitchOutException;
import io.gevent4j.Gevent;
import io.gevent4j.Greenlet;
import io.gevent4j.Hub;
import io.gevent4j.Timeout;
import io.gevent4j.testing.Foreign;
import io.gevent4j.testing.GeventTestBase;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.lang.ProcessBuilder.Redirect;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * gevent.subprocess under faults: outputs far larger than a pipe on both streams, many children in a row (no pipe
 * thread left behind), a hub closed under a waiter, bad arguments, callers on threads of no hub, refusals on a hub
 * thread, and kills and outer Timeouts landing in every wait.
 */
class SubprocessFaultTest extends GeventTestBase {
    private static final String ERR_SCRIPT = "yes err | head -c 200000 >&2; cat; yes err2 | head -c 100000 >&2";

    static byte[] randomBytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    static byte[] expectedStderr() {
        return bytes("err\n".repeat(50_000) + "err2\n".repeat(20_000));
    }

    static Set<Long> aliveChildren() {
        return ProcessHandle.current()
                .children()
                .filter(ProcessHandle::isAlive)
                .map(ProcessHandle::pid)
                .collect(Collectors.toSet());
    }

    static List<Thread> pipeThreadsOf(Set<Long> pids) {
        List<Thread> out = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            for (long pid : pids) {
                if (t.getName().startsWith("gevent4j-pipe-" + pid + "-")) {
                    out.add(t);
                }
            }
        }
        return out;
    }

    static <T> T result(CompletableFuture<T> f) throws Exception {
        return f.get(30, TimeUnit.SECONDS);
    }

    // ---- big outputs --------------------------------------------------------------------------------------------

    @Test
    @DisplayName(
            "communicate: 300 KB in, 300 KB out on stdout and 300 KB on stderr (stderr first): no deadlock, every byte")
    void bigInputAndBigOutputOnBothPipes() throws Exception {
        byte[] input = randomBytes(300_000, 42);
        inGreenlet(() -> {
            Popen p = new Popen(new ProcessBuilder("sh", "-c", ERR_SCRIPT));
            Communicated c = p.communicate(input, Duration.ofSeconds(30));
            assertArrayEquals(input, c.stdout());
            assertArrayEquals(expectedStderr(), c.stderr());
            assertEquals(0, p.returncode());
        });
        // and on a thread of no hub
        Communicated f = result(Foreign.future(
                "big-foreign", () -> new Popen(new ProcessBuilder("sh", "-c", ERR_SCRIPT)).communicate(input)));
        assertArrayEquals(input, f.stdout());
        assertArrayEquals(expectedStderr(), f.stderr());
    }

    @Test
    @DisplayName(
            "cooperative streams: one greenlet writes 300 KB to stdin while two read stdout and stderr: every byte")
    void bigOutputsThroughTheCooperativeStreams() {
        byte[] input = randomBytes(300_000, 7);
        inGreenlet(() -> {
            Popen p = new Popen(new ProcessBuilder("sh", "-c", ERR_SCRIPT));
            Greenlet<byte[]> out = Gevent.spawn(() -> readAll(p.stdout()));
            Greenlet<byte[]> err = Gevent.spawn(() -> readAll(p.stderr()));
            Greenlet<Void> writer = Gevent.spawn(() -> {
                for (int off = 0; off < input.length; off += 10_000) {
                    p.stdin().write(input, off, Math.min(10_000, input.length - off));
                }
                p.stdin().close();
            });
            assertArrayEquals(input, out.get());
            assertArrayEquals(expectedStderr(), err.get());
            writer.get();
            assertEquals(0, p.waitFor());
            p.close();
        });
    }

    static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        int n;
        while ((n = in.read(buf)) >= 0) {
            b.write(buf, 0, n);
        }
        return b.toByteArray();
    }

    // ---- threads ------------------------------------------------------------------------------------------------

    @Test
    @Tag("stress")
    @DisplayName("100 children in a row (communicate, streams, run, close): every pipe thread ends, none is left")
    void hundredChildrenLeaveNoPipeThreadBehind() throws Exception {
        Set<Long> pids = new HashSet<>();
        inGreenlet(() -> {
            for (int i = 0; i < 100; i++) {
                Popen p = new Popen(new ProcessBuilder("sh", "-c", "cat; printf e >&2"));
                pids.add(p.pid());
                String word = "child " + i;
                switch (i % 4) {
                    case 0 -> assertEquals(new Communicated(bytes(word), bytes("e")), p.communicate(bytes(word)));
                    case 1 -> {
                        p.stdin().write(bytes(word));
                        p.stdin().close();
                        assertEquals(word, text(readAll(p.stdout())));
                        assertEquals("e", text(readAll(p.stderr())));
                        p.close();
                    }
                    case 2 -> {
                        p.stdin().write(bytes(word)); // the writer thread ends when the child exits
                        p.stdout().read(new byte[1]); // the reader thread ends at close()
                        p.kill();
                        assertEquals(-9, p.waitFor());
                        p.close();
                    }
                    default -> {
                        p.kill();
                        p.close();
                    }
                }
            }
        });
        for (Thread t : pipeThreadsOf(pids)) {
            t.join(TimeUnit.SECONDS.toMillis(10));
            assertFalse(t.isAlive(), t.getName() + " is still alive");
        }
        assertEquals(List.of(), pipeThreadsOf(pids));
    }

    // ---- the hub closed under a waiter --------------------------------------------------------------------------

    @Test
    @DisplayName(
            "a hub closed while greenlets wait in waitFor/communicate: they die with GreenletExit, the child runs on")
    void hubClosedWithWaitsPending() throws Exception {
        Popen p = new Popen(new ProcessBuilder("sh", "-c", "echo early; exec sleep 10")
                .redirectInput(Redirect.from(new File("/dev/null")))
                .redirectError(Redirect.DISCARD));
        Popen q = new Popen(quiet("sleep", "10"));
        Hub h = Hub.create("subprocess-closing");
        Greenlet<Communicated> g1 = h.spawn(() -> p.communicate());
        Greenlet<Integer> g2 = h.spawn(() -> q.waitFor());
        h.spawn(() -> {}).join(); // FIFO: both are blocked in their waits once this one has run
        assertFalse(g1.isDead());
        assertFalse(g2.isDead());
        h.close();
        assertTrue(g1.isDead());
        assertTrue(g2.isDead());
        assertTrue(g1.isSuccessful(), "killed with GreenletExit");
        assertNull(g2.value());
        assertNull(p.poll(), "the child runs on");
        assertNull(q.poll(), "the child runs on");
        // the output read before the close is kept; this (foreign) thread finishes the job
        p.kill();
        q.kill();
        assertEquals("early\n", text(p.communicate().stdout()));
        assertEquals(-9, p.returncode());
        assertEquals(-9, q.waitFor());
    }

    // ---- bad input ----------------------------------------------------------------------------------------------

    @Test
    @DisplayName(
            "nulls, empty commands and negative timeouts are refused at the call, naming the argument, before any child starts")
    @SuppressWarnings("DataFlowIssue")
    void badArgumentsAreRefusedBeforeAnySideEffect() throws Exception {
        Set<Long> before = aliveChildren();
        assertEquals(
                "args must not be null",
                assertThrows(NullPointerException.class, () -> new Popen((List<String>) null))
                        .getMessage());
        assertEquals(
                "builder must not be null",
                assertThrows(NullPointerException.class, () -> new Popen((ProcessBuilder) null))
                        .getMessage());
        assertEquals(
                "command must not be null",
                assertThrows(NullPointerException.class, () -> Popen.shell(null))
                        .getMessage());
        assertEquals(
                "args must not be empty",
                assertThrows(IllegalArgumentException.class, () -> new Popen(List.of()))
                        .getMessage());
        assertEquals(
                "args must not contain null: element 1 of [sleep, null]",
                assertThrows(NullPointerException.class, () -> new Popen(Arrays.asList("sleep", null)))
                        .getMessage());
        assertEquals(
                "builder.command() must not be empty",
                assertThrows(IllegalArgumentException.class, () -> new Popen(new ProcessBuilder()))
                        .getMessage());
        assertEquals(
                "args must not be null",
                assertThrows(NullPointerException.class, () -> Subprocess.run((List<String>) null, false, null, false))
                        .getMessage());
        assertEquals(
                "timeout must not be negative: PT-1S",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> Subprocess.run(List.of("sleep", "10"), false, Duration.ofSeconds(-1), false))
                        .getMessage());
        assertEquals(
                "timeout must not be negative: PT-1S",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> Subprocess.checkOutput(List.of("sleep", "10"), Duration.ofSeconds(-1)))
                        .getMessage());
        assertEquals(
                "timeout must not be negative: PT-1S",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> Subprocess.call(List.of("sleep", "10"), Duration.ofSeconds(-1)))
                        .getMessage());
        assertEquals(
                "timeout must not be negative: PT-1S",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> Subprocess.run(quiet("sleep", "10"), null, Duration.ofSeconds(-1), false))
                        .getMessage());
        assertThrows(
                IllegalArgumentException.class,
                () -> Subprocess.run(quiet("sleep", "10"), bytes("x"), null, false),
                "input without a piped stdin");
        assertEquals(
                "args must not be null",
                assertThrows(NullPointerException.class, () -> new CompletedProcess(null, 0, null, null))
                        .getMessage());
        assertEquals(
                "cmd must not be null",
                assertThrows(
                                NullPointerException.class,
                                () -> new TimeoutExpiredException(null, Duration.ZERO, null, null))
                        .getMessage());
        assertEquals(before, aliveChildren(), "no child was started");

        Popen p = new Popen(quiet("sleep", "10"));
        try {
            assertEquals(
                    "timeout must not be negative: PT-1S",
                    assertThrows(IllegalArgumentException.class, () -> p.waitFor(Duration.ofSeconds(-1)))
                            .getMessage());
            assertEquals(
                    "seconds must be a non-negative number of seconds: -1.0",
                    assertThrows(IllegalArgumentException.class, () -> p.waitFor(-1.0))
                            .getMessage());
            assertEquals(
                    "seconds must be a non-negative number of seconds: NaN",
                    assertThrows(IllegalArgumentException.class, () -> p.waitFor(Double.NaN))
                            .getMessage());
            assertEquals(
                    "timeout must not be negative: PT-0.005S",
                    assertThrows(IllegalArgumentException.class, () -> p.communicate(null, Duration.ofMillis(-5)))
                            .getMessage());
            assertEquals(
                    "seconds must be a non-negative number of seconds: -0.5",
                    assertThrows(IllegalArgumentException.class, () -> p.communicate(null, -0.5))
                            .getMessage());
            assertEquals(
                    "callback must not be null",
                    assertThrows(NullPointerException.class, () -> p.rawlink(null))
                            .getMessage());
            p.unlink(null); // gevent's unlink of an unknown callback: nothing
            IllegalStateException ise = assertThrows(IllegalStateException.class, () -> p.communicate(bytes("x")));
            assertTrue(ise.getMessage().contains("needs a piped stdin"), ise.getMessage());
            assertNull(p.stdout());
            assertNull(p.stderr());
            assertNull(p.stdin());
            assertNull(p.poll(), "nothing happened to the child");
        } finally {
            p.kill();
            p.waitFor();
        }
        Popen c = new Popen(new ProcessBuilder("cat"));
        assertEquals(new Communicated(bytes("once"), new byte[0]), c.communicate(bytes("once")));
        IllegalStateException again = assertThrows(IllegalStateException.class, () -> c.communicate(bytes("twice")));
        assertEquals("cannot send input after starting communication", again.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> c.stdout().read(new byte[2], 1, 2));
    }

    // ---- callers on threads of no hub ---------------------------------------------------------------------------

    @Test
    @DisplayName("threads of no hub and greenlets wait for the same child together; all get its return code")
    void foreignThreadsAndGreenletsWaitTogether() throws Exception {
        Popen p = new Popen(new ProcessBuilder("sh", "-c", "cat >/dev/null; exit 9")
                .redirectOutput(Redirect.DISCARD)
                .redirectError(Redirect.DISCARD));
        CompletableFuture<Integer> f1 = Foreign.future("sp-foreign-1", p::waitFor);
        CompletableFuture<Integer> f2 = Foreign.future("sp-foreign-2", () -> p.waitFor(Duration.ofSeconds(20)));
        Greenlet<Integer> g = hub.spawn(() -> p.waitFor());
        // a foreign thread reads a cooperative stream and writes the child's stdin
        Popen echo = new Popen(new ProcessBuilder("cat").redirectError(Redirect.DISCARD));
        CompletableFuture<byte[]> reader = Foreign.future("sp-foreign-reader", () -> readAll(echo.stdout()));
        echo.stdin().write(bytes("from a foreign thread"));
        echo.stdin().close();
        assertEquals("from a foreign thread", text(result(reader)));
        assertEquals(0, echo.waitFor());
        assertFalse(f1.isDone() || f2.isDone() || g.isDead(), "nobody returned before the exit");
        p.stdin().close();
        assertEquals(9, result(f1));
        assertEquals(9, result(f2));
        assertEquals(9, g.get(Duration.ofSeconds(20)));
    }

    // ---- refusals on a hub thread --------------------------------------------------------------------------------

    @Test
    @DisplayName(
            "on a hub thread outside a Java greenlet every wait throws BlockingSwitchOutException naming its twin, before any side effect")
    void hubThreadCallsAreRefusedNamingTheTwin() throws Exception {
        Popen p = new Popen(new ProcessBuilder("cat").redirectError(Redirect.DISCARD));
        Popen done = new Popen(quiet("sh", "-c", "exit 0"));
        done.waitFor();
        String[][] cases = {
            {"waitFor", "Popen.awaitExit()"},
            {"waitForTimeout", "Popen.awaitExit()"},
            {"waitForExited", "Popen.awaitExit()"},
            {"communicate", "Popen.awaitCommunicate()"},
            {"close", "Popen.awaitClose()"},
            {"stdoutRead", "Popen.awaitReadStdout()"},
            {"stdinWrite", "Popen.awaitWriteStdin()"},
        };
        for (String[] c : cases) {
            Throwable t = thrownInHubTask(hub, () -> switch (c[0]) {
                case "waitFor" -> p.waitFor();
                case "waitForTimeout" -> p.waitFor(Duration.ofSeconds(1));
                case "waitForExited" ->
                    done.waitFor(); // refused even though it would not wait: no timing-dependent rule
                case "communicate" -> p.communicate(bytes("x"));
                case "close" -> {
                    p.close();
                    yield null;
                }
                case "stdoutRead" -> p.stdout().read();
                default -> {
                    p.stdin().write(1);
                    yield null;
                }
            });
            assertInstanceOf(BlockingSwitchOutException.class, t, c[0]);
            assertTrue(t.getMessage().contains(c[1]), c[0] + ": " + t.getMessage());
            assertTrue(t.getMessage().contains("test-hub"), t.getMessage());
        }
        Set<Long> before = aliveChildren();
        String[][] module = {
            {"run", "awaitRun()"},
            {"checkOutput", "awaitCheckOutput()"},
            {"call", "awaitCall()"},
            {"checkCall", "awaitCheckCall()"},
        };
        for (String[] c : module) {
            Throwable t = thrownInHubTask(hub, () -> switch (c[0]) {
                case "run" -> Subprocess.run(List.of("sleep", "10"), false, null, false);
                case "checkOutput" -> Subprocess.checkOutput(List.of("sleep", "10"));
                case "call" -> Subprocess.call(List.of("sleep", "10"));
                default -> {
                    Subprocess.checkCall(List.of("sleep", "10"));
                    yield null;
                }
            });
            assertInstanceOf(BlockingSwitchOutException.class, t, c[0]);
            assertTrue(t.getMessage().contains(c[1]), c[0] + ": " + t.getMessage());
        }
        assertEquals(before, aliveChildren(), "no child was started by a refused call");
        // nothing was closed or sent by the refused calls: the child still echoes what we send now
        assertEquals(new Communicated(bytes("still open"), null), p.communicate(bytes("still open")));
    }

    // ---- kills and outer Timeouts -------------------------------------------------------------------------------

    @Test
    @DisplayName("a kill and an outer Timeout land in waitFor (the same Timeout instance); the child runs on")
    void killAndOuterTimeoutLandInWaitFor() {
        inGreenlet(() -> {
            Popen p = new Popen(quiet("sleep", "10"));
            Greenlet<Integer> w = Gevent.spawn(() -> p.waitFor());
            Gevent.sleep(); // w runs and blocks in waitFor
            assertFalse(w.isDead());
            w.kill();
            assertTrue(w.isDead());
            assertTrue(w.isSuccessful(), "GreenletExit");
            assertNull(p.poll(), "the child runs on");

            Timeout t = Timeout.startNew(Duration.ofMillis(10));
            long start = System.nanoTime();
            try {
                p.waitFor(Duration.ofSeconds(5));
                fail("waitFor returned");
            } catch (Timeout caught) {
                assertSame(t, caught);
            } finally {
                t.cancel();
            }
            assertWithin(GET_MIN, GET_MAX, since(start));
            // timing.py (c): a Timeout with an exception raises that exception
            IllegalStateException mine = new IllegalStateException("mine");
            Timeout te = Timeout.startNew(Duration.ofMillis(10), mine);
            try {
                p.waitFor();
                fail("waitFor returned");
            } catch (IllegalStateException caught) {
                assertSame(mine, caught);
            } finally {
                te.cancel();
            }
            assertNull(p.poll(), "the child runs on");
            p.kill();
            assertEquals(-9, p.waitFor());
        });
    }

    @Test
    @DisplayName(
            "a kill and an outer Timeout land in communicate; the child runs on and the output read so far is kept")
    void killAndOuterTimeoutLandInCommunicate() {
        inGreenlet(() -> {
            Popen p = new Popen(new ProcessBuilder("sh", "-c", "echo early; cat >/dev/null; echo late; exec sleep 10")
                    .redirectError(Redirect.DISCARD));
            Timeout t = Timeout.startNew(Duration.ofMillis(50));
            try {
                p.communicate(null, Duration.ofSeconds(5)); // closes stdin: cat ends, "late" follows
                fail("communicate returned");
            } catch (Timeout caught) {
                assertSame(t, caught);
            } finally {
                t.cancel();
            }
            Greenlet<Communicated> w = Gevent.spawn(() -> p.communicate());
            Gevent.sleep();
            assertFalse(w.isDead());
            w.kill();
            assertTrue(w.isSuccessful(), "GreenletExit");
            assertNull(p.poll(), "the child runs on");
            // what was read so far shows in each expiry's output; wait until "late" has been read, then kill
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (true) {
                try {
                    p.communicate(null, Duration.ofMillis(20));
                    fail("communicate returned: the child sleeps");
                } catch (TimeoutExpiredException e) {
                    String sofar = text(e.output());
                    assertTrue("early\nlate\n".startsWith(sofar), sofar);
                    if (sofar.equals("early\nlate\n")) {
                        break;
                    }
                }
                assertTrue(System.nanoTime() < deadline, "'late' did not arrive in 10 s");
            }
            p.kill();
            assertEquals("early\nlate\n", text(p.communicate().stdout()));
            assertEquals(-9, p.returncode());
        });
    }

    @Test
    @DisplayName("a kill landing in a stream read loses no byte; a kill landing in run() kills the child")
    void killInAReadLosesNothingAndKillInRunKillsTheChild() {
        inGreenlet(() -> {
            Popen p = new Popen(new ProcessBuilder("cat").redirectError(Redirect.DISCARD));
            Greenlet<Integer> r = Gevent.spawn(() -> p.stdout().read());
            Gevent.sleep();
            r.kill();
            assertTrue(r.isDead());
            p.stdin().write(bytes("abc"));
            p.stdin().close();
            assertEquals("abc", text(readAll(p.stdout())));
            p.close();

            Set<Long> before = aliveChildren();
            Greenlet<CompletedProcess> run =
                    Gevent.spawn(() -> Subprocess.run(List.of("sleep", "30"), true, null, false));
            Gevent.sleep();
            Set<Long> started = aliveChildren();
            started.removeAll(before);
            assertEquals(1, started.size(), "run started its child");
            run.kill(new IllegalStateException("stop"));
            assertInstanceOf(IllegalStateException.class, run.exception());
            ProcessHandle child = ProcessHandle.of(started.iterator().next()).orElse(null);
            if (child != null) { // else reaped already
                child.onExit().get(10, TimeUnit.SECONDS); // killed by run: it ends long before its 30 s
            }
        });
    }

    @Test
    @DisplayName("an outer Timeout on a thread of no hub lands in its waitFor too")
    void outerTimeoutOnAForeignThread() throws Exception {
        Popen p = new Popen(quiet("sleep", "10"));
        Timeout t = Timeout.startNew(Duration.ofMillis(10));
        try {
            p.waitFor();
            fail("waitFor returned");
        } catch (Timeout caught) {
            assertSame(t, caught);
        } finally {
            t.cancel();
        }
        assertNull(p.poll());
        p.kill();
        assertEquals(-9, p.waitFor());
    }
}
