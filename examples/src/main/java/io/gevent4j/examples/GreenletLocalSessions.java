package io.gevent4j.examples;

import io.gevent4j.Gevent;
import io.gevent4j.Greenlet;
import io.gevent4j.Hub;
import io.gevent4j.local.GreenletLocal;
import java.util.List;

/**
 * gevent's {@code local}: one value per greenlet. Two session greenlets store their user in the same
 * {@link GreenletLocal}, sleep, and each still finds its own; a greenlet that set nothing sees none, and a
 * child does not inherit its parent's value (LOC-06). gevent's attribute object becomes a typed holder: one
 * {@code GreenletLocal} per attribute, or one holding a record.
 */
public final class GreenletLocalSessions {
    private GreenletLocalSessions() {}

    /** What one greenlet keeps for its user. */
    record Session(String user, String status) {}

    private static final GreenletLocal<Session> SESSION = new GreenletLocal<>();
    private static final GreenletLocal<StringBuilder> TRAIL = GreenletLocal.withInitial(StringBuilder::new);

    public static void main(String[] args) {
        run();
    }

    /** Runs the scenario as a greenlet on the default hub. */
    public static void run() {
        Hub.getDefault().spawn(GreenletLocalSessions::scenario).get();
    }

    private static void scenario() {
        SESSION.set(new Session("main", "admin"));
        Gevent.joinAll(List.of(
                Gevent.spawn(() -> sessionManager("alice", 0.03)), Gevent.spawn(() -> sessionManager("bob", 0.01))));

        // data.x = 1 in f1; f2 does not see it (gevent raises AttributeError, here get() is null).
        Greenlet<Void> f1 = Gevent.spawn(() -> {
            SESSION.set(new Session("f1", "online"));
            System.out.println("  f1 sees " + SESSION.get());
        });
        Greenlet<Void> f2 = Gevent.spawn(() -> {
            Session s = SESSION.get();
            System.out.println("  f2 sees " + (s == null ? "no session: not visible here" : s));
        });
        Gevent.joinAll(List.of(f1, f2));
        System.out.println("main: still sees its own " + SESSION.get());

        // withInitial: each greenlet gets a fresh value on its first get().
        Gevent.joinAll(List.of(Gevent.spawn(() -> trail("x")), Gevent.spawn(() -> trail("y"))));
        SESSION.remove();
        System.out.println("main: after remove() -> " + SESSION.get());
    }

    private static void sessionManager(String user, double seconds) {
        SESSION.set(new Session(user, "online"));
        System.out.println("  " + user + " logged in: " + SESSION.get());
        Gevent.sleep(seconds); // the other session runs meanwhile and sets its own value
        SESSION.set(new Session(SESSION.get().user(), "offline"));
        System.out.println("  " + user + "'s session expired: " + SESSION.get());
        Greenlet<Session> child = Gevent.spawn(SESSION::get);
        System.out.println("  " + user + "'s child greenlet sees " + child.get());
    }

    private static void trail(String tag) {
        for (int i = 1; i <= 3; i++) {
            TRAIL.get().append(tag).append(i).append(' ');
            Gevent.sleep();
        }
        System.out.println("  greenlet " + tag + " built its own trail: "
                + TRAIL.get().toString().trim());
    }
}
