package dev.keyline.platform.observe;

import static java.util.Objects.requireNonNull;

/**
 * Which connector is calling its provider, and for which SPI call ({@code list_users}, {@code validate},
 * {@code token}, ...), on this thread: the labels of the upstream metrics and span. Set where the platform calls a
 * connector ({@code GuardedConnector}) on the plugin thread that runs the call, so the transport underneath can tell
 * whose request it sends without the SPI knowing anything about it.
 */
public final class UpstreamScope implements AutoCloseable {
    /** Both values are labels: a connector id and an SPI call's name, never tenant or account ids. */
    public record Current(String provider, String operation) {
        public Current {
            requireNonNull(provider, "provider is null");
            requireNonNull(operation, "operation is null");
        }
    }

    /** What a request outside any connector call is counted as (the platform's own calls, tests). */
    public static final Current NONE = new Current("none", "other");

    private static final ThreadLocal<Current> CURRENT = new ThreadLocal<>();

    private final Current previous;

    private UpstreamScope(Current previous) {
        this.previous = previous;
    }

    /** Sets the scope until {@link #close}, which puts back the one before. */
    public static UpstreamScope enter(String provider, String operation) {
        return enter(new Current(provider, operation));
    }

    public static UpstreamScope enter(Current current) {
        Current previous = CURRENT.get();
        CURRENT.set(requireNonNull(current, "current is null"));
        return new UpstreamScope(previous);
    }

    /** The same provider (or none) doing another operation: the platform's token requests for a connector. */
    public static UpstreamScope operation(String operation) {
        Current current = CURRENT.get();
        return enter(current == null ? NONE.provider() : current.provider(), operation);
    }

    public static Current current() {
        Current current = CURRENT.get();
        return current == null ? NONE : current;
    }

    @Override
    public void close() {
        if (previous == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(previous);
        }
    }
}
