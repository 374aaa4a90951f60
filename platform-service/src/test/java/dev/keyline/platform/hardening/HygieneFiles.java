package dev.keyline.platform.hardening;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Where the secret-hygiene recorders leave what they saw during the test run, for the scan at its end. Plain
 * files, because the run spans several Quarkus applications (one per test profile), each with its own class
 * loader and its own PostgreSQL and MongoDB.
 */
final class HygieneFiles {
    static final Path DIR = Path.of("target", "keyline-hardening");
    /** Every response body the service sent, one JSON line each. */
    static final Path RESPONSES = DIR.resolve("responses.jsonl");
    /** Secret values the tests handed to the service (credentials of linked accounts), one a line. */
    static final Path KNOWN_SECRETS = DIR.resolve("known-secrets.txt");
    /** What each application found in its stores when it shut down, one JSON line each. */
    static final Path STORE_SCANS = DIR.resolve("store-scans.jsonl");
    /** The service's log for the whole run ({@code %test.quarkus.log.file.path}). */
    static final Path LOG = Path.of("target", "keyline-test.log");

    private HygieneFiles() {}

    static synchronized void append(Path file, String line) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(
                    file,
                    line.replace("\n", " ") + "\n",
                    StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
