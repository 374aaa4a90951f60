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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The connector factories available to the platform, loaded once at start-up from the class path and from
 * {@code keyline.connectors.plugins-dir}. Connectors the loader refuses (an unsupported SPI, a missing class, a
 * duplicate id, …) are left out and listed by {@link #refused()}; start-up goes on without them.
 */
@Startup
@ApplicationScoped
public class ConnectorRegistry {
    private static final Logger LOG = Logger.getLogger(ConnectorRegistry.class);

    private static final Path DEFAULT_PLUGINS_DIR = Path.of("plugins");

    @Inject
    ConnectorsConfig config;

    @Inject
    PluginCalls calls;

    /** What {@link #find} hands out: every call into a plugin goes through {@link PluginCalls}. */
    private final Map<String, ConnectorFactory> guarded = new java.util.concurrent.ConcurrentHashMap<>();

    private Map<String, ConnectorLoader.Loaded> connectors = Map.of();
    private List<ConnectorLoader.Refused> refused = List.of();
    private List<URLClassLoader> pluginLoaders = List.of();

    @PostConstruct
    void load() {
        announcePluginsDir(config.pluginsDir());
        ConnectorLoader loader = new ConnectorLoader(config.calls().deadline());
        ClassLoader classpath = Thread.currentThread().getContextClassLoader();
        connectors = Map.copyOf(loader.load(
                classpath == null ? ConnectorRegistry.class.getClassLoader() : classpath, config.pluginsDir()));
        pluginLoaders = loader.pluginLoaders();
        refused = loader.refused();
        if (connectors.isEmpty()) {
            LOG.warnf("No connectors found on the class path or in %s", config.pluginsDir());
        }
    }

    /**
     * A plugins directory that does not exist is worth a warning when someone configured it (a typo, a volume not
     * mounted), but not when it is the default {@code ./plugins}, which a fresh installation without plugins lacks.
     */
    static void announcePluginsDir(Path dir) {
        if (Files.isDirectory(dir)) {
            return;
        }
        if (dir.normalize().equals(DEFAULT_PLUGINS_DIR)) {
            LOG.infof("No plugins directory at %s: only the built-in connectors are loaded", dir.toAbsolutePath());
        } else {
            LOG.warnf(
                    "The configured plugins directory %s (keyline.connectors.plugins-dir) does not exist: no"
                            + " connector plugins are loaded",
                    dir.toAbsolutePath());
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
                .sorted(Comparator.comparing(ConnectorDescriptor::id))
                .toList();
    }

    /** Every usable connector with where it came from, ordered by id. */
    public List<ConnectorLoader.Loaded> loaded() {
        return connectors.values().stream()
                .sorted(Comparator.comparing(ConnectorLoader.Loaded::id))
                .toList();
    }

    /** The connectors and plugin jars refused at start-up, with the reason. */
    public List<ConnectorLoader.Refused> refused() {
        return refused;
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
