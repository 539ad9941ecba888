package io.gevent4j.pool;

/*
 * Issue 9, section 1: map() picked its path by getClass() == Group.class, so a user's subclass of Group or Pool
 * took another path (a feeder greenlet read the input instead of the caller) and behaved differently, e.g. when
 * the caller is killed (deviation 41). Now every Group, subclass or not, runs the one algorithm of the
 * implementation: the caller reads the input and spawns.
 */

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.gevent4j.Gevent;
import io.gevent4j.Greenlet;
import io.gevent4j.testing.GeventTestBase;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GroupSubclassTest extends GeventTestBase {
    /** A user's subclasses, as an application would write them. */
    static final class TracingGroup extends Group {}

    static final class TracingPool extends Pool {
        TracingPool(int size) {
            super(size);
        }
    }

    private static Group make(String kind) {
        return switch (kind) {
            case "Group" -> new Group();
            case "Pool" -> new Pool(2);
            case "GroupSubclass" -> new TracingGroup();
            case "PoolSubclass" -> new TracingPool(2);
            default -> throw new IllegalArgumentException(kind);
        };
    }

    /** A collection whose iterator records which greenlet reads each item. */
    private static List<Integer> recordingReaders(List<Greenlet<?>> readers, int n) {
        return new ArrayList<>(List.of()) {
            private static final long serialVersionUID = 1L;

            {
                for (int i = 0; i < n; i++) {
                    add(i);
                }
            }

            @Override
            public Iterator<Integer> iterator() {
                Iterator<Integer> it = super.iterator();
                return new Iterator<>() {
                    @Override
                    public boolean hasNext() {
                        return it.hasNext();
                    }

                    @Override
                    public Integer next() {
                        readers.add(Gevent.getcurrent());
                        return it.next();
                    }
                };
            }
        };
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"Group", "Pool", "GroupSubclass", "PoolSubclass"})
    void mapReadsTheInputInTheCallerWhateverTheClass(String kind) {
        inGreenlet(() -> {
            Group g = make(kind);
            List<Greenlet<?>> readers = new ArrayList<>();
            List<Integer> out = g.map(x -> x * 10, recordingReaders(readers, 5));
            assertEquals(List.of(0, 10, 20, 30, 40), out);
            assertEquals(5, readers.size());
            for (Greenlet<?> r : readers) {
                assertSame(Gevent.getcurrent(), r, kind + ": the input is read by the caller");
            }
        });
    }
}
