package dev.keyline.connector.scim;

import static dev.keyline.connector.scim.FakeTransport.of;
import static dev.keyline.connector.scim.FakeTransport.scim;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.keyline.connector.http.HttpRequest;
import dev.keyline.connector.spi.ConnectorException;
import dev.keyline.connector.spi.ErrorCode;
import dev.keyline.connector.spi.Redactor;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ScimClientTest {
    static final String TOKEN = "eyJhbGciOiJFUzI1NiJ9.secret-token-value";
    static final Clock CLOCK = Clock.fixed(Instant.parse("2025-03-01T12:00:00Z"), ZoneOffset.UTC);

    final FakeTransport transport = new FakeTransport();
    final ScimClient client =
            new ScimClient(transport, URI.create("https://provisioning.example.com/scim/v2/"), TOKEN, CLOCK);

    @Test
    void sendsOnlyGetWithBearerTokenAndScimAcceptHeader() {
        transport.on("/scim/v2/Users", scim(200, "{\"totalResults\":0,\"Resources\":[]}"));

        client.list(ScimResourceType.USERS, 1, 10);

        HttpRequest request = transport.requests().get(0);
        assertThat(request.method()).isEqualTo("GET");
        assertThat(request.uri()).hasToString("https://provisioning.example.com/scim/v2/Users?startIndex=1&count=10");
        assertThat(request.headers())
                .containsEntry("Authorization", "Bearer " + TOKEN)
                .containsEntry("Accept", "application/scim+json, application/json");
    }

    @Test
    void parsesListResponseCountsAndResources() {
        transport.on("/scim/v2/Users", scim(200, """
                        {"schemas":["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
                         "totalResults":7,"itemsPerPage":2,"startIndex":0,
                         "Resources":[{"id":"A"},{"id":"B"}]}"""));

        ScimListResponse list = client.list(ScimResourceType.USERS, 1, 2);

        assertThat(list.totalResults()).isEqualTo(7);
        assertThat(list.itemsPerPage()).isEqualTo(2);
        assertThat(list.startIndex()).isZero();
        assertThat(list.resources()).extracting(r -> r.get("id").asText()).containsExactly("A", "B");
    }

    @Test
    void emptyListResponseWithoutResourcesIsAnEmptyPage() {
        transport.on("/scim/v2/Groups", scim(200, "{\"totalResults\":0}"));

        assertThat(client.list(ScimResourceType.GROUPS, 1, 5).resources()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(ints = {401, 403})
    void rejectedTokenIsInvalidCredentialsWithoutTheToken(int status) {
        transport.on("/scim/v2/Users", scim(status, "{\"detail\":\"bad token " + TOKEN + "\"}"));

        ConnectorException e = failure(() -> client.list(ScimResourceType.USERS, 1, 1));

        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CREDENTIALS);
        assertThat(e.getMessage()).contains("rejected the token").doesNotContain(TOKEN);
    }

    @Test
    void listingFailuresCarryScimMessageCodesWithoutTheToken() {
        transport.on("/scim/v2/Users", scim(401, "{\"detail\":\"bad token " + TOKEN + "\"}"));
        transport.on("/scim/v2/Groups", scim(500, ""));

        ConnectorException token = failure(() -> client.list(ScimResourceType.USERS, 1, 1));
        ConnectorException unavailable = failure(() -> client.list(ScimResourceType.GROUPS, 1, 1));
        ConnectorException notFound = failure(
                () -> new ScimClient(transport, URI.create("https://provisioning.example.com/other"), TOKEN, CLOCK)
                        .list(ScimResourceType.USERS, 1, 1));

        assertThat(token.messageCode()).isEqualTo("scim.token_refused");
        assertThat(token.params())
                .containsEntry("host", "provisioning.example.com")
                .containsEntry("status", "401");
        assertThat(unavailable.messageCode()).isEqualTo("scim.unavailable");
        assertThat(notFound.messageCode()).isEqualTo("scim.no_endpoint");
        assertThat(notFound.params()).containsEntry("resource", "users");
        for (ConnectorException e : List.of(token, unavailable, notFound)) {
            assertThat(e.params().values()).noneMatch(v -> v.contains(TOKEN));
        }
    }

    @Test
    void missingSingleResourceIsEmpty() {
        assertThat(client.get(ScimResourceType.USERS, "NOPE")).isEmpty();
    }

    @Test
    void singleResourceIdIsEncodedIntoOnePathSegment() {
        transport.on("/scim/v2/Users/a%2Fb%20c", scim(200, "{\"id\":\"a/b c\"}"));

        assertThat(client.get(ScimResourceType.USERS, "a/b c")).isPresent();
    }

    @Test
    void missingListEndpointIsNotAnApiEndpoint() {
        ConnectorException e = failure(() -> client.list(ScimResourceType.USERS, 1, 1));

        assertThat(e.code()).isEqualTo(ErrorCode.NOT_AN_API_ENDPOINT);
        assertThat(e.getMessage()).contains("no SCIM users endpoint");
    }

    @Test
    void rateLimitCarriesRetryAfterSeconds() {
        transport.on("/scim/v2/Users", of(429, Map.of("Retry-After", List.of("30")), ""));

        ConnectorException e = failure(() -> client.list(ScimResourceType.USERS, 1, 1));

        assertThat(e.code()).isEqualTo(ErrorCode.RATE_LIMITED);
        assertThat(e.retryAfter()).contains(Duration.ofSeconds(30));
        assertThat(e.getMessage()).contains("try again in 30 seconds");
    }

    @Test
    void rateLimitCarriesRetryAfterHttpDate() {
        transport.on("/scim/v2/Users", of(429, Map.of("Retry-After", List.of("Sat, 01 Mar 2025 12:02:00 GMT")), ""));

        ConnectorException e = failure(() -> client.list(ScimResourceType.USERS, 1, 1));

        assertThat(e.retryAfter()).contains(Duration.ofMinutes(2));
    }

    @Test
    void rateLimitWithUnreadableRetryAfterHasNoDelay() {
        transport.on("/scim/v2/Users", of(429, Map.of("Retry-After", List.of("soon")), ""));

        ConnectorException e = failure(() -> client.list(ScimResourceType.USERS, 1, 1));

        assertThat(e.code()).isEqualTo(ErrorCode.RATE_LIMITED);
        assertThat(e.retryAfter()).isEmpty();
        assertThat(e.getMessage()).contains("try again later");
    }

    @ParameterizedTest
    @ValueSource(ints = {500, 502, 503, 504})
    void serverErrorsAreUpstreamUnavailable(int status) {
        transport.on("/scim/v2/Users", of(status, Map.of("Content-Type", List.of("text/plain")), "oops"));

        assertThat(failure(() -> client.list(ScimResourceType.USERS, 1, 1)).code())
                .isEqualTo(ErrorCode.UPSTREAM_UNAVAILABLE);
    }

    @Test
    void otherClientErrorsAreUpstreamErrorsWithTheRedactedDetail() {
        transport.on("/scim/v2/Users", scim(400, "{\"detail\":\"count too large for " + TOKEN + "\"}"));

        ConnectorException e = failure(() -> client.list(ScimResourceType.USERS, 1, 1));

        assertThat(e.code()).isEqualTo(ErrorCode.UPSTREAM_ERROR);
        assertThat(e.getMessage()).contains("count too large").doesNotContain(TOKEN);
    }

    @Test
    void unfollowedRedirectIsNotAnApiEndpoint() {
        transport.on("/scim/v2/Users", of(302, Map.of("Location", List.of("https://elsewhere.example/login")), ""));

        assertThat(failure(() -> client.list(ScimResourceType.USERS, 1, 1)).code())
                .isEqualTo(ErrorCode.NOT_AN_API_ENDPOINT);
    }

    @Test
    void htmlPageIsNotAnApiEndpoint() {
        transport.on(
                "/scim/v2/Users",
                of(200, Map.of("Content-Type", List.of("text/html")), "<!doctype html><title>Sign in</title>"));

        ConnectorException e = failure(() -> client.list(ScimResourceType.USERS, 1, 1));

        assertThat(e.code()).isEqualTo(ErrorCode.NOT_AN_API_ENDPOINT);
        assertThat(e.getMessage()).contains("web page");
    }

    @Test
    void htmlServedAsJsonIsStillNotAnApiEndpoint() {
        transport.on("/scim/v2/Users", scim(200, "<html><body>login</body></html>"));

        assertThat(failure(() -> client.list(ScimResourceType.USERS, 1, 1)).code())
                .isEqualTo(ErrorCode.NOT_AN_API_ENDPOINT);
    }

    @Test
    void jsonThatIsNotScimIsNotAnApiEndpoint() {
        transport.on(
                "/scim/v2/Users", of(200, Map.of("Content-Type", List.of("application/json")), "{\"status\":\"ok\"}"));

        ConnectorException e = failure(() -> client.list(ScimResourceType.USERS, 1, 1));

        assertThat(e.code()).isEqualTo(ErrorCode.NOT_AN_API_ENDPOINT);
        assertThat(e.getMessage()).contains("not with SCIM data");
    }

    @Test
    void singleResourceWithoutIdIsNotAnApiEndpoint() {
        transport.on("/scim/v2/Users/X", scim(200, "{\"message\":\"hello\"}"));

        assertThat(failure(() -> client.get(ScimResourceType.USERS, "X")).code())
                .isEqualTo(ErrorCode.NOT_AN_API_ENDPOINT);
    }

    @Test
    void truncatedJsonIsUpstreamError() {
        transport.on("/scim/v2/Users", scim(200, "{\"totalResults\":2,\"Resources\":[{\"id\":\"A\"},{\"id\""));

        ConnectorException e = failure(() -> client.list(ScimResourceType.USERS, 1, 2));

        assertThat(e.code()).isEqualTo(ErrorCode.UPSTREAM_ERROR);
        assertThat(e.getMessage()).contains("cut off or as malformed JSON");
    }

    @Test
    void emptyBodyIsUpstreamError() {
        transport.on("/scim/v2/Users", scim(200, ""));

        assertThat(failure(() -> client.list(ScimResourceType.USERS, 1, 2)).code())
                .isEqualTo(ErrorCode.UPSTREAM_ERROR);
    }

    @Test
    void listedResourceWithoutIdIsUpstreamError() {
        transport.on("/scim/v2/Users", scim(200, "{\"totalResults\":1,\"Resources\":[{\"userName\":\"a\"}]}"));

        ConnectorException e = failure(() -> client.list(ScimResourceType.USERS, 1, 2));

        assertThat(e.code()).isEqualTo(ErrorCode.UPSTREAM_ERROR);
        assertThat(e.getMessage()).contains("without an id");
    }

    @Test
    void transportFailuresPassThroughUnchanged() {
        ConnectorException timeout = new ConnectorException(ErrorCode.TIMEOUT, "slow");
        transport.on("/scim/v2/Users", request -> {
            throw timeout;
        });

        assertThatThrownBy(() -> client.list(ScimResourceType.USERS, 1, 1)).isSameAs(timeout);
    }

    @Test
    void toStringNeverShowsTheToken() {
        assertThat(client.toString()).doesNotContain(TOKEN).contains("provisioning.example.com");
    }

    static ConnectorException failure(Runnable call) {
        ConnectorException e = catchThrowableOfType(ConnectorException.class, call::run);
        assertThat(e).as("a ConnectorException").isNotNull();
        // Platforms pass messages through the redactor; a sentence must come out of it whole.
        assertThat(Redactor.of(List.of()).redact(e.getMessage())).isEqualTo(e.getMessage());
        return e;
    }
}
