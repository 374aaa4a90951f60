package dev.keyline.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The packaged service ({@code quarkus-run.jar}) in standalone mode, as its own process on loopback: embedded
 * PostgreSQL in a data directory of the bench's, MongoDB at the URI given (the bench's own mongo-java-server), no
 * scheduler and no sync on link, so only the bench starts work. The JVM runs as {@code ./keyline start} and the image
 * run it: the flags of {@code deploy/docker/jvm.options}, {@code MALLOC_ARENA_MAX=2}, {@code -jar quarkus-run.jar},
 * and, as {@code ./keyline start}, a start-up archive in the data directory that the first start writes when it
 * stops and later starts map.
 *
 * <p>Public for the SDK module's access-review suites, which run against the service launched exactly this way.
 */
public final class ServiceProcess implements AutoCloseable {
    /**
     * A heap space's line of {@code GC.heap_info}: one for G1 ("garbage-first heap total …K, used …K"), one per
     * generation for Serial or Parallel; metaspace's lines have no "total".
     */
    private static final Pattern HEAP_USED = Pattern.compile("total \\d+K, used (\\d+)K");

    private static final Pattern HEAP_TOTAL_USED = Pattern.compile("total (\\d+)K, used (\\d+)K");

    private final Process process;
    private final int port;
    private final Path log;

    private ServiceProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /**
     * @param javaHome the JDK the service runs on; null for the harness's own (so the service can run on another
     *     JDK while the upstreams and the baselines in the harness stay on theirs)
     */
    public record Options(
            Path jar,
            Path dataDir,
            String mongoUri,
            String operatorKeySha256,
            String heap,
            List<String> extraJvm,
            Path javaHome) {

        /** The service on the JVM that runs this code (the SDK suites' harness uses this). */
        public Options(
                Path jar, Path dataDir, String mongoUri, String operatorKeySha256, String heap, List<String> extraJvm) {
            this(jar, dataDir, mongoUri, operatorKeySha256, heap, extraJvm, null);
        }

        Path java() {
            return (javaHome == null ? Path.of(System.getProperty("java.home")) : javaHome).resolve("bin/java");
        }

        /** The feature release of the service's JDK, which decides its start-up archive's kind. */
        int javaFeature() {
            return javaHome == null ? Runtime.version().feature() : feature(javaHome);
        }
    }

    /** A JDK's feature release from its {@code release} file ({@code JAVA_VERSION="25.0.3"}, or "1.8.0_x" for 8). */
    static int feature(Path javaHome) {
        Path release = javaHome.resolve("release");
        try {
            Matcher version =
                    Pattern.compile("(?m)^JAVA_VERSION=\"(?:1\\.)?([0-9]+)").matcher(Files.readString(release));
            if (version.find()) {
                return Integer.parseInt(version.group(1));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + release, e);
        }
        throw new IllegalArgumentException("no JAVA_VERSION in " + release);
    }

    /** Starts the service and returns once the process runs; {@link #awaitReady} waits for readiness. */
    public static ServiceProcess launch(Options options, Path log) {
        int port = freePort();
        ProcessBuilder builder = new ProcessBuilder(command(options, port, options.javaFeature()))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().put("MALLOC_ARENA_MAX", "2");
        builder.environment().remove("KEYLINE_PORT");
        builder.environment().remove("KEYLINE_DATA_DIR");
        try {
            return new ServiceProcess(builder.start(), port, log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the service", e);
        }
    }

    /**
     * The bench's launch line, shaped as {@code ./keyline start}'s and the image's (LaunchLineTest holds them
     * together): the options' {@code java} (this JVM's unless told), the shared JVM options, the heap, the start-up archive for a JVM of the
     * given feature release, the extra flags, the settings, {@code -jar quarkus-run.jar}.
     */
    static List<String> command(Options options, int port, int javaFeature) {
        List<String> command = new ArrayList<>();
        command.add(options.java().toString());
        command.add("@" + jvmOptions(options.jar()));
        command.add("-Xmx" + options.heap());
        command.addAll(archiveFlags(options.jar(), options.dataDir(), javaFeature));
        command.addAll(options.extraJvm());
        command.add("-Dkeyline.standalone.enabled=true");
        command.add("-Dkeyline.standalone.data-dir=" + options.dataDir());
        command.add("-Dquarkus.http.host=127.0.0.1");
        command.add("-Dquarkus.http.port=" + port);
        command.add("-Dkeyline.auth.operator-key-sha256=" + options.operatorKeySha256());
        // An empty value unsets standalone's in-process MongoDB: the bench's server holds the data instead, so
        // the heap measured is the service's own, as with a MongoDB of its own in production.
        command.add("-Dkeyline.sync.mongo.embedded-file=");
        command.add("-Dkeyline.sync.mongo.uri=" + options.mongoUri());
        command.add("-Dkeyline.sync.mongo.database=keyline_bench");
        command.add("-Dkeyline.sync.on-link=false");
        command.add("-Dkeyline.sync.scheduler.enabled=false");
        command.add("-Dkeyline.sync.page-size=100");
        command.add("-Dkeyline.egress.allow-http=true");
        command.add("-Dkeyline.egress.allow-cidrs=127.0.0.1/32");
        // Scenario 7 delivers webhooks to a local receiver; webhooks never inherit the connectors' allowance.
        command.add("-Dkeyline.webhooks.allow-cidrs=127.0.0.1/32");
        // The harness measures capacity, and its one tenant sends far more than the default 50 requests a second
        // a tenant may; the limiter still runs on every request, only its limit is out of the way.
        command.add("-Dkeyline.limits.requests-per-second=1000000");
        command.add("-Dkeyline.limits.burst=1000000");
        command.add("-jar");
        command.add(options.jar().toAbsolutePath().toString());
        return command;
    }

    /** The launcher's and the image's JVM flags: {@code deploy/docker/jvm.options} of the tree the jar was built in. */
    static Path jvmOptions(Path jar) {
        // <root>/platform-service/target/quarkus-app/quarkus-run.jar
        Path root = jar.toAbsolutePath().getParent().getParent().getParent().getParent();
        Path file = root.resolve("deploy/docker/jvm.options");
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("no JVM options at " + file);
        }
        return file;
    }

    /**
     * As {@code ./keyline start}'s {@code archive_flags}: map the data directory's archive when it is newer than every
     * file of the packaged application, else record one that this process writes when it stops; an AOT cache from
     * JDK 25 on, a dynamic CDS archive before. A bench run has a data directory of its own and one JVM, so its first
     * start (not measured) writes the archive and the measured starts map it.
     */
    static List<String> archiveFlags(Path jar, Path dataDir, int javaFeature) {
        boolean aotCache = javaFeature >= 25;
        Path archive = dataDir.toAbsolutePath().resolve(aotCache ? "keyline.aot" : "keyline.jsa");
        boolean usable;
        try (var files = Files.walk(jar.toAbsolutePath().getParent())) {
            usable = Files.isRegularFile(archive)
                    && files.filter(Files::isRegularFile).noneMatch(f -> newer(f, archive));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (aotCache) {
            return List.of(
                    (usable ? "-XX:AOTCache=" : "-XX:AOTCacheOutput=") + archive, "-Xlog:aot=off", "-Xlog:cds=off");
        }
        return List.of(
                (usable ? "-XX:SharedArchiveFile=" : "-XX:ArchiveClassesAtExit=") + archive,
                "-Xlog:cds=off",
                "-Xlog:cds+dynamic=off");
    }

    private static boolean newer(Path file, Path than) {
        try {
            return Files.getLastModifiedTime(file).compareTo(Files.getLastModifiedTime(than)) > 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    long pid() {
        return process.pid();
    }

    /** Polls {@code /q/health/ready} until it answers 200; the time from now until then. */
    public Duration awaitReady(Duration timeout) {
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the service exited with " + process.exitValue() + "; see " + log);
            }
            try {
                HttpResponse<Void> response = http.send(
                        HttpRequest.newBuilder(URI.create(baseUrl() + "/q/health/ready"))
                                .timeout(Duration.ofSeconds(2))
                                .build(),
                        HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return Duration.ofNanos(System.nanoTime() - start);
                }
            } catch (IOException e) {
                // Not listening yet.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            sleep(20);
        }
        throw new IllegalStateException("the service was not ready within " + timeout + "; see " + log);
    }

    /** Resident memory of the process in MB, from /proc. */
    double rssMb() {
        return Proc.rssKb(process.pid()) / 1024.0;
    }

    /** The heap as it stands (no collection first): committed and used, every generation summed, in MB. */
    record Heap(double committedMb, double usedMb) {}

    /**
     * The heap's committed and used size now, via jcmd {@code GC.heap_info}, which does not collect: what the
     * process holds from the work before, as opposed to {@link #liveHeapMb()}.
     */
    Heap heapNow() {
        String info = Jcmd.run(process.pid(), "GC.heap_info");
        Matcher m = HEAP_TOTAL_USED.matcher(info);
        long committedKb = 0;
        long usedKb = 0;
        boolean found = false;
        while (m.find()) {
            committedKb += Long.parseLong(m.group(1));
            usedKb += Long.parseLong(m.group(2));
            found = true;
        }
        if (!found) {
            throw new IllegalStateException("unexpected GC.heap_info output: " + info);
        }
        return new Heap(committedKb / 1024.0, usedKb / 1024.0);
    }

    /** Heap in use right after a full collection (the live set, every generation), in MB, via jcmd. */
    double liveHeapMb() {
        Jcmd.run(process.pid(), "GC.run");
        String info = Jcmd.run(process.pid(), "GC.heap_info");
        Matcher m = HEAP_USED.matcher(info);
        long usedKb = 0;
        boolean found = false;
        while (m.find()) {
            usedKb += Long.parseLong(m.group(1));
            found = true;
        }
        if (!found) {
            throw new IllegalStateException("unexpected GC.heap_info output: " + info);
        }
        return usedKb / 1024.0;
    }

    /** Stops the service as Ctrl-C would (Quarkus first, then PostgreSQL) and waits for it. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(40, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "";
        }
    }
}
