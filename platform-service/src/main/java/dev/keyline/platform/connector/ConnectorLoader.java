package dev.keyline.platform.connector;

import static java.util.Objects.requireNonNull;

import dev.keyline.connector.spi.AuthKind;
import dev.keyline.connector.spi.ConnectorDescriptor;
import dev.keyline.connector.spi.ConnectorFactory;
import dev.keyline.connector.spi.SpiVersion;
import dev.keyline.platform.connector.Refusal.Code;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * Finds connector factories with {@link ServiceLoader} on a class path and in a plugins directory, and refuses the
 * ones that could not work: a plugin built for an SPI this Keyline does not run, one that needs classes or API methods
 * it does not have ({@link PluginVerifier}), one whose factory fails or whose descriptor is not sane, and every
 * connector whose id another one already uses. Nothing a plugin does stops the start: a refused plugin is one ERROR
 * line naming its jar and an entry in {@link #refused()}. Plain Java, so these rules are testable without the
 * container.
 */
public final class ConnectorLoader {
    private static final Logger LOG = Logger.getLogger(ConnectorLoader.class);
    static final String SERVICES = "META-INF/services/" + ConnectorFactory.class.getName();

    /**
     * A usable factory and where it came from.
     *
     * @param source a sentence naming the factory's class (class path) or the jar's path (plugin), for logs
     * @param jar the plugin jar, null for the class path
     * @param version {@code Implementation-Version} of the jar or package, null when it has none
     * @param spiVersion the SPI version the connector was built for
     */
    public record Loaded(
            ConnectorFactory factory,
            ConnectorDescriptor descriptor,
            String source,
            Path jar,
            String version,
            int spiVersion) {
        public Loaded {
            requireNonNull(factory, "factory is null");
            requireNonNull(descriptor, "descriptor is null");
            requireNonNull(source, "source is null");
        }

        public String id() {
            return descriptor.id();
        }
    }

    /**
     * A connector, or a whole plugin jar, that was not loaded.
     *
     * @param id the connector's id when it got as far as saying one, else null
     * @param jar the plugin jar, null for a class-path connector
     * @param spiVersion the SPI version the jar declares, null when it declares one that is not a number
     * @param code a stable reason, {@code spi_version_unsupported}, {@code class_missing}, …
     * @param reason one sentence without host paths
     */
    public record Refused(String id, Path jar, String version, Integer spiVersion, String code, String reason) {
        public Refused {
            requireNonNull(code, "code is null");
            requireNonNull(reason, "reason is null");
        }

        /** The jar's file name, which may be shown where host paths may not; null for the class path. */
        public String jarName() {
            return jar == null ? null : jar.getFileName().toString();
        }
    }

    /** How long a plugin's factory constructor and {@code descriptor()} may take at load, unless told otherwise. */
    static final Duration DEFAULT_LOAD_DEADLINE = Duration.ofSeconds(30);

    private final List<URLClassLoader> pluginLoaders = new ArrayList<>();
    private final List<Refused> refused = new ArrayList<>();
    private final Duration loadDeadline;

    public ConnectorLoader() {
        this(DEFAULT_LOAD_DEADLINE);
    }

    /**
     * @param loadDeadline how long a plugin's factory constructor and {@code descriptor()} may take: one that hangs
     *     is refused and abandoned, so it cannot hold up the start
     */
    public ConnectorLoader(Duration loadDeadline) {
        this.loadDeadline = requireNonNull(loadDeadline, "loadDeadline is null");
    }

    /**
     * Loads every factory visible to {@code classpath}, then every factory defined inside each jar of
     * {@code pluginsDir} that passes verification. Refusals are logged and kept in {@link #refused()}; nothing
     * thrown by a plugin escapes.
     */
    public Map<String, Loaded> load(ClassLoader classpath, Path pluginsDir) {
        requireNonNull(classpath, "classpath is null");
        Map<String, Loaded> found = new LinkedHashMap<>();
        for (ServiceLoader.Provider<ConnectorFactory> provider :
                ServiceLoader.load(ConnectorFactory.class, classpath).stream().toList()) {
            builtIn(found, provider);
        }
        ClassLoader spiOnly = new SpiOnlyClassLoader(ConnectorFactory.class.getClassLoader());
        List<PluginJar> plugins = new ArrayList<>();
        for (Path jar : jars(pluginsDir)) {
            PluginJar plugin = new PluginJar(jar, loadDeadline);
            try {
                plugin.open(spiOnly);
            } catch (PluginJar.RefusedException e) {
                refuse(plugin, e.id(), e.refusal(), e.getCause());
                continue;
            } catch (IOException | RuntimeException | LinkageError | ServiceConfigurationError e) {
                refuse(plugin, null, new Refusal(Code.FACTORY_FAILED, "It could not be loaded: " + e + "."), e);
                continue;
            }
            plugins.add(plugin);
        }
        for (PluginJar plugin : plugins) {
            Refused clash = clash(plugin, found, plugins);
            if (clash == null) {
                plugin.loaded().forEach(l -> found.put(l.id(), l));
                pluginLoaders.add(plugin.loader());
            } else {
                refuse(plugin, clash, null);
            }
        }
        found.values()
                .forEach(l -> LOG.infof(
                        "Connector '%s' loaded from %s, version %s, built for SPI %d",
                        l.id(), l.source(), l.version() == null ? "unknown" : l.version(), l.spiVersion()));
        return found;
    }

    /** The class loaders opened for loaded plugin jars; they stay open while their connectors may be used. */
    public List<URLClassLoader> pluginLoaders() {
        return List.copyOf(pluginLoaders);
    }

    /** What was refused, in the order found: class-path connectors first, then plugin jars by name. */
    public List<Refused> refused() {
        return List.copyOf(refused);
    }

    /** A class-path connector: part of this build, so it is trusted to link; its descriptor is still checked. */
    private void builtIn(Map<String, Loaded> found, ServiceLoader.Provider<ConnectorFactory> provider) {
        String source = "classpath (" + provider.type().getName() + ")";
        String version = provider.type().getPackage().getImplementationVersion();
        ConnectorFactory factory;
        ConnectorDescriptor descriptor;
        try {
            factory = provider.get();
            descriptor = PluginJar.checkedDescriptor(factory);
        } catch (PluginJar.RefusedException e) {
            refuseBuiltIn(source, version, e.id(), e.refusal(), e.getCause());
            return;
        } catch (RuntimeException | LinkageError | ServiceConfigurationError e) {
            refuseBuiltIn(
                    source,
                    version,
                    null,
                    PluginJar.factoryFailed(provider.type().getName(), e),
                    e);
            return;
        }
        Loaded previous = found.get(descriptor.id());
        if (previous != null) {
            refuseBuiltIn(
                    source,
                    version,
                    descriptor.id(),
                    new Refusal(
                            Code.DUPLICATE_ID,
                            "Its id '" + descriptor.id() + "' is already taken by " + previous.source() + "."),
                    null);
            return;
        }
        found.put(descriptor.id(), new Loaded(factory, descriptor, source, null, version, SpiVersion.CURRENT));
    }

    /** Why a verified plugin cannot be used after all: an id a built-in or another plugin jar also has. */
    private static Refused clash(PluginJar plugin, Map<String, Loaded> builtIns, List<PluginJar> plugins) {
        for (Loaded mine : plugin.loaded()) {
            Loaded builtIn = builtIns.get(mine.id());
            if (builtIn != null && builtIn.jar() == null) {
                return refusedAs(
                        plugin,
                        mine.id(),
                        "Its id '" + mine.id() + "' is the id of a built-in connector, which stays; give the plugin"
                                + " another id.");
            }
            for (PluginJar other : plugins) {
                if (other != plugin && other.loaded().stream().anyMatch(l -> l.id().equals(mine.id()))) {
                    return refusedAs(
                            plugin,
                            mine.id(),
                            "Its id '" + mine.id() + "' is also the id of the plugin "
                                    + other.jar().getFileName() + ", which is refused too; remove one of them.");
                }
            }
        }
        return null;
    }

    private static Refused refusedAs(PluginJar plugin, String id, String reason) {
        return new Refused(id, plugin.jar(), plugin.version(), plugin.spiVersion(), Code.DUPLICATE_ID.wire(), reason);
    }

    private void refuse(PluginJar plugin, String id, Refusal refusal, Throwable cause) {
        refuse(
                plugin,
                new Refused(
                        id,
                        plugin.jar(),
                        plugin.version(),
                        plugin.spiVersion(),
                        refusal.code().wire(),
                        refusal.reason()),
                cause);
    }

    private void refuse(PluginJar plugin, Refused entry, Throwable cause) {
        plugin.close();
        refused.add(entry);
        log("connector plugin " + plugin.jar(), entry, cause);
    }

    private void refuseBuiltIn(String source, String version, String id, Refusal refusal, Throwable cause) {
        Refused entry = new Refused(
                id, null, version, SpiVersion.CURRENT, refusal.code().wire(), refusal.reason());
        refused.add(entry);
        log("connector " + source, entry, cause);
    }

    /** One line an operator can act on; the stack trace, when there is one, only for whoever debugs the loader. */
    private static void log(String what, Refused entry, Throwable cause) {
        LOG.errorf("Refused %s: %s [%s]", what, entry.reason(), entry.code());
        if (cause != null) {
            LOG.debugf(cause, "Why %s was refused", what);
        }
    }

    /**
     * The parent of every plugin's class loader: the JDK plus the connector API, nothing of the platform. A
     * plugin cannot reach into Keyline's internals or collide with its libraries, so a plugin jar carries its
     * own dependencies (shaded) and shares only {@code dev.keyline.connector.{spi,model,http}} with the host.
     */
    static final class SpiOnlyClassLoader extends ClassLoader {
        static final List<String> SHARED =
                List.of("dev.keyline.connector.spi.", "dev.keyline.connector.model.", "dev.keyline.connector.http.");

        static {
            registerAsParallelCapable();
        }

        private final ClassLoader host;

        SpiOnlyClassLoader(ClassLoader host) {
            super("keyline-connector-api", ClassLoader.getPlatformClassLoader());
            this.host = requireNonNull(host, "host is null");
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            for (String prefix : SHARED) {
                if (name.startsWith(prefix)) {
                    return host.loadClass(name);
                }
            }
            return super.loadClass(name, resolve);
        }
    }

    private static List<Path> jars(Path dir) {
        if (dir == null || !Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".jar"))
                    .filter(Files::isRegularFile)
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the plugins directory " + dir, e);
        }
    }

    static URL url(Path jar) {
        try {
            return jar.toUri().toURL();
        } catch (MalformedURLException e) {
            throw new IllegalStateException("bad plugin path " + jar, e);
        }
    }

    static Attributes mainAttributes(JarFile file) throws IOException {
        Manifest manifest = file.getManifest();
        return manifest == null ? new Attributes() : manifest.getMainAttributes();
    }

    static boolean authorizesByFieldsOnly(ConnectorDescriptor descriptor) {
        return descriptor.authKinds().stream().allMatch(AuthKind.fields()::equals);
    }
}
