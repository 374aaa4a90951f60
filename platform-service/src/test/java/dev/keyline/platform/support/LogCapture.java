package dev.keyline.platform.support;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Everything logged below a logger while it is installed (message, parameters and the exception with its causes),
 * to prove what never reaches a log and what does.
 */
public final class LogCapture extends Handler implements AutoCloseable {
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final List<Entry> entries = new CopyOnWriteArrayList<>();

    /** One record: its level, logger, the line as {@link #lines()} has it, and whether it carried a stack trace. */
    public record Entry(java.util.logging.Level level, String logger, String line, boolean withStackTrace) {}

    private final String loggerName;

    private LogCapture(String loggerName) {
        this.loggerName = loggerName;
    }

    /** Everything the service logs. */
    public static LogCapture install() {
        return install("");
    }

    /** What the named logger and those below it log. */
    public static LogCapture install(String loggerName) {
        LogCapture capture = new LogCapture(loggerName);
        Logger.getLogger(loggerName).addHandler(capture);
        return capture;
    }

    @Override
    public void publish(LogRecord record) {
        StringBuilder line = new StringBuilder(record.getLoggerName() + " " + record.getMessage());
        if (record.getParameters() != null) {
            for (Object parameter : record.getParameters()) {
                line.append(' ').append(parameter);
            }
        }
        for (Throwable t = record.getThrown(); t != null; t = t.getCause()) {
            line.append(' ').append(t);
        }
        lines.add(line.toString());
        entries.add(new Entry(record.getLevel(), record.getLoggerName(), line.toString(), record.getThrown() != null));
    }

    public List<Entry> entries() {
        return List.copyOf(entries);
    }

    public List<String> lines() {
        return List.copyOf(lines);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {
        Logger.getLogger(loggerName).removeHandler(this);
    }
}
