package dev.keyline.platform.observe;

import static dev.keyline.platform.support.TestApi.linkOnePassword;
import static dev.keyline.platform.support.TestApi.newTenant;
import static dev.keyline.platform.support.TestApi.read;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keyline.platform.support.EmbeddedPostgresResource;
import dev.keyline.platform.support.MongoServerResource;
import dev.keyline.platform.support.TestApi.CreatedTenant;
import dev.keyline.platform.support.TestAuthResource;
import dev.keyline.scimdouble.ScimUpstream;
import dev.keyline.scimdouble.UrlForm;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** With tracing on, one live read is one trace: the inbound request's server span and the connector's upstream span. */
@QuarkusTest
@TestProfile(TracingTest.TracingOn.class)
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestAuthResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = MongoServerResource.class, restrictToAnnotatedClass = false)
class TracingTest {

    public static class TracingOn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "quarkus.otel.sdk.disabled", "false",
                    // No collector here: spans go to the in-memory exporter only, each as it ends.
                    "quarkus.otel.exporter.otlp.enabled", "false",
                    "quarkus.otel.simple", "true");
        }
    }

    @Inject
    InMemorySpanExporter spans;

    @Test
    void aLiveReadIsOneTraceFromTheServerSpanToTheUpstreamRequest() throws Exception {
        try (ScimUpstream upstream = ScimUpstream.builder()
                .users(3)
                .groups(1)
                .seed(3)
                .urlForms(UrlForm.BRIDGE)
                .token("upstream-token-" + UUID.randomUUID())
                .start()) {
            CreatedTenant tenant = newTenant();
            String accountId = linkOnePassword(tenant, "owner-traced", upstream);
            spans.reset();

            read(tenant, accountId).get("/v1/iam/users").then().statusCode(200);

            SpanData server = await(() -> spans.getFinishedSpanItems().stream()
                    .filter(s -> s.getKind() == SpanKind.SERVER)
                    .filter(s -> s.getName().contains("/iam/users"))
                    .findFirst()
                    .orElse(null));
            List<SpanData> trace = spans.getFinishedSpanItems().stream()
                    .filter(s -> s.getTraceId().equals(server.getTraceId()))
                    .toList();
            assertThat(trace)
                    .as("the upstream request of the connector, in the same trace")
                    .anySatisfy(span -> {
                        assertThat(span.getKind()).isEqualTo(SpanKind.CLIENT);
                        assertThat(span.getAttributes().get(AttributeKey.stringKey("keyline.connector")))
                                .isEqualTo("onepassword");
                        assertThat(span.getAttributes().get(AttributeKey.stringKey("keyline.operation")))
                                .isEqualTo("list_users");
                        assertThat(span.getAttributes().get(AttributeKey.stringKey("http.request.method")))
                                .isEqualTo("GET");
                        assertThat(span.getAttributes().get(AttributeKey.stringKey("server.address")))
                                .isNotBlank();
                        assertThat(span.getAttributes().get(AttributeKey.longKey("http.response.status_code")))
                                .isEqualTo(200L);
                    });
            // Nothing that could carry customer data or a secret: no path, query or header attribute.
            assertThat(trace)
                    .allSatisfy(
                            span -> assertThat(span.getAttributes().toString()).doesNotContain(upstream.token()));
        }
    }

    @Test
    void problemsQuoteTheTraceIdWhileTracingIsOn() throws InterruptedException {
        CreatedTenant tenant = newTenant();
        JsonPath problem = read(tenant, "acc_missing")
                .get("/v1/iam/users")
                .then()
                .statusCode(404)
                .extract()
                .jsonPath();
        String traceId = problem.getString("trace_id");
        assertThat(traceId).matches("[0-9a-f]{32}");
        assertThat(await(() -> spans.getFinishedSpanItems().stream()
                        .filter(s -> s.getTraceId().equals(traceId))
                        .findFirst()
                        .orElse(null)))
                .as("the problem quotes the request's own trace")
                .isNotNull();
    }

    private static <T> T await(java.util.function.Supplier<T> found) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            T value = found.get();
            if (value != null) {
                return value;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("not found in time");
    }
}
