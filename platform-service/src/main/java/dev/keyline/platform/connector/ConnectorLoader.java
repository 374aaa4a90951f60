package dev.keyline.platform.connector;

import static java.util.Objects.requireNonNull;

import dev.keyline.connector.spi.ConnectorDescriptor;
import dev.keyline.connector.spi.ConnectorFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.Stream;

/**
 * Finds connector factories with {@link ServiceLoader} on a class path and in a plugins directory. Plain Java,
 * so start-up rules (one loader per jar, no duplicate ids) are testable without the container.
 */
public final class ConnectorLoader {

    /** A factory and where it came from, for error messages and ops output. */
    public record Loaded(ConnectorFactory factory, ConnectorDescriptor descriptor, String source) {
        public Loaded {
            requireNonNull(factory, "factory is null");
            requireNonNull(descriptor, "descriptor is null");
            requireNonNull(source, "source is null");
        }
    }

    private final List<URLClassLoader> pluginLoaders = new ArrayList<>();

    /**
     * Loads every factory visible to {@code classpath}, then every factory defined inside each jar of
     * {@code pluginsDir}. Throws {@link IllegalStateException} naming both sources when two factories share an
     * id, or when a factory is inconsistent.
     */
    public Map<String, Loaded> load(ClassLoader classpath, Path pluginsDir) {
        requireNonNull(classpath, "classpath is null");
        Map<String, Loaded> found = new LinkedHashMap<>();
        for (ConnectorFactory factory : ServiceLoader.load(ConnectorFactory.class, classpath)) {
            add(found, factory, "classpath (" + factory.getClass().getName() + ")");
        }
        ClassLoader spiOnly = new SpiOnlyClassLoader(ConnectorFactory.class.getClassLoader());
        for (Path jar : jars(pluginsDir)) {
            URLClassLoader loader =
                    new URLClassLoader("connector-plugin:" + jar.getFileName(), new URL[] {url(jar)}, spiOnly);
            pluginLoaders.add(loader);
            int count = 0;
            for (ServiceLoader.Provider<ConnectorFactory> provider :
                    ServiceLoader.load(ConnectorFactory.class, loader).stream().toList()) {
                // The parent loader's services are visible here too; only the jar's own classes belong to it.
                if (provider.type().getClassLoader() != loader) {
                    continue;
                }
                add(found, provider.get(), "plugin " + jar);
                count++;
            }
            if (count == 0) {
                throw new IllegalStateException("The plugin jar " + jar + " declares no connector factory in"
                        + " META-INF/services/" + ConnectorFactory.class.getName() + ".");
            }
        }
        return found;
    }

    /** The class loaders opened for plugin jars; they stay open while their connectors may be used. */
    public List<URLClassLoader> pluginLoaders() {
        return List.copyOf(pluginLoaders);
    }

    /**
     * The parent of every plugin's class loader: the JDK plus the connector API, nothing of the platform. A
     * plugin cannot reach into Keyline's internals or collide with its libraries, so a plugin jar carries its
     * own dependencies (shaded) and shares only {@code dev.keyline.connector.{spi,model,http}} with the host.
     */
    static final class SpiOnlyClassLoader extends ClassLoader {
        private static final List<String> SHARED =
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

    private static void add(Map<String, Loaded> found, ConnectorFactory factory, String source) {
        ConnectorDescriptor descriptor;
        try {
            descriptor = requireNonNull(factory.descriptor(), "descriptor is null");
        } catch (RuntimeException e) {
            throw new IllegalStateException("The connector factory from " + source + " has no valid descriptor.", e);
        }
        String id = factory.id();
        if (!descriptor.id().equals(id)) {
            throw new IllegalStateException("The connector factory from " + source + " says its id is '" + id
                    + "' but its descriptor says '" + descriptor.id() + "'.");
        }
        Loaded previous = found.putIfAbsent(id, new Loaded(factory, descriptor, source));
        if (previous != null) {
            throw new IllegalStateException("Two connectors have the id '" + id + "': " + previous.source() + " and "
                    + source + ". Remove one of them.");
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

    private static URL url(Path jar) {
        try {
            return jar.toUri().toURL();
        } catch (MalformedURLException e) {
            throw new IllegalStateException("bad plugin path " + jar, e);
        }
    }
}
