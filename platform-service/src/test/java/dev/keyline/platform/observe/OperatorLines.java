package dev.keyline.platform.observe;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.jboss.logmanager.ExtLogRecord;

/** The operator lines logged while installed, each with its MDC as it was when logged, and the raw records. */
final class OperatorLines extends Handler implements AutoCloseable {
    record Line(String level, String text, Map<String, String> mdc) {}

    private final String loggerName;
    private final List<Line> lines = new CopyOnWriteArrayList<>();
    private final List<ExtLogRecord> records = new CopyOnWriteArrayList<>();

    private OperatorLines(String loggerName) {
        this.loggerName = loggerName;
    }

    static OperatorLines install() {
        return install(OperatorLog.class.getName());
    }

    static OperatorLines install(String loggerName) {
        OperatorLines capture = new OperatorLines(loggerName);
        Logger.getLogger(loggerName).addHandler(capture);
        return capture;
    }

    @Override
    public void publish(LogRecord record) {
        ExtLogRecord ext = ExtLogRecord.wrap(record);
        // Copied now, on the logging thread: the MDC is the thread's (or the request's) and changes afterwards.
        ext.copyAll();
        records.add(ext);
        lines.add(new Line(record.getLevel().getName(), ext.getFormattedMessage(), ext.getMdcCopy()));
    }

    List<Line> lines() {
        return List.copyOf(lines);
    }

    List<Line> containing(String text) {
        return lines.stream().filter(l -> l.text().contains(text)).toList();
    }

    List<ExtLogRecord> records() {
        return List.copyOf(records);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {
        Logger.getLogger(loggerName).removeHandler(this);
    }
}
