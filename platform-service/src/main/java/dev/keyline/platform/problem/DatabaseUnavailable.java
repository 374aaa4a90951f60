package dev.keyline.platform.problem;

import dev.keyline.platform.base.FailureCode;
import dev.keyline.platform.base.KeylineException;
import dev.keyline.platform.base.KeylineException.Kind;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Recognises a failure that means PostgreSQL cannot be reached (refused or dropped connections, a server shutting
 * down), as opposed to a bad statement or bad data. Such a request is answered {@code 503 database_unavailable}
 * with {@code Retry-After} and logged as one line: a stack trace per request would say the same thing hundreds of
 * times while the database is down and bury what happened before.
 */
@ApplicationScoped
public class DatabaseUnavailable {
    /** About one connection-acquisition time-out: a client retrying sooner would only meet the same refusal. */
    static final Duration RETRY_AFTER = Duration.ofSeconds(5);

    /**
     * The transaction manager logs, with a stack trace, a commit whose flush could not get a connection, and (on
     * its JTA side) a rollback on a connection the stopped server closed; the request's own line already says so.
     */
    private static final List<String> TRANSACTION_LOGGERS = List.of("com.arjuna.ats.arjuna", "com.arjuna.ats.jta");

    // Kept: java.util.logging holds loggers weakly, and a collected logger would lose its filter.
    private final List<Logger> transactionLoggers = new ArrayList<>();

    void quietTransactionManager(@Observes StartupEvent event) {
        for (String name : TRANSACTION_LOGGERS) {
            Logger logger = Logger.getLogger(name);
            java.util.logging.Filter previous = logger.getFilter();
            logger.setFilter(record -> (previous == null || previous.isLoggable(record))
                    && sqlState(record.getThrown()).isEmpty());
            transactionLoggers.add(logger);
        }
    }

    /**
     * The SQLState of the connection failure in {@code failure}'s causes, if it is one: class 08 (connection
     * exception) or 57P01–57P03 (the server is shutting down, crashed, or cannot take connections yet).
     */
    static Optional<String> sqlState(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                String state = sql.getSQLState();
                if (state.startsWith("08") || state.equals("57P01") || state.equals("57P02") || state.equals("57P03")) {
                    return Optional.of(state);
                }
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return Optional.empty();
    }

    static KeylineException problem() {
        return KeylineException.of(
                        Kind.UNAVAILABLE,
                        FailureCode.DATABASE_UNAVAILABLE,
                        "Service unavailable",
                        "The service cannot reach its database right now. Nothing was changed; retry after the"
                                + " number of seconds in Retry-After.")
                .retryAfter(RETRY_AFTER);
    }
}
