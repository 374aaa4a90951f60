package dev.keyline.deploy.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged service ({@code quarkus-run.jar}) as a child process, configured with {@code -D} properties and
 * environment variables, its output in {@code target/e2e/<name>.log}.
 */
final class KeylineProcess implements AutoCloseable {
    // A start takes seconds on free cores; keyline.e2e.start-timeout (seconds) allows for a crowded machine.
    private static final Duration START_TIMEOUT = Duration.ofSeconds(Long.getLong("keyline.e2e.start-timeout", 240));

    private final String name;
    private final int port;
    private final Map<String, String> properties;
    private final Map<String, String> environment;
    private final Path log;
    private Process process;

    private KeylineProcess(String name, int port, Map<String, String> properties, Map<String, String> environment) {
        this.name = name;
        this.port = port;
        this.properties = new LinkedHashMap<>(properties);
        this.environment = new LinkedHashMap<>(environment);
        this.log = E2e.logDir().resolve(name + ".log");
    }

    /** Starts the service and waits until it reports ready; fails with the tail of its log otherwise. */
    static KeylineProcess start(String name, Map<String, String> properties, Map<String, String> environment) {
        KeylineProcess keyline = new KeylineProcess(name, E2e.freePort(), properties, environment);
        keyline.start();
        return keyline;
    }

    /** Starts it again after a stop or a kill, same port and configuration, appending to the same log. */
    void start() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException(name + " is running");
        }
        List<String> command = new ArrayList<>();
        command.add(E2e.javaBinary());
        command.add("-Xmx384m");
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-Dquarkus.http.port=" + port);
        command.add("-Dquarkus.http.host=127.0.0.1");
        properties.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.add("-jar");
        command.add(E2e.serviceJar().toString());
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(E2e.logDir().toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(environment);
        long startedAt = System.nanoTime();
        try {
            Files.writeString(
                    log,
                    "==== " + name + " starting on port " + port + System.lineSeparator(),
                    java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + name, e);
        }
        // Should the test JVM itself be stopped (a surefire time-out, Ctrl-C), the service must not outlive it.
        Process started = process;
        Runtime.getRuntime().addShutdownHook(new Thread(started::destroyForcibly, name + "-reaper"));
        awaitReady();
        E2e.timing(name + " started", startedAt);
    }

    private void awaitReady() {
        HttpClient client =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError(
                        name + " exited with " + process.exitValue() + " before it was ready\n" + tail());
            }
            try {
                HttpResponse<String> response = client.send(
                        HttpRequest.newBuilder(URI.create(url() + "/q/health/ready"))
                                .timeout(Duration.ofSeconds(5))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
            E2e.sleep(Duration.ofMillis(250));
        }
        throw new AssertionError(name + " was not ready after " + START_TIMEOUT + "\n" + tail());
    }

    String name() {
        return name;
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    boolean alive() {
        return process != null && process.isAlive();
    }

    /** kill -9: no shutdown hook, no lease released, no transaction finished. */
    void kill() {
        if (process != null) {
            process.destroyForcibly();
            waitFor();
        }
    }

    /** A graceful stop (SIGTERM), then kill -9 if it does not end in time. */
    void stop() {
        if (process != null && process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(20, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
            waitFor();
        }
    }

    private void waitFor() {
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The last lines of the instance's log, for failure messages. */
    String tail() {
        return E2e.tail(log, 60);
    }

    @Override
    public void close() {
        if (process != null) {
            process.destroyForcibly();
            waitFor();
        }
    }

    @Override
    public String toString() {
        return name + "@" + url();
    }
}
