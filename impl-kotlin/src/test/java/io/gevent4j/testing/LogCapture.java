package io.gevent4j.testing;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** Captures the records of a java.util.logging logger (System.Logger's default backend) until closed. */
public final class LogCapture extends Handler implements AutoCloseable {
    public final List<LogRecord> records = Collections.synchronizedList(new ArrayList<>());
    private final Logger logger;

    public LogCapture(String name) {
        logger = Logger.getLogger(name);
        logger.addHandler(this);
        logger.setUseParentHandlers(false);
    }

    @Override
    public void publish(LogRecord r) {
        records.add(r);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {
        logger.removeHandler(this);
        logger.setUseParentHandlers(true);
    }

    /** @return how many records carry {@code t} as their exception */
    public long about(Throwable t) {
        synchronized (records) {
            return records.stream().filter(r -> r.getThrown() == t).count();
        }
    }
}
