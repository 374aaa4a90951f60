package dev.keyline.platform.observe;

import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.logging.Handler;
import org.jboss.logmanager.ExtHandler;
import org.jboss.logmanager.LogContext;
import org.jboss.logmanager.handlers.ConsoleHandler;

/**
 * With {@code keyline.observe.json-logs=true} (environment: {@code KEYLINE_OBSERVE_JSON_LOGS=true}) the console prints one JSON object
 * per line ({@link JsonLogFormatter}) from start-up on; the lines Quarkus prints while it boots stay plain text.
 */
@ApplicationScoped
public class JsonLogs {
    void install(@Observes @Priority(1) StartupEvent event, ObserveConfig config) {
        if (config.jsonLogs()) {
            for (Handler handler : LogContext.getLogContext().getLogger("").getHandlers()) {
                install(handler);
            }
        }
    }

    /** The console handlers below {@code handler} (Quarkus wraps them in delayed and async handlers). */
    static void install(Handler handler) {
        if (handler instanceof ConsoleHandler console) {
            console.setFormatter(new JsonLogFormatter());
        }
        if (handler instanceof ExtHandler parent) {
            for (Handler child : parent.getHandlers()) {
                install(child);
            }
        }
    }
}
