package dev.keyline.platform.connector;

import static java.util.Objects.requireNonNull;

import dev.keyline.connector.spi.AuthKind;
import dev.keyline.connector.spi.Connector;
import dev.keyline.connector.spi.ConnectorConfig;
import dev.keyline.connector.spi.ConnectorContext;
import dev.keyline.connector.spi.ConnectorDescriptor;
import dev.keyline.connector.spi.ConnectorException;
import dev.keyline.connector.spi.ConnectorFactory;
import dev.keyline.connector.spi.Redactor;
import dev.keyline.platform.observe.UpstreamScope;
import java.util.List;
import java.util.Optional;

/**
 * A plugin's factory as the platform uses it: {@link #normalize} and {@link #create} run through {@link PluginCalls},
 * and the connectors it makes are {@link GuardedConnector}s. The descriptor is the one read when the plugin was
 * loaded, so asking for it never calls plugin code again.
 */
public final class GuardedFactory implements ConnectorFactory {
    private static final Redactor NOTHING = Redactor.of(List.of());

    private final ConnectorFactory delegate;
    private final ConnectorDescriptor descriptor;
    private final PluginCalls calls;

    public GuardedFactory(ConnectorFactory delegate, ConnectorDescriptor descriptor, PluginCalls calls) {
        this.delegate = requireNonNull(delegate, "delegate is null");
        this.descriptor = requireNonNull(descriptor, "descriptor is null");
        this.calls = requireNonNull(calls, "calls is null");
    }

    /** The plugin's own factory, for diagnostics (which jar, which class loader); never call it directly. */
    public ConnectorFactory plugin() {
        return delegate;
    }

    @Override
    public String id() {
        return descriptor.id();
    }

    @Override
    public ConnectorDescriptor descriptor() {
        return descriptor;
    }

    @Override
    public ConnectorConfig normalize(ConnectorConfig config) {
        ConnectorConfig normalized = calls.call(descriptor.id(), calls.deadline(), redactor(config), () -> {
            try (UpstreamScope ignored = UpstreamScope.enter(descriptor.id(), "normalize")) {
                return delegate.normalize(config);
            }
        });
        return requireNonNull(normalized, "normalize returned null");
    }

    @Override
    public Connector create(ConnectorConfig config, ConnectorContext context) {
        Redactor redactor = redactor(config);
        // The capabilities are asked for here, on the plugin's thread, so later lookups never call plugin code.
        return calls.call(descriptor.id(), calls.deadline(), redactor, () -> {
            try (UpstreamScope ignored = UpstreamScope.enter(descriptor.id(), "create")) {
                return GuardedConnector.of(
                        descriptor.id(),
                        requireNonNull(delegate.create(config, context), "create returned null"),
                        calls,
                        redactor);
            }
        });
    }

    /**
     * The plugin's diagnosis of a token failure, run under the guard. The provider's {@code error} stays a parameter,
     * so a grant gone for good is still told from one that may work again; a plugin that fails here leaves the
     * platform's generic failure.
     */
    @Override
    public Optional<ConnectorException> explainTokenFailure(AuthKind kind, ConnectorException failure) {
        Optional<ConnectorException> explained;
        try {
            explained = calls.call(
                    descriptor.id(), calls.deadline(), NOTHING, () -> delegate.explainTokenFailure(kind, failure));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
        if (explained == null || explained.isEmpty()) {
            return Optional.empty();
        }
        ConnectorException.Builder kept = explained.get().toBuilder();
        failure.params().forEach((name, value) -> {
            if (!explained.get().params().containsKey(name)) {
                kept.param(name, value);
            }
        });
        failure.retryAfter().ifPresent(kept::retryAfter);
        return Optional.of(kept.build());
    }

    private static Redactor redactor(ConnectorConfig config) {
        return config == null ? NOTHING : Redactor.of(config.secretValues());
    }
}
