package dev.keyline.platform.standalone;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * Who may log in to the embedded PostgreSQL. Its TCP port and Unix socket are open to every local user, so
 * {@code pg_hba.conf} demands a SCRAM password on every line (never {@code trust}); the passwords are random and
 * kept in owner-only files in the 0700 data directory. The service logs in as {@value #SERVICE_ROLE}, which owns
 * the Keyline database and nothing more (no superuser, so no {@code pg_read_file} of the master key); the
 * superuser's password is only used here, to keep the roles and ownership right on every start.
 *
 * <p>A data directory from an earlier version (trust, no passwords) is secured in place on its next start: the
 * superuser gets its password, the service role takes over the database and its tables, then pg_hba.conf is
 * rewritten and reloaded.
 */
// Plain JDBC: it logs in as the superuser before the service (and its ORM) starts.
final class PostgresAccess {
    static final String SUPERUSER = "postgres";
    static final String SERVICE_ROLE = "keyline";
    static final String HBA = """
            # Written by Keyline on every start: every login needs its password (SCRAM); nothing is trusted.
            local   all   all                  scram-sha-256
            host    all   all   127.0.0.1/32   scram-sha-256
            host    all   all   ::1/128        scram-sha-256
            """;
    private static final Pattern TRUST = Pattern.compile("(?m)^\\s*[^#\\s].*\\btrust\\b");

    private PostgresAccess() {}

    record Passwords(String superuser, String service) {
        @Override
        public String toString() {
            return "Passwords[redacted]";
        }
    }

    static Passwords loadOrCreate(StandaloneSettings settings) {
        Path superuserFile = settings.postgresSuperuserPasswordFile();
        if (Files.notExists(superuserFile)
                && Files.exists(settings.postgresDataDir().resolve("postgresql.conf"))
                && !trusts(settings.postgresDataDir())) {
            throw new IllegalStateException("The embedded PostgreSQL in " + settings.postgresDataDir()
                    + " requires passwords, but " + superuserFile + " is missing; restore it from a backup of the data"
                    + " directory.");
        }
        return new Passwords(readOrCreate(superuserFile), readOrCreate(settings.postgresPasswordFile()));
    }

    /**
     * initdb's options for a new cluster (SCRAM everywhere and the superuser's password, from the first moment) and
     * the superuser's login for Zonky's readiness check.
     */
    static EmbeddedPostgres.Builder configure(
            EmbeddedPostgres.Builder builder, StandaloneSettings settings, Passwords passwords) {
        // Zonky runs initdb with "-A trust"; these later options override it ("--auth", "--pwfile").
        return builder.setLocaleConfig("auth", "scram-sha-256")
                .setLocaleConfig(
                        "pwfile", settings.postgresSuperuserPasswordFile().toString())
                // Zonky's own readiness check logs in as the superuser.
                .setConnectConfig("password", passwords.superuser());
    }

    /** Makes the roles, the database's ownership and pg_hba.conf what this class describes. */
    static void secure(EmbeddedPostgres postgres, Passwords passwords, Path postgresDataDir, String database) {
        try {
            try (Connection connection = postgres.getPostgresDatabase().getConnection();
                    Statement statement = connection.createStatement()) {
                statement.execute("SET password_encryption = 'scram-sha-256'");
                // Passwords are base64url (no quote can occur), so they can be inlined where DDL takes no parameters.
                statement.execute("ALTER ROLE " + SUPERUSER + " PASSWORD '" + passwords.superuser() + "'");
                String attributes = " LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD '"
                        + passwords.service() + "'";
                statement.execute((exists(connection, "SELECT 1 FROM pg_roles WHERE rolname = ?", SERVICE_ROLE)
                                ? "ALTER ROLE "
                                : "CREATE ROLE ")
                        + SERVICE_ROLE
                        + attributes);
                if (exists(connection, "SELECT 1 FROM pg_database WHERE datname = ?", database)) {
                    statement.execute("ALTER DATABASE " + database + " OWNER TO " + SERVICE_ROLE);
                } else {
                    statement.execute("CREATE DATABASE " + database + " OWNER " + SERVICE_ROLE);
                }
                statement.execute("REVOKE ALL ON DATABASE " + database + " FROM PUBLIC");
            }
            try (Connection connection =
                            postgres.getDatabase(SUPERUSER, database).getConnection();
                    Statement statement = connection.createStatement()) {
                statement.execute("ALTER SCHEMA public OWNER TO " + SERVICE_ROLE);
                // Tables an earlier version created as the superuser: later migrations run as the service role.
                // Sequences that belong to a column move with their table.
                statement.execute("""
                        DO $$
                        DECLARE r record;
                        BEGIN
                          FOR r IN SELECT c.oid::regclass AS name, c.relkind FROM pg_class c
                              JOIN pg_namespace n ON n.oid = c.relnamespace
                              WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
                                AND pg_get_userbyid(c.relowner) <> '%1$s'
                                AND NOT (c.relkind = 'S' AND EXISTS (SELECT 1 FROM pg_depend d
                                    WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
                                      AND d.deptype IN ('a', 'i')))
                          LOOP
                            EXECUTE format('ALTER %%s %%s OWNER TO %1$s',
                                CASE r.relkind WHEN 'S' THEN 'SEQUENCE' WHEN 'v' THEN 'VIEW'
                                    WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'f' THEN 'FOREIGN TABLE'
                                    ELSE 'TABLE' END,
                                r.name);
                          END LOOP;
                        END $$
                        """.formatted(SERVICE_ROLE));
            }
            Path hba = postgresDataDir.resolve("pg_hba.conf");
            if (!HBA.equals(Files.exists(hba) ? Files.readString(hba, StandardCharsets.UTF_8) : "")) {
                Files.writeString(hba, HBA, StandardCharsets.UTF_8);
                try (Connection connection = postgres.getPostgresDatabase().getConnection();
                        Statement statement = connection.createStatement()) {
                    statement.execute("SELECT pg_reload_conf()");
                }
            }
        } catch (SQLException e) {
            // SQLState only: a message could quote the statement, password included.
            throw new IllegalStateException(
                    "Could not secure the embedded PostgreSQL (SQLState " + e.getSQLState() + ")");
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write " + postgresDataDir.resolve("pg_hba.conf"), e);
        }
    }

    /** Whether the cluster's pg_hba.conf trusts any login, as earlier versions' did. */
    static boolean trusts(Path postgresDataDir) {
        Path hba = postgresDataDir.resolve("pg_hba.conf");
        try {
            return Files.exists(hba)
                    && TRUST.matcher(Files.readString(hba, StandardCharsets.UTF_8))
                            .find();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + hba, e);
        }
    }

    private static boolean exists(Connection connection, String sql, String name) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(sql)) {
            query.setString(1, name);
            try (ResultSet rows = query.executeQuery()) {
                return rows.next();
            }
        }
    }

    private static String readOrCreate(Path file) {
        try {
            if (Files.notExists(file)) {
                byte[] random = new byte[32];
                new SecureRandom().nextBytes(random);
                String password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
                try {
                    Files.createFile(
                            file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                    Files.writeString(file, password + "\n", StandardCharsets.US_ASCII);
                    return password;
                } catch (FileAlreadyExistsException e) {
                    // Written meanwhile: use that one.
                }
            }
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            String password = Files.readString(file, StandardCharsets.US_ASCII).strip();
            if (password.isEmpty() || !password.matches("[A-Za-z0-9_-]+")) {
                throw new IllegalStateException(file + " does not hold a password Keyline wrote.");
            }
            return password;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read or create " + file, e);
        }
    }
}
