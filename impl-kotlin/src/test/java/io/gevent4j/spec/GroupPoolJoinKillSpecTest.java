package io.gevent4j.spec;

import static io.gevent4j.spec.GroupPoolSpecTest.*;
import static io.gevent4j.testing.Recording.recorder;
import static io.gevent4j.testing.Recording.snapshot;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gevent4j.Gevent;
import io.gevent4j.Greenlet;
import io.gevent4j.GreenletExit;
import io.gevent4j.GreenletFailedException;
import io.gevent4j.pool.Group;
import io.gevent4j.pool.Pool;
import io.gevent4j.testing.ExpectedError;
import io.gevent4j.testing.GeventTestBase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Spec section 7.3 (gevent-semantics.md): Group / Pool join, kill, killone and membership. Split from
 * GroupPoolSpecTest, whose header lists the skipped cases of section 7 and whose helpers this uses.
 */
class GroupPoolJoinKillSpecTest extends GeventTestBase {

    @BeforeAll
    static void warmUpOnce() {
        GroupPoolSpecTest.warmUp();
    }

    // ---- 7.3 join / kill / killone / membership ------------------------------------------------------

    @Test
    @DisplayName("PL-11: join on an empty pool returns true without switching")
    void pl11_joinOnAnEmptyPoolDoesNotSwitch() {
        List<String> out = recorder();
        inGreenlet(() -> {
            Gevent.spawn(() -> {
                out.add("other");
            });
            assertTrue(new Pool().join());
            assertTrue(new Group().join(null, true));
            assertEquals(List.of(), snapshot(out));
        });
    }

    @Test
    @DisplayName("PL-12: Pool(1) with a 0.1 s member: join(0.01) is false, join() is true and empties it")
    void pl12_joinWithAndWithoutTimeout() {
        inGreenlet(() -> {
            Pool p = new Pool(1);
            p.spawn(() -> Gevent.sleep(0.1));
            assertFalse(p.join(0.01, false));
            assertTrue(p.join());
            assertEquals(0, p.size());
        });
    }

    @Test
    @DisplayName("PL-13: join(timeout=0.2), also with raiseError, returns false within [0.1, 0.31] s")
    void pl13_joinTimesOutWithinGeventBounds() {
        inGreenlet(() -> {
            for (boolean raise : new boolean[] {false, true}) {
                Pool p = new Pool();
                p.spawn(() -> Gevent.sleep(10));
                long t0 = System.nanoTime();
                assertFalse(p.join(WAIT_TIMEOUT, raise));
                assertWithin(WAIT_MIN, WAIT_MAX, since(t0));
                p.kill();
            }
        });
    }

    @Test
    @DisplayName("PL-14: join(raiseError) raises a member's failure once the group is empty")
    void pl14_joinRaiseErrorRaisesAMembersFailure() {
        inGreenlet(() -> {
            Group g = new Group();
            ExpectedError boom = new ExpectedError("b");
            Greenlet<Void> a = g.spawn(() -> Gevent.sleep(0.02));
            g.spawn(() -> {
                Gevent.sleep(0.01);
                throw boom;
            });
            ExpectedError e = assertThrows(ExpectedError.class, () -> g.join(null, true));
            assertSame(boom, e);
            assertTrue(a.isDead());
            assertEquals(0, g.size());
        });
    }

    @Test
    @DisplayName("PL-15: a failed member already discarded before join(raiseError) is not raised")
    void pl15_failedMemberAlreadyGoneIsNotRaised() {
        inGreenlet(() -> {
            Group g = new Group();
            Greenlet<Void> b = g.spawn(() -> {
                throw new ExpectedError("b");
            });
            Gevent.sleep(0.01);
            assertFalse(g.contains(b));
            assertTrue(g.join(null, true));

            // died, but its discard callback has not run yet: still a member, so join(raiseError) raises
            Greenlet<Void> a = g.spawn(() -> Gevent.sleep(0.02));
            Greenlet<Void> checked = g.spawn(() -> {
                throw new java.io.IOException("checked");
            });
            Gevent.sleep(0);
            assertTrue(checked.isDead());
            assertEquals(2, g.size());
            GreenletFailedException wrapped = assertThrows(GreenletFailedException.class, () -> g.join(null, true));
            assertInstanceOf(java.io.IOException.class, wrapped.getCause());
            assertTrue(a.isDead());
        });
    }

    @Test
    @DisplayName("PL-16: Group.kill empties the group; Pool.kill during a mapAsync returns promptly")
    void pl16_killEmptiesTheGroup() {
        inGreenlet(() -> {
            Group g = new Group();
            g.spawn(() -> Gevent.sleep(10));
            g.spawn(() -> Gevent.sleep(10));
            Gevent.sleep(0);
            g.kill();
            assertEquals(0, g.size());

            Pool p = new Pool(2);
            Greenlet<List<Object>> result = p.mapAsync(
                    x -> {
                        Gevent.sleep(x);
                        return null;
                    },
                    Collections.nCopies(20, 0.1));
            Gevent.sleep(0.1);
            long t0 = System.nanoTime();
            p.kill();
            assertWithin(0, 0.5, since(t0));
            assertTrue(result.join(Duration.ofSeconds(5)));
        });
    }

    @Test
    @DisplayName("PL-17: Group.kill(timeout) on a member that swallows GreenletExit returns silently")
    void pl17_killTimeoutExpiryIsSilent() {
        inGreenlet(() -> {
            Group g = new Group();
            Greenlet<Void> stubborn = g.spawn(() -> {
                while (true) {
                    try {
                        Gevent.sleep(10);
                    } catch (GreenletExit swallowed) {
                        // keep going
                    }
                }
            });
            Gevent.sleep(0);
            long t0 = System.nanoTime();
            g.kill(new GreenletExit(), true, Duration.ofMillis(50));
            assertWithin(0.045, GET_MAX, since(t0));
            assertEquals(1, g.size());
            assertFalse(stubborn.isDead());
            stubborn.kill(new ExpectedError("stop"), true, Duration.ofSeconds(1));
        });
    }

    @Test
    @DisplayName("PL-18: killone of a member not yet run kills it at once; it leaves later; a non-member is ignored")
    void pl18_killoneOfAMemberNotYetRun() {
        inGreenlet(() -> {
            Group g = new Group();
            Greenlet<Integer> x = g.spawn(() -> 1);
            g.killone(x);
            assertTrue(x.isDead());
            assertEquals(1, g.size());
            Gevent.sleep(0.01);
            assertEquals(0, g.size());

            Greenlet<Integer> y = Gevent.spawn(() -> 2);
            g.killone(y);
            assertFalse(y.isDead());
            assertEquals(2, y.get());
        });
    }

    @Test
    @DisplayName("PL-19: discard removes at once and the greenlet keeps running; Group(members) tracks both")
    void pl19_discardAndMembership() {
        inGreenlet(() -> {
            Group g = new Group();
            Greenlet<Integer> x = g.spawn(() -> {
                Gevent.sleep(0.01);
                return 7;
            });
            assertTrue(g.contains(x));
            g.discard(x);
            assertEquals(0, g.size());
            assertFalse(g.contains(x));
            assertEquals(7, x.get());

            Greenlet<Void> g1 = Gevent.spawn(() -> Gevent.sleep(0.01));
            Greenlet<Void> g2 = Gevent.spawn(() -> Gevent.sleep(0.02));
            Group two = new Group(List.of(g1, g2));
            assertTrue(two.contains(g1) && two.contains(g2));
            assertEquals(2, two.size());
            List<Greenlet<?>> members = new ArrayList<>();
            two.forEach(members::add);
            assertEquals(List.of(g1, g2), members);
            g1.join();
            Gevent.sleep(0);
            assertEquals(1, two.size());
            assertFalse(two.contains(g1));
            assertTrue(two.join());
            assertEquals(0, two.size());
        });
    }
}
