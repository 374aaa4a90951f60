package dev.keyline.platform.connector;

import dev.keyline.connector.spi.ConnectorLogger;
import dev.keyline.connector.spi.Redactor;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.Set;

/**
 * The secrets a connector's logger redacts when some of them change while it works: an OAuth account's access token,
 * renewed while the connector lives. Keeps the fixed ones and the latest {@link #RECENT} added ones (an older access
 * token has expired, and the bearer pattern masks it anyway).
 */
public final class LiveSecrets {
    static final int RECENT = 8;

    private final Set<String> fixed;
    private final Deque<String> recent = new ArrayDeque<>();
    private long version;

    public LiveSecrets(Collection<String> fixed) {
        this.fixed = Set.copyOf(fixed.stream().filter(s -> s != null).toList());
    }

    /** Adds a secret before it is handed to the connector. */
    public synchronized void add(String secret) {
        if (secret == null || fixed.contains(secret) || recent.contains(secret)) {
            return;
        }
        recent.addLast(secret);
        if (recent.size() > RECENT) {
            recent.removeFirst();
        }
        version++;
    }

    synchronized long version() {
        return version;
    }

    synchronized List<String> all() {
        List<String> all = new ArrayList<>(fixed);
        all.addAll(recent);
        return all;
    }

    /** A logger like {@link ConnectorLogger#system} whose redaction follows what is added. */
    ConnectorLogger logger(String name) {
        System.Logger logger = System.getLogger(name);
        return new ConnectorLogger() {
            private long seen = -1;
            private Redactor redactor;

            private synchronized Redactor redactor() {
                long now = version();
                if (now != seen) {
                    redactor = Redactor.of(all());
                    seen = now;
                }
                return redactor;
            }

            @Override
            public void debug(String message) {
                logger.log(System.Logger.Level.DEBUG, redactor().redact(message));
            }

            @Override
            public void info(String message) {
                logger.log(System.Logger.Level.INFO, redactor().redact(message));
            }

            @Override
            public void warn(String message) {
                logger.log(System.Logger.Level.WARNING, redactor().redact(message));
            }
        };
    }
}
