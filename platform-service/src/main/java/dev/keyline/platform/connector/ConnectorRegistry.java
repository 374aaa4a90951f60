package dev.keyline.platform.connector;

import dev.keyline.connector.spi.ConnectorDescriptor;
import dev.keyline.connector.spi.ConnectorFactory;
import dev.keyline.platform.base.FailureCode;
import dev.keyline.platform.base.KeylineException;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URLClassLoader;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The connector factories available to the platform, loaded once at start-up from the class path and from
 * {@code keyline.connectors.plugins-dir}. Start-up fails when two connectors share an id.
 */
@Startup
@ApplicationScoped
public class ConnectorRegistry {
    private static final Logger LOG = Logger.getLogger(ConnectorRegistry.class);

    @Inject
    ConnectorsConfig config;

    @Inject
    PluginCalls calls;

    /** What {@link #find} hands out: every call into a plugin goes through {@link PluginCalls}. */
    private final Map<String, ConnectorFactory> guarded = new java.util.concurrent.ConcurrentHashMap<>();

    private Map<String, ConnectorLoader.Loaded> connectors = Map.of();
    private List<URLClassLoader> pluginLoaders = List.of();

    @PostConstruct
    void load() {
        ConnectorLoader loader = new ConnectorLoader();
        ClassLoader classpath = Thread.currentThread().getContextClassLoader();
        connectors = Map.copyOf(loader.load(
                classpath == null ? ConnectorRegistry.class.getClassLoader() : classpath, config.pluginsDir()));
        pluginLoaders = loader.pluginLoaders();
        connectors.values().stream()
                .sorted(java.util.Comparator.comparing(l -> l.descriptor().id()))
                .forEach(l -> LOG.infof(
                        "Connector '%s' loaded from %s", l.descriptor().id(), l.source()));
        if (connectors.isEmpty()) {
            LOG.warnf("No connectors found on the class path or in %s", config.pluginsDir());
        }
    }

    @PreDestroy
    void close() {
        for (URLClassLoader loader : pluginLoaders) {
            try {
                loader.close();
            } catch (IOException e) {
                LOG.debugf("Could not close a plugin class loader: %s", e.getMessage());
            }
        }
    }

    /** Every descriptor, ordered by id. */
    public List<ConnectorDescriptor> descriptors() {
        return connectors.values().stream()
                .map(ConnectorLoader.Loaded::descriptor)
                .sorted(java.util.Comparator.comparing(ConnectorDescriptor::id))
                .toList();
    }

    /** The connector's factory, guarded: its calls and its connectors' calls run through {@link PluginCalls}. */
    public Optional<ConnectorFactory> find(String id) {
        return Optional.ofNullable(id)
                .map(connectors::get)
                .map(loaded -> guarded.computeIfAbsent(
                        loaded.descriptor().id(),
                        key -> new GuardedFactory(loaded.factory(), loaded.descriptor(), calls)));
    }

    public Optional<ConnectorDescriptor> findDescriptor(String id) {
        return Optional.ofNullable(id).map(connectors::get).map(ConnectorLoader.Loaded::descriptor);
    }

    /** The factory, or a 400 problem {@code unknown_provider} on the {@code provider} field. */
    public ConnectorFactory require(String id) {
        return find(id).orElseThrow(() -> unknownProvider(id));
    }

    public ConnectorDescriptor requireDescriptor(String id) {
        return findDescriptor(id).orElseThrow(() -> unknownProvider(id));
    }

    public Collection<String> ids() {
        return connectors.keySet();
    }

    private static KeylineException unknownProvider(String id) {
        return KeylineException.invalid(
                        FailureCode.UNKNOWN_PROVIDER,
                        "There is no connector with the id '" + id + "'. GET /connectors lists the available ones.")
                .field("provider");
    }
}
