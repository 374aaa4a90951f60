package dev.keyline.connector.okta;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyline.connector.spi.AuthKind;
import dev.keyline.connector.spi.ConnectorException;
import dev.keyline.connector.spi.ErrorCode;
import dev.keyline.connector.tck.okta.OktaDouble;
import java.net.http.HttpResponse;
import java.security.KeyPair;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * explainTokenFailure() with the org authorization server's real refusals, as the double answers them and as the
 * platform's token client hands them on (message code {@code auth.<error>}, parameters error, status and
 * error_description).
 */
class OktaTokenFailuresTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final OktaConnectorFactory factory = new OktaConnectorFactory();
    private final AuthKind kind = factory.descriptor()
            .authKind(AuthKind.Type.OAUTH2_CLIENT_CREDENTIALS)
            .orElseThrow();
    private final OktaDouble okta = OktaDouble.builder().start();
    private final KeyPair registered = OktaTokens.keyPair();

    @AfterEach
    void stop() {
        okta.close();
    }

    /** The platform's generic failure for an OAuth error answer (see TokenClient). */
    static ConnectorException platformFailure(HttpResponse<String> response) throws Exception {
        JsonNode json = JSON.readTree(response.body());
        String error = json.path("error").asText();
        ErrorCode code = switch (error) {
            case "invalid_client", "unauthorized_client", "invalid_grant", "access_denied" ->
                ErrorCode.INVALID_CREDENTIALS;
            case "invalid_scope", "invalid_request", "unsupported_grant_type" -> ErrorCode.INVALID_CONFIG;
            default -> ErrorCode.UPSTREAM_ERROR;
        };
        return ConnectorException.builder(code, "The provider refused the token request.")
                .messageCode("auth." + error)
                .param("error", error)
                .param("status", response.statusCode())
                .param("error_description", json.path("error_description").asText())
                .build();
    }

    private ConnectorException explained(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).isBetween(400, 401);
        ConnectorException generic = platformFailure(response);
        Optional<ConnectorException> explained = factory.explainTokenFailure(kind, generic);
        assertThat(explained).as("a diagnosis of %s", response.body()).isPresent();
        ConnectorException e = explained.get();
        assertThat(e.code()).isEqualTo(generic.code());
        assertThat(e.params()).containsEntry("error", generic.params().get("error"));
        assertThat(e.getMessage()).doesNotContain("eyJ");
        return e;
    }

    @Test
    void theScopesAskedForAreGrantedSoATokenIsIssued() {
        okta.registerServiceApp("0oaapp", registered.getPublic(), OktaDouble.READ_SCOPES);
        HttpResponse<String> response =
                OktaTokens.request(okta, "0oaapp", registered.getPrivate(), String.join(" ", kind.scopes()));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"token_type\":\"Bearer\"", "access_token");
    }

    @Test
    void anUnknownClientIdPointsAtTheClientIdField() throws Exception {
        okta.registerServiceApp("0oaapp", registered.getPublic(), OktaDouble.READ_SCOPES);
        ConnectorException e =
                explained(OktaTokens.request(okta, "0oatypo", registered.getPrivate(), "okta.users.read"));
        assertThat(e.messageCode()).isEqualTo("okta.client_unknown");
        assertThat(e.field()).hasValue("client_id");
    }

    @Test
    void aKeyOktaDoesNotKnowPointsAtThePrivateKeyField() throws Exception {
        okta.registerServiceApp("0oaapp", registered.getPublic(), OktaDouble.READ_SCOPES);
        ConnectorException e = explained(
                OktaTokens.request(okta, "0oaapp", OktaTokens.keyPair().getPrivate(), "okta.users.read"));
        assertThat(e.messageCode()).isEqualTo("okta.client_key_unknown");
        assertThat(e.field()).hasValue("private_key");
        assertThat(e.getMessage()).contains("Public key / Private key");
    }

    @Test
    void scopesNotGrantedToTheAppSayWhereToGrantThem() throws Exception {
        okta.registerServiceApp("0oaapp", registered.getPublic(), Set.of("okta.users.read"));
        ConnectorException e =
                explained(OktaTokens.request(okta, "0oaapp", registered.getPrivate(), String.join(" ", kind.scopes())));
        assertThat(e.messageCode()).isEqualTo("okta.scopes_not_granted");
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIG);
        assertThat(e.getMessage())
                .contains("okta.users.read", "okta.groups.read", "okta.roles.read", "Okta API Scopes");
    }

    @Test
    void anAppRequiringDpopIsToldToTurnItOff() throws Exception {
        okta.registerServiceApp("0oaapp", registered.getPublic(), OktaDouble.READ_SCOPES, true);
        ConnectorException e =
                explained(OktaTokens.request(okta, "0oaapp", registered.getPrivate(), "okta.users.read"));
        assertThat(e.messageCode()).isEqualTo("okta.dpop_required");
        assertThat(e.getMessage()).contains("DPoP");
    }

    @Test
    void unauthorizedClientAndClientSecretAppsAreExplained() {
        ConnectorException unauthorized = factory.explainTokenFailure(
                        kind,
                        failure(
                                "unauthorized_client",
                                "The client is not authorized to use the provided grant type. Configured grant types: "
                                        + "[authorization_code]."))
                .orElseThrow();
        assertThat(unauthorized.messageCode()).isEqualTo("okta.client_credentials_not_allowed");
        assertThat(unauthorized.field()).hasValue("client_id");
        ConnectorException secret = factory.explainTokenFailure(
                        kind,
                        failure(
                                "invalid_client",
                                "Client Credentials requests to the Org Authorization Server must use the private_key_jwt "
                                        + "token_endpoint_auth_method."))
                .orElseThrow();
        assertThat(secret.messageCode()).isEqualTo("okta.private_key_jwt_required");
    }

    @Test
    void anErrorOktaHasNoAdviceForKeepsThePlatformsAnswer() {
        assertThat(factory.explainTokenFailure(kind, failure("temporarily_unavailable", "")))
                .isEmpty();
    }

    private static ConnectorException failure(String error, String description) {
        return ConnectorException.builder(ErrorCode.INVALID_CREDENTIALS, "refused")
                .messageCode("auth." + error)
                .param("error", error)
                .param("status", 400)
                .param("error_description", description)
                .build();
    }
}
