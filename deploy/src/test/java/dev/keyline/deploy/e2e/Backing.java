package dev.keyline.deploy.e2e;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the instances share: a real PostgreSQL (embedded binaries) and a MongoDB-wire server (mongo-java-server,
 * in memory) in this JVM, plus the secrets every replica must agree on.
 */
final class Backing implements AutoCloseable {
    final String operatorKey = "kl_op_" + E2e.secret(24).replace('/', '_').replace('+', '-');
    final String masterKey = E2e.secret(32);
    final String cursorKey = E2e.secret(33);
    private final EmbeddedPostgres postgres;
    private final MongoServer mongo;
    private final String mongoUri;

    Backing(boolean withMongo) {
        long started = System.nanoTime();
        try {
            postgres = EmbeddedPostgres.builder().start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start embedded PostgreSQL", e);
        }
        if (withMongo) {
            mongo = new MongoServer(new MemoryBackend());
            mongo.bind("127.0.0.1", 0);
            InetSocketAddress address = mongo.getLocalAddress();
            mongoUri = "mongodb://127.0.0.1:" + address.getPort();
        } else {
            mongo = null;
            mongoUri = "mongodb://127.0.0.1:" + E2e.freePort();
        }
        E2e.timing("PostgreSQL and MongoDB-wire server started", started);
    }

    /** Configuration of one replica against these stores; the caller adds what differs. */
    Map<String, String> properties(String replicaId) {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("quarkus.datasource.jdbc.url", postgres.getJdbcUrl("postgres", "postgres"));
        properties.put("quarkus.datasource.username", "postgres");
        properties.put("quarkus.datasource.password", "postgres");
        properties.put("keyline.sync.mongo.uri", mongoUri);
        properties.put("keyline.sync.replica-id", replicaId);
        properties.put("keyline.auth.operator-key-sha256", E2e.sha256Hex(operatorKey));
        properties.put("keyline.iam.cursor-key", cursorKey);
        // The scriptable upstreams listen on loopback over plain http.
        properties.put("keyline.egress.allow-http", "true");
        properties.put("keyline.egress.allow-cidrs", "127.0.0.0/8");
        properties.put(
                "keyline.connectors.plugins-dir",
                E2e.logDir().resolve("no-plugins").toString());
        return properties;
    }

    Map<String, String> environment() {
        return Map.of("KEYLINE_MASTER_KEY", masterKey);
    }

    /** Rows of a query as column → value maps, read straight from PostgreSQL. */
    List<Map<String, Object>> query(String sql) {
        try (Connection c = postgres.getPostgresDatabase().getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            List<Map<String, Object>> rows = new ArrayList<>();
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= columns; i++) {
                    row.put(rs.getMetaData().getColumnLabel(i), rs.getObject(i));
                }
                rows.add(row);
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException("query failed: " + sql, e);
        }
    }

    /** PostgreSQL's clock, which judges leases and due times. */
    java.time.Instant dbNow() {
        Object ms = query("select (extract(epoch from clock_timestamp()) * 1000)::bigint as ms")
                .get(0)
                .get("ms");
        return java.time.Instant.ofEpochMilli(((Number) ms).longValue());
    }

    int execute(String sql) {
        try (Connection c = postgres.getPostgresDatabase().getConnection();
                Statement s = c.createStatement()) {
            return s.executeUpdate(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("statement failed: " + sql, e);
        }
    }

    @Override
    public void close() {
        if (mongo != null) {
            mongo.shutdownNow();
        }
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
