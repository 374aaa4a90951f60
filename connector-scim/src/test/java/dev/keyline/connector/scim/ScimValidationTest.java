package dev.keyline.connector.scim;

import static dev.keyline.connector.scim.FakeTransport.of;
import static dev.keyline.connector.scim.FakeTransport.scim;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.keyline.connector.http.HttpResponse;
import dev.keyline.connector.http.TransportFailures;
import dev.keyline.connector.spi.ConnectorException;
import dev.keyline.connector.spi.ErrorCode;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The validation rule the SCIM connectors share: which answer is blamed on which field, with which code. */
class ScimValidationTest {
    private static final String TOKEN = ScimClientTest.TOKEN;
    private static final String URL_FIELD = "scim_url";
    private static final String TOKEN_FIELD = "bearer_token";
    private static final String EXAMPLE = "https://app.example.com/scim/v2";

    private final FakeTransport transport = new FakeTransport();
    private final ScimClient client =
            new ScimClient(transport, URI.create("https://directory.example.com/scim/v2"), TOKEN, ScimClientTest.CLOCK);
    private final ScimValidation validation = ScimValidation.standard(client, URL_FIELD, TOKEN_FIELD, EXAMPLE);

    @Test
    void oneUserIsFetchedWithCountOne() {
        transport.on("/scim/v2/Users", scim(200, "{\"totalResults\":1234,\"Resources\":[{\"id\":\"a\"}]}"));

        ScimListResponse users = validation.fetchOneUser();

        assertThat(users.totalResults()).isEqualTo(1234);
        assertThat(transport.requests())
                .singleElement()
                .satisfies(r -> assertThat(r.uri().getRawQuery()).isEqualTo("startIndex=1&count=1"));
    }

    @ParameterizedTest
    @ValueSource(ints = {401, 403})
    void aRefusedTokenIsBlamedOnTheTokenField(int status) {
        transport.on("/scim/v2/Users", scim(status, "{\"detail\":\"bad token " + TOKEN + "\"}"));

        ConnectorException e = failure();

        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CREDENTIALS);
        assertThat(e.field()).contains(TOKEN_FIELD);
        assertThat(e.messageCode()).isEqualTo("scim.token_rejected");
        assertThat(e.params()).containsEntry("host", "directory.example.com").containsEntry("status", "" + status);
        assertThat(e.getMessage()).doesNotContain(TOKEN);
        assertThat(e.params().values()).noneMatch(v -> v.contains(TOKEN));
    }

    @Test
    void noUsersEndpointIsNotAnApiOnTheUrlField() {
        ConnectorException e = failure();

        assertThat(e.code()).isEqualTo(ErrorCode.NOT_AN_API_ENDPOINT);
        assertThat(e.field()).contains(URL_FIELD);
        assertThat(e.messageCode()).isEqualTo("scim.no_users_endpoint");
        assertThat(e.getMessage()).contains(EXAMPLE);
    }

    @Test
    void jsonThatIsNotAListResponseIsNotScimOnTheUrlField() {
        transport.on("/scim/v2/Users", of(200, Map.of("Content-Type", List.of("application/json")), "{\"a\":1}"));

        ConnectorException e = failure();

        assertThat(e.code()).isEqualTo(ErrorCode.NOT_AN_API_ENDPOINT);
        assertThat(e.field()).contains(URL_FIELD);
        assertThat(e.messageCode()).isEqualTo("scim.not_scim");
        assertThat(e.params()).containsEntry("url", "https://directory.example.com/scim/v2");
        assertThat(e.getCause()).isInstanceOf(ConnectorException.class);
    }

    @Test
    void aWebPageIsNotScim() {
        transport.on("/scim/v2/Users", of(200, Map.of("Content-Type", List.of("text/html")), "<html>Sign in</html>"));

        ConnectorException e = failure();

        assertThat(e.code()).isEqualTo(ErrorCode.NOT_AN_API_ENDPOINT);
        assertThat(e.messageCode()).isEqualTo("scim.not_scim");
        assertThat(((ConnectorException) e.getCause()).messageCode()).isEqualTo("scim.web_page");
    }

    @Test
    void anUnknownHostIsBlamedOnTheUrlFieldInTheConnectorsWords() {
        transport.on("/scim/v2/Users", request -> {
            throw TransportFailures.hostNotFound("directory.example.com", null);
        });

        ConnectorException e = failure();

        assertThat(e.code()).isEqualTo(ErrorCode.HOST_NOT_FOUND);
        assertThat(e.field()).contains(URL_FIELD);
        assertThat(e.messageCode()).isEqualTo("scim.host_not_found");
        assertThat(e.params()).containsEntry("host", "directory.example.com");
        assertThat(e.getMessage()).contains("Check the SCIM URL");
        assertThat(((ConnectorException) e.getCause()).messageCode()).isEqualTo("transport.host_not_found");
    }

    @Test
    void aNetworkFailureWithoutASentenceKeepsTheTransportsButNamesTheUrlField() {
        transport.on("/scim/v2/Users", request -> {
            throw TransportFailures.tooLarge("https://directory.example.com/scim/v2/Users", 10);
        });

        ConnectorException e = failure();

        assertThat(e.code()).isEqualTo(ErrorCode.RESPONSE_TOO_LARGE);
        assertThat(e.field()).contains(URL_FIELD);
        assertThat(e.messageCode()).isEqualTo("transport.too_large");
    }

    @Test
    void aRateLimitIsPassedOnWithoutBlamingAField() {
        transport.on("/scim/v2/Users", of(429, Map.of("Retry-After", List.of("30")), ""));

        ConnectorException e = failure();

        assertThat(e.code()).isEqualTo(ErrorCode.RATE_LIMITED);
        assertThat(e.field()).isEmpty();
        assertThat(e.retryAfter()).contains(Duration.ofSeconds(30));
        assertThat(e.messageCode()).isEqualTo("scim.rate_limited");
        assertThat(e.params())
                .containsEntry("host", "directory.example.com")
                .containsEntry("retry_after_seconds", "30");
    }

    @Test
    void aRateLimitTheTransportThrowsIsPassedOnUnchanged() {
        ConnectorException limited = ConnectorException.rateLimited(Duration.ofSeconds(5), "Slow down.");
        transport.on("/scim/v2/Users", request -> {
            throw limited;
        });

        assertThat(failure()).isSameAs(limited);
    }

    @Test
    void anUnavailableServerIsPassedOnWithoutBlamingAField() {
        transport.on("/scim/v2/Users", scim(503, ""));

        ConnectorException e = failure();

        assertThat(e.code()).isEqualTo(ErrorCode.UPSTREAM_UNAVAILABLE);
        assertThat(e.field()).isEmpty();
        assertThat(e.messageCode()).isEqualTo("scim.unavailable");
    }

    @Test
    void aProvidersWrongAddressDiagnosisComesBeforeTheStatus() {
        transport.on("/scim/v2/Users", scim(401, ""));
        ScimValidation provider = new ScimValidation(client, URL_FIELD, TOKEN_FIELD, new Provider() {
            @Override
            public Optional<ConnectorException> wrongAddress(HttpResponse response) {
                return Optional.of(ConnectorException.builder(ErrorCode.WRONG_URL, "That is the sign-in page.")
                        .messageCode("acme.sign_in_page")
                        .build());
            }
        });

        ConnectorException e = catchThrowableOfType(ConnectorException.class, provider::fetchOneUser);

        assertThat(e.code()).isEqualTo(ErrorCode.WRONG_URL);
        assertThat(e.messageCode()).isEqualTo("acme.sign_in_page");
        // The provider named no field; the rule adds the one the failure concerns.
        assertThat(e.field()).contains(URL_FIELD);
    }

    @Test
    void aProvidersDiagnosesAreUsedAndGetTheirFields() {
        ScimValidation provider = new ScimValidation(client, URL_FIELD, TOKEN_FIELD, new Provider());

        assertThat(catchThrowableOfType(ConnectorException.class, provider::fetchOneUser))
                .satisfies(e -> assertThat(e.messageCode()).isEqualTo("acme.api_disabled"))
                .satisfies(e -> assertThat(e.field()).contains(URL_FIELD));

        transport.on("/scim/v2/Users", scim(403, ""));
        assertThat(catchThrowableOfType(ConnectorException.class, provider::fetchOneUser))
                .satisfies(e -> assertThat(e.messageCode()).isEqualTo("acme.token_rejected"))
                .satisfies(e -> assertThat(e.field()).contains(TOKEN_FIELD));
    }

    @Test
    void aProviderWithoutANetworkSentenceKeepsTheTransportsOnTheUrlField() {
        transport.on("/scim/v2/Users", request -> {
            throw TransportFailures.refused("directory.example.com", null);
        });
        ScimValidation provider = new ScimValidation(client, URL_FIELD, TOKEN_FIELD, new Provider());

        ConnectorException e = catchThrowableOfType(ConnectorException.class, provider::fetchOneUser);

        assertThat(e.code()).isEqualTo(ErrorCode.CONNECTION_FAILED);
        assertThat(e.messageCode()).isEqualTo("transport.refused");
        assertThat(e.field()).contains(URL_FIELD);
    }

    private ConnectorException failure() {
        return catchThrowableOfType(ConnectorException.class, validation::fetchOneUser);
    }

    /** A provider's diagnoses that name no field, to see the rule add them. */
    private static class Provider implements ScimValidation.Diagnoses {
        @Override
        public ConnectorException tokenRejected(int status) {
            return ConnectorException.builder(ErrorCode.INVALID_CREDENTIALS, "Acme refused the token.")
                    .messageCode("acme.token_rejected")
                    .build();
        }

        @Override
        public ConnectorException noUsersEndpoint() {
            return ConnectorException.builder(ErrorCode.API_DISABLED, "Acme's SCIM API is off.")
                    .messageCode("acme.api_disabled")
                    .build();
        }

        @Override
        public ConnectorException notScim(ConnectorException cause) {
            return ConnectorException.builder(ErrorCode.NOT_AN_API_ENDPOINT, "Not Acme.")
                    .messageCode("acme.not_scim")
                    .build();
        }

        @Override
        public Optional<ConnectorException> unreachable(ConnectorException failure) {
            return Optional.empty();
        }
    }
}
