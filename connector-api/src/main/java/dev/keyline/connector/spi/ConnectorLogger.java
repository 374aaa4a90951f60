package dev.keyline.connector.spi;

import static java.util.Objects.requireNonNull;

import java.util.Collection;

/**
 * A logger for connectors. Implementations redact the account's secrets from every message, so a connector
 * that logs a URL or an upstream error cannot leak a token by accident.
 */
public interface ConnectorLogger {

    void debug(String message);

    void info(String message);

    void warn(String message);

    /** A logger that drops everything. */
    static ConnectorLogger discarding() {
        return new ConnectorLogger() {
            @Override
            public void debug(String message) {}

            @Override
            public void info(String message) {}

            @Override
            public void warn(String message) {}
        };
    }

    /** A logger on {@link System.Logger} that redacts the given secret values. */
    static ConnectorLogger system(String name, Collection<String> secrets) {
        System.Logger logger = System.getLogger(requireNonNull(name, "name is null"));
        Redactor redactor = Redactor.of(secrets);
        return new ConnectorLogger() {
            @Override
            public void debug(String message) {
                logger.log(System.Logger.Level.DEBUG, redactor.redact(message));
            }

            @Override
            public void info(String message) {
                logger.log(System.Logger.Level.INFO, redactor.redact(message));
            }

            @Override
            public void warn(String message) {
                logger.log(System.Logger.Level.WARNING, redactor.redact(message));
            }
        };
    }
}
