package io.gevent4j.spec;

/*
 * Spec section 14 (error messages and edge cases), rows on greenlets and timeouts, and API.md's conventions
 * for bad input: null -> NullPointerException naming the parameter; negative timeout ->
 * IllegalArgumentException naming the argument and its value; wrong state -> IllegalStateException; all
 * thrown at the call, before any side effect.
 *
 * Rows not covered here, with reasons:
 *  - spawn(1) / Greenlet(1) / spawn_raw(1) / link(5) "not callable": the Java types rule out non-callables;
 *    the JVM counterpart (null) is tested.
 *  - g.kill(42) with a non-exception: the parameter is a Throwable.
 *  - Timeout(x, object()) / non-exception class: the parameter is a Throwable.
 *  - Timeout(0) < 1: Timeout is not Comparable (see TimeoutSpecTest, TO-25).
 *  - Group.kill(timeout), Queue/Pool/Semaphore/RLock/local/StreamServer/eventlet rows: other sections.
 *  - LoopExit (main greenlet blocks with nothing to wake it): scheduling section, no LoopExit in the API.
 *  - BlockingSwitchOutException from a Kotlin greenlet body: in TimeoutKotlinSpecTest (needs a Kotlin body).
 *  - Timeout(-1) / start() twice: also in TimeoutSpecTest (TO-12, TO-02); repeated here on a foreign thread.
 */

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import io.gevent4j.BlockingSwitchOutException;
import io.gevent4j.Gevent;
import io.gevent4j.GreenCallable;
import io.gevent4j.GreenRunnable;
import io.gevent4j.Greenlet;
import io.gevent4j.GreenletExit;
import io.gevent4j.Hub;
import io.gevent4j.Timeout;
import io.gevent4j.Waitable;
import io.gevent4j.event.Event;
import io.gevent4j.testing.GeventTestBase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.function.Executable;

class BadInputSpecTest extends GeventTestBase {
    private static final Duration NEG = Duration.ofMillis(-5);
    private static final String NEG_TEXT = NEG.toString(); // PT-0.005S
    private static final double NEG_SECONDS = -0.5;

    private static boolean namesWord(String message, String word) {
        return message != null
                && Pattern.compile("(^|\\W)" + Pattern.quote(word) + "(\\W|$)")
                        .matcher(message)
                        .find();
    }

    private static DynamicTest npe(String call, String parameter, Executable e) {
        return dynamicTest(call + " -> NPE naming '" + parameter + "'", () -> {
            NullPointerException x = assertThrows(NullPointerException.class, e, call);
            assertTrue(
                    namesWord(x.getMessage(), parameter),
                    call + ": the message must name the parameter '" + parameter + "': " + x.getMessage());
        });
    }

    private static DynamicTest iae(String call, String argument, String value, Executable e) {
        return dynamicTest(call + " -> IAE naming '" + argument + "' and " + value, () -> {
            IllegalArgumentException x = assertThrows(IllegalArgumentException.class, e, call);
            assertTrue(
                    namesWord(x.getMessage(), argument),
                    call + ": the message must name the argument '" + argument + "': " + x.getMessage());
            assertTrue(
                    x.getMessage().contains(value),
                    call + ": the message must show the value " + value + ": " + x.getMessage());
        });
    }

    // ---- null bodies and callbacks ------------------------------------------------------------------------

    @TestFactory
    @DisplayName(
            "Section 14 (spawn(1), link(5) rows, JVM form): a null body or callback -> NullPointerException naming the parameter")
    Stream<DynamicTest> nullArgumentsAreRefusedNamingTheParameter() {
        Greenlet<Integer> g = new Greenlet<>(hub, () -> 1);
        Event event = new Event();
        GreenCallable<Object> nullCallable = null;
        GreenRunnable nullRunnable = null;
        return Stream.of(
                npe("Gevent.spawn((GreenCallable) null)", "fn", () -> Gevent.spawn(nullCallable)),
                npe("Gevent.spawn((GreenRunnable) null)", "fn", () -> Gevent.spawn(nullRunnable)),
                npe("Greenlet.spawn(null)", "fn", () -> Greenlet.spawn(nullCallable)),
                npe("hub.spawn((GreenCallable) null)", "fn", () -> hub.spawn(nullCallable)),
                npe("hub.spawn((GreenRunnable) null)", "fn", () -> hub.spawn(nullRunnable)),
                npe(
                        "Gevent.spawnLater(Duration, (GreenCallable) null)",
                        "fn",
                        () -> Gevent.spawnLater(Duration.ofMillis(1), nullCallable)),
                npe(
                        "Gevent.spawnLater(double, (GreenRunnable) null)",
                        "fn",
                        () -> Gevent.spawnLater(0.001, nullRunnable)),
                npe(
                        "Greenlet.spawnLater(Duration, null)",
                        "fn",
                        () -> Greenlet.spawnLater(Duration.ofMillis(1), nullCallable)),
                npe("hub.spawnLater(Duration, null)", "fn", () -> hub.spawnLater(Duration.ofMillis(1), nullCallable)),
                npe("Gevent.spawnLater(null, fn)", "delay", () -> Gevent.spawnLater((Duration) null, () -> 1)),
                npe("new Greenlet((GreenCallable) null)", "run", () -> new Greenlet<>(nullCallable)),
                npe("new Greenlet((GreenRunnable) null)", "run", () -> new Greenlet<Void>(nullRunnable)),
                npe("new Greenlet(hub, (GreenCallable) null)", "run", () -> new Greenlet<>(hub, nullCallable)),
                npe("new Greenlet((Hub) null, fn)", "hub", () -> new Greenlet<>((Hub) null, () -> 1)),
                npe("Hub.create(null)", "name", () -> Hub.create(null)),
                npe("Gevent.withTimeout(d, null)", "fn", () -> Gevent.withTimeout(Duration.ofSeconds(1), nullCallable)),
                npe("Gevent.withTimeout(null, fn)", "d", () -> Gevent.withTimeout(null, () -> 1)),
                npe("Gevent.sleep((Duration) null)", "d", () -> Gevent.sleep((Duration) null)),
                npe("g.link(null)", "callback", () -> g.link(null)),
                npe("g.linkValue(null)", "callback", () -> g.linkValue(null)),
                npe("g.linkException(null)", "callback", () -> g.linkException(null)),
                npe("g.rawlink(null)", "callback", () -> g.rawlink(null)),
                npe("Event.rawlink(null)", "callback", () -> event.rawlink(null)),
                npe("g.kill((Throwable) null)", "exception", () -> g.kill((Throwable) null)),
                npe("Gevent.kill(null)", "g", () -> Gevent.kill(null)),
                npe("Gevent.kill(g, null)", "exception", () -> Gevent.kill(g, null)),
                npe("Gevent.killAll(null)", "gs", () -> Gevent.killAll(null)),
                npe(
                        "Gevent.killAll(gs, null, true, null)",
                        "exception",
                        () -> Gevent.killAll(List.of(g), null, true, null)),
                npe("Gevent.joinAll(null)", "gs", () -> Gevent.joinAll(null)),
                npe("Gevent.wait(null)", "objects", () -> Gevent.wait((List<Waitable>) null)),
                npe("Gevent.iwait(null)", "objects", () -> Gevent.iwait((List<Waitable>) null)));
    }

    // ---- negative timeouts ----------------------------------------------------------------------------------

    @TestFactory
    @DisplayName("API conventions: a negative timeout -> IllegalArgumentException naming the argument and its value")
    Stream<DynamicTest> negativeTimeoutsAreRefusedNamingArgumentAndValue() {
        Greenlet<Integer> g = new Greenlet<>(hub, () -> 1);
        Event event = new Event();
        List<Greenlet<?>> gs = List.of(g);
        String ns = String.valueOf(NEG_SECONDS);
        return Stream.of(
                iae("g.join(Duration)", "timeout", NEG_TEXT, () -> g.join(NEG)),
                iae("g.join(double)", "seconds", ns, () -> g.join(NEG_SECONDS)),
                iae("g.get(Duration)", "timeout", NEG_TEXT, () -> g.get(NEG)),
                iae("g.get(double)", "seconds", ns, () -> g.get(NEG_SECONDS)),
                iae("g.startLater(Duration)", "delay", NEG_TEXT, () -> g.startLater(NEG)),
                iae("g.startLater(double)", "seconds", ns, () -> g.startLater(NEG_SECONDS)),
                iae("g.kill(exc, true, Duration)", "timeout", NEG_TEXT, () -> g.kill(new GreenletExit(), true, NEG)),
                iae("Greenlet.spawnLater(Duration, fn)", "delay", NEG_TEXT, () -> Greenlet.spawnLater(NEG, () -> 1)),
                iae("Gevent.spawnLater(Duration, fn)", "delay", NEG_TEXT, () -> Gevent.spawnLater(NEG, () -> 1)),
                iae("Gevent.spawnLater(double, fn)", "seconds", ns, () -> Gevent.spawnLater(NEG_SECONDS, () -> 1)),
                iae("hub.spawnLater(Duration, fn)", "delay", NEG_TEXT, () -> hub.spawnLater(NEG, () -> 1)),
                iae("new Timeout(Duration)", "duration", NEG_TEXT, () -> new Timeout(NEG)),
                iae("new Timeout(Duration, exc)", "duration", NEG_TEXT, () -> new Timeout(NEG, new RuntimeException())),
                iae("new Timeout(double)", "seconds", ns, () -> new Timeout(NEG_SECONDS)),
                iae("Timeout.startNew(Duration)", "duration", NEG_TEXT, () -> Timeout.startNew(NEG)),
                iae("Gevent.withTimeout(Duration, fn)", "d", NEG_TEXT, () -> Gevent.withTimeout(NEG, () -> 1)),
                iae(
                        "Gevent.joinAll(gs, Duration, false, 0)",
                        "timeout",
                        NEG_TEXT,
                        () -> Gevent.joinAll(gs, NEG, false, 0)),
                iae("Gevent.wait(objects, Duration, 0)", "timeout", NEG_TEXT, () -> Gevent.wait(gs, NEG, 0)),
                iae("Gevent.iwait(objects, Duration, 0)", "timeout", NEG_TEXT, () -> Gevent.iwait(gs, NEG, 0)),
                iae(
                        "Gevent.killAll(gs, exc, true, Duration)",
                        "timeout",
                        NEG_TEXT,
                        () -> Gevent.killAll(gs, new GreenletExit(), true, NEG)),
                iae("Event.waitFor(Duration)", "timeout", NEG_TEXT, () -> event.waitFor(NEG)),
                iae("Event.waitFor(double)", "seconds", ns, () -> event.waitFor(NEG_SECONDS)),
                iae("Gevent.sleep(NaN)", "seconds", "NaN", () -> Gevent.sleep(Double.NaN)));
    }

    @Test
    @DisplayName(
            "API conventions: a refused negative timeout has no side effect (startLater does not start, kill/killAll do not kill)")
    void refusedNegativeTimeoutHasNoSideEffect() {
        inGreenlet(() -> {
            Greenlet<Integer> notStarted = new Greenlet<>(() -> 1);
            assertThrows(IllegalArgumentException.class, () -> notStarted.startLater(NEG));
            assertFalse(notStarted.isStarted());
            Event never = new Event();
            Greenlet<Boolean> victim = Gevent.spawn(() -> never.waitFor());
            Gevent.sleep(); // it runs and waits
            assertThrows(IllegalArgumentException.class, () -> victim.kill(new GreenletExit(), true, NEG));
            assertThrows(
                    IllegalArgumentException.class,
                    () -> Gevent.killAll(List.of(victim), new GreenletExit(), true, NEG));
            Gevent.idle(); // every kill callback that was (wrongly) queued has run by now
            assertFalse(victim.isDead(), "a refused call must not kill");
            assertFalse(notStarted.isStarted());
            victim.kill();
            assertTrue(victim.isDead());
        });
    }

    @Test
    @DisplayName("Section 14: sleep(-1) behaves as sleep(0): no error, it yields behind the runnable greenlets")
    void negativeSleepIsSleepZero() {
        inGreenlet(() -> {
            steps.expect(1);
            Gevent.spawn(() -> steps.expect(2));
            Gevent.sleep(-1.0);
            steps.expect(3);
            Gevent.spawn(() -> steps.expect(4));
            Gevent.sleep(Duration.ofSeconds(-1));
            steps.finish(5);
        });
        steps.assertFinished();
    }

    // ---- wrong state ----------------------------------------------------------------------------------------

    @Test
    @DisplayName(
            "Section 14: t.start() twice (foreign thread) -> IllegalStateException '... is already started; to restart it, cancel it first'")
    void timeoutStartedTwice() {
        Timeout t = Timeout.startNew(Duration.ofSeconds(30));
        try (t) {
            IllegalStateException e = assertThrows(IllegalStateException.class, t::start);
            assertTrue(e.getMessage().contains("already started; to restart it, cancel it first"), e.getMessage());
            assertTrue(t.isPending());
        }
        assertFalse(t.isPending());
    }

    @Test
    @DisplayName("API conventions: use of a closed hub -> IllegalStateException naming the hub; nothing starts")
    void closedHubIsRefusedNamingTheHub() {
        Hub closed = Hub.create("closed-hub-x");
        Greenlet<Integer> madeBefore = new Greenlet<>(closed, () -> 1);
        closed.close();
        Map<String, Executable> calls = new LinkedHashMap<>();
        calls.put("hub.spawn(GreenCallable)", () -> closed.spawn(() -> 1));
        calls.put("hub.spawn(GreenRunnable)", () -> closed.spawn(() -> {}));
        calls.put("hub.spawnLater(Duration, fn)", () -> closed.spawnLater(Duration.ZERO, () -> 1));
        calls.put("new Greenlet(hub, fn)", () -> new Greenlet<>(closed, () -> 1));
        calls.put("g.start() of a greenlet made before close", madeBefore::start);
        calls.put("g.startLater(0) of a greenlet made before close", () -> madeBefore.startLater(0.0));
        List<String> failures = new ArrayList<>();
        calls.forEach((call, e) -> {
            try {
                e.execute();
                failures.add(call + ": no exception");
            } catch (IllegalStateException x) {
                if (x.getMessage() == null || !x.getMessage().contains("closed-hub-x")) {
                    failures.add(call + ": message does not name the hub: " + x.getMessage());
                }
            } catch (Throwable x) {
                failures.add(call + ": " + x);
            }
        });
        assertEquals(List.of(), failures);
        assertFalse(madeBefore.isStarted());
        assertFalse(madeBefore.isDead());
        closed.close(); // idempotent
    }

    // ---- blocking where it must not block ---------------------------------------------------------------

    private static Throwable thrownBy(Executable e) {
        try {
            e.execute();
            return null;
        } catch (Throwable t) {
            return t;
        }
    }

    private static void assertBlockingSwitchOut(String call, String twin, Throwable t) {
        assertNotNull(t, call + " did not throw");
        assertInstanceOf(BlockingSwitchOutException.class, t, call + " threw " + t);
        assertTrue(
                t.getMessage().contains(twin),
                call + ": the message must name the suspend twin " + twin + ": " + t.getMessage());
    }

    @Test
    @DisplayName(
            "Section 14: blocking calls in a rawlink callback -> BlockingSwitchOutException naming the suspend twin, at once")
    void blockingInRawlinkCallback() {
        inGreenlet(() -> {
            Event never = new Event();
            Greenlet<Boolean> other = Gevent.spawn(() -> never.waitFor());
            Map<String, Throwable> thrown = new LinkedHashMap<>();
            Event done = new Event();
            Greenlet<Integer> g = Gevent.spawn(() -> 1);
            Consumer<Waitable> callback = source -> {
                thrown.put("join()", thrownBy(() -> other.join()));
                thrown.put("join(1 s)", thrownBy(() -> other.join(Duration.ofSeconds(1))));
                thrown.put("get()", thrownBy(() -> other.get()));
                thrown.put("Gevent.sleep(0.01)", thrownBy(() -> Gevent.sleep(0.01)));
                thrown.put("Gevent.sleep()", thrownBy(() -> Gevent.sleep()));
                thrown.put("Event.waitFor()", thrownBy(() -> never.waitFor()));
                thrown.put("Gevent.joinAll", thrownBy(() -> Gevent.joinAll(List.of(other))));
                thrown.put("Gevent.wait", thrownBy(() -> Gevent.wait(List.of(never))));
                done.set();
            };
            g.rawlink(callback);
            assertTrue(done.waitFor(Duration.ofSeconds(5)), "the rawlink callback ran");
            Map<String, String> twins = new LinkedHashMap<>();
            twins.put("join()", "awaitJoin");
            twins.put("join(1 s)", "awaitJoin");
            twins.put("get()", "await()");
            twins.put("Gevent.sleep(0.01)", "sleep(");
            twins.put("Gevent.sleep()", "sleep(");
            twins.put("Event.waitFor()", "Event.await");
            twins.put("Gevent.joinAll", "joinAll");
            twins.put("Gevent.wait", "waitAll");
            List<String> problems = new ArrayList<>();
            twins.forEach((call, twin) -> {
                try {
                    assertBlockingSwitchOut(call, twin, thrown.get(call));
                } catch (AssertionError e) {
                    problems.add(e.getMessage());
                }
            });
            assertEquals(List.of(), problems);
            assertFalse(other.isDead());
        });
    }

    @Test
    @DisplayName(
            "Section 14: a blocking call in a hub task (Hub.asExecutor) -> BlockingSwitchOutException naming the suspend twin")
    void blockingInHubTask() {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Event done = new Event();
        hub.asExecutor().execute(() -> {
            thrown.set(thrownBy(() -> Gevent.sleep(0.01)));
            done.set();
        });
        assertTrue(done.waitFor(Duration.ofSeconds(5)));
        assertBlockingSwitchOut("Gevent.sleep(0.01) in a hub task", "sleep(", thrown.get());
    }

    // ---- kill timeouts ---------------------------------------------------------------------------------------

    /** A greenlet that survives one GreenletExit and ends only when {@code release} is set. */
    private static Greenlet<String> stubborn(Event release, List<String> log) {
        return Gevent.spawn(() -> {
            try {
                new Event().waitFor();
            } catch (GreenletExit e) {
                log.add("swallowed GreenletExit");
            }
            release.waitFor();
            return "survived";
        });
    }

    @Test
    @DisplayName(
            "Section 14 / MOD-28: killAll(gs, timeout=0.01) that expires raises Timeout (within get-style bounds); the greenlet lives on")
    void killAllTimeoutRaises() {
        inGreenlet(() -> {
            Event release = new Event();
            List<String> log = new ArrayList<>();
            Greenlet<String> g = stubborn(release, log);
            Gevent.sleep(); // it waits now
            long start = System.nanoTime();
            assertThrows(
                    Timeout.class, () -> Gevent.killAll(List.of(g), new GreenletExit(), true, Duration.ofMillis(10)));
            assertWithin(GET_MIN, GET_MAX, since(start));
            assertEquals(List.of("swallowed GreenletExit"), log);
            assertFalse(g.isDead());
            release.set();
            assertEquals("survived", g.get());
        });
    }

    @Test
    @DisplayName(
            "Section 14 / GL-32: g.kill(exc, true, timeout=0.2) that expires returns quietly (within wait-style bounds); the greenlet lives on")
    void greenletKillTimeoutReturnsQuietly() {
        inGreenlet(() -> {
            Event release = new Event();
            List<String> log = new ArrayList<>();
            Greenlet<String> g = stubborn(release, log);
            Gevent.sleep();
            long start = System.nanoTime();
            g.kill(new GreenletExit(), true, Duration.ofMillis(200));
            assertWithin(WAIT_MIN, WAIT_MAX, since(start));
            assertEquals(List.of("swallowed GreenletExit"), log);
            assertFalse(g.isDead());
            Gevent.sleep(0.05); // no stray Timeout from the expired kill
            release.set();
            assertEquals("survived", g.get());
        });
    }

    @Test
    @DisplayName("Section 14: unlink of a callback that was never linked is ignored; the real links still fire")
    void unlinkOfUnknownCallbackIsIgnored() {
        inGreenlet(() -> {
            List<String> log = new ArrayList<>();
            Greenlet<Integer> g = Gevent.spawn(() -> 1);
            g.rawlink(w -> log.add("rawlink"));
            g.unlink(w -> log.add("never linked"));
            g.removeLink(x -> log.add("never linked either"));
            g.join();
            assertEquals(List.of("rawlink"), log);
            Event e = new Event();
            e.unlink(w -> {});
            e.set();
            assertTrue(e.waitFor(Duration.ZERO));
            assertNull(g.exception());
        });
    }
}
