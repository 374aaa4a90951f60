package dev.keyline.platform.hardening;

import static dev.keyline.platform.support.TestApi.as;
import static dev.keyline.platform.support.TestApi.linkedAccount;
import static dev.keyline.platform.support.TestApi.newTenant;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keyline.platform.support.EmbeddedPostgresResource;
import dev.keyline.platform.support.MongoServerResource;
import dev.keyline.platform.support.TestApi.CreatedTenant;
import dev.keyline.platform.support.TestAuthResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The end-of-run secret scan. Runs after every other test class ({@link RunLast}) and looks through everything
 * the run wrote: every line of the service's log, every response body (recorded by {@link ResponseRecorder}),
 * every row of every PostgreSQL table and every MongoDB document, of this application and of each earlier one
 * (scanned at their shutdown by {@link StoreScanOnShutdown}). No API key, connect token, webhook secret, JWT,
 * bearer value or linked-account credential may appear in clear, except a Keyline-issued secret in the one
 * response that issued it.
 */
@RunLast
@QuarkusTest
@TestProfile(SecretHygieneTest.EndOfRun.class)
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestAuthResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = MongoServerResource.class, restrictToAnnotatedClass = false)
class SecretHygieneTest {

    /** No settings of its own: a profile only so that this class forms its own group, ordered last. */
    public static class EndOfRun implements QuarkusTestProfile {}

    @Inject
    DataSource dataSource;

    @ConfigProperty(name = "keyline.sync.mongo.uri")
    String mongoUri;

    @ConfigProperty(name = "keyline.sync.mongo.database")
    String mongoDatabase;

    private final List<String> hits = new ArrayList<>();
    private long tried;
    private long held;

    /** The scanner with every known credential value the run has recorded so far. */
    static SecretScan scanner() {
        try {
            List<String> known = Files.exists(HygieneFiles.KNOWN_SECRETS)
                    ? Files.readAllLines(HygieneFiles.KNOWN_SECRETS, StandardCharsets.UTF_8)
                    : List.of();
            return new SecretScan(known);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void nothingTheRunWroteHoldsASecretInClear() throws IOException {
        // This test's own traffic, so even a run of this class alone scans real artefacts: a tenant, its key, a
        // linked account with a credential, a connect session, and a failed call quoting a key.
        CreatedTenant tenant = newTenant();
        linkedAccount(tenant, "hygiene-owner");
        as(tenant.apiKey())
                .body(Map.of("origin_owner_id", "hygiene-owner", "origin_owner_name", "Hygiene"))
                .post("/connect/sessions")
                .then()
                .statusCode(201);
        as(tenant.apiKey()).get("/accounts/" + tenant.apiKey()).then().statusCode(404);
        as(tenant.apiKey() + "x").get("/accounts").then().statusCode(401);

        SecretScan scan = scanner();
        assertThat(scan.scan("Authorization: Bearer " + tenant.apiKey()))
                .as("the scanner finds a key it is shown")
                .isNotEmpty();

        long logLines = scanLog(scan);
        long responses = scanResponses(scan);
        StoreScan live = StoreScan.run(dataSource, mongoUri, mongoDatabase, scan);
        long stores = countStores(live);
        long earlier = scanEarlierApplications();

        System.out.printf(
                "secret hygiene: %d log lines, %d response bodies, %d PostgreSQL rows and %d MongoDB documents in"
                        + " %d applications, %d known credential values (%d streamed bodies not readable)%n",
                logLines, responses, rows, documents, earlier + 1, knownCount(), streamed);
        System.out.printf("secret hygiene: %d tried, %d held%n", tried, held);
        assertThat(live.errors).as("store scan errors").isEmpty();
        assertThat(hits).as("secrets in clear").isEmpty();
        assertThat(logLines).as("log lines scanned").isPositive();
        assertThat(responses).as("responses scanned").isPositive();
        assertThat(stores).as("rows scanned").isPositive();
        assertThat(knownCount()).as("credential values recorded").isPositive();
    }

    private long rows;
    private long documents;
    private long streamed;

    private long countStores(StoreScan scan) {
        rows += scan.rows;
        documents += scan.documents;
        long artefacts = scan.rows + scan.documents;
        tried += artefacts;
        held += artefacts - Math.min(artefacts, scan.hits.size());
        hits.addAll(scan.hits);
        return artefacts;
    }

    private long scanEarlierApplications() throws IOException {
        if (!Files.exists(HygieneFiles.STORE_SCANS)) {
            return 0;
        }
        long applications = 0;
        for (String line : Files.readAllLines(HygieneFiles.STORE_SCANS, StandardCharsets.UTF_8)) {
            JsonNode scan = ApiOperations.JSON.readTree(line);
            applications++;
            long artefacts = scan.path("rows").asLong() + scan.path("documents").asLong();
            rows += scan.path("rows").asLong();
            documents += scan.path("documents").asLong();
            tried += artefacts;
            held += artefacts - Math.min(artefacts, scan.path("hits").size());
            scan.path("hits").forEach(h -> hits.add(h.asText()));
            scan.path("errors").forEach(e -> hits.add("store scan failed: " + e.asText()));
        }
        return applications;
    }

    private long scanLog(SecretScan scan) throws IOException {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> logs = Files.list(HygieneFiles.LOG.getParent())) {
            logs.filter(p -> p.getFileName()
                            .toString()
                            .startsWith(HygieneFiles.LOG.getFileName().toString()))
                    .forEach(files::add);
        }
        long lines = 0;
        for (Path file : files) {
            try (Stream<String> all = Files.lines(file, StandardCharsets.UTF_8)) {
                for (String line : (Iterable<String>) all::iterator) {
                    lines++;
                    tried++;
                    var found = scan.scan(line);
                    if (found.isEmpty()) {
                        held++;
                    } else {
                        found.forEach(h -> hits.add("log " + file.getFileName() + ": " + h.masked()));
                    }
                }
            }
        }
        return lines;
    }

    /**
     * A Keyline-issued secret (API key, connect token, webhook secret) may appear in exactly one response: the
     * successful POST that issued it, and its replays to the same Idempotency-Key ({@code Idempotent-Replayed}).
     * Anything else, anywhere, is a leak.
     */
    private long scanResponses(SecretScan scan) throws IOException {
        if (!Files.exists(HygieneFiles.RESPONSES)) {
            return 0;
        }
        Map<String, Integer> seen = new HashMap<>();
        long count = 0;
        for (String line : Files.readAllLines(HygieneFiles.RESPONSES, StandardCharsets.UTF_8)) {
            count++;
            tried++;
            JsonNode response = ApiOperations.JSON.readTree(line);
            if (response.has("streamed")) {
                // Streamed bodies (exports) are written as they are read; their content is scanned where it
                // comes from, the stores.
                streamed++;
                held++;
                continue;
            }
            if (response.has("unrecorded")) {
                hits.add("a response could not be recorded: "
                        + response.get("unrecorded").asText());
                continue;
            }
            String where = response.path("method").asText() + " "
                    + response.path("path").asText() + " → "
                    + response.path("status").asInt();
            boolean issuing = response.path("method").asText().equals("POST")
                    && response.path("status").asInt() / 100 == 2;
            // The kept answer to a repeated Idempotency-Key is the issuing answer again, to the same caller.
            boolean replayed =
                    response.path("header:Idempotent-Replayed").asText().contains("true");
            Set<String> problems = new LinkedHashSet<>();
            Map<String, SecretScan.Hit> distinct = new java.util.LinkedHashMap<>();
            scan.scan(line).forEach(h -> distinct.putIfAbsent(h.value(), h));
            for (var hit : distinct.values()) {
                int times = seen.merge(hit.value(), 1, Integer::sum);
                if (!(issuing && (times == 1 || replayed) && SecretScan.mintedByKeyline(hit.value()))) {
                    problems.add("response " + where + ": " + hit.masked());
                }
            }
            if (problems.isEmpty()) {
                held++;
            } else {
                hits.addAll(problems);
            }
        }
        return count;
    }

    private static long knownCount() {
        try {
            return Files.exists(HygieneFiles.KNOWN_SECRETS)
                    ? Files.readAllLines(HygieneFiles.KNOWN_SECRETS).stream()
                            .distinct()
                            .count()
                    : 0;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
