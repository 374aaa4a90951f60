package dev.keyline.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./keyline start}, the bench's {@link ServiceProcess} and the image's entrypoint launch the service one way:
 * {@code java @jvm.options <heap> <start-up archive> ... -jar quarkus-run.jar}, never a hand-built class path. The
 * real script runs against a copy of the repository's launch files and a stand-in {@code java} that records its
 * arguments, so what is compared is the command each would execute.
 */
class LaunchLineTest {
    private static final Path REPOSITORY = Path.of("").toAbsolutePath().getParent();

    @TempDir
    Path dir;

    private Path root;
    private Path jdk;
    private Path app;
    private Path dataDir;
    private Path recorded;

    @BeforeEach
    void copyTheLaunchFilesAndAStandInJvm() throws IOException {
        root = dir.resolve("keyline");
        Files.createDirectories(root.resolve("deploy/docker"));
        Files.copy(REPOSITORY.resolve("keyline"), root.resolve("keyline"));
        Files.copy(REPOSITORY.resolve("deploy/docker/jvm.options"), root.resolve("deploy/docker/jvm.options"));
        Path quarkusApp = root.resolve("platform-service/target/quarkus-app");
        Files.createDirectories(quarkusApp.resolve("lib/main"));
        app = Files.writeString(quarkusApp.resolve("quarkus-run.jar"), "jar");
        Files.writeString(quarkusApp.resolve("lib/main/library.jar"), "jar");
        Instant built = Instant.now().minusSeconds(3600);
        for (Path file : List.of(app, quarkusApp.resolve("lib/main/library.jar"))) {
            Files.setLastModifiedTime(file, FileTime.from(built));
        }

        jdk = dir.resolve("jdk");
        Files.createDirectories(jdk.resolve("bin"));
        Files.createDirectories(jdk.resolve("lib/server"));
        Files.writeString(jdk.resolve("lib/server/libjvm.so"), "a JVM build");
        Path java = Files.writeString(jdk.resolve("bin/java"), "#!/bin/sh\nprintf '%s\\n' \"$@\" > \"$ARGS_FILE\"\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        dataDir = dir.resolve("data");
        recorded = dir.resolve("args");
    }

    @Test
    void scriptHarnessAndImageRunTheSharedOptionsAndTheJar() throws Exception {
        jdkRelease("17.0.15");
        List<String> script = scriptStart();
        List<String> harness = harness(17);
        List<String> image = imageEntrypoint();

        for (List<String> line : List.of(script, harness, image)) {
            assertThat(Path.of(line.get(0)).getFileName()).hasToString("java");
            assertThat(line.get(1)).startsWith("@").endsWith("/jvm.options");
            assertThat(line.subList(line.size() - 2, line.size()))
                    .satisfiesExactly(
                            jar -> assertThat(jar).isEqualTo("-jar"),
                            path -> assertThat(path).endsWith("/quarkus-run.jar"));
            assertThat(line).doesNotContain("-cp", "-classpath", "--class-path");
        }
        assertThat(script.get(1)).isEqualTo("@" + root.resolve("deploy/docker/jvm.options"));
        assertThat(harness.get(1)).isEqualTo(script.get(1));
        assertThat(harness.get(harness.size() - 1)).isEqualTo(app.toString()).isEqualTo(script.get(script.size() - 1));
        // The heap and the archive come right after the shared options, in that order, in both.
        assertThat(harness.subList(2, 6)).isEqualTo(script.subList(2, 6));
        // Every setting the script gives standalone mode, the harness gives too (it adds the bench's own).
        assertThat(harness)
                .containsAll(script.stream()
                        .filter(arg -> arg.startsWith("-Dkeyline.standalone.") || arg.startsWith("-Dquarkus.http."))
                        .toList());

        String dockerfile = Files.readString(REPOSITORY.resolve("deploy/docker/Dockerfile"));
        assertThat(dockerfile)
                .contains("COPY deploy/docker/jvm.options " + image.get(1).substring(1));
    }

    @Test
    void aDynamicArchiveIsRecordedOnceThenMappedUntilTheJarsOrTheJvmChange() throws Exception {
        jdkRelease("17.0.15");
        Path archive = dataDir.resolve("keyline.jsa");
        assertArchiveFlags(17, "-XX:ArchiveClassesAtExit=" + archive, "-Xlog:cds=off", "-Xlog:cds+dynamic=off");

        written(archive);
        assertArchiveFlags(17, "-XX:SharedArchiveFile=" + archive, "-Xlog:cds=off", "-Xlog:cds+dynamic=off");

        // A rebuilt application: the archive names jars that changed.
        Files.setLastModifiedTime(app, FileTime.from(Instant.now().plusSeconds(60)));
        assertArchiveFlags(17, "-XX:ArchiveClassesAtExit=" + archive, "-Xlog:cds=off", "-Xlog:cds+dynamic=off");
        assertThat(archive).doesNotExist();

        Files.setLastModifiedTime(app, FileTime.from(Instant.now().minusSeconds(3600)));
        written(archive);
        assertArchiveFlags(17, "-XX:SharedArchiveFile=" + archive, "-Xlog:cds=off", "-Xlog:cds+dynamic=off");
        // Another JVM build (the harness runs one JVM per data directory, so only the script checks this).
        Files.writeString(jdk.resolve("lib/server/libjvm.so"), "another JVM build");
        assertThat(scriptStart()).contains("-XX:ArchiveClassesAtExit=" + archive);
    }

    @Test
    void jdk25AndLaterRecordAndMapAnAotCache() throws Exception {
        jdkRelease("25.0.3");
        Path cache = dataDir.resolve("keyline.aot");
        assertArchiveFlags(25, "-XX:AOTCacheOutput=" + cache, "-Xlog:aot=off", "-Xlog:cds=off");
        written(cache);
        assertArchiveFlags(25, "-XX:AOTCache=" + cache, "-Xlog:aot=off", "-Xlog:cds=off");
        assertThat(dataDir.resolve("keyline.jsa")).doesNotExist();
    }

    /** The archive flags follow the heap in both the script's and the harness's line, the same in both. */
    private void assertArchiveFlags(int feature, String... flags) throws Exception {
        List<String> script = scriptStart();
        assertThat(script.subList(3, 3 + flags.length)).containsExactly(flags);
        assertThat(harness(feature).subList(3, 3 + flags.length)).containsExactly(flags);
    }

    /** As the JVM does when a recording start stops. */
    private static void written(Path archive) throws IOException {
        Files.writeString(archive, "archive");
        Files.setLastModifiedTime(archive, FileTime.from(Instant.now()));
    }

    private void jdkRelease(String version) throws IOException {
        Files.writeString(jdk.resolve("release"), "JAVA_VERSION=\"" + version + "\"\n");
    }

    /** What {@code ./keyline start} executes, recorded by the stand-in {@code java} it finds first on the path. */
    private List<String> scriptStart() throws Exception {
        ProcessBuilder builder = new ProcessBuilder(
                        "bash", root.resolve("keyline").toString(), "start")
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("script.log").toFile());
        Map<String, String> env = builder.environment();
        env.put("PATH", jdk.resolve("bin") + ":" + env.get("PATH"));
        env.put("ARGS_FILE", recorded.toString());
        env.put("KEYLINE_DATA_DIR", dataDir.toString());
        env.put("KEYLINE_PORT", "18555");
        env.remove("JAVA_OPTS");
        env.remove("KEYLINE_HOST");
        Files.deleteIfExists(recorded);
        Process process = builder.start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue())
                .as("./keyline start: %s", Files.readString(dir.resolve("script.log")))
                .isZero();
        List<String> args = Files.readAllLines(recorded);
        return concat("java", args);
    }

    private List<String> harness(int feature) {
        ServiceProcess.Options options =
                new ServiceProcess.Options(app, dataDir, "mongodb://127.0.0.1:1", "00", "256m", List.of(), null);
        return ServiceProcess.command(options, 18555, feature);
    }

    /** The image's entrypoint: the words of the {@code exec java ...} its shell runs. */
    private static List<String> imageEntrypoint() throws IOException {
        String dockerfile = Files.readString(REPOSITORY.resolve("deploy/docker/Dockerfile"));
        Matcher exec =
                Pattern.compile("(?m)^ENTRYPOINT \\[.*exec (java [^\"]*)\"]$").matcher(dockerfile);
        assertThat(exec.find()).as("an ENTRYPOINT that execs java").isTrue();
        return Arrays.asList(exec.group(1).trim().split("\\s+"));
    }

    private static List<String> concat(String first, List<String> rest) {
        return Stream.concat(Stream.of(first), rest.stream()).toList();
    }
}
