package dev.keyline.scimdouble;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ScimUpstreamFaultsTest {
    private final ScimUpstream upstream =
            ScimUpstream.builder().users(23).groups(4).start();
    private final Http http = new Http(upstream);

    @AfterEach
    void close() {
        upstream.close();
    }

    private HttpResponse<String> page(int page) {
        return http.get(upstream.hostedBaseUrl() + "/Users?startIndex=" + ((page - 1) * 5 + 1) + "&count=5");
    }

    private static List<Object> ids(HttpResponse<String> response) {
        return Http.resources(response).stream().map(r -> r.get("id")).toList();
    }

    @Test
    void rateLimitAnswers429WithRetryAfterSeconds() {
        upstream.inject(Fault.rateLimited(Duration.ofSeconds(7)));
        HttpResponse<String> response = page(1);
        assertThat(response.statusCode()).isEqualTo(429);
        assertThat(response.headers().firstValue("Retry-After")).hasValue("7");
        assertThat(Http.json(response)).containsEntry("status", "429");
    }

    @Test
    void statusFaultsAnswerScimErrors() {
        for (Fault fault : List.of(Fault.serverError(), Fault.unavailable(), Fault.forbidden(), Fault.status(502))) {
            upstream.clearFaults();
            upstream.inject(fault);
            HttpResponse<String> response = page(1);
            assertThat(response.statusCode()).as("%s", fault).isIn(500, 503, 403, 502);
            assertThat(Http.json(response)).containsEntry("status", String.valueOf(response.statusCode()));
        }
    }

    @Test
    void onRequestHitsExactlyThatRequest() {
        InjectedFault fault = upstream.inject(Fault.serverError().onRequest(2));
        assertThat(page(1).statusCode()).isEqualTo(200);
        assertThat(page(2).statusCode()).isEqualTo(500);
        assertThat(page(3).statusCode()).isEqualTo(200);
        assertThat(fault.hits()).isEqualTo(1);
        assertThat(fault.watched()).isEqualTo(3);
    }

    @Test
    void forNextHitsTheNextRequestsOnly() {
        upstream.inject(Fault.unavailable().forNext(2));
        assertThat(page(1).statusCode()).isEqualTo(503);
        assertThat(page(1).statusCode()).isEqualTo(503);
        assertThat(page(1).statusCode()).isEqualTo(200);
    }

    @Test
    void onPageCombinesWithForNextSoARetrySucceeds() {
        upstream.inject(Fault.serverError().onPage(2).forNext(1));
        assertThat(page(1).statusCode()).isEqualTo(200);
        assertThat(page(2).statusCode()).isEqualTo(500);
        assertThat(page(2).statusCode()).isEqualTo(200);
    }

    @Test
    void unauthorizedFromPageOnwards() {
        upstream.inject(Fault.unauthorized().fromPage(3));
        assertThat(page(1).statusCode()).isEqualTo(200);
        assertThat(page(2).statusCode()).isEqualTo(200);
        assertThat(page(3).statusCode()).isEqualTo(401);
        assertThat(page(5).statusCode()).isEqualTo(401);
        String userId = upstream.directory().users().get(0).id();
        assertThat(http.get(upstream.hostedBaseUrl() + "/Users/" + userId).statusCode())
                .as("lookups are not pages")
                .isEqualTo(200);
    }

    @Test
    void faultsCanBeNarrowedToEndpoints() {
        upstream.inject(Fault.serverError().on(Endpoint.LIST_GROUPS));
        assertThat(page(1).statusCode()).isEqualTo(200);
        assertThat(http.get(upstream.hostedBaseUrl() + "/Groups").statusCode()).isEqualTo(500);
    }

    @Test
    void pingIsSparedByDefault() {
        upstream.inject(Fault.serverError());
        assertThat(http.get(upstream.rootUrl() + "/ping").statusCode()).isEqualTo(200);
    }

    @Test
    void firstInjectedFaultWinsAndRemovedFaultsStop() {
        InjectedFault first = upstream.inject(Fault.unavailable());
        InjectedFault second = upstream.inject(Fault.serverError());
        assertThat(page(1).statusCode()).isEqualTo(503);
        first.remove();
        assertThat(page(1).statusCode()).isEqualTo(500);
        assertThat(second.watched()).isEqualTo(2);
        upstream.clearFaults();
        assertThat(upstream.faults()).isEmpty();
        assertThat(page(1).statusCode()).isEqualTo(200);
    }

    @Test
    void faultsCanBeInjectedAtBuildTime() {
        try (ScimUpstream faulty =
                ScimUpstream.builder().fault(Fault.serverError().onRequest(1)).start()) {
            Http client = new Http(faulty);
            assertThat(client.get(faulty.hostedBaseUrl() + "/Users").statusCode())
                    .isEqualTo(500);
            assertThat(client.get(faulty.hostedBaseUrl() + "/Users").statusCode())
                    .isEqualTo(200);
        }
    }

    @Test
    void connectionResetGivesNoResponseAtAll() {
        InjectedFault reset = upstream.inject(Fault.connectionReset());
        assertThatThrownBy(() -> page(1)).isInstanceOf(UncheckedIOException.class);
        reset.remove();
        assertThat(page(1).statusCode()).isEqualTo(200);
    }

    @Test
    void stallOutlastsAShortClientTimeout() {
        upstream.inject(Fault.stall(Duration.ofSeconds(30)));
        var request = http.request(upstream.hostedBaseUrl() + "/Users")
                .timeout(Duration.ofMillis(300))
                .GET()
                .build();
        assertThatThrownBy(() -> HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(HttpTimeoutException.class);
    }

    @Test
    void fixedLatencyOutlastsAShortClientTimeout() {
        upstream.latency(Duration.ofSeconds(30));
        var request = http.request(upstream.hostedBaseUrl() + "/Users")
                .timeout(Duration.ofMillis(300))
                .GET()
                .build();
        assertThatThrownBy(() -> HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(HttpTimeoutException.class);
        upstream.latency(Duration.ZERO);
        assertThat(page(1).statusCode()).isEqualTo(200);
    }

    @Test
    void truncatedJsonIsHalfABodyWithAMatchingLength() {
        upstream.inject(Fault.truncatedJson());
        HttpResponse<String> response = page(1);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/scim+json");
        assertThat(response.body()).startsWith("{\"schemas\"");
        assertThatThrownBy(() -> JsonParser.parse(response.body())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void htmlLoginPageIs200TextHtml() {
        upstream.inject(Fault.htmlLoginPage());
        HttpResponse<String> response = page(1);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(v -> assertThat(v).startsWith("text/html"));
        assertThat(response.body()).contains("<html").contains("Sign in");
    }

    @Test
    void repeatedPageHoldsThePreviousPagesUsers() {
        upstream.inject(Fault.repeatPreviousPage().onPage(2));
        List<Object> first = ids(page(1));
        HttpResponse<String> second = page(2);
        assertThat(ids(second)).isEqualTo(first);
        assertThat(Http.json(second)).containsEntry("startIndex", 6L);
        assertThat(ids(page(3))).doesNotContainAnyElementsOf(first);
    }

    @Test
    void totalResultsCanLieEitherWay() {
        upstream.inject(Fault.totalResultsOffBy(5).onRequest(1));
        upstream.inject(Fault.totalResultsOffBy(-20).onRequest(2));
        assertThat(Http.json(page(1))).containsEntry("totalResults", 28L);
        assertThat(Http.json(page(1))).containsEntry("totalResults", 3L);
        assertThat(Http.json(page(1))).containsEntry("totalResults", 23L);
    }

    @Test
    void emptyPageInTheMiddleKeepsTheTotal() {
        upstream.inject(Fault.emptyPage().onPage(2));
        Map<String, Object> second = Http.json(page(2));
        assertThat(second).containsEntry("totalResults", 23L).containsEntry("itemsPerPage", 0L);
        assertThat(Http.resources(page(2))).isEmpty();
        assertThat(Http.resources(page(3))).hasSize(5);
    }

    @Test
    void hugeBodyIsStreamedAsValidJsonOfTheRequestedSize() throws IOException, InterruptedException {
        long size = 5L * 1024 * 1024;
        upstream.inject(Fault.hugeBody(size));
        var request = http.request(upstream.hostedBaseUrl() + "/Users").GET().build();
        HttpResponse<InputStream> response =
                HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        byte[] body;
        try (InputStream in = response.body()) {
            body = in.readAllBytes();
        }
        assertThat((long) body.length).isBetween(size - 128 * 1024, size);
        assertThat(new String(body, body.length - 2, 2, java.nio.charset.StandardCharsets.UTF_8))
                .isEqualTo("]}");
        assertThat(JsonParser.parse(new String(body, java.nio.charset.StandardCharsets.UTF_8)))
                .isInstanceOf(Map.class);
    }

    @Test
    void faultArgumentsAreChecked() {
        assertThatThrownBy(() -> Fault.status(200)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Fault.serverError().onRequest(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Fault.hugeBody(0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(Fault.serverError().onPage(2).forNext(1).toString()).contains("STATUS", "500", "pages 2..2");
    }
}
