package dev.keyline.connector.tck.json;

import static dev.keyline.connector.tck.json.DoubleClient.get;
import static dev.keyline.connector.tck.json.DoubleClient.list;
import static dev.keyline.connector.tck.json.DoubleClient.object;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyline.scimdouble.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The fault catalogue, rate-limit answers, authentication styles and the read-only rule. */
class JsonApiDoubleFaultsTest {
    private static final Instant NOW = Instant.parse("2026-10-21T07:28:00.250Z");
    private JsonApiDouble api;

    @BeforeEach
    void start() {
        api = JsonApiDouble.builder()
                .paging(Paging.OFFSET)
                .pageSizes(2, 10)
                .clock(Clock.fixed(NOW, ZoneOffset.UTC))
                .collection(
                        "/users",
                        IntStream.rangeClosed(1, 5)
                                .mapToObj(i -> Map.of("id", "u" + i))
                                .toList())
                .collection("/groups", List.of(Map.of("id", "g1")))
                .start();
    }

    @AfterEach
    void stop() {
        api.close();
    }

    private String users(int offset) {
        return api.baseUrl() + "/users?limit=2&offset=" + offset;
    }

    private List<Object> ids(HttpResponse<String> response) {
        return list(object(response).get("users")).stream()
                .map(u -> u.get("id"))
                .toList();
    }

    @Test
    void rateLimitAnswersInEveryHeaderStyle() {
        api.inject(JsonFault.rateLimited(Duration.ofSeconds(7)).forNext(1));
        api.inject(JsonFault.rateLimited(Duration.ofSeconds(7), RateLimitHeaders.RETRY_AFTER_HTTP_DATE)
                .onRequest(2));
        api.inject(JsonFault.rateLimited(Duration.ofSeconds(7), RateLimitHeaders.X_RATELIMIT_RESET)
                .onRequest(3));
        api.inject(JsonFault.rateLimited(Duration.ofMillis(6500), RateLimitHeaders.RATELIMIT_RESET)
                .onRequest(4));
        HttpResponse<String> seconds = get(api, users(0));
        assertThat(seconds.statusCode()).isEqualTo(429);
        assertThat(seconds.headers().firstValue("Retry-After")).hasValue("7");
        HttpResponse<String> date = get(api, users(0));
        assertThat(date.statusCode()).isEqualTo(429);
        // 07:28:00.250 plus 7 s, rounded up so a client waiting for it is never early.
        assertThat(date.headers().firstValue("Retry-After")).hasValue("Wed, 21 Oct 2026 07:28:08 GMT");
        assertThat(DateTimeFormatter.RFC_1123_DATE_TIME.parse(
                        date.headers().firstValue("Retry-After").orElseThrow()))
                .isNotNull();
        HttpResponse<String> epoch = get(api, users(0));
        assertThat(epoch.statusCode()).isEqualTo(429);
        assertThat(epoch.headers().firstValue("Retry-After")).isEmpty();
        assertThat(epoch.headers().firstValue("X-RateLimit-Remaining")).hasValue("0");
        assertThat(epoch.headers().firstValue("X-RateLimit-Reset")).hasValue(String.valueOf(NOW.getEpochSecond() + 8));
        HttpResponse<String> delta = get(api, users(0));
        assertThat(delta.statusCode()).isEqualTo(429);
        assertThat(delta.headers().firstValue("RateLimit-Reset")).hasValue("7");
        assertThat(get(api, users(0)).statusCode()).isEqualTo(200);
    }

    @Test
    void rateLimitNextUsesTheConfiguredStyleOnce() {
        api.close();
        api = JsonApiDouble.builder()
                .rateLimitHeaders(RateLimitHeaders.X_RATELIMIT_RESET)
                .clock(Clock.fixed(NOW, ZoneOffset.UTC))
                .collection("/users", List.of(Map.of("id", "u1")))
                .start();
        api.rateLimitNext(Duration.ofSeconds(3));
        HttpResponse<String> limited = get(api, api.baseUrl() + "/users");
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("X-RateLimit-Reset"))
                .hasValue(String.valueOf(NOW.getEpochSecond() + 4));
        assertThat(get(api, api.baseUrl() + "/users").statusCode()).isEqualTo(200);
        api.serverErrorNext();
        assertThat(get(api, api.baseUrl() + "/users").statusCode()).isEqualTo(500);
        assertThat(get(api, api.baseUrl() + "/users").statusCode()).isEqualTo(200);
    }

    @Test
    void statusFaultsTargetPagesAndCollections() {
        InjectedJsonFault fault = api.inject(JsonFault.serverError().onPage(2).forNext(1));
        api.inject(JsonFault.unavailable().on("/groups"));
        assertThat(get(api, users(0)).statusCode()).isEqualTo(200);
        assertThat(get(api, users(2)).statusCode()).isEqualTo(500);
        assertThat(get(api, users(2)).statusCode()).isEqualTo(200);
        assertThat(get(api, api.baseUrl() + "/users/u1").statusCode()).isEqualTo(200);
        assertThat(get(api, api.baseUrl() + "/groups").statusCode()).isEqualTo(503);
        assertThat(get(api, api.baseUrl() + "/groups/g1").statusCode()).isEqualTo(503);
        assertThat(fault.watched()).isEqualTo(2);
        assertThat(fault.hits()).isEqualTo(1);
    }

    @Test
    void unauthorizedAndForbiddenFaults() {
        api.inject(JsonFault.unauthorized().onRequest(1));
        api.inject(JsonFault.forbidden().onRequest(2));
        HttpResponse<String> unauthorized = get(api, users(0));
        assertThat(unauthorized.statusCode()).isEqualTo(401);
        assertThat(unauthorized.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
        assertThat(get(api, users(0)).statusCode()).isEqualTo(403);
    }

    @Test
    void fromPageHitsThatPageAndEveryLaterOne() {
        api.inject(JsonFault.serverError().fromPage(2));
        assertThat(get(api, users(0)).statusCode()).isEqualTo(200);
        assertThat(get(api, users(2)).statusCode()).isEqualTo(500);
        assertThat(get(api, users(4)).statusCode()).isEqualTo(500);
    }

    @Test
    void connectionResetDropsTheConnectionWithoutAnAnswer() {
        // The JDK client silently retries a GET once, so two requests in a row must be hit.
        api.inject(JsonFault.connectionReset().forNext(2));
        assertThatThrownBy(() -> get(api, users(0)))
                .isInstanceOf(UncheckedIOException.class)
                .hasCauseInstanceOf(IOException.class);
        assertThat(get(api, users(0)).statusCode()).isEqualTo(200);
    }

    @Test
    void stallHoldsTheAnswerBack() {
        api.inject(JsonFault.stall(Duration.ofMillis(600)).forNext(1));
        long start = System.nanoTime();
        HttpResponse<String> response = get(api, users(0));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(600));
        assertThat(ids(response)).containsExactly("u1", "u2");
    }

    @Test
    void truncatedJsonKeepsStatusAndLengthButDoesNotParse() {
        api.inject(JsonFault.truncatedJson().forNext(1));
        HttpResponse<String> response = get(api, users(0));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Length"))
                .hasValue(String.valueOf(response.body().length()));
        assertThatThrownBy(() -> JsonParser.parse(response.body())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void htmlLoginPageAnswers200WithHtml() {
        api.inject(JsonFault.htmlLoginPage().forNext(1));
        HttpResponse<String> response = get(api, users(0));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
        assertThat(response.body()).contains("<form");
    }

    @Test
    void repeatPreviousPageAndEmptyPageReshapeListingsOnly() {
        api.inject(JsonFault.repeatPreviousPage().onPage(2).forNext(1));
        assertThat(ids(get(api, users(2)))).containsExactly("u1", "u2");
        assertThat(ids(get(api, users(2)))).containsExactly("u3", "u4");
        api.inject(JsonFault.emptyPage().onPage(1));
        Map<String, Object> empty = object(get(api, users(0)));
        assertThat(list(empty.get("users"))).isEmpty();
        assertThat(empty).containsEntry("total", 5L);
        assertThat(object(get(api, api.baseUrl() + "/users/u1"))).containsEntry("id", "u1");
    }

    @Test
    void totalOffByMisstatesTheOffsetTotal() {
        api.inject(JsonFault.totalOffBy(3));
        assertThat(object(get(api, users(0)))).containsEntry("total", 8L);
    }

    @Test
    void hugeBodyIsValidJsonOfAboutTheAskedSize() {
        api.inject(JsonFault.hugeBody(200_000).forNext(1));
        HttpResponse<String> response = get(api, users(0));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body().length()).isBetween(200_000, 210_000);
        assertThat(list(object(response).get("users"))).isNotEmpty();
    }

    @Test
    void writesAreRefusedAndRecorded() {
        HttpResponse<String> response = DoubleClient.send(
                api.auth(),
                HttpRequest.newBuilder(URI.create(api.baseUrl() + "/users"))
                        .POST(HttpRequest.BodyPublishers.ofString("{\"id\":\"u9\"}")));
        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(response.headers().firstValue("Allow")).hasValue("GET");
        assertThat(api.requestLog().writes()).singleElement().satisfies(r -> {
            assertThat(r.method()).isEqualTo("POST");
            assertThat(r.collection()).isEqualTo("/users");
        });
        assertThat(api.collection("/users").ids()).doesNotContain("u9");
    }

    @Test
    void requestLogKeepsHeaderNamesButNeverValues() {
        long mark = api.requestLog().mark();
        get(api, users(2));
        List<ApiRequest> since = api.requestLog().since(mark);
        assertThat(since).singleElement().satisfies(r -> {
            assertThat(r.authorized()).isTrue();
            assertThat(r.listing()).isTrue();
            assertThat(r.headerNames()).contains("authorization");
            assertThat(r.queryParameter("offset")).hasValue("2");
            assertThat(r.toString()).doesNotContain(api.auth().secret());
        });
        assertThat(api.requestLog().to("/users")).hasSize(1);
    }

    @Test
    void everyAuthStyleAcceptsItsCredentialAndTellsWrongFromForbidden() {
        for (ApiAuth auth : List.of(
                ApiAuth.bearer("t0ken"),
                ApiAuth.apiKey("X-API-Key", "k3y"),
                ApiAuth.apiKey("Authorization", "SSWS", "k3y"),
                ApiAuth.basic("svc", "pa55"))) {
            api.auth(auth);
            assertThat(get(auth, users(0)).statusCode()).as("%s", auth).isEqualTo(200);
            assertThat(get(api.forbiddenAuth(), users(0)).statusCode())
                    .as("forbidden %s", auth)
                    .isEqualTo(403);
            HttpResponse<String> wrong = get(api.wrongAuth(), users(0));
            assertThat(wrong.statusCode()).as("wrong %s", auth).isEqualTo(401);
            assertThat(get((ApiAuth) null, users(0)).statusCode())
                    .as("none for %s", auth)
                    .isEqualTo(401);
            assertThat(auth.toString()).doesNotContain(auth.secret());
            assertThat(api.secrets()).contains(auth.secret(), api.wrongAuth().secret());
        }
        api.wrongCredentialsStatus(403);
        assertThat(get(api.wrongAuth(), users(0)).statusCode()).isEqualTo(403);
    }
}
