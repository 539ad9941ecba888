package io.gevent4j.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Captures the records of java.util.logging loggers (System.Logger's default backend) until closed, and keeps
 * them off the console meanwhile; closing restores each logger's parent handling as it was.
 */
public final class LogCapture extends Handler implements AutoCloseable {
    /** Every record captured, in arrival order. */
    public final List<LogRecord> records = new CopyOnWriteArrayList<>();
    // strong references while the handler is attached: JUL holds loggers weakly
    private final List<Logger> loggers = new ArrayList<>();
    private final List<Boolean> useParents = new ArrayList<>();

    /** Starts capturing the loggers named {@code names}. */
    public LogCapture(String... names) {
        for (String n : names) {
            Logger l = Logger.getLogger(n);
            loggers.add(l);
            useParents.add(l.getUseParentHandlers());
            l.addHandler(this);
            l.setUseParentHandlers(false);
        }
    }

    @Override
    public void publish(LogRecord r) {
        records.add(r);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {
        for (int i = 0; i < loggers.size(); i++) {
            loggers.get(i).removeHandler(this);
            loggers.get(i).setUseParentHandlers(useParents.get(i));
        }
    }

    /** @return how many records carry exactly {@code t} as their exception */
    public long about(Throwable t) {
        return records.stream().filter(r -> r.getThrown() == t).count();
    }

    /** @return the records that carry exactly {@code t} as their exception */
    public List<LogRecord> recordsAbout(Throwable t) {
        return records.stream().filter(r -> r.getThrown() == t).toList();
    }
}
