package dev.keyline.platform.standalone;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A PostgreSQL that a killed Keyline left running on its data directory ({@code kill -9} runs no shutdown hook, and
 * the postmaster is not its child once {@code pg_ctl} has started it). Called only while holding the
 * {@link DataDirLock}, so no live Keyline uses that postmaster; it is stopped with PostgreSQL's fast shutdown
 * (SIGINT: open transactions roll back, the data is checkpointed), the same as a normal stop.
 */
final class StalePostmaster {
    private static final Duration STOP_WAIT = Duration.ofSeconds(30);

    private StalePostmaster() {}

    /** Stops the postmaster named by {@code postmaster.pid} if it is ours and still runs; returns whether it did. */
    static boolean stopIfOrphaned(Path postgresDataDir) {
        Optional<ProcessHandle> postmaster = find(postgresDataDir);
        if (postmaster.isEmpty()) {
            return false;
        }
        ProcessHandle process = postmaster.get();
        System.err.println("Keyline: stopping the PostgreSQL (pid " + process.pid() + ") that a previous Keyline left"
                + " running on " + postgresDataDir);
        signalFastShutdown(process);
        try {
            process.onExit().get(STOP_WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (TimeoutException | ExecutionException e) {
            throw new IllegalStateException(
                    "The PostgreSQL (pid " + process.pid() + ") left running on " + postgresDataDir
                            + " did not stop within " + STOP_WAIT.toSeconds() + " s; stop it and start again.");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while stopping the PostgreSQL left running", e);
        }
        return true;
    }

    /**
     * The live process {@code postmaster.pid} names, when it is a {@code postgres} of this user serving this data
     * directory; anything else (no file, a dead pid, a pid reused by another program) is left to PostgreSQL.
     */
    static Optional<ProcessHandle> find(Path postgresDataDir) {
        Path pidFile = postgresDataDir.resolve("postmaster.pid");
        List<String> lines;
        try {
            if (Files.notExists(pidFile)) {
                return Optional.empty();
            }
            lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + pidFile, e);
        }
        if (lines.size() < 2) {
            return Optional.empty();
        }
        long pid;
        try {
            pid = Long.parseLong(lines.get(0).strip());
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        if (!samePath(Path.of(lines.get(1).strip()), postgresDataDir)) {
            return Optional.empty();
        }
        Optional<String> me = ProcessHandle.current().info().user();
        return ProcessHandle.of(pid)
                .filter(ProcessHandle::isAlive)
                .filter(p -> p.info()
                        .command()
                        .map(c -> Path.of(c).getFileName().toString().equals("postgres"))
                        .orElse(false))
                .filter(p -> me.isPresent() && p.info().user().equals(me));
    }

    private static void signalFastShutdown(ProcessHandle process) {
        try {
            Process kill = new ProcessBuilder("kill", "-INT", Long.toString(process.pid()))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0) {
                return;
            }
        } catch (IOException e) {
            // No kill command: SIGTERM below, PostgreSQL's smart shutdown (its clients died with the old JVM).
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process.destroy();
    }

    private static boolean samePath(Path a, Path b) {
        try {
            return Files.isSameFile(a, b);
        } catch (IOException e) {
            return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
        }
    }
}
