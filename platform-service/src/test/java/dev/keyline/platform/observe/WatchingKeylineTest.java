package dev.keyline.platform.observe;

import static dev.keyline.platform.support.TestApi.as;
import static dev.keyline.platform.support.TestApi.awaitSync;
import static dev.keyline.platform.support.TestApi.link;
import static dev.keyline.platform.support.TestApi.linkOnePassword;
import static dev.keyline.platform.support.TestApi.newTenant;
import static dev.keyline.platform.support.TestApi.read;
import static dev.keyline.platform.support.TestApi.startSync;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.keyline.platform.credential.CredentialStore;
import dev.keyline.platform.credential.TimedCredentialStore;
import dev.keyline.platform.support.EmbeddedPostgresResource;
import dev.keyline.platform.support.FakeScimConnectorFactory;
import dev.keyline.platform.support.InMemoryCredentialStore;
import dev.keyline.platform.support.MongoServerResource;
import dev.keyline.platform.support.TestApi.CreatedTenant;
import dev.keyline.platform.support.TestAuthResource;
import dev.keyline.scimdouble.ScimUpstream;
import dev.keyline.scimdouble.UrlForm;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What an operator watches: the Prometheus scrape at /q/metrics after real work (a link, a live read, syncs, a
 * webhook delivery), the operator log lines with their MDC fields, and the deploy/ dashboard and alert rules, whose
 * every metric must be in that scrape.
 */
@QuarkusTest
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestAuthResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = MongoServerResource.class, restrictToAnnotatedClass = false)
class WatchingKeylineTest {
    /** The real 1Password connector against the SCIM double: it reads, syncs and fails like a provider. */
    private static final String PROVIDER = "onepassword";

    private static final Pattern SAMPLE = Pattern.compile(
            // name, {labels} (quoted values may hold braces), value, then an optional timestamp and exemplar
            "([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{((?:[^\"}]|\"(?:[^\"\\\\]|\\\\.)*\")*)})? (\\S+)(?: -?\\d+)?(?: # .*)?");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final Pattern METRIC_NAME = Pattern.compile("\\b(keyline_[a-z0-9_]+|http_server_[a-z0-9_]+)\\b");

    /** One sample of the exposition format. */
    record Sample(String name, Map<String, String> labels, double value) {}

    /** What one round of real work left: the tenant and the accounts, to look for in the scrape. */
    record Work(CreatedTenant tenant, String good, String rejected) {}

    private final List<ScimUpstream> upstreams = new ArrayList<>();

    @Test
    void theScrapeCountsUpstreamRequestsSyncsWebhooksAndAccountsWithoutIds() throws Exception {
        Work work = doRealWork();

        String scrape = scrape();
        List<Sample> samples = parse(scrape);

        assertThat(series(samples, "keyline_upstream_requests_seconds_count"))
                .as("upstream requests by provider, SPI call and status class")
                .anySatisfy(l -> assertThat(l)
                        .containsEntry("provider", PROVIDER)
                        .containsEntry("operation", "validate")
                        .containsEntry("status_class", "2xx"))
                .anySatisfy(l -> assertThat(l)
                        .containsEntry("provider", PROVIDER)
                        .containsEntry("operation", "list_users")
                        .containsEntry("status_class", "2xx"))
                .anySatisfy(
                        l -> assertThat(l).containsEntry("provider", PROVIDER).containsEntry("status_class", "4xx"));
        assertThat(series(samples, "keyline_upstream_requests_seconds_bucket"))
                .as("latency histogram")
                .anySatisfy(
                        l -> assertThat(l).containsEntry("provider", PROVIDER).containsKey("le"));
        assertThat(series(samples, "keyline_sync_runs_seconds_count"))
                .anySatisfy(l -> assertThat(l)
                        .containsEntry("provider", PROVIDER)
                        .containsEntry("mode", "full")
                        .containsEntry("outcome", "succeeded"))
                .anySatisfy(
                        l -> assertThat(l).containsEntry("provider", PROVIDER).containsEntry("outcome", "failed"));
        assertThat(value(samples, "keyline_sync_records_total", Map.of("provider", PROVIDER)))
                .isGreaterThan(0);
        assertThat(value(samples, "keyline_webhook_deliveries_seconds_count", Map.of("outcome", "succeeded")))
                .isGreaterThanOrEqualTo(1);
        assertThat(series(samples, "keyline_webhook_backlog")).hasSize(1);
        assertThat(value(samples, "keyline_accounts", Map.of("provider", PROVIDER, "status", "active")))
                .isGreaterThanOrEqualTo(1);
        assertThat(value(samples, "keyline_accounts", Map.of("provider", PROVIDER, "status", "error")))
                .isGreaterThanOrEqualTo(1);
        assertThat(series(parse(timedCredentialStoreScrape()), "keyline_credential_store_seconds_count"))
                .anySatisfy(l -> assertThat(l).containsEntry("operation", "put").containsEntry("outcome", "ok"))
                .anySatisfy(l -> assertThat(l).containsEntry("operation", "get"));
        assertThat(series(samples, "keyline_ratelimit_rejections_total"))
                .extracting(l -> l.get("caller"))
                .contains("tenant", "operator", "anonymous");
        assertThat(series(samples, "keyline_token_refreshes_total"))
                .anySatisfy(
                        l -> assertThat(l).containsEntry("provider", PROVIDER).containsEntry("outcome", "failed"));

        // The HTTP server's metrics carry route templates: the account's id is in no label, nor is the tenant's.
        assertThat(series(samples, "http_server_requests_seconds_count"))
                .anySatisfy(l -> assertThat(l.get("uri")).contains("{id}"));
        for (String id : List.of(
                work.tenant().id(), work.good(), work.rejected(), work.tenant().apiKey())) {
            assertThat(scrape).as("no tenant or account id in any label").doesNotContain(id);
        }
    }

    @Test
    void everyMetricTheDashboardAndTheAlertRulesNameIsInARealScrape() throws Exception {
        doRealWork();
        Set<String> scraped = new TreeSet<>();
        parse(scrape()).forEach(s -> scraped.add(s.name()));
        parse(timedCredentialStoreScrape()).forEach(s -> scraped.add(s.name()));

        Path deploy = Path.of("..", "deploy", "monitoring");
        for (Path file : List.of(deploy.resolve("grafana-dashboard.json"), deploy.resolve("prometheus-rules.yaml"))) {
            Set<String> named = metricNames(Files.readString(file));
            assertThat(named).as(file + " names metrics").isNotEmpty();
            assertThat(scraped).as(file + ": every metric it names is scraped").containsAll(named);
        }
    }

    @Test
    void theMetricNameCheckCatchesAMisspelledMetric() {
        assertThat(metricNames("sum(rate(keyline_upstream_request_seconds_count[5m])) / on() keyline_accounts"))
                .containsExactlyInAnyOrder("keyline_upstream_request_seconds_count", "keyline_accounts");
    }

    @Test
    void operatorLinesNameTheTenantAccountAndConnectorInTextAndMdc() throws Exception {
        CreatedTenant tenant = newTenant();
        String secret = "scim-token-" + UUID.randomUUID();
        try (OperatorLines lines = OperatorLines.install()) {
            // A refused link: the code and the field, never the token.
            link(tenant, "owner-refused", secret).statusCode(422);
            OperatorLines.Line refused = single(lines.containing("link refused"));
            assertThat(refused.text())
                    .contains(
                            "code=invalid_credentials",
                            "field=token",
                            "tenant=" + tenant.id(),
                            "account=-",
                            "connector=" + FakeScimConnectorFactory.ID)
                    .doesNotContain(secret);
            assertThat(refused.mdc())
                    .containsEntry("tenant_id", tenant.id())
                    .containsEntry("connector", FakeScimConnectorFactory.ID)
                    .containsKey("request_id");

            // A good link, then a sync that succeeds: its line names the provider.
            ScimUpstream upstream = upstream();
            String token = upstream.token();
            String accountId = linkOnePassword(tenant, "owner-ok", upstream);
            awaitSync(tenant, accountId, startSync(tenant, accountId));
            OperatorLines.Line synced = single(lines.containing("sync succeeded").stream()
                    .filter(l -> l.text().contains(accountId))
                    .toList());
            assertThat(synced.text()).contains("connector=" + PROVIDER, "tenant=" + tenant.id(), "mode=full");
            assertThat(synced.mdc())
                    .containsEntry("account_id", accountId)
                    .containsEntry("tenant_id", tenant.id())
                    .containsEntry("connector", PROVIDER);

            // The provider stops accepting the token: the sync fails and the account goes to error.
            upstream.rotateToken("upstream-token-" + UUID.randomUUID());
            JsonPath failed = awaitSync(tenant, accountId, startSync(tenant, accountId));
            assertThat(failed.getString("state")).isEqualTo("failed");
            OperatorLines.Line syncFailed = single(lines.containing("sync failed").stream()
                    .filter(l -> l.text().contains(accountId))
                    .toList());
            assertThat(syncFailed.level()).isEqualTo("WARN");
            assertThat(syncFailed.text()).contains("code=invalid_credentials", "connector=" + PROVIDER);
            OperatorLines.Line changed = single(lines.containing("account status changed").stream()
                    .filter(l -> l.text().contains(accountId))
                    .toList());
            assertThat(changed.text())
                    .contains("from=active", "to=error", "reason=invalid_credentials", "connector=" + PROVIDER);
            assertThat(changed.mdc()).containsEntry("account_id", accountId).containsEntry("tenant_id", tenant.id());

            // A check now is refused for the same reason.
            as(tenant.apiKey()).post("/accounts/" + accountId + "/check").then().statusCode(200);
            OperatorLines.Line check = single(lines.containing("check refused").stream()
                    .filter(l -> l.text().contains(accountId))
                    .toList());
            assertThat(check.text()).contains("code=invalid_credentials", "tenant=" + tenant.id());
            assertThat(lines.lines()).allSatisfy(l -> assertThat(l.text()).doesNotContain(token, secret));
        }
    }

    @Test
    void problemsCarryNoTraceIdWhileTracingIsOff() {
        CreatedTenant tenant = newTenant();
        String body = read(tenant, "acc_missing")
                .get("/v1/iam/users")
                .then()
                .statusCode(404)
                .extract()
                .asString();
        assertThat(JsonPath.from(body).getString("request_id")).isNotBlank();
        assertThat(body).doesNotContain("trace_id");
    }

    // --- the work and the scrape ------------------------------------------------------------------------------

    /** A link, a live read, a refused link, a sync that succeeds and one that fails, and a webhook delivery. */
    private Work doRealWork() throws IOException {
        CreatedTenant tenant = newTenant();
        String good = linkOnePassword(tenant, "owner-" + UUID.randomUUID(), upstream());
        read(tenant, good).get("/v1/iam/users").then().statusCode(200);
        awaitSync(tenant, good, startSync(tenant, good));

        ScimUpstream other = upstream();
        String rejected = linkOnePassword(tenant, "owner-" + UUID.randomUUID(), other);
        other.rotateToken("upstream-token-" + UUID.randomUUID());
        awaitSync(tenant, rejected, startSync(tenant, rejected));
        link(tenant, "owner-refused", "wrong-" + UUID.randomUUID()).statusCode(422);

        deliverAWebhook(tenant);
        return new Work(tenant, good, rejected);
    }

    private ScimUpstream upstream() {
        ScimUpstream upstream = ScimUpstream.builder()
                .users(6)
                .groups(2)
                .membershipsPerUser(1)
                .seed(7)
                .urlForms(UrlForm.BRIDGE)
                .token("upstream-token-" + UUID.randomUUID())
                .start();
        upstreams.add(upstream);
        return upstream;
    }

    @AfterEach
    void closeUpstreams() {
        upstreams.forEach(ScimUpstream::close);
        upstreams.clear();
    }

    private static void deliverAWebhook(CreatedTenant tenant) throws IOException {
        HttpServer receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receiver.start();
        try {
            String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hooks";
            String subscription = as(tenant.apiKey())
                    .body(Map.of("url", url, "events", List.of("*")))
                    .post("/webhooks")
                    .then()
                    .statusCode(201)
                    .extract()
                    .path("id");
            String delivery = as(tenant.apiKey())
                    .post("/webhooks/" + subscription + "/test")
                    .then()
                    .statusCode(202)
                    .extract()
                    .path("id");
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                String state = as(tenant.apiKey())
                        .get("/webhooks/" + subscription + "/deliveries/" + delivery)
                        .then()
                        .statusCode(200)
                        .extract()
                        .path("state");
                if ("succeeded".equals(state)) {
                    return;
                }
                Thread.sleep(25);
            }
            throw new AssertionError("the webhook was not delivered");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } finally {
            receiver.stop(0);
        }
    }

    /**
     * The credential store's family, from the real timing wrapper in a Prometheus registry like the service's: the
     * tests replace the produced (timed) store with {@link InMemoryCredentialStore}, so the service's own scrape
     * here has no credential-store calls.
     */
    private static String timedCredentialStoreScrape() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        CredentialStore store = new TimedCredentialStore(
                new InMemoryCredentialStore(),
                new KeylineMetrics(registry),
                OpenTelemetry.noop().getTracer("test"));
        store.put("tenant", "account", Map.of("token", "secret"));
        store.get("tenant", "account");
        return registry.scrape();
    }

    private static String scrape() {
        return given().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    static List<Sample> parse(String exposition) {
        List<Sample> samples = new ArrayList<>();
        for (String line : exposition.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            Matcher sample = SAMPLE.matcher(line.strip());
            assertThat(sample.matches()).as("exposition line: " + line).isTrue();
            Map<String, String> labels = new LinkedHashMap<>();
            if (sample.group(2) != null) {
                Matcher label = LABEL.matcher(sample.group(2));
                while (label.find()) {
                    labels.put(label.group(1), label.group(2));
                }
            }
            samples.add(new Sample(sample.group(1), labels, Double.parseDouble(sample.group(3))));
        }
        return samples;
    }

    private static List<Map<String, String>> series(List<Sample> samples, String name) {
        return samples.stream()
                .filter(s -> s.name().equals(name))
                .map(Sample::labels)
                .toList();
    }

    private static double value(List<Sample> samples, String name, Map<String, String> labels) {
        return samples.stream()
                .filter(s -> s.name().equals(name))
                .filter(s -> s.labels().entrySet().containsAll(labels.entrySet()))
                .mapToDouble(Sample::value)
                .sum();
    }

    static Set<String> metricNames(String text) {
        Set<String> names = new TreeSet<>();
        Matcher name = METRIC_NAME.matcher(text);
        while (name.find()) {
            names.add(name.group(1));
        }
        return names;
    }

    private static <T> T single(List<T> found) {
        assertThat(found).hasSize(1);
        return found.get(0);
    }
}
