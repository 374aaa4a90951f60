package dev.keyline.connector.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.keyline.connector.spi.ConnectorFactory;
import dev.keyline.connector.spi.SpiVersion;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * The one command of docs/connectors.md, {@code new-connector.sh}, run into {@code target/}: the project it
 * makes compiles against connector-api and connector-scim and its conformance test passes (javac and the JUnit
 * launcher in this JVM), and its own {@code pom.xml} builds the plugin jar (a nested Maven build), the only jar in
 * its {@code target/}. The same for {@code --kind json}, once connector-template-json is in the checkout.
 */
class NewConnectorScriptTest {
    private static final Path SCRIPT = Path.of("new-connector.sh").toAbsolutePath();
    private static final Path WORK = Path.of("target", "new-connector-test").toAbsolutePath();
    private static final String PACKAGE = "com.acme.keyline.directory";
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Map<Path, Path> BUILT = new HashMap<>();

    private static Path project;

    @BeforeAll
    static void generate() throws Exception {
        deleteRecursively(WORK);
        Files.createDirectories(WORK);
        project = WORK.resolve("acme");
        Result result = run(SCRIPT.toString(), "acme-directory", project.toString(), PACKAGE);
        assertThat(result.exitCode())
                .as("new-connector.sh output: %s", result.output())
                .isZero();
    }

    @Test
    void theProjectIsRenamedThroughout() throws IOException {
        Path main = project.resolve("src/main/java/com/acme/keyline/directory");
        assertThat(main.resolve("AcmeDirectoryConnectorFactory.java")).isRegularFile();
        assertThat(main.resolve("AcmeDirectoryConnector.java")).isRegularFile();
        assertThat(project.resolve("src/test/java/com/acme/keyline/directory/AcmeDirectoryConformanceTest.java"))
                .isRegularFile();
        assertThat(project.resolve("src/test/java/com/acme/keyline/directory/NewConnectorScriptTest.java"))
                .doesNotExist();
        assertThat(project.resolve("src/main/resources/META-INF/services/" + ConnectorFactory.class.getName()))
                .content(StandardCharsets.UTF_8)
                .isEqualToIgnoringNewLines(PACKAGE + ".AcmeDirectoryConnectorFactory");
        assertThat(project.resolve("pom.xml"))
                .content(StandardCharsets.UTF_8)
                .contains("<groupId>com.acme.keyline</groupId>")
                .contains("<artifactId>keyline-connector-acme-directory</artifactId>")
                .contains("<shadedPattern>" + PACKAGE + ".shaded.scim.</shadedPattern>")
                .doesNotContain("@");
        try (Stream<Path> files = Files.walk(project)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                assertThat(Files.readString(file))
                        .as("%s mentions the template", project.relativize(file))
                        .doesNotContainIgnoringCase("template");
            }
        }
    }

    /** Message codes are lower-case dotted words: the id's dashes cannot be part of them. */
    @Test
    void messageCodesAreNamespacedByTheNewId() throws IOException {
        assertThat(project.resolve("src/main/java/com/acme/keyline/directory/AcmeDirectoryConnectorFactory.java"))
                .content(StandardCharsets.UTF_8)
                .contains("MESSAGE_CODES = \"acme_directory\"");
    }

    @Test
    void theGeneratedConnectorCompilesAndPassesTheConformanceKit() throws Exception {
        Path classes = Files.createDirectories(WORK.resolve("classes"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        List<String> args = new ArrayList<>(List.of(
                "-proc:none",
                "--release",
                "17",
                "-cp",
                System.getProperty("java.class.path"),
                "-d",
                classes.toString()));
        try (Stream<Path> sources = Files.walk(project.resolve("src"))) {
            sources.filter(p -> p.toString().endsWith(".java"))
                    .map(Path::toString)
                    .forEach(args::add);
        }
        assertThat(javac.run(null, null, null, args.toArray(String[]::new)))
                .as("javac exit code")
                .isZero();
        copyTree(project.resolve("src/main/resources"), classes);

        try (URLClassLoader loader = new URLClassLoader(
                "generated-connector",
                new URL[] {classes.toUri().toURL()},
                getClass().getClassLoader())) {
            assertThat(ServiceLoader.load(ConnectorFactory.class, loader).stream()
                            .map(ServiceLoader.Provider::get)
                            .map(ConnectorFactory::id))
                    .contains("acme-directory", "template");

            Class<?> conformance = loader.loadClass(PACKAGE + ".AcmeDirectoryConformanceTest");
            LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                    .selectors(selectClass(conformance))
                    .build();
            SummaryGeneratingListener listener = new SummaryGeneratingListener();
            Launcher launcher = LauncherFactory.create();
            launcher.execute(request, listener);
            TestExecutionSummary summary = listener.getSummary();

            assertThat(summary.getFailures())
                    .as("failures of the generated conformance test")
                    .isEmpty();
            // The kit has some twenty tests; a discovery that found none would pass the line above.
            assertThat(summary.getTestsSucceededCount()).isGreaterThanOrEqualTo(20);
        }
    }

    /**
     * The generated {@code pom.xml} itself, with the Maven that builds Keyline: {@code mvn verify} runs the
     * conformance test and shades a plugin jar. Keyline's own artifacts come from this build (laid out as a
     * local repository in {@code target/}, in front of the usual one), as {@code ./mvnw install} would provide
     * them to an ops team.
     */
    @Test
    void theGeneratedProjectBuildsAPluginJarWithMaven() throws Exception {
        Path plugin = buildWithMaven(project, PACKAGE + ".AcmeDirectoryConformanceTest");

        assertThat(plugin.getFileName()).hasToString("keyline-connector-acme-directory-0.1.0-SNAPSHOT-plugin.jar");
        try (JarFile jar = new JarFile(plugin.toFile())) {
            List<String> names = jar.stream().map(JarEntry::getName).toList();
            assertThat(names)
                    .contains(
                            "com/acme/keyline/directory/AcmeDirectoryConnectorFactory.class",
                            "com/acme/keyline/directory/shaded/scim/ScimClient.class",
                            "META-INF/services/" + ConnectorFactory.class.getName())
                    .noneMatch(n -> n.startsWith("dev/keyline/"))
                    .noneMatch(n -> n.startsWith("com/fasterxml/"));
        }
    }

    /** The commands the generated README documents work as written: there is one jar to name. */
    @Test
    void theReadmesInspectionCommandsWorkOnTheBuiltProject() throws Exception {
        buildWithMaven(project, PACKAGE + ".AcmeDirectoryConformanceTest");
        assertThat(project.resolve("README.md"))
                .content(StandardCharsets.UTF_8)
                .contains("unzip -l target/*.jar", "keyline-connector-acme-directory-<version>-plugin.jar");

        Result listing = runIn(project, "unzip -l target/*.jar | grep -v '/shaded/'");
        Result manifest = runIn(project, "unzip -p target/*.jar META-INF/MANIFEST.MF");

        assertThat(listing.exitCode()).as(listing.output()).isZero();
        assertThat(listing.output()).contains("AcmeDirectoryConnectorFactory.class");
        assertThat(manifest.exitCode()).as(manifest.output()).isZero();
        assertThat(manifest.output()).contains("Keyline-Connector-SPI: " + SpiVersion.CURRENT);
    }

    /**
     * {@code --kind json}: the non-SCIM starting point, copied from connector-template-json, generates a project
     * whose own build passes its conformance test and makes one plugin jar.
     */
    @Test
    void aJsonConnectorProjectIsGeneratedAndBuilds() throws Exception {
        Path json = WORK.resolve("acme-hr");
        Result result = run(SCRIPT.toString(), "--kind", "json", "acme-hr", json.toString(), "com.acme.keyline.hr");
        assertThat(result.exitCode())
                .as("new-connector.sh output: %s", result.output())
                .isZero();
        assertThat(json.resolve("src/main/java/com/acme/keyline/hr/AcmeHrConnectorFactory.java"))
                .isRegularFile();
        assertThat(json.resolve("pom.xml")).content(StandardCharsets.UTF_8).doesNotContain("@");

        Path plugin = buildWithMaven(json, "com.acme.keyline.hr.AcmeHrConformanceTest");

        assertThat(plugin.getFileName()).hasToString("keyline-connector-acme-hr-0.1.0-SNAPSHOT-plugin.jar");
        try (JarFile jar = new JarFile(plugin.toFile())) {
            assertThat(jar.stream().map(JarEntry::getName))
                    .contains("com/acme/keyline/hr/AcmeHrConnectorFactory.class")
                    .noneMatch(n -> n.startsWith("dev/keyline/"));
        }
    }

    @Test
    void anUnknownKindIsRefused() throws Exception {
        Path target = WORK.resolve("refused-kind");

        Result result = run(SCRIPT.toString(), "--kind", "soap", "acme", target.toString());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.output()).contains("--kind is scim");
        assertThat(target).doesNotExist();
    }

    /**
     * Builds a generated project with its own {@code pom.xml} and the Maven that builds Keyline ({@code mvn
     * verify}: the conformance test, then the shaded plugin jar), once per project. Keyline's own artifacts come
     * from this build (laid out as a local repository in {@code target/}, in front of the usual one), as {@code
     * ./mvnw install} would provide them to an ops team.
     *
     * @return the plugin jar, checked to be the only jar in the project's {@code target/} and to carry the SPI
     *     version and the project's name and version in its manifest
     */
    private static synchronized Path buildWithMaven(Path dir, String conformanceTest) throws Exception {
        Path built = BUILT.get(dir);
        if (built != null) {
            return built;
        }
        String version = System.getProperty("keyline.test.version");
        String userRepo = System.getProperty("keyline.test.local-repo");
        assertThat(version).as("keyline.test.version (set by the pom)").isNotBlank();
        assertThat(userRepo).as("keyline.test.local-repo (set by the pom)").isNotBlank();
        Path repo = WORK.resolve("repo");
        install(repo, "keyline-parent", version, ROOT.resolve("pom.xml"), null);
        for (String module : keylineModules(dir.resolve("pom.xml"))) {
            Path jar = ROOT.resolve(module).resolve("target").resolve(module + "-" + version + ".jar");
            assertThat(jar)
                    .as("%s's jar; build with ./mvnw -pl connector-template -am verify", module)
                    .isRegularFile();
            install(repo, module, version, ROOT.resolve(module).resolve("pom.xml"), jar);
        }

        Path log = dir.resolveSibling(dir.getFileName() + "-maven.log");
        Process process = new ProcessBuilder(
                        "bash",
                        ROOT.resolve("mvnw").toString(),
                        "-B",
                        "-q",
                        "-f",
                        dir.resolve("pom.xml").toString(),
                        "-Dmaven.repo.local=" + repo,
                        "-Dmaven.repo.local.tail=" + userRepo,
                        "verify")
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        assertThat(process.waitFor(10, TimeUnit.MINUTES))
                .as("nested build finished")
                .isTrue();
        assertThat(process.exitValue())
                .as("nested build exit code; log: %s", Files.readString(log))
                .isZero();

        Path reports = dir.resolve("target/surefire-reports");
        assertThat(Files.readString(reports.resolve("TEST-" + conformanceTest + ".xml"), StandardCharsets.UTF_8))
                .contains("failures=\"0\"")
                .contains("errors=\"0\"")
                .doesNotContain("tests=\"0\"");

        // One jar in target/, so `cp target/*.jar plugins/` and `unzip -l target/*.jar` mean the plugin.
        List<Path> jars;
        try (Stream<Path> files = Files.list(dir.resolve("target"))) {
            jars = files.filter(p -> p.toString().endsWith(".jar")).toList();
        }
        assertThat(jars)
                .singleElement()
                .satisfies(p -> assertThat(p.getFileName().toString()).endsWith("-0.1.0-SNAPSHOT-plugin.jar"));
        Path plugin = jars.get(0);
        String artifactId = plugin.getFileName().toString().replace("-0.1.0-SNAPSHOT-plugin.jar", "");
        assertThat(dir.resolve("target/unshaded").resolve(artifactId + "-0.1.0-SNAPSHOT.jar"))
                .isRegularFile();
        try (JarFile jar = new JarFile(plugin.toFile())) {
            Attributes manifest = jar.getManifest().getMainAttributes();
            assertThat(manifest.getValue(SpiVersion.MANIFEST_ATTRIBUTE)).isEqualTo("" + SpiVersion.CURRENT);
            assertThat(manifest.getValue("Implementation-Title")).isEqualTo(artifactId);
            assertThat(manifest.getValue("Implementation-Version")).isEqualTo("0.1.0-SNAPSHOT");
        }
        BUILT.put(dir, plugin);
        return plugin;
    }

    /** Keyline's modules a generated pom depends on (connector-api, connector-tck, …), which must be "installed". */
    private static List<String> keylineModules(Path pom) throws IOException {
        Matcher dependency = Pattern.compile(
                        "<groupId>dev\\.keyline</groupId>\\s*<artifactId>([a-z0-9-]+)</artifactId>")
                .matcher(Files.readString(pom));
        Set<String> modules = new LinkedHashSet<>();
        while (dependency.find()) {
            modules.add(dependency.group(1));
        }
        // And what those depend on in turn: everything on connector-api, the kit on the SCIM double.
        modules.add("connector-api");
        if (modules.contains("connector-tck")) {
            modules.add("scim-double");
        }
        return List.copyOf(modules);
    }

    /** Lays an artifact out as {@code mvn install} would, in a local repository of its own. */
    private static void install(Path repo, String artifactId, String version, Path pom, Path jar) throws IOException {
        Path dir = Files.createDirectories(
                repo.resolve("dev/keyline").resolve(artifactId).resolve(version));
        Files.copy(pom, dir.resolve(artifactId + "-" + version + ".pom"), StandardCopyOption.REPLACE_EXISTING);
        if (jar != null) {
            Files.copy(jar, dir.resolve(artifactId + "-" + version + ".jar"), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    @Test
    void badArgumentsAreRefusedWithoutWritingAnything() throws Exception {
        Path target = WORK.resolve("refused");
        assertThat(run(SCRIPT.toString(), "Acme_Directory", target.toString()).exitCode())
                .isEqualTo(2);
        assertThat(run(SCRIPT.toString(), "acme", target.toString(), "dev.keyline.acme")
                        .exitCode())
                .isEqualTo(2);
        assertThat(target).doesNotExist();

        Result existing = run(SCRIPT.toString(), "acme-directory", project.toString());
        assertThat(existing.exitCode()).isEqualTo(2);
        assertThat(existing.output()).contains("not empty");
    }

    private record Result(int exitCode, String output) {}

    private static Result runIn(Path dir, String commandLine) throws Exception {
        Process process = new ProcessBuilder("bash", "-c", commandLine)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("command finished").isTrue();
        return new Result(process.exitValue(), output);
    }

    private static Result run(String... command) throws Exception {
        List<String> line = new ArrayList<>(List.of("bash"));
        line.addAll(List.of(command));
        Process process = new ProcessBuilder(line).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("script finished").isTrue();
        return new Result(process.exitValue(), output);
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                Files.createDirectories(target.getParent());
                Files.copy(file, target);
            }
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
