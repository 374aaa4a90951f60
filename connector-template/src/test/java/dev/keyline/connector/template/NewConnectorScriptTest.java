package dev.keyline.connector.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.keyline.connector.spi.ConnectorFactory;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;
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
 * launcher in this JVM), and its own {@code pom.xml} builds the plugin jar (a nested Maven build).
 */
class NewConnectorScriptTest {
    private static final Path SCRIPT = Path.of("new-connector.sh").toAbsolutePath();
    private static final Path WORK = Path.of("target", "new-connector-test").toAbsolutePath();
    private static final String PACKAGE = "com.acme.keyline.directory";

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
        String version = System.getProperty("keyline.test.version");
        String userRepo = System.getProperty("keyline.test.local-repo");
        assertThat(version).as("keyline.test.version (set by the pom)").isNotBlank();
        assertThat(userRepo).as("keyline.test.local-repo (set by the pom)").isNotBlank();
        Path root = Path.of("..").toAbsolutePath().normalize();
        Path repo = WORK.resolve("repo");
        install(repo, "keyline-parent", version, root.resolve("pom.xml"), null);
        for (String module : List.of("connector-api", "scim-double", "connector-scim", "connector-tck")) {
            Path jar = root.resolve(module).resolve("target").resolve(module + "-" + version + ".jar");
            assertThat(jar)
                    .as("%s's jar; build with ./mvnw -pl connector-template -am verify", module)
                    .isRegularFile();
            install(repo, module, version, root.resolve(module).resolve("pom.xml"), jar);
        }

        Process process = new ProcessBuilder(
                        "bash",
                        root.resolve("mvnw").toString(),
                        "-B",
                        "-q",
                        "-f",
                        project.resolve("pom.xml").toString(),
                        "-Dmaven.repo.local=" + repo,
                        "-Dmaven.repo.local.tail=" + userRepo,
                        "verify")
                .directory(project.toFile())
                .redirectErrorStream(true)
                .redirectOutput(WORK.resolve("maven.log").toFile())
                .start();
        assertThat(process.waitFor(10, TimeUnit.MINUTES))
                .as("nested build finished")
                .isTrue();
        assertThat(process.exitValue())
                .as("nested build exit code; log: %s", Files.readString(WORK.resolve("maven.log")))
                .isZero();

        Path reports = project.resolve("target/surefire-reports");
        assertThat(Files.readString(
                        reports.resolve("TEST-" + PACKAGE + ".AcmeDirectoryConformanceTest.xml"),
                        StandardCharsets.UTF_8))
                .contains("failures=\"0\"")
                .contains("errors=\"0\"")
                .doesNotContain("tests=\"0\"");
        Path plugin = project.resolve("target/keyline-connector-acme-directory-0.1.0-SNAPSHOT.jar");
        try (java.util.jar.JarFile jar = new java.util.jar.JarFile(plugin.toFile())) {
            List<String> names =
                    jar.stream().map(java.util.jar.JarEntry::getName).toList();
            assertThat(names)
                    .contains(
                            "com/acme/keyline/directory/AcmeDirectoryConnectorFactory.class",
                            "com/acme/keyline/directory/shaded/scim/ScimClient.class",
                            "META-INF/services/" + ConnectorFactory.class.getName())
                    .noneMatch(n -> n.startsWith("dev/keyline/"))
                    .noneMatch(n -> n.startsWith("com/fasterxml/"));
        }
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
