package dev.keyline.connector.onepassword;

import static dev.keyline.connector.onepassword.OnePasswordConnectorFactory.BEARER_TOKEN;
import static dev.keyline.connector.onepassword.OnePasswordConnectorFactory.SCIM_URL;
import static dev.keyline.connector.onepassword.OnePasswordConnectorFactoryTest.TOKEN;
import static dev.keyline.connector.onepassword.OnePasswordConnectorFactoryTest.config;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.keyline.connector.http.HttpRequest;
import dev.keyline.connector.http.HttpResponse;
import dev.keyline.connector.model.Email;
import dev.keyline.connector.model.Group;
import dev.keyline.connector.model.GroupRef;
import dev.keyline.connector.model.MemberRef;
import dev.keyline.connector.model.StatusValue;
import dev.keyline.connector.model.User;
import dev.keyline.connector.model.UserStatus;
import dev.keyline.connector.spi.ConnectorException;
import dev.keyline.connector.spi.ErrorCode;
import dev.keyline.connector.spi.GroupQuery;
import dev.keyline.connector.spi.HealthReport;
import dev.keyline.connector.spi.Page;
import dev.keyline.connector.spi.Redactor;
import dev.keyline.connector.spi.UserQuery;
import dev.keyline.connector.spi.Validation;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The 1Password logic against canned answers shaped like real 1Password ones. */
class OnePasswordConnectorTest {
    static final String HOSTED = "https://provisioning.1password.com/scim/v2";
    static final String BRIDGE = "https://scim.example.com";

    final FakeTransport transport = new FakeTransport();

    OnePasswordConnector connector(String url) {
        return (OnePasswordConnector)
                new OnePasswordConnectorFactory().create(config(url, TOKEN), Contexts.of(transport));
    }

    static String resource(String name) {
        try (InputStream in = OnePasswordConnectorTest.class.getResourceAsStream("/onepassword/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ConnectorException failure(Runnable call) {
        ConnectorException e = catchThrowableOfType(ConnectorException.class, call::run);
        assertThat(e).as("a ConnectorException").isNotNull();
        assertThat(e.getMessage()).doesNotContain(TOKEN);
        // Platforms pass messages through the redactor; a sentence must come out of it whole.
        assertThat(Redactor.of(List.of()).redact(e.getMessage())).isEqualTo(e.getMessage());
        return e;
    }

    // ---- validation ----

    @Test
    void validatingHostedProvisioningCostsOneSmallRequestAndSaysHosted() {
        transport.scim("/scim/v2/Users", resource("hosted-users.json"));

        Validation validation = connector(HOSTED).validate();

        // Asked for one user, the fixture answers with two and totalResults 2: only "at least 2" is sure.
        assertThat(validation.facts()).containsEntry("deployment", "hosted").containsEntry("users_at_least", "2");
        assertThat(validation.summary()).contains("hosted provisioning");
        assertThat(transport.requests()).hasSize(1);
        HttpRequest request = transport.requests().get(0);
        assertThat(request.uri()).hasToString(HOSTED + "/Users?startIndex=1&count=1");
        assertThat(request.headers()).containsEntry("Authorization", "Bearer " + TOKEN);
    }

    @Test
    void validatingABridgeSaysBridge() {
        transport.scim("/Users", resource("hosted-users.json"));

        Validation validation = connector(BRIDGE).validate();

        assertThat(validation.facts()).containsEntry("deployment", "bridge");
        assertThat(validation.summary()).contains("SCIM bridge at scim.example.com");
    }

    @Test
    void anotherHostAtScimV2IsASCIMServerNotHostedProvisioning() {
        transport.scim("/scim/v2/Users", resource("hosted-users.json"));

        Validation validation = connector("https://scim.example.com/scim/v2").validate();

        assertThat(validation.facts()).containsEntry("deployment", "scim_server");
        assertThat(validation.summary()).startsWith("Connected to the SCIM server at scim.example.com");
    }

    @Test
    void aScimServerThatRejectsTheTokenIsNamedAsOne() {
        transport.on("/scim/v2/Users", 401, "application/scim+json", "{\"detail\":\"Unauthorized\"}");

        ConnectorException e =
                failure(() -> connector("https://scim.example.com/scim/v2").validate());

        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CREDENTIALS);
        assertThat(e.messageCode()).isEqualTo("onepassword.token_rejected_scim_server");
        assertThat(e.getMessage()).startsWith("The SCIM server at scim.example.com did not accept the token");
    }

    @ParameterizedTest
    @ValueSource(ints = {401, 403})
    void rejectedTokenIsInvalidCredentialsOnTheTokenField(int status) {
        transport.on("/scim/v2/Users", status, "application/scim+json", "{\"detail\":\"Unauthorized\"}");

        ConnectorException e = failure(() -> connector(HOSTED).validate());

        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CREDENTIALS);
        assertThat(e.field()).contains(BEARER_TOKEN);
        assertThat(e.getMessage()).contains("did not accept the token", "generate a new token");
    }

    @Test
    void bridgeAnsweringPingButNotUsersHasItsScimApiDisabled() {
        transport.on("/ping", 200, "text/plain", "pong");

        ConnectorException e = failure(() -> connector(BRIDGE).validate());

        assertThat(e.code()).isEqualTo(ErrorCode.API_DISABLED);
        assertThat(e.field()).contains(SCIM_URL);
        assertThat(e.getMessage()).contains("SCIM API is turned off", "Google Workspace");
        HttpRequest ping = transport.requests().get(1);
        assertThat(ping.uri().getPath()).isEqualTo("/ping");
        assertThat(ping.headers()).doesNotContainKey("Authorization");
    }

    @Test
    void bridgeSendingItsHomePageToTheSignInPageHasItsScimApiDisabled() {
        // The transport follows redirects, so the answer comes from where / led.
        transport.on(
                "/",
                request -> FakeTransport.response(
                        URI.create(BRIDGE + "/app/login"), 200, "text/html", "<html>Sign in</html>"));

        ConnectorException e = failure(() -> connector(BRIDGE + "/scim").validate());

        assertThat(e.code()).isEqualTo(ErrorCode.API_DISABLED);
        assertThat(transport.paths()).containsExactly("/scim/Users", "/ping", "/");
    }

    @Test
    void addressWithoutScimThatIsNoBridgeIsNotAnApiEndpoint() {
        ConnectorException e = failure(() -> connector(BRIDGE).validate());

        assertThat(e.code()).isEqualTo(ErrorCode.NOT_AN_API_ENDPOINT);
        assertThat(e.field()).contains(SCIM_URL);
        assertThat(e.getMessage()).contains("not a 1Password SCIM API", "https://provisioning.1password.com/scim/v2");
    }

    @Test
    void hostedNotFoundIsNotAnApiEndpointWithoutProbingForABridge() {
        ConnectorException e = failure(() -> connector(HOSTED).validate());

        assertThat(e.code()).isEqualTo(ErrorCode.NOT_AN_API_ENDPOINT);
        assertThat(transport.requests()).hasSize(1);
    }

    @Test
    void htmlLoginPageIsNotAnApiEndpoint() {
        transport.on("/Users", 200, "text/html; charset=utf-8", "<!DOCTYPE html><form action=/login></form>");

        ConnectorException e = failure(() -> connector(BRIDGE).validate());

        assertThat(e.code()).isEqualTo(ErrorCode.NOT_AN_API_ENDPOINT);
        assertThat(e.field()).contains(SCIM_URL);
    }

    @Test
    void jsonThatIsNotScimIsNotAnApiEndpoint() {
        transport.on("/Users", 200, "application/json", "{\"status\":\"ok\",\"service\":\"inventory\"}");

        ConnectorException e = failure(() -> connector(BRIDGE).validate());

        assertThat(e.code()).isEqualTo(ErrorCode.NOT_AN_API_ENDPOINT);
        assertThat(e.field()).contains(SCIM_URL);
    }

    @Test
    void redirectToTheSignInPageIsTheWrongUrl() {
        transport.on(
                "/Users",
                request -> FakeTransport.response(
                        URI.create("https://acme.1password.com/signin"), 200, "text/html", "<html></html>"));

        ConnectorException e = failure(() -> connector(BRIDGE).validate());

        assertThat(e.code()).isEqualTo(ErrorCode.WRONG_URL);
        assertThat(e.field()).contains(SCIM_URL);
    }

    @ParameterizedTest
    @EnumSource(
            value = ErrorCode.class,
            names = {"HOST_NOT_FOUND", "TLS_ERROR", "TIMEOUT", "CONNECTION_FAILED"})
    void networkFailuresKeepTheirCodeAndNameTheUrlField(ErrorCode code) {
        transport.fail("/Users", new ConnectorException(code, "transport says no"));

        ConnectorException e = failure(() -> connector(BRIDGE).validate());

        assertThat(e.code()).isEqualTo(code);
        assertThat(e.field()).contains(SCIM_URL);
        assertThat(e.getMessage()).contains("scim.example.com").doesNotContain("transport says no");
    }

    @Test
    void egressDenialNamesTheUrlFieldAndKeepsThePlatformsMessage() {
        transport.fail("/Users", new ConnectorException(ErrorCode.EGRESS_DENIED, "Private addresses are not allowed."));

        ConnectorException e = failure(() -> connector(BRIDGE).validate());

        assertThat(e.code()).isEqualTo(ErrorCode.EGRESS_DENIED);
        assertThat(e.field()).contains(SCIM_URL);
        assertThat(e.getMessage()).isEqualTo("Private addresses are not allowed.");
    }

    @Test
    void unavailableUpstreamDuringValidationIsRetryableAndBlamesNoField() {
        transport.on("/Users", 503, "text/plain", "maintenance");

        ConnectorException e = failure(() -> connector(BRIDGE).validate());

        assertThat(e.code()).isEqualTo(ErrorCode.UPSTREAM_UNAVAILABLE);
        assertThat(e.code().retryable()).isTrue();
        assertThat(e.field()).isEmpty();
    }

    @Test
    void rateLimitDuringValidationCarriesTheDelay() {
        transport.on(
                "/Users",
                request -> new HttpResponse(429, request.uri(), Map.of("Retry-After", List.of("12")), new byte[0]));

        ConnectorException e = failure(() -> connector(BRIDGE).validate());

        assertThat(e.code()).isEqualTo(ErrorCode.RATE_LIMITED);
        assertThat(e.retryAfter())
                .hasValueSatisfying(d -> assertThat(d.toSeconds()).isEqualTo(12));
    }

    // ---- message codes: stable names for the sentences, for a connect UI that localises them ----

    @Test
    void aRejectedTokenHasAOnePasswordMessageCodePerDeployment() {
        transport.on("/scim/v2/Users", 401, "application/scim+json", "{\"detail\":\"Unauthorized\"}");
        transport.on("/Users", 401, "application/scim+json", "{\"detail\":\"Unauthorized\"}");

        ConnectorException hosted = failure(() -> connector(HOSTED).validate());
        ConnectorException bridge = failure(() -> connector(BRIDGE).validate());

        assertThat(hosted.messageCode()).isEqualTo("onepassword.token_rejected_hosted");
        assertThat(bridge.messageCode()).isEqualTo("onepassword.token_rejected_bridge");
        assertThat(bridge.params()).containsEntry("status", "401").doesNotContainValue(TOKEN);
    }

    @Test
    void notScimDisabledApiAndSignInPageHaveTheirCodes() {
        assertThat(failure(() -> connector(BRIDGE).validate()).messageCode()).isEqualTo("onepassword.not_scim");

        transport.on("/ping", 200, "text/plain", "pong");
        ConnectorException disabled = failure(() -> connector(BRIDGE).validate());
        assertThat(disabled.messageCode()).isEqualTo("onepassword.api_disabled");
        assertThat(disabled.params()).containsEntry("host", "scim.example.com");

        transport.on(
                "/Users",
                request -> FakeTransport.response(
                        URI.create("https://acme.1password.com/signin"), 200, "text/html", "<html></html>"));
        ConnectorException signIn = failure(() -> connector(BRIDGE).validate());
        assertThat(signIn.messageCode()).isEqualTo("onepassword.sign_in_page");
        assertThat(signIn.params()).containsEntry("host", "acme.1password.com");
    }

    @Test
    void anUnknownHostHasAOnePasswordCodeNamingTheHost() {
        transport.fail("/Users", new ConnectorException(ErrorCode.HOST_NOT_FOUND, "transport says no"));

        ConnectorException e = failure(() -> connector(BRIDGE).validate());

        assertThat(e.messageCode()).isEqualTo("onepassword.host_not_found");
        assertThat(e.params()).containsEntry("host", "scim.example.com");
    }

    @Test
    void aRateLimitKeepsTheScimLibrarysCode() {
        transport.on(
                "/Users",
                request -> new HttpResponse(429, request.uri(), Map.of("Retry-After", List.of("12")), new byte[0]));

        ConnectorException e = failure(() -> connector(BRIDGE).validate());

        assertThat(e.code()).isEqualTo(ErrorCode.RATE_LIMITED);
        assertThat(e.messageCode()).isEqualTo("scim.rate_limited");
        assertThat(e.params()).containsEntry("host", "scim.example.com").containsEntry("retry_after_seconds", "12");
    }

    // ---- reading ----

    @Test
    void readsHostedUsersWithTheirQuirks() {
        transport.scim("/scim/v2/Users", resource("hosted-users.json"));

        Page<User> page = connector(HOSTED).listUsers(UserQuery.all(10, true));

        assertThat(page.next()).isEmpty();
        User ada = page.items().get(0);
        assertThat(ada.remoteId()).isEqualTo("ABCDEFGHIJKLMNOPQRSTUVWXY2");
        assertThat(ada.username()).isEqualTo("ada@example.com");
        assertThat(ada.name()).isEqualTo("Ada Lovelace");
        assertThat(ada.emails()).containsExactly(new Email("ada@example.com", null, true));
        assertThat(ada.primaryEmailAddress()).isEqualTo("ada@example.com");
        assertThat(ada.status()).isEqualTo(new UserStatus(StatusValue.ENABLED, "true"));
        assertThat(ada.groups()).containsExactly(new GroupRef("mz4l2ntbbzfmxcr5e3yxsdu4qa", "Engineering"));
        assertThat(ada.createdAt()).isNull();
        assertThat(ada.raw()).containsEntry("preferredLanguage", "en");
        User grace = page.items().get(1);
        assertThat(grace.status()).isEqualTo(new UserStatus(StatusValue.DISABLED, "false"));
        assertThat(grace.groups()).containsExactly(new GroupRef("v4xq7nrzvnhbfe3bq2zbp6kqhe", null));
        assertThat(grace.updatedAt()).isNull();
    }

    @Test
    void suspendedUsersAreFoundByStatus() {
        transport.scim("/scim/v2/Users", resource("hosted-users.json"));

        Page<User> page = connector(HOSTED).listUsers(new UserQuery(null, 10, null, null, StatusValue.DISABLED, false));

        assertThat(page.items()).extracting(User::username).containsExactly("grace@example.com");
    }

    @Test
    void neverBuildsUrlsFromResourceTypes() {
        transport.scim("/scim/v2/ResourceTypes", resource("hosted-resource-types.json"));
        transport.scim("/scim/v2/Users", resource("hosted-users.json"));
        OnePasswordConnector hosted = connector(HOSTED);

        hosted.validate();
        hosted.listUsers(UserQuery.all(5, false));

        assertThat(transport.paths()).containsOnly("/scim/v2/Users");
    }

    @Test
    void groupsListedWithoutMembersAreFetchedOneByOne() {
        transport.scim("/Groups", resource("bridge-groups.json"));
        transport.scim("/Groups/mz4l2ntbbzfmxcr5e3yxsdu4qa", resource("bridge-group-engineering.json"));
        transport.scim(
                "/Groups/v4xq7nrzvnhbfe3bq2zbp6kqhe",
                "{\"id\":\"v4xq7nrzvnhbfe3bq2zbp6kqhe\",\"displayName\":\"Owners\",\"members\":[]}");

        Page<Group> page = connector(BRIDGE).listGroups(GroupQuery.all(10));

        assertThat(page.items()).extracting(Group::name).containsExactly("Engineering", "Owners");
        assertThat(page.items().get(0).members())
                .containsExactly(new MemberRef("ABCDEFGHIJKLMNOPQRSTUVWXY2", "ada@example.com"));
        assertThat(page.items().get(1).members()).isEmpty();
        assertThat(transport.paths())
                .containsExactly("/Groups", "/Groups/mz4l2ntbbzfmxcr5e3yxsdu4qa", "/Groups/v4xq7nrzvnhbfe3bq2zbp6kqhe");
    }

    @Test
    void bridgeScimAliasIsUsedAsEntered() {
        transport.scim("/scim/Users", resource("hosted-users.json"));

        assertThat(connector(BRIDGE + "/scim")
                        .listUsers(UserQuery.all(10, false))
                        .items())
                .hasSize(2);
    }

    // ---- health ----

    @Test
    void bridgeHealthIsReadFromItsHealthReport() {
        transport.on("/health", 200, "application/json", resource("bridge-health.json"));

        HealthReport report = connector(BRIDGE).probe();

        assertThat(report.state()).isEqualTo(HealthReport.State.HEALTHY);
        assertThat(report.version()).isEqualTo("2.9.3");
        assertThat(report.retrievedAt()).isEqualTo(Instant.parse("2025-03-01T12:00:00Z"));
        assertThat(report.checks())
                .extracting(HealthReport.Check::source)
                .containsExactly("ConfirmationWatcher", "RedisCache", "SSLCertificate");
        assertThat(report.checks().get(0).expires()).isEqualTo(Instant.parse("2025-03-01T12:09:30Z"));
        assertThat(transport.requests().get(0).headers()).containsEntry("Authorization", "Bearer " + TOKEN);
    }

    @Test
    void anUnhealthySourceMakesTheBridgeUnhealthy() {
        transport.on(
                "/health",
                200,
                "application/json",
                resource("bridge-health.json").replaceFirst("\"state\": \"healthy\"", "\"state\": \"unhealthy\""));

        assertThat(connector(BRIDGE).probe().state()).isEqualTo(HealthReport.State.UNHEALTHY);
    }

    @Test
    void anExpiredReportMakesTheBridgeDegraded() {
        transport.on(
                "/health",
                200,
                "application/json",
                resource("bridge-health.json").replace("2025-03-01T12:09:30Z", "2025-03-01T11:00:00Z"));

        assertThat(connector(BRIDGE).probe().state()).isEqualTo(HealthReport.State.DEGRADED);
    }

    @Test
    void bridgeHealthWithARejectedTokenIsInvalidCredentials() {
        transport.on("/health", 401, "application/json", "{}");

        assertThat(failure(() -> connector(BRIDGE).probe()).code()).isEqualTo(ErrorCode.INVALID_CREDENTIALS);
    }

    @Test
    void unavailableBridgeReportsUnhealthy() {
        transport.on("/health", 503, "text/plain", "starting");

        assertThat(connector(BRIDGE).probe().state()).isEqualTo(HealthReport.State.UNHEALTHY);
    }

    @Test
    void bridgeWithoutHealthEndpointFallsBackToTheScimApi() {
        transport.scim("/Users", resource("hosted-users.json"));

        HealthReport report = connector(BRIDGE).probe();

        assertThat(report.state()).isEqualTo(HealthReport.State.HEALTHY);
        assertThat(report.checks()).extracting(HealthReport.Check::source).containsExactly("scim");
        assertThat(transport.paths()).containsExactly("/health", "/Users");
    }

    @Test
    void bridgeHealthThatIsNotAHealthReportIsNotAnApiEndpoint() {
        transport.on("/health", 200, "application/json", "{\"hello\":\"world\"}");

        assertThat(failure(() -> connector(BRIDGE).probe()).code()).isEqualTo(ErrorCode.NOT_AN_API_ENDPOINT);
    }

    @Test
    void hostedHealthIsWhetherTheScimApiAnswers() {
        transport.scim("/scim/v2/Users", resource("hosted-users.json"));

        HealthReport report = connector(HOSTED).probe();

        assertThat(report.state()).isEqualTo(HealthReport.State.HEALTHY);
        assertThat(report.version()).isNull();
        assertThat(report.checks()).extracting(HealthReport.Check::source).containsExactly("scim");
        assertThat(transport.paths()).containsExactly("/scim/v2/Users");
    }
}
