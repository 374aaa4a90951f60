package dev.keyline.connector.tck;

import dev.keyline.connector.spi.ConnectorLogger;
import java.util.ArrayList;
import java.util.List;

/**
 * The logger the kit hands connectors: it keeps every line so the kit can check that none holds a secret. It
 * deliberately does not redact, unlike the platform's, so a connector that logs a token is caught here rather
 * than saved by the platform in one place and leaking in another.
 */
final class RecordingLogger implements ConnectorLogger {
    private final List<String> lines = new ArrayList<>();

    @Override
    public void debug(String message) {
        record("DEBUG", message);
    }

    @Override
    public void info(String message) {
        record("INFO", message);
    }

    @Override
    public void warn(String message) {
        record("WARN", message);
    }

    private synchronized void record(String level, String message) {
        lines.add(level + " " + message);
    }

    synchronized List<String> lines() {
        return List.copyOf(lines);
    }
}
