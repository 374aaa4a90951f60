package dev.keyline.platform.support;

import static java.util.Objects.requireNonNull;

import dev.keyline.connector.spi.ConnectorFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Builds real plugin jars for tests: compiles sources with the JDK's compiler against the connector API (or another
 * jar, such as an older SPI's), writes the service registration and manifest, and can leave compiled classes out to
 * make a plugin whose dependency is missing. The classes exist only inside the jar, as in a real installation.
 */
public final class PluginJars {
    private final Map<String, String> sources = new LinkedHashMap<>();
    private final List<String> factories = new ArrayList<>();
    private final Map<String, String> manifest = new LinkedHashMap<>();
    private final Set<String> omitted = new LinkedHashSet<>();
    private final List<Path> classpath = new ArrayList<>();
    private final Map<String, String> resources = new LinkedHashMap<>();

    private PluginJars() {}

    public static PluginJars builder() {
        return new PluginJars();
    }

    /** The running connector API's classes (a directory or a jar), which plugins are compiled against by default. */
    public static Path connectorApi() {
        try {
            return Path.of(ConnectorFactory.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A class's source, by its fully qualified name. */
    public PluginJars source(String className, String source) {
        sources.put(requireNonNull(className), requireNonNull(source));
        return this;
    }

    /** Registers a factory class in {@code META-INF/services}. */
    public PluginJars factory(String className) {
        factories.add(className);
        return this;
    }

    public PluginJars manifest(String attribute, String value) {
        manifest.put(attribute, value);
        return this;
    }

    /** A resource in the jar (UTF-8), such as {@code META-INF/keyline/messages_de.properties}. */
    public PluginJars resource(String path, String content) {
        resources.put(requireNonNull(path), requireNonNull(content));
        return this;
    }

    /** Compiles the class (and its nested classes) but leaves it out of the jar: a missing dependency. */
    public PluginJars omit(String className) {
        omitted.add(className);
        return this;
    }

    /** Compiles against these instead of the running connector API (for example an older SPI's jar). */
    public PluginJars compileAgainst(Path... entries) {
        classpath.addAll(List.of(entries));
        return this;
    }

    /** Compiles and writes the jar; fails with the compiler's output when a source does not compile. */
    public Path writeTo(Path jar) {
        try {
            Path work = Files.createTempDirectory("plugin-src");
            Path src = Files.createDirectories(work.resolve("src"));
            Path out = Files.createDirectories(work.resolve("out"));
            List<String> args = new ArrayList<>(List.of(
                    "-cp",
                    String.join(
                            java.io.File.pathSeparator,
                            (classpath.isEmpty() ? List.of(connectorApi()) : classpath)
                                    .stream().map(Path::toString).toList()),
                    "-d",
                    out.toString()));
            for (Map.Entry<String, String> e : sources.entrySet()) {
                Path file = src.resolve(e.getKey().replace('.', '/') + ".java");
                Files.createDirectories(file.getParent());
                Files.writeString(file, e.getValue());
                args.add(file.toString());
            }
            JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
            java.io.ByteArrayOutputStream errors = new java.io.ByteArrayOutputStream();
            int rc = javac.run(null, null, errors, args.toArray(String[]::new));
            if (rc != 0) {
                throw new IllegalStateException(
                        "plugin sources do not compile:\n" + errors.toString(StandardCharsets.UTF_8));
            }
            Manifest mf = new Manifest();
            mf.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
            manifest.forEach((k, v) -> mf.getMainAttributes().put(new Attributes.Name(k), v));
            Files.createDirectories(jar.toAbsolutePath().getParent());
            try (JarOutputStream jarOut = new JarOutputStream(Files.newOutputStream(jar), mf);
                    Stream<Path> classes = Files.walk(out)) {
                for (Path file : classes.filter(Files::isRegularFile).sorted().toList()) {
                    String entry = out.relativize(file).toString().replace('\\', '/');
                    String className = entry.substring(0, entry.length() - ".class".length())
                            .replace('/', '.');
                    String outer = className.contains("$") ? className.substring(0, className.indexOf('$')) : className;
                    if (omitted.contains(outer)) {
                        continue;
                    }
                    jarOut.putNextEntry(new JarEntry(entry));
                    jarOut.write(Files.readAllBytes(file));
                    jarOut.closeEntry();
                }
                for (Map.Entry<String, String> resource : resources.entrySet()) {
                    jarOut.putNextEntry(new JarEntry(resource.getKey()));
                    jarOut.write(resource.getValue().getBytes(StandardCharsets.UTF_8));
                    jarOut.closeEntry();
                }
                if (!factories.isEmpty()) {
                    jarOut.putNextEntry(new JarEntry("META-INF/services/" + ConnectorFactory.class.getName()));
                    jarOut.write((String.join("\n", factories) + "\n").getBytes(StandardCharsets.UTF_8));
                    jarOut.closeEntry();
                }
            }
            return jar;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
