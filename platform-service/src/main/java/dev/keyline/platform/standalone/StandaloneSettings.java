package dev.keyline.platform.standalone;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Properties;

/**
 * What standalone mode needs before Quarkus reads its configuration, so it comes from system properties and the
 * environment directly: {@code keyline.standalone.enabled} / {@code KEYLINE_STANDALONE_ENABLED},
 * {@code KEYLINE_DATA_DIR} (default {@code ./data}), {@code KEYLINE_PORT} (default 8080) and optionally
 * {@code KEYLINE_PG_PORT}.
 */
public record StandaloneSettings(boolean enabled, Path dataDir, int httpPort, OptionalInt postgresPort) {
    static final String ENABLED_PROPERTY = "keyline.standalone.enabled";
    static final int DEFAULT_HTTP_PORT = 8080;

    public StandaloneSettings {
        requireNonNull(dataDir, "dataDir is null");
        requireNonNull(postgresPort, "postgresPort is null");
        dataDir = dataDir.toAbsolutePath().normalize();
        requirePort(httpPort, "KEYLINE_PORT");
        postgresPort.ifPresent(port -> requirePort(port, "KEYLINE_PG_PORT"));
    }

    public static StandaloneSettings from(Map<String, String> environment, Properties systemProperties) {
        boolean enabled = Boolean.parseBoolean(first(
                systemProperties.getProperty(ENABLED_PROPERTY),
                environment.get("KEYLINE_STANDALONE_ENABLED"),
                "false"));
        Path dataDir = Path.of(first(
                systemProperties.getProperty("keyline.standalone.data-dir"),
                environment.get("KEYLINE_DATA_DIR"),
                "data"));
        int httpPort = parsePort(
                first(systemProperties.getProperty("quarkus.http.port"), environment.get("KEYLINE_PORT"), null),
                "KEYLINE_PORT",
                DEFAULT_HTTP_PORT);
        String pg = environment.get("KEYLINE_PG_PORT");
        OptionalInt postgresPort =
                pg == null || pg.isBlank() ? OptionalInt.empty() : OptionalInt.of(parsePort(pg, "KEYLINE_PG_PORT", 0));
        return new StandaloneSettings(enabled, dataDir, httpPort, postgresPort);
    }

    public Path postgresDataDir() {
        return dataDir.resolve("pg");
    }

    public Path postgresPortFile() {
        return dataDir.resolve("pg.port");
    }

    public Path masterKeyFile() {
        return dataDir.resolve("master.key");
    }

    /** The embedded PostgreSQL superuser's password, used only to keep roles and ownership right at start-up. */
    public Path postgresSuperuserPasswordFile() {
        return dataDir.resolve("pg-superuser.password");
    }

    /** The password of the role the service logs in as. */
    public Path postgresPasswordFile() {
        return dataDir.resolve("pg-keyline.password");
    }

    /** Held (an OS file lock) by the Keyline running on this data directory. */
    public Path lockFile() {
        return dataDir.resolve("keyline.lock");
    }

    public Path operatorKeyHashFile() {
        return dataDir.resolve("operator-key.sha256");
    }

    private static String first(String a, String b, String fallback) {
        if (a != null && !a.isBlank()) {
            return a.strip();
        }
        if (b != null && !b.isBlank()) {
            return b.strip();
        }
        return fallback;
    }

    private static int parsePort(String value, String name, int fallback) {
        if (value == null) {
            return fallback;
        }
        try {
            return requirePort(Integer.parseInt(value), name);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a port number (1–65535), not '" + value + "'");
        }
    }

    private static int requirePort(int port, String name) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException(name + " must be a port number (1–65535), not " + port);
        }
        return port;
    }
}
