package dev.keyline.platform.standalone;

import static java.util.Objects.requireNonNull;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Prepares standalone mode before Quarkus starts: the data directory, a real PostgreSQL on a persistent data
 * directory, the operator key, and the configuration that points Quarkus at them. Closing stops PostgreSQL.
 *
 * <p>PostgreSQL starts on a thread of its own while Quarkus boots (its port, and so the JDBC URL, is known before
 * it runs): the JDBC URL names {@link AwaitPostgresSocketFactory}, which holds the first connection until the
 * database is up and created. A database that cannot start fails that connection with the reason.
 */
public final class StandaloneLauncher implements AutoCloseable {
    static final String DATABASE = "keyline";
    /** How long a connection waits for the embedded PostgreSQL (its own start waits up to 60 s). */
    private static final Duration POSTGRES_WAIT = Duration.ofSeconds(90);

    private static volatile StandaloneLauncher current;

    private final StandaloneSettings settings;
    private final CompletableFuture<EmbeddedPostgres> postgres = new CompletableFuture<>();
    private final int postgresPort;
    private final Map<String, String> configuration;
    private final DataDirLock lock;
    private final PostgresAccess.Passwords passwords;
    private volatile String pendingOperatorKey;
    private boolean closed;

    private StandaloneLauncher(
            StandaloneSettings settings,
            int postgresPort,
            Map<String, String> configuration,
            String pendingOperatorKey,
            DataDirLock lock,
            PostgresAccess.Passwords passwords) {
        this.settings = settings;
        this.postgresPort = postgresPort;
        this.configuration = Map.copyOf(configuration);
        this.pendingOperatorKey = pendingOperatorKey;
        this.lock = lock;
        this.passwords = passwords;
    }

    /**
     * Prepares the configuration and starts PostgreSQL in the background; does not touch system properties.
     * {@link #awaitPostgres()} (or any connection through the configured JDBC URL) waits for the database.
     *
     * @throws IllegalStateException when another live Keyline uses the data directory (its database is left alone)
     */
    public static StandaloneLauncher start(StandaloneSettings settings) {
        requireNonNull(settings, "settings is null");
        createPrivateDirectory(settings.dataDir());
        DataDirLock lock = DataDirLock.acquire(settings.lockFile(), settings.dataDir());
        StandaloneLauncher launcher;
        try {
            // Holding the lock, a PostgreSQL still running here was left by a Keyline that died without stopping it.
            StalePostmaster.stopIfOrphaned(settings.postgresDataDir());
            int port = PostgresPort.choose(settings.postgresPortFile(), settings.postgresPort());
            PostgresAccess.Passwords passwords = PostgresAccess.loadOrCreate(settings);
            OperatorKey.Loaded operator = OperatorKey.loadOrCreate(settings.operatorKeyHashFile());
            Map<String, String> configuration = configuration(settings, jdbcUrl(port), operator, passwords.service());
            launcher = new StandaloneLauncher(
                    settings, port, configuration, operator.newKey().orElse(null), lock, passwords);
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
        current = launcher;
        Thread starter = new Thread(launcher::startPostgres, "keyline-postgres-start");
        starter.setDaemon(true);
        starter.start();
        return launcher;
    }

    /**
     * Waits until the current launcher's PostgreSQL accepts connections to the Keyline database; returns at once
     * when there is no launcher in this JVM.
     *
     * @throws IOException when the database could not start, with the reason
     */
    static void awaitPostgres() throws IOException {
        StandaloneLauncher launcher = current;
        if (launcher != null) {
            launcher.awaitStarted();
        }
    }

    /**
     * Runs {@code action} with the reason once the embedded PostgreSQL has failed to start (at once if it already
     * has), on the thread that started it.
     */
    public void onPostgresFailure(Consumer<String> action) {
        postgres.whenComplete((started, failure) -> {
            if (failure != null) {
                action.accept(failure.getMessage());
            }
        });
    }

    /** The reason the embedded PostgreSQL could not start, once it is known; empty while it starts or runs. */
    public Optional<String> postgresFailure() {
        if (!postgres.isCompletedExceptionally()) {
            return Optional.empty();
        }
        try {
            postgres.join();
            return Optional.empty();
        } catch (CompletionException e) {
            return Optional.of(e.getCause().getMessage());
        }
    }

    private void awaitStarted() throws IOException {
        try {
            postgres.get(POSTGRES_WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IOException(e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("The embedded PostgreSQL did not start within " + POSTGRES_WAIT.toSeconds()
                    + " s (see " + settings.dataDir().resolve("postgres.log") + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while waiting for the embedded PostgreSQL", e);
        }
    }

    private void startPostgres() {
        // PostgreSQL's own output goes to a file in the data directory, so the console keeps the banner readable.
        java.util.logging.Logger.getLogger("io.zonky").setLevel(java.util.logging.Level.WARNING);
        ProcessBuilder.Redirect postgresLog = ProcessBuilder.Redirect.appendTo(
                settings.dataDir().resolve("postgres.log").toFile());
        EmbeddedPostgres started;
        try {
            started = PostgresAccess.configure(EmbeddedPostgres.builder(), settings, passwords)
                    .setOutputRedirector(postgresLog)
                    .setErrorRedirector(postgresLog)
                    .setDataDirectory(settings.postgresDataDir())
                    // Never wipe: this directory is the standalone installation's state.
                    .setCleanDataDirectory(false)
                    .setPort(postgresPort)
                    // Zonky's defaults trade durability for test speed; this database must survive a crash.
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("listen_addresses", "localhost")
                    .setPGStartupWait(Duration.ofSeconds(60))
                    // Stopped by us after Quarkus, not concurrently with it.
                    .setRegisterShutdownHook(false)
                    .start();
        } catch (IOException | RuntimeException e) {
            postgres.completeExceptionally(new IllegalStateException(
                    "Could not start the embedded PostgreSQL in " + settings.postgresDataDir() + " (see "
                            + settings.dataDir().resolve("postgres.log") + "): " + e.getMessage(),
                    e));
            return;
        }
        try {
            PostgresAccess.secure(started, passwords, settings.postgresDataDir(), DATABASE);
        } catch (RuntimeException e) {
            closeQuietly(started);
            postgres.completeExceptionally(e);
            return;
        }
        postgres.complete(started);
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

    /**
     * Stops PostgreSQL; a start still under way is waited for first, so no database outlives the process (Quarkus
     * may fail before it ever connected). Synchronized: a second caller (Ctrl-C's shutdown hook) must not return,
     * and so let the JVM end, while the first is still stopping the database.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        pendingOperatorKey = null;
        if (current == this) {
            current = null;
        }
        try {
            closeQuietly(postgres.get(POSTGRES_WAIT.toSeconds(), TimeUnit.SECONDS));
        } catch (ExecutionException e) {
            // it never ran
        } catch (TimeoutException e) {
            System.err.println("Keyline: the embedded PostgreSQL did not finish starting; it may still run.");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            // After the database stopped: the next start may stop whatever still runs here.
            lock.close();
        }
    }

    /**
     * The JDBC URL of the Keyline database on the embedded PostgreSQL, as Zonky spells it, plus the socket factory
     * that waits for the database to be up.
     */
    static String jdbcUrl(int port) {
        return "jdbc:postgresql://localhost:" + port + "/" + DATABASE + "?socketFactory="
                + AwaitPostgresSocketFactory.class.getName();
    }

    static Map<String, String> configuration(
            StandaloneSettings settings, String jdbcUrl, OperatorKey.Loaded operator, String databasePassword) {
        Map<String, String> configuration = new LinkedHashMap<>();
        configuration.put("quarkus.datasource.jdbc.url", jdbcUrl);
        configuration.put("quarkus.datasource.username", PostgresAccess.SERVICE_ROLE);
        configuration.put("quarkus.datasource.password", databasePassword);
        // PostgreSQL starts while Quarkus boots and Flyway's first connection waits for it (see the class comment);
        // a pool waits only 5 s for a new connection, so Flyway asks again for as long as the database may take.
        configuration.put("quarkus.flyway.connect-retries", "10");
        configuration.put("quarkus.flyway.connect-retries-interval", "2s");
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
