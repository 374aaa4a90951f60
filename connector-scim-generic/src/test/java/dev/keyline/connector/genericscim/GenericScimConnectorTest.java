package dev.keyline.connector.genericscim;

import static dev.keyline.connector.genericscim.GenericScimConnectorFactory.BEARER_TOKEN;
import static dev.keyline.connector.genericscim.GenericScimConnectorFactory.SCIM_URL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.keyline.connector.spi.ConnectorConfig;
import dev.keyline.connector.spi.ConnectorContext;
import dev.keyline.connector.spi.ConnectorException;
import dev.keyline.connector.spi.ConnectorLogger;
import dev.keyline.connector.spi.ErrorCode;
import dev.keyline.connector.spi.HealthReport;
import dev.keyline.connector.spi.Validation;
import dev.keyline.connector.tck.JdkHttpTransport;
import dev.keyline.scimdouble.Fault;
import dev.keyline.scimdouble.Mode;
import dev.keyline.scimdouble.Quirk;
import dev.keyline.scimdouble.ScimUpstream;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What the generic connector adds to connector-scim: URL clean-up and validation diagnoses. */
class GenericScimConnectorTest {
    private final GenericScimConnectorFactory factory = new GenericScimConnectorFactory();
    private final ScimUpstream upstream =
            ScimUpstream.builder().users(5).groups(2).seed(5).start();

    @AfterEach
    void stop() {
        upstream.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/scim/v2", "/scim/v2/", "/scim/v2/Users", "//scim//v2//", "/scim/v2/groups/"})
    void pastedVariantsOfTheBaseUrlAreCleanedUp(String path) {
        ConnectorConfig config = config(" HTTP://127.0.0.1:" + upstream.port() + path + " ", "Bearer tok");

        ConnectorConfig normalized = factory.normalize(config);

        assertThat(normalized.find(SCIM_URL)).contains("http://127.0.0.1:" + upstream.port() + "/scim/v2");
        assertThat(normalized.find(BEARER_TOKEN)).contains("tok");
        assertThat(factory.normalize(normalized)).isEqualTo(normalized);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "app.example.com/scim/v2",
                "ftp://app.example.com/scim",
                "https://user:pw@app.example.com/scim",
                "https://app.example.com/scim?x=1",
                "https:///scim"
            })
    void unusableUrlsAreRejectedOnTheUrlField(String url) {
        ConnectorException e =
                catchThrowableOfType(ConnectorException.class, () -> factory.normalize(config(url, "tok")));

        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIG);
        assertThat(e.field()).contains(SCIM_URL);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Bearer ", "two words"})
    void unusableTokensAreRejectedOnTheTokenField(String token) {
        ConnectorException e = catchThrowableOfType(
                ConnectorException.class, () -> factory.normalize(config(upstream.hostedBaseUrl(), token)));

        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIG);
        assertThat(e.field()).contains(BEARER_TOKEN);
    }

    @Test
    void validationReportsTheDirectorySizeAndKeepsNoSecret() {
        Validation validation = validate(upstream.hostedBaseUrl(), upstream.token());

        assertThat(validation.summary()).contains("127.0.0.1").contains("5 users");
        assertThat(validation.facts()).containsEntry("users", "5").containsEntry("scim_base", upstream.hostedBaseUrl());
        assertThat(upstream.requests().all())
                .singleElement()
                .satisfies(r -> assertThat(r.queryParameter("count")).contains("1"));
    }

    @Test
    void aTotalThatCountsOnlyThePageIsReportedAsALowerBound() {
        try (ScimUpstream lying = ScimUpstream.builder()
                .users(30)
                .quirks(Quirk.TOTAL_RESULTS_LIES_LOW)
                .start()) {
            Validation validation = validate(lying.hostedBaseUrl(), lying.token());

            assertThat(validation.summary()).doesNotContain("(1 users)").endsWith("(at least 1 user).");
            assertThat(validation.facts()).doesNotContainKey("users").containsEntry("users_at_least", "1");
        }
    }

    @Test
    void anEmptyDirectoryIsCountedExactly() {
        try (ScimUpstream empty = ScimUpstream.builder().users(0).start()) {
            Validation validation = validate(empty.hostedBaseUrl(), empty.token());

            assertThat(validation.summary()).endsWith("(0 users).");
            assertThat(validation.facts()).containsEntry("users", "0");
        }
    }

    @Test
    void aSingleUserCannotBeToldFromALyingTotalSoItIsALowerBound() {
        // Asked for one, a server with one user and one that counts only the page answer alike.
        try (ScimUpstream single = ScimUpstream.builder().users(1).start()) {
            Validation validation = validate(single.hostedBaseUrl(), single.token());

            assertThat(validation.summary()).endsWith("(at least 1 user).");
        }
    }

    @Test
    void aWrongTokenIsBlamedOnTheTokenField() {
        ConnectorException e = failure(upstream.hostedBaseUrl(), "not-the-token");

        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CREDENTIALS);
        assertThat(e.field()).contains(BEARER_TOKEN);
        assertThat(e.getMessage()).doesNotContain("not-the-token");
    }

    @Test
    void anAddressWithoutUsersIsNotAScimApi() {
        ConnectorException e = failure(upstream.rootUrl() + "/nothing/here", upstream.token());

        assertThat(e.code()).isEqualTo(ErrorCode.NOT_AN_API_ENDPOINT);
        assertThat(e.field()).contains(SCIM_URL);
        assertThat(e.getMessage()).contains("/scim/v2");
    }

    @Test
    void aSignInPageIsNotAScimApi() {
        upstream.inject(Fault.htmlLoginPage());

        ConnectorException e = failure(upstream.hostedBaseUrl(), upstream.token());

        assertThat(e.code()).isEqualTo(ErrorCode.NOT_AN_API_ENDPOINT);
        assertThat(e.field()).contains(SCIM_URL);
    }

    @Test
    void jsonThatIsNotScimIsNotAScimApi() {
        upstream.mode(Mode.NOT_SCIM);

        ConnectorException e = failure(upstream.hostedBaseUrl(), upstream.token());

        assertThat(e.code()).isEqualTo(ErrorCode.NOT_AN_API_ENDPOINT);
        assertThat(e.field()).contains(SCIM_URL);
    }

    @Test
    void aRefusedConnectionNamesTheUrlField() {
        int port = upstream.port();
        upstream.close();

        ConnectorException e = failure("http://127.0.0.1:" + port + "/scim/v2", "tok");

        assertThat(e.code()).isEqualTo(ErrorCode.CONNECTION_FAILED);
        assertThat(e.field()).contains(SCIM_URL);
    }

    @Test
    void failuresCarryStableMessageCodesAndParameters() {
        ConnectorException token = failure(upstream.hostedBaseUrl(), "not-the-token");
        assertThat(token.messageCode()).isEqualTo("scim.token_rejected");
        assertThat(token.params()).containsEntry("host", "127.0.0.1").doesNotContainValue("not-the-token");

        ConnectorException notScim = failure(upstream.rootUrl() + "/nothing/here", upstream.token());
        assertThat(notScim.messageCode()).isEqualTo("scim.no_users_endpoint");

        upstream.mode(Mode.NOT_SCIM);
        assertThat(failure(upstream.hostedBaseUrl(), upstream.token()).messageCode())
                .isEqualTo("scim.not_scim");
    }

    @Test
    void anUnknownHostIsBlamedOnTheUrlFieldWithItsCode() {
        ConnectorException e = failure("https://no-such-host.invalid/scim/v2", "tok");

        assertThat(e.code()).isEqualTo(ErrorCode.HOST_NOT_FOUND);
        assertThat(e.field()).contains(SCIM_URL);
        assertThat(e.messageCode()).isEqualTo("scim.host_not_found");
        assertThat(e.params()).containsEntry("host", "no-such-host.invalid");
    }

    @Test
    void aRateLimitedServerIsPassedOnWithItsCode() {
        upstream.inject(Fault.rateLimited(java.time.Duration.ofSeconds(7)));

        ConnectorException e = failure(upstream.hostedBaseUrl(), upstream.token());

        assertThat(e.code()).isEqualTo(ErrorCode.RATE_LIMITED);
        assertThat(e.field()).isEmpty();
        assertThat(e.messageCode()).isEqualTo("scim.rate_limited");
    }

    @Test
    void unusableInputHasGenericScimCodes() {
        ConnectorException url = catchThrowableOfType(
                ConnectorException.class, () -> factory.normalize(config("ftp://app.example.com/scim", "tok")));
        ConnectorException token = catchThrowableOfType(
                ConnectorException.class, () -> factory.normalize(config(upstream.hostedBaseUrl(), "two words")));

        assertThat(url.messageCode()).isEqualTo("genericscim.url_scheme");
        assertThat(token.messageCode()).isEqualTo("genericscim.token_broken");
        assertThat(token.params()).containsEntry("field", BEARER_TOKEN).doesNotContainValue("two words");
    }

    @Test
    void healthFollowsTheServersAvailability() {
        var connector = connector(upstream.hostedBaseUrl(), upstream.token());
        assertThat(((GenericScimConnector) connector).probe().state()).isEqualTo(HealthReport.State.HEALTHY);

        upstream.inject(Fault.unavailable());

        assertThat(((GenericScimConnector) connector).probe().state()).isEqualTo(HealthReport.State.UNHEALTHY);
    }

    private ConnectorConfig config(String url, String token) {
        return ConnectorConfig.of(factory.descriptor(), Map.of(SCIM_URL, url, BEARER_TOKEN, token));
    }

    private dev.keyline.connector.spi.Connector connector(String url, String token) {
        return factory.create(
                factory.normalize(config(url, token)),
                new ConnectorContext(
                        JdkHttpTransport.builder().build(), Clock.systemUTC(), ConnectorLogger.discarding()));
    }

    private Validation validate(String url, String token) {
        return ((GenericScimConnector) connector(url, token)).validate();
    }

    private ConnectorException failure(String url, String token) {
        return catchThrowableOfType(ConnectorException.class, () -> validate(url, token));
    }
}
