package dev.keyline.platform.connector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyline.connector.spi.ConnectorFactory;
import dev.keyline.platform.support.FakeScimConnectorFactory;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Plugin loading, with real jars compiled on the fly so their classes exist only inside the jar. */
class ConnectorLoaderTest {

    @TempDir
    Path temp;

    private final ClassLoader classpath = getClass().getClassLoader();

    @Test
    void aMissingPluginsDirectoryIsFine() {
        var loaded = new ConnectorLoader().load(classpath, temp.resolve("does-not-exist"));
        assertThat(loaded).containsKey(FakeScimConnectorFactory.ID);
    }

    @Test
    void aPluginJarIsLoadedInItsOwnClassLoader() throws Exception {
        Path plugins = Files.createDirectories(temp.resolve("plugins"));
        pluginJar(plugins.resolve("acme.jar"), "acme-directory");

        ConnectorLoader loader = new ConnectorLoader();
        var loaded = loader.load(classpath, plugins);

        assertThat(loaded).containsKeys(FakeScimConnectorFactory.ID, "acme-directory");
        assertThat(loaded.get("acme-directory").source()).contains("acme.jar");
        ClassLoader pluginLoader =
                loaded.get("acme-directory").factory().getClass().getClassLoader();
        assertThat(loader.pluginLoaders()).containsExactly((java.net.URLClassLoader) pluginLoader);
        // The classpath's connectors are not loaded a second time through the plugin loader's parent.
        assertThat(loaded.values().stream().filter(l -> l.source().startsWith("plugin")))
                .extracting(l -> l.descriptor().id())
                .containsExactly("acme-directory");
    }

    @Test
    void aPluginSeesTheConnectorApiButNotThePlatform() throws Exception {
        Path plugins = Files.createDirectories(temp.resolve("plugins"));
        pluginJar(plugins.resolve("isolated.jar"), "isolated");

        var loaded = new ConnectorLoader().load(classpath, plugins);
        ClassLoader pluginLoader = loaded.get("isolated").factory().getClass().getClassLoader();

        assertThat(pluginLoader.loadClass(ConnectorFactory.class.getName())).isSameAs(ConnectorFactory.class);
        assertThatThrownBy(() -> pluginLoader.loadClass(ConnectorRegistry.class.getName()))
                .isInstanceOf(ClassNotFoundException.class);
        assertThatThrownBy(() -> pluginLoader.loadClass(org.assertj.core.api.Assertions.class.getName()))
                .isInstanceOf(ClassNotFoundException.class);
    }

    @Test
    void twoPluginsWithTheSameIdAreBothRefusedEachNamingTheOther() throws Exception {
        Path plugins = Files.createDirectories(temp.resolve("plugins"));
        pluginJar(plugins.resolve("one.jar"), "twin");
        pluginJar(plugins.resolve("two.jar"), "twin");
        pluginJar(plugins.resolve("three.jar"), "single");

        ConnectorLoader loader = new ConnectorLoader();
        var loaded = loader.load(classpath, plugins);

        assertThat(loaded).doesNotContainKey("twin").containsKeys("single", FakeScimConnectorFactory.ID);
        assertThat(loader.refused())
                .extracting(
                        ConnectorLoader.Refused::jarName, ConnectorLoader.Refused::id, ConnectorLoader.Refused::code)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("one.jar", "twin", "duplicate_id"),
                        org.assertj.core.groups.Tuple.tuple("two.jar", "twin", "duplicate_id"));
        assertThat(loader.refused())
                .filteredOn(r -> r.jarName().equals("one.jar"))
                .singleElement()
                .extracting(ConnectorLoader.Refused::reason)
                .asString()
                .contains("'twin'")
                .contains("two.jar");
        assertThat(loader.refused())
                .filteredOn(r -> r.jarName().equals("two.jar"))
                .singleElement()
                .extracting(ConnectorLoader.Refused::reason)
                .asString()
                .contains("one.jar");
        assertThat(loader.pluginLoaders()).hasSize(1);
    }

    @Test
    void aPluginReusingAClasspathIdIsRefusedAndTheBuiltInStays() throws Exception {
        Path plugins = Files.createDirectories(temp.resolve("plugins"));
        pluginJar(plugins.resolve("clash.jar"), FakeScimConnectorFactory.ID);

        ConnectorLoader loader = new ConnectorLoader();
        var loaded = loader.load(classpath, plugins);

        assertThat(loaded.get(FakeScimConnectorFactory.ID).factory()).isInstanceOf(FakeScimConnectorFactory.class);
        assertThat(loaded.get(FakeScimConnectorFactory.ID).jar()).isNull();
        assertThat(loader.refused()).singleElement().satisfies(r -> {
            assertThat(r.jarName()).isEqualTo("clash.jar");
            assertThat(r.code()).isEqualTo("duplicate_id");
            assertThat(r.reason()).contains("built-in");
        });
    }

    /** Compiles a one-class connector factory with the given id into a jar with its service registration. */
    private void pluginJar(Path jar, String id) throws IOException {
        String pkg = "plugin" + Math.abs(jar.getFileName().toString().hashCode());
        String source = """
                package %s;
                import dev.keyline.connector.spi.*;
                import java.util.*;
                public class Factory implements ConnectorFactory {
                    public String id() { return "%s"; }
                    public ConnectorDescriptor descriptor() {
                        return new ConnectorDescriptor("%s", "Plugin", "iam", "A plugin.", List.of(),
                                List.of(CredentialField.secret("token", "Token", "A token.", null)), List.of(), Set.of());
                    }
                    public Connector create(ConnectorConfig config, ConnectorContext context) { return () -> {}; }
                }
                """.formatted(pkg, id, id);
        Path src = Files.createDirectories(temp.resolve("src-" + pkg).resolve(pkg));
        Files.writeString(src.resolve("Factory.java"), source);
        Path out = Files.createDirectories(temp.resolve("out-" + pkg));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        String api = Path.of(ConnectorFactory.class
                        .getProtectionDomain()
                        .getCodeSource()
                        .getLocation()
                        .getPath())
                .toString();
        int rc = javac.run(
                null,
                null,
                null,
                "-cp",
                api,
                "-d",
                out.toString(),
                src.resolve("Factory.java").toString());
        assertThat(rc).as("plugin compiles").isZero();
        try (JarOutputStream jarOut = new JarOutputStream(Files.newOutputStream(jar))) {
            jarOut.putNextEntry(new JarEntry(pkg + "/Factory.class"));
            jarOut.write(Files.readAllBytes(out.resolve(pkg).resolve("Factory.class")));
            jarOut.closeEntry();
            jarOut.putNextEntry(new JarEntry("META-INF/services/" + ConnectorFactory.class.getName()));
            OutputStream entry = jarOut;
            entry.write((pkg + ".Factory\n").getBytes(StandardCharsets.UTF_8));
            jarOut.closeEntry();
        }
    }
}
