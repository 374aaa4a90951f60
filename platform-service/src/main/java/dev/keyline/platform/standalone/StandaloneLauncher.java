package dev.keyline.platform.standalone;

import static java.util.Objects.requireNonNull;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Prepares standalone mode before Quarkus starts: the data directory, a real PostgreSQL on a persistent data
 * directory, the operator key, and the configuration that points Quarkus at them. Closing stops PostgreSQL.
 */
public final class StandaloneLauncher implements AutoCloseable {
    static final String DATABASE = "keyline";

    private static volatile StandaloneLauncher current;

    private final StandaloneSettings settings;
    private final EmbeddedPostgres postgres;
    private final int postgresPort;
    private final Map<String, String> configuration;
    private volatile String pendingOperatorKey;
    private boolean closed;

    private StandaloneLauncher(
            StandaloneSettings settings,
            EmbeddedPostgres postgres,
            int postgresPort,
            Map<String, String> configuration,
            String pendingOperatorKey) {
        this.settings = settings;
        this.postgres = postgres;
        this.postgresPort = postgresPort;
        this.configuration = Map.copyOf(configuration);
        this.pendingOperatorKey = pendingOperatorKey;
    }

    /** Starts PostgreSQL and prepares the configuration; does not touch system properties. */
    public static StandaloneLauncher start(StandaloneSettings settings) {
        requireNonNull(settings, "settings is null");
        createPrivateDirectory(settings.dataDir());
        int port = PostgresPort.choose(settings.postgresPortFile(), settings.postgresPort());
        // PostgreSQL's own output goes to a file in the data directory, so the console keeps the banner readable.
        java.util.logging.Logger.getLogger("io.zonky").setLevel(java.util.logging.Level.WARNING);
        ProcessBuilder.Redirect postgresLog = ProcessBuilder.Redirect.appendTo(
                settings.dataDir().resolve("postgres.log").toFile());
        EmbeddedPostgres postgres;
        try {
            postgres = EmbeddedPostgres.builder()
                    .setOutputRedirector(postgresLog)
                    .setErrorRedirector(postgresLog)
                    .setDataDirectory(settings.postgresDataDir())
                    // Never wipe: this directory is the standalone installation's state.
                    .setCleanDataDirectory(false)
                    .setPort(port)
                    // Zonky's defaults trade durability for test speed; this database must survive a crash.
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("listen_addresses", "localhost")
                    .setPGStartupWait(Duration.ofSeconds(60))
                    // Stopped by us after Quarkus, not concurrently with it.
                    .setRegisterShutdownHook(false)
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "Could not start the embedded PostgreSQL in " + settings.postgresDataDir()
                            + " (is another Keyline using this data directory?)",
                    e);
        }
        try {
            ensureDatabase(postgres);
            OperatorKey.Loaded operator = OperatorKey.loadOrCreate(settings.operatorKeyHashFile());
            Map<String, String> configuration =
                    configuration(settings, postgres.getJdbcUrl("postgres", DATABASE), operator);
            StandaloneLauncher launcher = new StandaloneLauncher(
                    settings, postgres, port, configuration, operator.newKey().orElse(null));
            current = launcher;
            return launcher;
        } catch (RuntimeException e) {
            closeQuietly(postgres);
            throw e;
        }
    }

    /** The running launcher in this JVM, if standalone mode started one. */
    public static Optional<StandaloneLauncher> current() {
        return Optional.ofNullable(current);
    }

    /** What Quarkus must read: datasource, credential store, port, operator key hash. */
    public Map<String, String> configuration() {
        return configuration;
    }

    /** Applies {@link #configuration()} as system properties, leaving ones the operator set explicitly. */
    public void applyToSystemProperties() {
        configuration.forEach((key, value) -> {
            if (System.getProperty(key) == null) {
                System.setProperty(key, value);
            }
        });
    }

    public StandaloneSettings settings() {
        return settings;
    }

    public int postgresPort() {
        return postgresPort;
    }

    /**
     * The operator key created by this start, handed out once (its hash is persisted now, so it stays valid on
     * later starts); later calls return empty.
     */
    public synchronized Optional<String> takeNewOperatorKey() {
        Optional<String> key = Optional.ofNullable(pendingOperatorKey);
        pendingOperatorKey = null;
        key.ifPresent(k -> OperatorKey.persist(settings.operatorKeyHashFile(), OperatorKey.sha256(k)));
        return key;
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            pendingOperatorKey = null;
            closeQuietly(postgres);
            if (current == this) {
                current = null;
            }
        }
    }

    static Map<String, String> configuration(StandaloneSettings settings, String jdbcUrl, OperatorKey.Loaded operator) {
        Map<String, String> configuration = new LinkedHashMap<>();
        configuration.put("quarkus.datasource.jdbc.url", jdbcUrl);
        configuration.put("quarkus.datasource.username", "postgres");
        configuration.put("quarkus.datasource.password", "");
        configuration.put("quarkus.http.port", String.valueOf(settings.httpPort()));
        configuration.put("keyline.credentials.store", "local");
        configuration.put(
                "keyline.credentials.local.master-key-file",
                settings.masterKeyFile().toString());
        configuration.put("keyline.auth.operator-key-sha256", operator.sha256());
        // Synced directories: an in-process MongoDB persisted next to PostgreSQL's data (see EmbeddedMongo).
        configuration.put(
                "keyline.sync.mongo.embedded-file",
                settings.dataDir().resolve("mongo.mv").toString());
        configuration.put(StandaloneSettings.ENABLED_PROPERTY, "true");
        return configuration;
    }

    private static void ensureDatabase(EmbeddedPostgres postgres) {
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
                PreparedStatement exists = connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            exists.setString(1, DATABASE);
            try (ResultSet rows = exists.executeQuery()) {
                if (rows.next()) {
                    return;
                }
            }
            try (Statement create = connection.createStatement()) {
                create.execute("CREATE DATABASE " + DATABASE);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not prepare the embedded PostgreSQL database", e);
        }
    }

    private static void createPrivateDirectory(Path dir) {
        try {
            if (Files.notExists(dir)) {
                Path parent = dir.getParent();
                if (parent != null && Files.getFileAttributeView(parent, PosixFileAttributeView.class) != null) {
                    Files.createDirectories(
                            dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                } else {
                    Files.createDirectories(dir);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create the data directory " + dir, e);
        }
    }

    private static void closeQuietly(EmbeddedPostgres postgres) {
        try {
            postgres.close();
        } catch (IOException | RuntimeException e) {
            System.err.println("Keyline: the embedded PostgreSQL did not stop cleanly: " + e.getMessage());
        }
    }
}
