package io.gevent4j.spec;

/*
 * Spec section 10 (gevent-semantics.md): gevent.subprocess. The scenario greenlet started by inGreenlet(...) plays
 * gevent's main greenlet. Children are Debian's sh, cat, sleep, printf (no python): where gevent's cases run a
 * Python child, an equivalent shell line is used. Children never read the JVM's own stdin nor write to its
 * stdout (Surefire talks to the forked JVM through them): inherited streams are only given to quiet children.
 * Kotlin twins: SubprocessKotlinSpecTest; faults (big outputs, threads, kills, hub close, bad input):
 * io.gevent4j.subprocess.SubprocessFaultTest.
 *
 * Skipped cases (cannot apply on the JVM):
 *   SP-09  text mode: gevent4j's subprocess API has bytes only (no universal_newlines/text/encoding), so there is
 *          no decoding to fail; callers decode the byte arrays themselves.
 * Adapted: SP-02/SP-04/SP-06 use `sh -c` lines instead of Python children. SP-03 uses gevent's get-style
 *          tolerance (timeout 0.01 s, elapsed within [0.009, 0.12] s) instead of 0.05 s. SP-05's child ends with
 *          `exec sleep` so that the kill reaches the process holding the pipe (a forked `sleep` would keep the
 *          pipe open after its shell is killed, in gevent as here). SP-06's "BDFL" case uses a 1 s timeout instead
 *          of 3 s, to keep the run short.
 */

import static io.gevent4j.testing.Processes.bytes;
import static io.gevent4j.testing.Processes.quiet;
import static io.gevent4j.testing.Processes.text;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gevent4j.Gevent;
import io.gevent4j.Greenlet;
import io.gevent4j.Hub;
import io.gevent4j.Waitable;
import io.gevent4j.subprocess.CalledProcessErrorException;
import io.gevent4j.subprocess.Communicated;
import io.gevent4j.subprocess.CompletedProcess;
import io.gevent4j.subprocess.Popen;
import io.gevent4j.subprocess.Subprocess;
import io.gevent4j.subprocess.TimeoutExpiredException;
import io.gevent4j.testing.GeventTestBase;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SubprocessSpecTest extends GeventTestBase {

    /** Starts and reaps a few children once: the first process start of a JVM loads and links a lot. */
    @BeforeAll
    static void warmUp() throws Exception {
        try (Hub h = Hub.create("subprocess-warm-up")) {
            Greenlet<Void> g = h.spawn(() -> {
                new Popen(quiet("sh", "-c", "exit 0")).waitFor();
                Popen p = new Popen(new ProcessBuilder("cat"));
                p.communicate(bytes("x"));
                Popen s = new Popen(quiet("sleep", "1"));
                try {
                    s.waitFor(Duration.ofMillis(1));
                } catch (TimeoutExpiredException expected) {
                    // the warm-up timeout
                }
                s.kill();
                s.waitFor();
            });
            g.join(Duration.ofSeconds(20));
            g.get();
        }
        new Popen(quiet("sh", "-c", "exit 0")).waitFor();
    }

    /** The pids of this JVM's children that are alive now. */
    static Set<Long> aliveChildren() {
        return ProcessHandle.current()
                .children()
                .filter(ProcessHandle::isAlive)
                .map(ProcessHandle::pid)
                .collect(Collectors.toSet());
    }

    // ---- SP-01 ------------------------------------------------------------------------------------------------

    @Test
    @DisplayName("SP-01: waitFor() is cooperative: a ticker greenlet runs 5 ticks while the caller waits (steps)")
    void SP_01_waitForYieldsSoThatATickerRunsDuringTheWait() {
        inGreenlet(() -> {
            // cat exits at the end of its stdin, which only the ticker closes: every tick happens during the wait
            Popen p = new Popen(
                    new ProcessBuilder("cat").redirectOutput(Redirect.DISCARD).redirectError(Redirect.DISCARD));
            Greenlet<Void> ticker = Gevent.spawn(() -> {
                for (int i = 0; i < 5; i++) {
                    Gevent.sleep(0.02);
                    steps.expect(2 + i);
                }
                steps.expect(7);
                p.stdin().close();
            });
            steps.expect(1);
            int rc = p.waitFor();
            steps.finish(8);
            assertEquals(0, rc);
            ticker.get();
        });
        steps.assertFinished();
    }

    @Test
    @DisplayName(
            "SP-01: Popen(sleep 0.15).waitFor() -> 0 after >= 0.15 s, with a 0.02 s ticker ticking during the wait")
    // gevent expects all 5 ticks of a 0.02 s ticker inside a 0.15 s wait. That count is a race against the clock
    // (it failed on a loaded 2-core CI with 3 ticks), so the 5 ticks are asserted by the step-counted sibling above,
    // where the child cannot exit before the fifth tick; here the timing form checks the exit code, the elapsed time
    // within gevent's tolerance, and that the ticker kept running (more than once) during the wait.
    void SP_01_sleepChildWaitCountsTicks() {
        inGreenlet(() -> {
            AtomicInteger ticks = new AtomicInteger();
            boolean[] waiting = {false};
            Greenlet<Void> ticker = Gevent.spawn(() -> {
                while (true) {
                    Gevent.sleep(0.02);
                    if (waiting[0]) {
                        ticks.incrementAndGet();
                    }
                }
            });
            long start = System.nanoTime();
            Popen p = new Popen(quiet("sleep", "0.15"));
            waiting[0] = true;
            int rc = p.waitFor();
            waiting[0] = false;
            double elapsed = since(start);
            ticker.kill();
            assertEquals(0, rc);
            assertWithin(0.15, 0.15 + WAIT_MAX, elapsed);
            assertTrue(ticks.get() >= 2, "ticks during the wait: " + ticks.get());
        });
    }

    // ---- SP-02 ------------------------------------------------------------------------------------------------

    @Test
    @DisplayName("SP-02: waitFor() -> 10 for exit 10; Gevent.wait([popen]) -> [popen], then poll() == 11")
    void SP_02_exitCodeAndGeventWait() {
        inGreenlet(() -> {
            Popen p = new Popen(quiet("sh", "-c", "exit 10"));
            assertEquals(10, p.waitFor());
            assertEquals(10, p.poll());
            assertEquals(10, p.returncode());
            assertTrue(p.isReady());

            Popen q = new Popen(quiet("sh", "-c", "exit 11"));
            List<Popen> ready = Gevent.wait(List.of(q));
            assertEquals(List.of(q), ready);
            assertEquals(11, q.poll());

            // several children: the one that exits comes back, the other is still running
            Popen slow = new Popen(quiet("sleep", "10"));
            Popen fast = new Popen(quiet("sh", "-c", "exit 12"));
            assertEquals(List.of(fast), Gevent.wait(List.of(slow, fast), Duration.ofSeconds(10), 1));
            assertNull(slow.poll());
            slow.kill();
            assertEquals(List.of(slow), Gevent.wait(List.of(slow)));
            assertEquals(-9, slow.poll());
        });
        // a thread of no hub waits the same way
        Popen r = assertDoesNotThrow(() -> new Popen(quiet("sh", "-c", "exit 13")));
        assertEquals(List.of(r), Gevent.wait(List.of(r)));
        assertEquals(13, r.poll());
    }

    @Test
    @DisplayName("SP-02: rawlink callbacks run on the hub once the child exits, in order; unlink removes one")
    void SP_02_rawlinkAndUnlink() {
        List<String> calls = Collections.synchronizedList(new ArrayList<>());
        inGreenlet(() -> {
            Popen p = new Popen(
                    new ProcessBuilder("cat").redirectOutput(Redirect.DISCARD).redirectError(Redirect.DISCARD));
            Consumer<Waitable> first = w -> calls.add("first:" + (w == p) + ":" + hub.isHubThread());
            Consumer<Waitable> removed = w -> calls.add("removed");
            Consumer<Waitable> second = w -> calls.add("second:" + ((Popen) w).poll());
            p.rawlink(first);
            p.rawlink(removed);
            p.rawlink(second);
            p.unlink(removed);
            Gevent.sleep(0.01);
            assertEquals(List.of(), new ArrayList<>(calls), "no callback before the exit");
            p.stdin().close();
            assertEquals(0, p.waitFor());
            Gevent.sleep(0.01);
            assertEquals(List.of("first:true:true", "second:0"), new ArrayList<>(calls));
            // linked after the exit: runs at once (in the next loop iteration)
            p.rawlink(w -> calls.add("late"));
            Gevent.sleep();
            assertEquals(List.of("first:true:true", "second:0", "late"), new ArrayList<>(calls));
        });
    }

    // ---- SP-03 ------------------------------------------------------------------------------------------------

    @Test
    @DisplayName(
            "SP-03: waitFor(0.01) on a running child -> TimeoutExpiredException in [0.009, 0.12] s; poll() None; kill -> -9")
    void SP_03_waitTimeoutIsTimeoutExpiredAndKillGivesMinusNine() {
        inGreenlet(() -> {
            Popen p = new Popen(quiet("sleep", "10"));
            assertNull(p.poll());
            long start = System.nanoTime();
            TimeoutExpiredException e =
                    assertThrows(TimeoutExpiredException.class, () -> p.waitFor(Duration.ofMillis(10)));
            assertWithin(GET_MIN, GET_MAX, since(start));
            assertEquals(Duration.ofMillis(10), e.timeout());
            assertEquals(List.of("sleep", "10"), e.cmd());
            assertNull(e.output());
            assertNull(e.stderr());
            assertTrue(e.getMessage().contains("timed out after 0.01 seconds"), e.getMessage());
            start = System.nanoTime();
            assertThrows(TimeoutExpiredException.class, () -> p.waitFor(GET_TIMEOUT));
            assertWithin(GET_MIN, GET_MAX, since(start));
            assertThrows(TimeoutExpiredException.class, () -> p.waitFor(Duration.ZERO));
            assertNull(p.poll(), "the child runs on after the timeouts");
            p.kill();
            assertEquals(-9, p.waitFor());
            assertEquals(-9, p.poll());
            assertEquals(-9, p.waitFor(Duration.ZERO), "an exited child answers a zero timeout");
            p.kill(); // nothing once it has exited

            Popen t = new Popen(quiet("sleep", "10"));
            t.terminate();
            assertEquals(-15, t.waitFor());
        });
        // on a thread of no hub
        Popen f = assertDoesNotThrow(() -> new Popen(quiet("sleep", "10")));
        long start = System.nanoTime();
        assertThrows(TimeoutExpiredException.class, () -> f.waitFor(Duration.ofMillis(10)));
        assertWithin(GET_MIN, GET_MAX, since(start));
        f.kill();
        assertEquals(-9, f.waitFor());
    }

    @Test
    @DisplayName("SP-03 (-N rule): 128+N is -N only for a signal this Popen sent; an exit status of 137 stays 137")
    void SP_03_minusNOnlyForSignalsThisPopenSent() {
        inGreenlet(() -> {
            assertEquals(137, new Popen(quiet("sh", "-c", "exit 137")).waitFor());
            assertEquals(143, new Popen(quiet("sh", "-c", "exit 143")).waitFor());
            // documented deviation: a child killed by a signal somebody else sent reports the JDK's 128 + N
            assertEquals(137, new Popen(quiet("sh", "-c", "kill -9 $$")).waitFor());
            // terminate() sent, but the child handles it and exits with its own status: not turned into -N
            Popen p = new Popen(
                    new ProcessBuilder("sh", "-c", "trap 'exit 3' TERM; echo ready; while :; do sleep 0.01; done")
                            .redirectInput(Redirect.from(new File("/dev/null")))
                            .redirectError(Redirect.DISCARD));
            byte[] ready = new byte[6];
            int n = 0;
            while (n < 6) {
                int k = p.stdout().read(ready, n, 6 - n);
                assertTrue(k > 0, "the child's 'ready' line");
                n += k;
            }
            assertEquals("ready\n", text(ready)); // the trap is installed
            p.terminate();
            int rc = p.waitFor();
            p.close();
            assertEquals(3, rc);
        });
    }

    // ---- SP-04 ------------------------------------------------------------------------------------------------

    @Test
    @DisplayName("SP-04: communicate(b\"banana\") with stdin/stdout/stderr piped -> (b\"banana\", b\"pineapple\")")
    void SP_04_communicateFeedsStdinAndReadsBoth() {
        inGreenlet(() -> {
            Popen p = new Popen(new ProcessBuilder("sh", "-c", "cat; printf pineapple >&2"));
            Communicated c = p.communicate(bytes("banana"));
            assertEquals("banana", text(c.stdout()));
            assertEquals("pineapple", text(c.stderr()));
            assertEquals(0, p.returncode());
            assertEquals(new Communicated(bytes("banana"), bytes("pineapple")), c);

            // only stdout piped: stderr is null; no input: stdin is closed, cat ends
            Popen q = new Popen(new ProcessBuilder("cat").redirectError(Redirect.DISCARD));
            Communicated d = q.communicate();
            assertArrayEquals(new byte[0], d.stdout());
            assertNull(d.stderr());
            assertEquals(0, q.waitFor());
        });
        // from a thread of no hub
        Communicated f = assertDoesNotThrow(() -> new Popen(new ProcessBuilder("sh", "-c", "cat; printf pineapple >&2"))
                .communicate(bytes("banana"), Duration.ofSeconds(10)));
        assertEquals(new Communicated(bytes("banana"), bytes("pineapple")), f);
    }

    // ---- SP-05 ------------------------------------------------------------------------------------------------

    @Test
    @DisplayName(
            "SP-05: communicate(timeout=0.1) -> TimeoutExpired; after kill(), communicate() -> (b'early\\n', None)")
    void SP_05_outputReadBeforeTheTimeoutIsKept() {
        inGreenlet(() -> {
            Popen p = new Popen(new ProcessBuilder("sh", "-c", "echo early; exec sleep 10")
                    .redirectInput(Redirect.from(new File("/dev/null")))
                    .redirectError(Redirect.DISCARD));
            long start = System.nanoTime();
            TimeoutExpiredException e =
                    assertThrows(TimeoutExpiredException.class, () -> p.communicate(null, Duration.ofMillis(100)));
            assertWithin(WAIT_MIN - 0.01, WAIT_MAX, since(start));
            assertNotNull(e.output(), "stdout is piped");
            assertTrue("early\n".startsWith(text(e.output())), "partial output: " + text(e.output()));
            assertNull(e.stderr(), "stderr is not piped");
            assertNull(p.poll());
            p.kill();
            Communicated c = p.communicate();
            assertEquals("early\n", text(c.stdout()));
            assertNull(c.stderr());
            assertEquals(-9, p.returncode());
        });
    }

    // ---- SP-06 ------------------------------------------------------------------------------------------------

    @Test
    @DisplayName("SP-06: run(busy loop, timeout=0.0001) -> TimeoutExpired and the child is killed (no hang)")
    void SP_06_runKillsTheChildOnExpiry() {
        inGreenlet(() -> {
            Set<Long> before = aliveChildren();
            TimeoutExpiredException e = assertThrows(
                    TimeoutExpiredException.class,
                    () -> Subprocess.run(
                            List.of("sh", "-c", "while :; do :; done"), false, Duration.ofNanos(100_000), false));
            assertEquals(Duration.ofNanos(100_000), e.timeout());
            assertNull(e.output(), "not captured");
            Set<Long> after = aliveChildren();
            after.removeAll(before);
            assertEquals(Set.of(), after, "the child was killed and reaped before run() threw");
        });
    }

    @Test
    @DisplayName("SP-06: run(printf BDFL; sleep 3600, capture, timeout=1) -> TimeoutExpired with output b'BDFL'")
    void SP_06_runTimeoutCarriesThePartialOutput() {
        inGreenlet(() -> {
            long start = System.nanoTime();
            TimeoutExpiredException e = assertThrows(
                    TimeoutExpiredException.class,
                    () -> Subprocess.run(
                            List.of("sh", "-c", "printf BDFL; exec sleep 3600"), true, Duration.ofSeconds(1), false));
            assertWithin(1.0, 1.0 + WAIT_MAX, since(start));
            assertEquals("BDFL", text(e.output()));
            assertSame(e.output(), e.stdout());
            assertArrayEquals(new byte[0], e.stderr(), "stderr captured, empty");
        });
    }

    @Test
    @DisplayName("SP-06: run(sh -c 'sleep 3', capture, timeout=0.1) raises within [0.1, 0.41] s")
    void SP_06_runShellWithTimeoutAndCaptureRaisesQuickly() {
        inGreenlet(() -> {
            long start = System.nanoTime();
            assertThrows(
                    TimeoutExpiredException.class,
                    () -> Subprocess.run(List.of("sh", "-c", "sleep 3"), true, Duration.ofMillis(100), false));
            assertWithin(0.1, 0.1 + WAIT_MAX, since(start));
            // checkOutput and call kill on expiry too
            start = System.nanoTime();
            assertThrows(
                    TimeoutExpiredException.class,
                    () -> Subprocess.checkOutput(List.of("sh", "-c", "exec sleep 3"), Duration.ofMillis(100)));
            assertThrows(
                    TimeoutExpiredException.class,
                    () -> Subprocess.call(List.of("sh", "-c", "exec sleep 3"), Duration.ofMillis(100)));
            assertWithin(0.2, 0.2 + 2 * WAIT_MAX, since(start));
        });
    }

    // ---- SP-07 ------------------------------------------------------------------------------------------------

    @Test
    @DisplayName("SP-07: a missing program -> IOException (ENOENT) from the constructor, 7 times in a row")
    void SP_07_missingProgramThrowsIOExceptionAtTheCall() {
        inGreenlet(() -> {
            for (int i = 0; i < 7; i++) {
                IOException e = assertThrows(IOException.class, () -> new Popen(List.of("this_name_must_not_exist")));
                assertTrue(e.getMessage().contains("No such file or directory"), e.getMessage());
                assertThrows(IOException.class, () -> new Popen(List.of("*")));
                assertThrows(IOException.class, () -> new Popen(new ProcessBuilder("this_name_must_not_exist")));
            }
            assertThrows(
                    IOException.class, () -> Subprocess.run(List.of("this_name_must_not_exist"), true, null, false));
            assertThrows(IOException.class, () -> Subprocess.checkOutput(List.of("this_name_must_not_exist")));
            assertThrows(IOException.class, () -> Subprocess.call(List.of("this_name_must_not_exist")));
            assertThrows(IOException.class, () -> Subprocess.checkCall(List.of("this_name_must_not_exist")));
        });
        assertThrows(IOException.class, () -> new Popen(List.of("this_name_must_not_exist")));
    }

    // ---- SP-08 ------------------------------------------------------------------------------------------------

    @Test
    @DisplayName(
            "SP-08: checkOutput(exit 44) -> CalledProcessError 44; run(exit 47, check) -> 47; run(exit 47).checkReturncode() throws")
    void SP_08_checkedFunctionsRaiseCalledProcessError() {
        inGreenlet(() -> {
            CalledProcessErrorException e = assertThrows(
                    CalledProcessErrorException.class,
                    () -> Subprocess.checkOutput(List.of("sh", "-c", "printf partial; exit 44")));
            assertEquals(44, e.returncode());
            assertEquals("partial", text(e.output()));
            assertEquals(List.of("sh", "-c", "printf partial; exit 44"), e.cmd());
            assertTrue(e.getMessage().contains("returned non-zero exit status 44"), e.getMessage());

            CalledProcessErrorException r = assertThrows(
                    CalledProcessErrorException.class,
                    () -> Subprocess.run(List.of("sh", "-c", "exit 47"), true, null, true));
            assertEquals(47, r.returncode());
            assertArrayEquals(new byte[0], r.output());
            assertArrayEquals(new byte[0], r.stderr());

            CompletedProcess cp =
                    Subprocess.run(List.of("sh", "-c", "printf out; printf err >&2; exit 47"), true, null, false);
            assertEquals(47, cp.returncode());
            assertEquals(List.of("sh", "-c", "printf out; printf err >&2; exit 47"), cp.args());
            assertEquals("out", text(cp.stdout()));
            assertEquals("err", text(cp.stderr()));
            CalledProcessErrorException c = assertThrows(CalledProcessErrorException.class, cp::checkReturncode);
            assertEquals(47, c.returncode());
            assertEquals("out", text(c.output()));

            assertEquals("hello", text(Subprocess.checkOutput(List.of("printf", "hello"))));
            CompletedProcess ok = Subprocess.run(List.of("sh", "-c", "exit 0"), false, null, true);
            assertEquals(0, ok.returncode());
            assertNull(ok.stdout());
            ok.checkReturncode();
            assertEquals(5, Subprocess.call(List.of("sh", "-c", "exit 5")));
            assertEquals(
                    3,
                    assertThrows(
                                    CalledProcessErrorException.class,
                                    () -> Subprocess.checkCall(List.of("sh", "-c", "exit 3")))
                            .returncode());
            Subprocess.checkCall(List.of("sh", "-c", "exit 0"));

            // input through run(builder, ...)
            CompletedProcess fed = Subprocess.run(
                    new ProcessBuilder("cat").redirectError(Redirect.DISCARD),
                    bytes("fed"),
                    Duration.ofSeconds(10),
                    true);
            assertEquals("fed", text(fed.stdout()));
            assertNull(fed.stderr());
            // killed by a signal: -9 and "died with signal"
            Popen k = new Popen(quiet("sleep", "10"));
            k.kill();
            k.waitFor();
            CalledProcessErrorException sig = new CalledProcessErrorException(k.returncode(), k.args(), null, null);
            assertTrue(sig.getMessage().contains("died with signal 9"), sig.getMessage());
        });
    }

    // ---- the cooperative streams ------------------------------------------------------------------------------

    @Test
    @DisplayName("stdout()/stdin() are cooperative streams: a greenlet reads while another writes, both yield")
    void cooperativeStreamsReadAndWriteInGreenlets() {
        inGreenlet(() -> {
            Popen p = new Popen(new ProcessBuilder("cat").redirectError(Redirect.DISCARD));
            InputStream out = p.stdout();
            assertNull(p.stderr());
            Greenlet<String> reader = Gevent.spawn(() -> {
                StringBuilder sb = new StringBuilder();
                byte[] buf = new byte[3];
                int n;
                while ((n = out.read(buf)) >= 0) {
                    sb.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
                }
                return sb.toString();
            });
            for (int i = 0; i < 5; i++) {
                p.stdin().write(bytes("line " + i + "\n"));
                Gevent.sleep(0.005);
            }
            p.stdin().close();
            p.stdin().close(); // idempotent
            assertThrows(IOException.class, () -> p.stdin().write(1));
            assertEquals("line 0\nline 1\nline 2\nline 3\nline 4\n", reader.get());
            assertEquals(-1, out.read());
            assertEquals(0, p.waitFor());
            p.close();
            assertThrows(IOException.class, () -> out.read(), "closed by close()");
        });
    }

    static <T> T assertDoesNotThrow(java.util.concurrent.Callable<T> c) {
        try {
            return c.call();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static <T> T result(CompletableFuture<T> f) throws Exception {
        return f.get(10, TimeUnit.SECONDS);
    }
}
