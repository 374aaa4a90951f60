package dev.keyline.platform.connector;

import static dev.keyline.platform.support.TestApi.as;
import static dev.keyline.platform.support.TestApi.awaitSync;
import static dev.keyline.platform.support.TestApi.goodToken;
import static dev.keyline.platform.support.TestApi.link;
import static dev.keyline.platform.support.TestApi.linkOnePassword;
import static dev.keyline.platform.support.TestApi.newTenant;
import static dev.keyline.platform.support.TestApi.startSync;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.keyline.platform.support.EmbeddedPostgresResource;
import dev.keyline.platform.support.MongoServerResource;
import dev.keyline.platform.support.PluginJars;
import dev.keyline.platform.support.TestApi.CreatedTenant;
import dev.keyline.platform.support.TestAuthResource;
import dev.keyline.scimdouble.ScimUpstream;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Plugins broken the ways ops teams break them, installed as jars: {@code stuck} hangs in every call and swallows
 * interrupts, {@code linkage} throws {@link LinkageError}s, {@code missing-dep} calls a class its jar lacks (refused at load).
 * None of them may take anything else down: health checks, other connectors and other tenants keep answering, and every
 * failure names the connector.
 */
@QuarkusTest
@TestProfile(BrokenPluginsTest.BrokenPlugins.class)
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestAuthResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = MongoServerResource.class, restrictToAnnotatedClass = false)
class BrokenPluginsTest {
    /** Set at the end, so the stuck plugin's threads (daemon threads, abandoned) end with the tests. */
    static final String RELEASE = "keyline.test.stuck-plugin.release";

    static final int BULKHEAD = 4;
    static final int STORM = 250;

    public static class BrokenPlugins implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "keyline.connectors.plugins-dir", pluginsDir().toString(),
                    "keyline.connectors.calls.deadline", "2s",
                    "keyline.connectors.calls.read-deadline", "2s",
                    "keyline.connectors.calls.bulkhead", String.valueOf(BULKHEAD),
                    "keyline.limits.enabled", "false");
        }
    }

    @Inject
    PluginCalls calls;

    @TestHTTPResource("/")
    URL service;

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private ScimUpstream upstream;

    @AfterEach
    void stopUpstream() {
        if (upstream != null) {
            upstream.close();
        }
    }

    @AfterAll
    static void releaseStuckCalls() {
        System.setProperty(RELEASE, "true");
    }

    @Test
    void aPluginStuckInEveryCallLeavesHealthOtherConnectorsAndOtherTenantsAnswering() throws Exception {
        upstream = ScimUpstream.builder().users(5).groups(1).seed(18).start();
        CreatedTenant neighbour = newTenant();
        String neighbourAccount = linkOnePassword(neighbour, "org-neighbour", upstream);
        CreatedTenant tenant = newTenant();

        // More link attempts than the service has workers, each with a client that gives up long before a
        // plugin stuck for ever would answer.
        List<CompletableFuture<HttpResponse<String>>> storm = new ArrayList<>();
        for (int i = 0; i < STORM; i++) {
            storm.add(http.sendAsync(
                    post(tenant, "/accounts", linkBody("stuck", "org-" + i, "token-" + i), Duration.ofSeconds(30)),
                    HttpResponse.BodyHandlers.ofString()));
        }
        awaitStuckThreads();

        // Every thread of the stuck plugin is taken; nothing else is.
        HttpResponse<String> ready = http.send(
                get(null, "/q/health/ready", Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
        link(tenant, "org-fake", goodToken()).statusCode(201);
        HttpResponse<String> neighbourRead = http.send(
                get(neighbour, "/iam/users?mode=live", Duration.ofSeconds(10))
                        .headers("x-account-id", neighbourAccount)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(neighbourRead.statusCode()).as(neighbourRead.body()).isEqualTo(200);
        assertThat(JsonPath.from(neighbourRead.body()).getList("data")).hasSize(5);

        Map<String, Integer> answers = new TreeMap<>();
        for (CompletableFuture<HttpResponse<String>> attempt : storm) {
            HttpResponse<String> answer = attempt.get(60, TimeUnit.SECONDS);
            JsonPath problem = JsonPath.from(answer.body());
            assertThat(problem.getString("connector")).as(answer.body()).isEqualTo("stuck");
            answers.merge(answer.statusCode() + " " + problem.getString("code"), 1, Integer::sum);
            if (answer.statusCode() == 504) {
                // The deadline the answer names is the one that was applied.
                assertThat(problem.getString("detail")).contains("within 2 seconds");
            }
        }
        // Each stuck call was abandoned at its deadline, and the calls beyond the bulkhead were turned away at once.
        assertThat(answers.keySet()).containsExactlyInAnyOrder("504 timeout", "503 connector_busy");
    }

    @Test
    void linkageErrorsAnswerConnectorErrorNamingTheConnector() {
        CreatedTenant tenant = newTenant();
        as(tenant.apiKey())
                .body(linkBody("linkage", "org-linkage", "token-that-is-long-enough"))
                .post("/accounts")
                .then()
                .statusCode(502)
                .body("code", equalTo("connector_error"))
                .body("connector", equalTo("linkage"));
        // The service is still whole.
        link(tenant, "org-after", goodToken()).statusCode(201);
    }

    /**
     * A dependency left out of the jar is found when the plugin is loaded, before any of its code runs: the jar is
     * refused by name and shown as refused, so no call ever meets the {@link NoClassDefFoundError} (a class that goes
     * missing at run time anyway, say through reflection, fails its call as {@code connector_error}: {@link
     * PluginCallsTest}).
     */
    @Test
    void aMissingDependencyIsRefusedAtLoadByNameAndNothingElseNotices() {
        CreatedTenant tenant = newTenant();
        as(tenant.apiKey())
                .get("/v1/connectors")
                .then()
                .statusCode(200)
                .body("data.id", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasItem("missing-dep")))
                .body("refused.find { it.jar_name == 'missing-dep.jar' }.code", equalTo("class_missing"));
        as(tenant.apiKey())
                .body(linkBody("missing-dep", "org-missing", "token-that-is-long-enough"))
                .post("/accounts")
                .then()
                .statusCode(400)
                .body("code", equalTo("unknown_provider"));
        link(tenant, "org-after-missing", goodToken()).statusCode(201);
    }

    @Test
    void aSyncWhosePluginThrowsAnErrorFailsAsConnectorErrorAndSyncsGoOn() {
        CreatedTenant tenant = newTenant();
        String broken = as(tenant.apiKey())
                .body(linkBody("linkage", "org-sync", LINKABLE))
                .post("/accounts")
                .then()
                .statusCode(201)
                .extract()
                .path("id");

        JsonPath run = awaitSync(tenant, broken, startSync(tenant, broken));
        assertThat(run.getString("state")).isEqualTo("failed");
        assertThat(run.getString("error.code")).isEqualTo("connector_error");
        assertThat(run.getString("error.message")).contains("'linkage'");

        upstream = ScimUpstream.builder().users(7).groups(2).seed(19).start();
        String healthy = linkOnePassword(tenant, "org-healthy", upstream);
        JsonPath other = awaitSync(tenant, healthy, startSync(tenant, healthy));
        assertThat(other.getString("state")).isEqualTo("succeeded");
    }

    // ---- helpers ----

    /** The token with which the linkage plugin's validation passes, so that its listing can fail in a sync. */
    static final String LINKABLE = "let-me-link";

    private void awaitStuckThreads() throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (calls.running("stuck") < BULKHEAD && System.nanoTime() < until) {
            Thread.sleep(20);
        }
        assertThat(calls.running("stuck")).isEqualTo(BULKHEAD);
    }

    private static Map<String, Object> linkBody(String provider, String owner, String token) {
        return Map.of(
                "origin_owner_id",
                owner,
                "origin_owner_name",
                "Owner " + owner,
                "provider",
                provider,
                "credentials",
                Map.of("org", "acme", "token", token));
    }

    private HttpRequest post(CreatedTenant tenant, String path, Map<String, Object> body, Duration timeout) {
        return HttpRequest.newBuilder(uri(path))
                .header("Authorization", "Bearer " + tenant.apiKey())
                .header("Content-Type", "application/json")
                .timeout(timeout)
                .POST(HttpRequest.BodyPublishers.ofString(json(body)))
                .build();
    }

    private HttpRequest.Builder get(CreatedTenant tenant, String path, Duration timeout) {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(uri(path)).timeout(timeout).GET();
        return tenant == null ? request : request.header("Authorization", "Bearer " + tenant.apiKey());
    }

    private URI uri(String path) {
        String base = service.toString().replaceAll("/$", "");
        return URI.create(base + path);
    }

    private static String json(Map<String, Object> body) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- the plugins ----

    static Path pluginsDir() {
        try {
            Path dir = Files.createTempDirectory("keyline-broken-plugins");
            String spi = String.valueOf(dev.keyline.connector.spi.SpiVersion.CURRENT);
            PluginJars.builder()
                    .source("test.stuck.Hang", HANG)
                    .source("test.stuck.StuckFactory", factory("test.stuck", "StuckFactory", "stuck", """
                            public ConnectorConfig normalize(ConnectorConfig config) {
                                Hang.forever();
                                return config;
                            }

                            public Connector create(ConnectorConfig config, ConnectorContext context) {
                                Hang.forever();
                                return new StuckConnector();
                            }

                            static final class StuckConnector implements Connector, CredentialValidator, UserDirectory {
                                public Validation validate() {
                                    Hang.forever();
                                    return new Validation("never", Map.of());
                                }

                                public Page<User> listUsers(UserQuery query) {
                                    Hang.forever();
                                    return Page.last(List.of());
                                }

                                public Optional<User> getUser(String remoteId, boolean includeRaw) {
                                    Hang.forever();
                                    return Optional.empty();
                                }

                                public void close() {
                                    Hang.forever();
                                }
                            }
                            """))
                    .factory("test.stuck.StuckFactory")
                    .manifest("Keyline-Connector-SPI", spi)
                    .writeTo(dir.resolve("stuck.jar"));
            PluginJars.builder()
                    .source(
                            "test.linkage.LinkageFactory",
                            factory("test.linkage", "LinkageFactory", "linkage", """
                            public Connector create(ConnectorConfig config, ConnectorContext context) {
                                return new LinkageConnector(config.require("token", "Token"));
                            }

                            static final class LinkageConnector implements Connector, CredentialValidator, UserDirectory {
                                private final String token;

                                LinkageConnector(String token) {
                                    this.token = token;
                                }

                                public Validation validate() {
                                    if (token.equals("%s")) {
                                        return new Validation("linked", Map.of());
                                    }
                                    throw new NoSuchMethodError("dev.keyline.connector.spi.Validation.ok()");
                                }

                                public Page<User> listUsers(UserQuery query) {
                                    throw new AbstractMethodError("listUsers");
                                }

                                public Optional<User> getUser(String remoteId, boolean includeRaw) {
                                    throw new AbstractMethodError("getUser");
                                }

                                public void close() {}
                            }
                            """.formatted(LINKABLE)))
                    .factory("test.linkage.LinkageFactory")
                    .manifest("Keyline-Connector-SPI", spi)
                    .writeTo(dir.resolve("linkage.jar"));
            PluginJars.builder()
                    .source("test.missing.HrClient", """
                            package test.missing;

                            public final class HrClient {
                                public static String whoAmI(String token) {
                                    return "hr";
                                }
                            }
                            """)
                    .source(
                            "test.missing.MissingFactory",
                            factory("test.missing", "MissingFactory", "missing-dep", """
                            public Connector create(ConnectorConfig config, ConnectorContext context) {
                                return new MissingConnector(config.require("token", "Token"));
                            }

                            static final class MissingConnector implements Connector, CredentialValidator, UserDirectory {
                                private final String token;

                                MissingConnector(String token) {
                                    this.token = token;
                                }

                                public Validation validate() {
                                    return new Validation(HrClient.whoAmI(token), Map.of());
                                }

                                public Page<User> listUsers(UserQuery query) {
                                    return Page.last(List.of());
                                }

                                public Optional<User> getUser(String remoteId, boolean includeRaw) {
                                    HrClient.whoAmI(token);
                                    return Optional.empty();
                                }

                                public void close() {}
                            }
                            """))
                    .omit("test.missing.HrClient")
                    .factory("test.missing.MissingFactory")
                    .manifest("Keyline-Connector-SPI", spi)
                    .writeTo(dir.resolve("missing-dep.jar"));
            dir.toFile().deleteOnExit();
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final String HANG = """
            package test.stuck;

            final class Hang {
                /** Blocks until the test lets go, swallowing interrupts as a badly written plugin does. */
                static void forever() {
                    while (!Boolean.getBoolean("%s")) {
                        try {
                            Thread.sleep(20);
                        } catch (InterruptedException e) {
                            // Swallowed on purpose.
                        }
                    }
                }
            }
            """.formatted(RELEASE);

    private static String factory(String pkg, String name, String id, String body) {
        return """
                package %s;

                import dev.keyline.connector.model.User;
                import dev.keyline.connector.spi.*;
                import java.util.List;
                import java.util.Map;
                import java.util.Optional;

                public class %s implements ConnectorFactory {
                    private static final ConnectorDescriptor DESCRIPTOR = ConnectorDescriptor.builder("%s")
                            .displayName("Broken %s")
                            .description("A plugin broken on purpose, for tests.")
                            .fields(
                                    CredentialField.text("org", "Organization", "The organization.", "acme", null),
                                    CredentialField.secret("token", "Token", "A token.", null))
                            .capabilities(Capability.CREDENTIAL_VALIDATION, Capability.USERS)
                            .build();

                    public ConnectorDescriptor descriptor() {
                        return DESCRIPTOR;
                    }

                %s
                }
                """.formatted(pkg, name, id, id, body.indent(4));
    }
}
