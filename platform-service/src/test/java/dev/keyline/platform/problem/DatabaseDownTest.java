package dev.keyline.platform.problem;

import static dev.keyline.platform.support.TestApi.as;
import static dev.keyline.platform.support.TestApi.newTenant;
import static dev.keyline.platform.support.TestApi.operator;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import dev.keyline.platform.support.LogCapture;
import dev.keyline.platform.support.TestApi.CreatedTenant;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL going away under a running service: every request that needs it answers {@code 503
 * database_unavailable} with {@code Retry-After}, and each such failure is one log line without a stack trace. The
 * test stops a PostgreSQL of its own (its profile's resource wins over the shared one), so no other test loses
 * its database.
 */
@QuarkusTest
@TestProfile(DatabaseDownTest.OwnPostgres.class)
class DatabaseDownTest {

    public static class OwnPostgres implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(StoppablePostgres.class));
        }
    }

    public static class StoppablePostgres implements QuarkusTestResourceLifecycleManager {
        static EmbeddedPostgres postgres;
        static String url;
        private static Path dataDirectory;
        private static int port;

        @Override
        public Map<String, String> start() {
            try {
                dataDirectory = Files.createTempDirectory("keyline-pg-down");
                postgres = server(0);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            port = postgres.getPort();
            url = postgres.getJdbcUrl("postgres", "postgres");
            return Map.of(
                    "quarkus.datasource.jdbc.url", url,
                    "quarkus.datasource.username", "postgres",
                    "quarkus.datasource.password", "postgres");
        }

        /** The data directory is kept across a stop, so the same server can come back with its data. */
        private static EmbeddedPostgres server(int onPort) throws IOException {
            var builder = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDirectory.toFile())
                    .setCleanDataDirectory(false);
            if (onPort > 0) {
                builder.setPort(onPort);
            }
            return builder.start();
        }

        @Override
        public void stop() {
            stopPostgres();
            if (dataDirectory != null) {
                try (var files = Files.walk(dataDirectory)) {
                    files.sorted(java.util.Comparator.reverseOrder())
                            .forEach(f -> f.toFile().delete());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }

        static synchronized void stopPostgres() {
            if (postgres != null) {
                try {
                    postgres.close();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                postgres = null;
            }
        }

        /** The same server on the same port, so the service (and the run's store scan) reach it again. */
        static synchronized void startAgain() {
            if (postgres == null) {
                try {
                    postgres = server(port);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }

        // Started after the shared resources, so this database wins over the shared one.
        @Override
        public int order() {
            return Integer.MAX_VALUE;
        }
    }

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String jdbcUrl;

    @Test
    void requestsNeedingTheDatabaseAnswer503WithOneLogLineEach() {
        // Guards the test against stopping some other database than the service's.
        assertThat(jdbcUrl).isEqualTo(StoppablePostgres.url);
        CreatedTenant cached = newTenant();
        CreatedTenant uncached = newTenant();
        as(cached.apiKey()).get("/accounts").then().statusCode(200);

        StoppablePostgres.stopPostgres();
        try (LogCapture logs = LogCapture.install()) {
            List<Response> answers = List.of(
                    // A key confirmed a moment ago: authentication needs no query, the listing does.
                    as(cached.apiKey()).get("/accounts"),
                    // A key never seen: authentication itself needs the database.
                    as(uncached.apiKey()).get("/accounts"),
                    operator().get("/tenants"),
                    operator().body(Map.of("name", "While down")).post("/tenants"));
            for (Response answer : answers) {
                answer.then()
                        .statusCode(503)
                        .contentType(Problem.MEDIA_TYPE)
                        .header("Retry-After", not(equalTo(null)))
                        .body("code", equalTo("database_unavailable"))
                        .body(not(containsString("Exception")))
                        .body(not(containsString("postgres")));
            }
            List<LogCapture.Entry> warnings = logs.entries().stream()
                    .filter(e -> e.level().intValue() >= Level.WARNING.intValue())
                    .toList();
            assertThat(warnings).as("log lines at WARN and above").noneMatch(LogCapture.Entry::withStackTrace);
            // Besides the requests' lines: background workers (webhook delivery) report their own failed ticks, and
            // the pool drops each connection the stopped server closed, one short line per pooled connection.
            assertThat(warnings.stream()
                            .filter(e -> !e.logger().startsWith("dev.keyline.platform.webhook"))
                            .filter(e -> !(e.logger().equals("io.agroal.pool")
                                    && e.line().contains("This connection has been closed"))))
                    .as("one line per failed request, and nothing else at WARN or above")
                    .hasSize(answers.size())
                    .allSatisfy(e -> assertThat(e.line()).contains("database unavailable"));
        } finally {
            StoppablePostgres.startAgain();
        }
        // Back once the database is: nothing was left broken by the outage.
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
        int status = 0;
        while (status != 200 && System.nanoTime() < deadline) {
            status = as(uncached.apiKey()).get("/accounts").statusCode();
        }
        assertThat(status).as("the service recovers when PostgreSQL is back").isEqualTo(200);
    }
}
