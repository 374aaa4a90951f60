package dev.keyline.scimdouble;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Paging edges, auth, the request log, the bridge's extra endpoints and URL-form restriction. */
class ScimUpstreamProtocolTest {
    private final ScimUpstream upstream =
            ScimUpstream.builder().users(23).groups(4).token("right-token-123").start();
    private final Http http = new Http(upstream);

    @AfterEach
    void close() {
        upstream.close();
    }

    private Map<String, Object> users(String query) {
        HttpResponse<String> response = http.get(upstream.hostedBaseUrl() + "/Users" + query);
        assertThat(response.statusCode()).isEqualTo(200);
        return Http.json(response);
    }

    @Test
    void pagingFollowsRfc7644ForOddParameters() {
        assertThat(users("")).containsEntry("itemsPerPage", 23L).containsEntry("startIndex", 1L);
        assertThat(users("?startIndex=0&count=5"))
                .containsEntry("startIndex", 1L)
                .containsEntry("itemsPerPage", 5L);
        assertThat(users("?startIndex=30&count=5"))
                .containsEntry("itemsPerPage", 0L)
                .containsEntry("totalResults", 23L);
        assertThat(users("?count=0")).containsEntry("itemsPerPage", 0L).containsEntry("totalResults", 23L);
        assertThat(users("?count=-3")).containsEntry("itemsPerPage", 0L);
    }

    @Test
    void pageSizeIsCappedAndDefaulted() {
        try (ScimUpstream small = ScimUpstream.builder()
                .users(30)
                .defaultPageSize(10)
                .maxPageSize(20)
                .start()) {
            Http client = new Http(small);
            assertThat(Http.resources(client.get(small.hostedBaseUrl() + "/Users")))
                    .hasSize(10);
            assertThat(Http.resources(client.get(small.hostedBaseUrl() + "/Users?count=1000")))
                    .hasSize(20);
        }
    }

    @Test
    void nonNumericPagingIsABadRequest() {
        HttpResponse<String> response = http.get(upstream.hostedBaseUrl() + "/Users?count=lots");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(Http.json(response)).containsEntry("scimType", "invalidValue");
    }

    @Test
    void filterAndSortByAreIgnoredByDefault() {
        assertThat(users("?filter=userName%20eq%20%22nobody%40x%22&sortBy=userName&count=100"))
                .containsEntry("itemsPerPage", 23L);
    }

    @Test
    void sortByIsRejectedWhenSwitchedOn() {
        upstream.enable(Quirk.SORT_BY_REJECTED);
        assertThat(http.get(upstream.hostedBaseUrl() + "/Users?sortBy=userName").statusCode())
                .isEqualTo(400);
        assertThat(http.get(upstream.hostedBaseUrl() + "/Users").statusCode()).isEqualTo(200);
    }

    @Test
    void wrongOrMissingTokenGets401ScimError() {
        for (String token : new String[] {"wrong", null}) {
            HttpResponse<String> response = http.get(upstream.hostedBaseUrl() + "/Users", token);
            assertThat(response.statusCode()).isEqualTo(401);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/scim+json");
            assertThat(Http.json(response))
                    .containsEntry("status", "401")
                    .containsEntry("schemas", List.of("urn:ietf:params:scim:api:messages:2.0:Error"));
        }
    }

    @Test
    void wrongTokenGets403WhenSwitchedOn() {
        upstream.enable(Quirk.FORBIDDEN_FOR_WRONG_TOKEN);
        assertThat(http.get(upstream.hostedBaseUrl() + "/Users", "wrong").statusCode())
                .isEqualTo(403);
        assertThat(http.get(upstream.hostedBaseUrl() + "/Users").statusCode()).isEqualTo(200);
    }

    @Test
    void forbiddenTokenGets403WhileAnUnknownOneGets401() {
        assertThat(http.get(upstream.hostedBaseUrl() + "/Users", upstream.forbiddenToken())
                        .statusCode())
                .isEqualTo(403);
        assertThat(http.get(upstream.hostedBaseUrl() + "/Users", "wrong").statusCode())
                .isEqualTo(401);
        assertThat(http.get(upstream.hostedBaseUrl() + "/Users").statusCode()).isEqualTo(200);
    }

    @Test
    void rotatedTokenReplacesTheOldOne() {
        upstream.rotateToken("new-token-456");
        assertThat(http.get(upstream.hostedBaseUrl() + "/Users").statusCode()).isEqualTo(401);
        assertThat(http.get(upstream.hostedBaseUrl() + "/Users", "new-token-456")
                        .statusCode())
                .isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(strings = {"POST", "PUT", "PATCH", "DELETE"})
    void everyNonGetMethodIsRefusedAndLoggedAsAWrite(String method) {
        HttpResponse<String> response = http.send(method, upstream.hostedBaseUrl() + "/Users");
        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(response.headers().firstValue("Allow")).hasValue("GET");
        assertThat(upstream.requests().writes())
                .singleElement()
                .satisfies(r -> assertThat(r.method()).isEqualTo(method));
    }

    @Test
    void requestLogRecordsEverythingButHeaderValues() {
        long mark = upstream.requests().mark();
        http.get(upstream.hostedBaseUrl() + "/Users?startIndex=8&count=7");
        List<RecordedRequest> requests = upstream.requests().since(mark);
        assertThat(requests).singleElement().satisfies(r -> {
            assertThat(r.method()).isEqualTo("GET");
            assertThat(r.path()).isEqualTo("/scim/v2/Users");
            assertThat(r.queryParameter("count")).hasValue("7");
            assertThat(r.queryParameter("startIndex")).hasValue("8");
            assertThat(r.endpoint()).isEqualTo(Endpoint.LIST_USERS);
            assertThat(r.authorized()).isTrue();
            assertThat(r.headerNames()).contains("authorization");
            assertThat(r.write()).isFalse();
        });
        assertThat(upstream.requests().all().toString() + requests.get(0).headerNames())
                .doesNotContain(upstream.token());
        assertThat(upstream.requests().to(Endpoint.LIST_USERS)).hasSize(1);
        upstream.requests().clear();
        assertThat(upstream.requests().size()).isZero();
        assertThat(upstream.requests().mark()).isEqualTo(mark + 1);
    }

    @Test
    void requestLogKeepsOnlyTheLatestEntries() {
        try (ScimUpstream bounded = ScimUpstream.builder().requestLogLimit(2).start()) {
            Http client = new Http(bounded);
            for (int i = 0; i < 3; i++) {
                client.get(bounded.rootUrl() + "/ping");
            }
            assertThat(bounded.requests().all())
                    .extracting(RecordedRequest::sequence)
                    .containsExactly(2L, 3L);
        }
    }

    @Test
    void pingAnswersPongWithoutAuth() {
        HttpResponse<String> response = http.get(upstream.rootUrl() + "/ping", null);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("pong");
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void healthNeedsTheTokenAndReportsEverySource() {
        assertThat(http.get(upstream.rootUrl() + "/health", null).statusCode()).isEqualTo(401);
        upstream.healthState("RedisCache", "unhealthy");
        Map<String, Object> health = Http.json(http.get(upstream.rootUrl() + "/health"));
        assertThat(health).containsKeys("build", "version", "retrievedAt");
        List<Map<String, Object>> reports = (List<Map<String, Object>>) health.get("reports");
        assertThat(reports)
                .isNotEmpty()
                .allSatisfy(r -> assertThat(r).containsKeys("source", "state", "time", "expires"));
        assertThat(reports)
                .filteredOn(r -> r.get("source").equals("RedisCache"))
                .singleElement()
                .satisfies(r -> assertThat(r).containsEntry("state", "unhealthy"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void discoveryEndpointsAnswerOnEveryPrefix() {
        for (String base : List.of(upstream.hostedBaseUrl(), upstream.bridgeBaseUrl(), upstream.bridgeScimBaseUrl())) {
            Map<String, Object> types = Http.json(http.get(base + "/ResourceTypes"));
            assertThat((List<Map<String, Object>>) types.get("Resources"))
                    .extracting(t -> t.get("endpoint"))
                    .containsExactly("/Users", "/Groups");
            Map<String, Object> config = Http.json(http.get(base + "/ServiceProviderConfig"));
            assertThat((Map<String, Object>) config.get("sort")).containsEntry("supported", false);
            assertThat(http.get(base + "/Schemas").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void unknownPathIsNotFound() {
        assertThat(http.get(upstream.rootUrl() + "/nothing/here").statusCode()).isEqualTo(404);
        assertThat(http.get(upstream.hostedBaseUrl() + "/Users/").statusCode()).isEqualTo(404);
    }

    @Test
    void hostedOnlyUpstreamHasNoBridgePaths() {
        try (ScimUpstream hosted =
                ScimUpstream.builder().urlForms(UrlForm.HOSTED).start()) {
            Http client = new Http(hosted);
            assertThat(client.get(hosted.hostedBaseUrl() + "/Users").statusCode())
                    .isEqualTo(200);
            assertThat(client.get(hosted.bridgeBaseUrl() + "/Users").statusCode())
                    .isEqualTo(404);
            assertThat(client.get(hosted.bridgeScimBaseUrl() + "/Users").statusCode())
                    .isEqualTo(404);
            assertThat(client.get(hosted.rootUrl() + "/ping").statusCode()).isEqualTo(404);
            assertThat(client.get(hosted.rootUrl() + "/health").statusCode()).isEqualTo(404);
        }
    }

    @Test
    void bridgeOnlyUpstreamHasNoHostedPaths() {
        try (ScimUpstream bridge =
                ScimUpstream.builder().urlForms(UrlForm.BRIDGE).start()) {
            Http client = new Http(bridge);
            assertThat(client.get(bridge.bridgeBaseUrl() + "/Users").statusCode())
                    .isEqualTo(200);
            assertThat(client.get(bridge.bridgeScimBaseUrl() + "/Users").statusCode())
                    .isEqualTo(200);
            assertThat(client.get(bridge.hostedBaseUrl() + "/Users").statusCode())
                    .isEqualTo(404);
        }
    }

    @Test
    void closeIsIdempotentAndFreesThePort() {
        ScimUpstream other = ScimUpstream.builder().start();
        other.close();
        other.close();
        assertThat(catchIo(() -> new Http(other).get(other.rootUrl() + "/ping")))
                .isTrue();
    }

    static boolean catchIo(Runnable call) {
        try {
            call.run();
            return false;
        } catch (java.io.UncheckedIOException e) {
            return true;
        }
    }
}
