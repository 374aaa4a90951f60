package dev.keyline.platform.connector;

import dev.keyline.connector.spi.ConnectorDescriptor;
import dev.keyline.connector.spi.ConnectorFactory;
import dev.keyline.connector.spi.SpiVersion;
import dev.keyline.platform.connector.ConnectorLoader.Loaded;
import dev.keyline.platform.connector.Refusal.Code;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.jar.Attributes;
import java.util.jar.JarFile;

/**
 * One plugin jar on its way in: its manifest read, its classes verified against the connector API, then its
 * factories created and their descriptors checked, in that order, so no plugin code beyond a factory's constructor
 * and {@code descriptor()} runs before the jar is known to link. Refusals are thrown as {@link RefusedException}.
 */
final class PluginJar {
    private final Path jar;
    private final List<Loaded> loaded = new ArrayList<>();
    private String version;
    private Integer spiVersion = SpiVersion.UNDECLARED;
    private URLClassLoader loader;
    private final Duration loadDeadline;

    PluginJar(Path jar, Duration loadDeadline) {
        this.jar = jar;
        this.loadDeadline = loadDeadline;
    }

    /** A refusal on its way out of {@link #open}, with the id when the factory got as far as saying it. */
    static final class RefusedException extends Exception {
        private final transient Refusal refusal;
        private final String id;

        RefusedException(Refusal refusal, String id, Throwable cause) {
            super(refusal.reason(), cause, false, false);
            this.refusal = refusal;
            this.id = id;
        }

        Refusal refusal() {
            return refusal;
        }

        String id() {
            return id;
        }
    }

    void open(ClassLoader spiOnly) throws IOException, RefusedException {
        try (JarFile file = new JarFile(jar.toFile())) {
            Attributes main = ConnectorLoader.mainAttributes(file);
            version = main.getValue(Attributes.Name.IMPLEMENTATION_VERSION);
            spiVersion = spiVersion(main.getValue(SpiVersion.MANIFEST_ATTRIBUTE));
            if (file.getEntry(ConnectorLoader.SERVICES) == null) {
                throw refused(
                        Code.NO_FACTORY,
                        "The jar declares no connector factory in " + ConnectorLoader.SERVICES
                                + ": is it the plugin jar, or a library or the unshaded jar?");
            }
            loader = new URLClassLoader(
                    "connector-plugin:" + jar.getFileName(), new URL[] {ConnectorLoader.url(jar)}, spiOnly);
            Optional<Refusal> unlinkable = PluginVerifier.verify(file, loader);
            if (unlinkable.isPresent()) {
                throw new RefusedException(unlinkable.get(), null, null);
            }
        }
        for (ServiceLoader.Provider<ConnectorFactory> provider :
                ServiceLoader.load(ConnectorFactory.class, loader).stream().toList()) {
            // The parent loader's services are visible here too; only the jar's own classes belong to it.
            if (provider.type().getClassLoader() != loader) {
                continue;
            }
            String type = provider.type().getName();
            ConnectorFactory factory;
            try {
                factory = withinDeadline(type, provider::get);
            } catch (ServiceConfigurationError | RuntimeException | LinkageError e) {
                throw new RefusedException(factoryFailed(type, e), null, e);
            }
            ConnectorDescriptor descriptor = withinDeadline(type, () -> checkedDescriptor(factory));
            loaded.add(new Loaded(factory, descriptor, "plugin " + jar, jar, version, spiVersion));
        }
        if (loaded.isEmpty()) {
            throw refused(
                    Code.NO_FACTORY,
                    "None of the factories named in " + ConnectorLoader.SERVICES + " is a class of the jar.");
        }
    }

    /** Declared version, or a refusal when it is not a number or not one this Keyline runs. */
    private Integer spiVersion(String declared) throws RefusedException {
        if (declared == null) {
            return SpiVersion.UNDECLARED;
        }
        int number;
        try {
            number = Integer.parseInt(declared.strip());
        } catch (NumberFormatException e) {
            spiVersion = null;
            throw refused(
                    Code.SPI_VERSION_UNSUPPORTED,
                    "Its manifest says " + SpiVersion.MANIFEST_ATTRIBUTE + ": '" + declared
                            + "', which is not an SPI version number.");
        }
        if (!SpiVersion.supports(number)) {
            spiVersion = number;
            throw refused(
                    Code.SPI_VERSION_UNSUPPORTED,
                    "It was built for SPI " + number + "; this Keyline provides SPI " + SpiVersion.CURRENT
                            + " and runs plugins of SPI " + SpiVersion.OLDEST_SUPPORTED + " to " + SpiVersion.CURRENT
                            + ".");
        }
        return number;
    }

    /**
     * The factory's descriptor, refused when it cannot say one, says null, disagrees with the factory's own
     * {@code id()} or leaves no way to authorize an account. The descriptor record itself refuses ids that are not
     * kebab-case and duplicate field keys. A logo that is not safe to show is dropped, not the connector.
     */
    static ConnectorDescriptor checkedDescriptor(ConnectorFactory factory) throws RefusedException {
        String type = factory.getClass().getName();
        ConnectorDescriptor descriptor;
        String id;
        try {
            descriptor = factory.descriptor();
            id = descriptor == null ? null : factory.id();
        } catch (RuntimeException | LinkageError e) {
            throw new RefusedException(
                    new Refusal(Code.INVALID_DESCRIPTOR, type + ".descriptor() failed: " + e + "."), null, e);
        }
        if (descriptor == null) {
            throw new RefusedException(
                    new Refusal(Code.INVALID_DESCRIPTOR, type + ".descriptor() answered null."), null, null);
        }
        if (!descriptor.id().equals(id)) {
            throw new RefusedException(
                    new Refusal(
                            Code.INVALID_DESCRIPTOR,
                            type + " says its id is '" + id + "' but its descriptor says '" + descriptor.id() + "'."),
                    descriptor.id(),
                    null);
        }
        if (descriptor.fields().isEmpty() && ConnectorLoader.authorizesByFieldsOnly(descriptor)) {
            throw new RefusedException(
                    new Refusal(
                            Code.INVALID_DESCRIPTOR,
                            "The descriptor of '" + id + "' declares no credential fields and no other auth kind, so"
                                    + " no account could be linked."),
                    id,
                    null);
        }
        return ConnectorLogos.checked(descriptor);
    }

    /**
     * Runs plugin code of the load (the factory's constructor, its descriptor) on a thread of its own and waits at
     * most the load deadline: a plugin that hangs there is refused and abandoned (its daemon thread interrupted) rather
     * than holding up the start of the whole service.
     */
    private <T> T withinDeadline(String type, Callable<T> call) throws RefusedException {
        FutureTask<T> task = new FutureTask<>(call);
        Thread thread = new Thread(task, "connector-load-" + jar.getFileName());
        thread.setDaemon(true);
        thread.start();
        try {
            return task.get(loadDeadline.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            task.cancel(true);
            throw refused(
                    Code.FACTORY_FAILED,
                    type + " did not finish loading within " + loadDeadline.toSeconds()
                            + " seconds (its constructor or descriptor() hangs); it was abandoned.");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RefusedException refusal) {
                throw refusal;
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(cause);
        } catch (InterruptedException e) {
            task.cancel(true);
            Thread.currentThread().interrupt();
            throw refused(Code.FACTORY_FAILED, "Loading " + type + " was interrupted.");
        }
    }

    static Refusal factoryFailed(String type, Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        Code code = root instanceof NoClassDefFoundError || root instanceof ClassNotFoundException
                ? Code.CLASS_MISSING
                : Code.FACTORY_FAILED;
        return new Refusal(code, "The factory " + type + " could not be created: " + root + ".");
    }

    private RefusedException refused(Code code, String reason) {
        return new RefusedException(new Refusal(code, reason), null, null);
    }

    Path jar() {
        return jar;
    }

    String version() {
        return version;
    }

    Integer spiVersion() {
        return spiVersion;
    }

    URLClassLoader loader() {
        return loader;
    }

    List<Loaded> loaded() {
        return loaded;
    }

    void close() {
        if (loader != null) {
            try {
                loader.close();
            } catch (IOException e) {
                // Nothing of the jar is used any more; a loader that does not close only holds a file handle.
            }
        }
    }
}
