package dev.keyline.connector.templatejson;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.keyline.connector.model.Email;
import dev.keyline.connector.model.Group;
import dev.keyline.connector.model.GroupRef;
import dev.keyline.connector.model.MemberRef;
import dev.keyline.connector.model.StatusValue;
import dev.keyline.connector.model.User;
import dev.keyline.connector.model.UserStatus;
import dev.keyline.connector.spi.Capability;
import dev.keyline.connector.spi.Connector;
import dev.keyline.connector.spi.ConnectorConfig;
import dev.keyline.connector.spi.ConnectorContext;
import dev.keyline.connector.spi.ConnectorException;
import dev.keyline.connector.spi.ConnectorLogger;
import dev.keyline.connector.spi.CredentialValidator;
import dev.keyline.connector.spi.ErrorCode;
import dev.keyline.connector.spi.GroupDirectory;
import dev.keyline.connector.spi.GroupQuery;
import dev.keyline.connector.spi.UserDirectory;
import dev.keyline.connector.spi.UserQuery;
import dev.keyline.connector.tck.JdkHttpTransport;
import dev.keyline.connector.tck.json.ApiAuth;
import dev.keyline.connector.tck.json.JsonApiDouble;
import dev.keyline.connector.tck.json.JsonFault;
import dev.keyline.connector.tck.json.RateLimitHeaders;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Mapping, paging and the diagnoses of the template's validation, against the HR API's double. */
class TemplateConnectorTest {
    private static final String TOKEN = "hr-token-0123456789";
    private static final Instant CREATED = Instant.parse("2024-01-02T03:04:05Z");

    private final User ada = User.builder("u1")
            .username("ada@acme.example")
            .name("Ada Lovelace")
            .firstName("Ada")
            .lastName("Lovelace")
            .primaryEmailAddress("ada@acme.example")
            .emails(List.of(new Email("ada@acme.example", "work", true), new Email("ada@home.example", null, false)))
            .status(new UserStatus(StatusValue.ENABLED, "active"))
            .groups(List.of(new GroupRef("g1", "Engineering")))
            .createdAt(CREATED)
            .updatedAt(CREATED.plusSeconds(60))
            .build();
    private final User alan = User.builder("u2")
            .username("alan@acme.example")
            .status(new UserStatus(StatusValue.DISABLED, "suspended"))
            .build();
    private final User radia = User.builder("u3")
            .username("radia@acme.example")
            .status(new UserStatus(StatusValue.UNMAPPED_VALUE, "on_leave"))
            .build();
    private final Group engineering = new Group(
            "g1",
            "Engineering",
            "Builds things",
            null,
            List.of(new MemberRef("u1", "ada@acme.example")),
            1,
            CREATED,
            null,
            null);
    private final Group empty = new Group("g2", "Legal", null, null, List.of(), 0, null, null, null);

    private JsonApiDouble api;
    private final List<Connector> connectors = new ArrayList<>();

    @BeforeEach
    void start() {
        api = TemplateHrApi.serving(List.of(ada, alan, radia), List.of(engineering, empty))
                .auth(ApiAuth.bearer(TOKEN))
                .start();
    }

    @AfterEach
    void stop() {
        connectors.forEach(Connector::close);
        try {
            assertThat(api.requestLog().writes())
                    .as("writes (the connector is read-only)")
                    .isEmpty();
        } finally {
            api.close();
        }
    }

    private Connector connector(String baseUrl, String token) {
        TemplateConnectorFactory factory = new TemplateConnectorFactory();
        ConnectorConfig config = factory.normalize(new ConnectorConfig(
                Map.of(TemplateConnectorFactory.BASE_URL, baseUrl, TemplateConnectorFactory.API_TOKEN, token),
                Set.of(TemplateConnectorFactory.API_TOKEN)));
        JdkHttpTransport transport = JdkHttpTransport.builder()
                .connectTimeout(Duration.ofSeconds(2))
                .requestTimeout(Duration.ofSeconds(10))
                .build();
        Connector connector = factory.create(
                config, new ConnectorContext(transport, Clock.systemUTC(), ConnectorLogger.discarding()));
        connectors.add(connector);
        return connector;
    }

    private Connector connector() {
        return connector(api.baseUrl(), TOKEN);
    }

    private UserDirectory users() {
        return connector().require(Capability.USERS, UserDirectory.class);
    }

    private ConnectorException validationFailure(Connector connector) {
        return catchThrowableOfType(
                ConnectorException.class,
                () -> connector
                        .require(Capability.CREDENTIAL_VALIDATION, CredentialValidator.class)
                        .validate());
    }

    @Test
    void mapsEveryFieldOfAUserAndKeepsRawOnlyWhenAsked() {
        User listed = users().getUser("u1", false).orElseThrow();
        assertThat(listed).isEqualTo(ada);
        assertThat(users().getUser("u1", true).orElseThrow().raw()).containsEntry("id", "u1");
        assertThat(users().getUser("nobody", false)).isEmpty();
    }

    @Test
    void statusesMapToTheModelAndUnknownOnesKeepTheirSourceValue() {
        List<User> all = new ArrayList<>();
        users().streamUsers(2, false, page -> all.addAll(page.items()));
        assertThat(all).extracting(User::remoteId).containsExactly("u1", "u2", "u3");
        assertThat(all)
                .extracting(u -> u.status().value())
                .containsExactly(StatusValue.ENABLED, StatusValue.DISABLED, StatusValue.UNMAPPED_VALUE);
        assertThat(all.get(2).status().sourceValue()).isEqualTo("on_leave");
        assertThat(api.requestLog().to(TemplateConnector.USERS))
                .extracting(r -> r.queryParameter("limit").orElseThrow())
                .containsOnly("2");
    }

    @Test
    void filtersAreAppliedByTheConnector() {
        assertThat(users().listUsers(
                                UserQuery.builder().email("ADA@home.example").build())
                        .items())
                .extracting(User::remoteId)
                .containsExactly("u1");
        assertThat(users().listUsers(
                                UserQuery.builder().status(StatusValue.DISABLED).build())
                        .items())
                .extracting(User::remoteId)
                .containsExactly("u2");
    }

    @Test
    void groupsCarryTheirMembersWhenAsked() {
        GroupDirectory groups = connector().require(Capability.GROUPS, GroupDirectory.class);
        List<Group> listed = groups.listGroups(
                        GroupQuery.builder().includeMembers(true).build())
                .items();
        assertThat(listed).containsExactly(engineering, empty);
        assertThat(groups.listGroups(GroupQuery.builder().includeMembers(false).build())
                        .items()
                        .get(0)
                        .members())
                .isNull();
        assertThat(groups.getGroup("g1", false)).hasValue(engineering);
    }

    @Test
    void validationIsOneCheapRequest() {
        long mark = api.requestLog().mark();
        connector()
                .require(Capability.CREDENTIAL_VALIDATION, CredentialValidator.class)
                .validate();
        assertThat(api.requestLog().since(mark))
                .singleElement()
                .satisfies(r -> assertThat(r.queryParameter("limit")).hasValue("1"));
    }

    @Test
    void aWrongTokenIsRejectedOnTheTokenField() {
        ConnectorException e = validationFailure(connector(api.baseUrl(), "not-the-token"));
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CREDENTIALS);
        assertThat(e.field()).hasValue(TemplateConnectorFactory.API_TOKEN);
        assertThat(e.messageCode()).isEqualTo("template.token_rejected");
        assertThat(e.getMessage()).doesNotContain("not-the-token").doesNotContain(TOKEN);
    }

    @Test
    void aTokenWithoutRightsIsForbiddenOnTheTokenField() {
        ConnectorException e =
                validationFailure(connector(api.baseUrl(), api.forbiddenAuth().secret()));
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CREDENTIALS);
        assertThat(e.messageCode()).isEqualTo("template.token_forbidden");
    }

    @Test
    void aUrlWithoutTheApiIsDiagnosedOnTheUrlField() {
        ConnectorException missing = validationFailure(connector(api.rootUrl() + "/wrong", TOKEN));
        assertThat(missing.code()).isEqualTo(ErrorCode.NOT_AN_API_ENDPOINT);
        assertThat(missing.field()).hasValue(TemplateConnectorFactory.BASE_URL);
        assertThat(missing.messageCode()).isEqualTo("template.no_api");
        api.inject(JsonFault.htmlLoginPage().forNext(1));
        assertThat(validationFailure(connector()).code()).isEqualTo(ErrorCode.NOT_AN_API_ENDPOINT);
    }

    @Test
    void anUnreachableHostIsReportedOnTheUrlField() {
        String gone = api.baseUrl();
        api.close();
        ConnectorException e = validationFailure(connector(gone, TOKEN));
        assertThat(e.code()).isEqualTo(ErrorCode.CONNECTION_FAILED);
        assertThat(e.field()).hasValue(TemplateConnectorFactory.BASE_URL);
        api = TemplateHrApi.serving(List.of(), List.of()).start();
    }

    @Test
    void rateLimitsCarryRetryAfterInSecondsOrAsADate() {
        api.inject(JsonFault.rateLimited(Duration.ofSeconds(7)).forNext(1));
        ConnectorException seconds = validationFailure(connector());
        assertThat(seconds.code()).isEqualTo(ErrorCode.RATE_LIMITED);
        assertThat(seconds.retryAfter()).hasValue(Duration.ofSeconds(7));
        api.inject(JsonFault.rateLimited(Duration.ofSeconds(30), RateLimitHeaders.RETRY_AFTER_HTTP_DATE)
                .forNext(1));
        ConnectorException date =
                catchThrowableOfType(ConnectorException.class, () -> users().listUsers(UserQuery.all(5, false)));
        assertThat(date.code()).isEqualTo(ErrorCode.RATE_LIMITED);
        assertThat(date.retryAfter().orElseThrow()).isBetween(Duration.ofSeconds(28), Duration.ofSeconds(32));
        assertThat(date.messageCode()).isEqualTo("template.rate_limited");
    }

    @Test
    void rateLimitsWithOnlyAResetHeaderCarryTheWaitToo() {
        api.inject(JsonFault.rateLimited(Duration.ofSeconds(7), RateLimitHeaders.RATELIMIT_RESET)
                .forNext(1));
        ConnectorException delta =
                catchThrowableOfType(ConnectorException.class, () -> users().listUsers(UserQuery.all(5, false)));
        assertThat(delta.retryAfter()).hasValue(Duration.ofSeconds(7));
        api.inject(JsonFault.rateLimited(Duration.ofSeconds(20), RateLimitHeaders.X_RATELIMIT_RESET)
                .forNext(1));
        ConnectorException epoch =
                catchThrowableOfType(ConnectorException.class, () -> users().listUsers(UserQuery.all(5, false)));
        assertThat(epoch.code()).isEqualTo(ErrorCode.RATE_LIMITED);
        assertThat(epoch.retryAfter().orElseThrow()).isBetween(Duration.ofSeconds(19), Duration.ofSeconds(21));
    }

    @Test
    void serverErrorsAndBrokenAnswersFailClearly() {
        api.inject(JsonFault.unavailable().forNext(1));
        ConnectorException unavailable =
                catchThrowableOfType(ConnectorException.class, () -> users().listUsers(UserQuery.all(5, false)));
        assertThat(unavailable.code()).isEqualTo(ErrorCode.UPSTREAM_UNAVAILABLE);
        api.inject(JsonFault.truncatedJson().forNext(1));
        ConnectorException truncated =
                catchThrowableOfType(ConnectorException.class, () -> users().listUsers(UserQuery.all(5, false)));
        assertThat(truncated.code()).isEqualTo(ErrorCode.UPSTREAM_ERROR);
        assertThat(truncated.messageCode()).isEqualTo("template.unexpected_answer");
    }

    @Test
    void configurationIsNormalizedAndBadValuesNameTheirField() {
        TemplateConnectorFactory factory = new TemplateConnectorFactory();
        ConnectorConfig normalized = factory.normalize(new ConnectorConfig(
                Map.of(
                        TemplateConnectorFactory.BASE_URL, " HTTPS://HR.Example.com/api/v1/ ",
                        TemplateConnectorFactory.API_TOKEN, "Bearer abc123"),
                Set.of(TemplateConnectorFactory.API_TOKEN)));
        assertThat(normalized.values())
                .containsEntry(TemplateConnectorFactory.BASE_URL, "https://hr.example.com/api/v1")
                .containsEntry(TemplateConnectorFactory.API_TOKEN, "abc123");
        ConnectorException url = catchThrowableOfType(
                ConnectorException.class,
                () -> factory.normalize(new ConnectorConfig(
                        Map.of(
                                TemplateConnectorFactory.BASE_URL, "https://user@hr.example.com/?q=1",
                                TemplateConnectorFactory.API_TOKEN, "abc"),
                        Set.of(TemplateConnectorFactory.API_TOKEN))));
        assertThat(url.code()).isEqualTo(ErrorCode.INVALID_CONFIG);
        assertThat(url.field()).hasValue(TemplateConnectorFactory.BASE_URL);
        assertThat(url.messageCode()).isEqualTo("template.base_url_invalid");
        ConnectorException token = catchThrowableOfType(
                ConnectorException.class,
                () -> factory.normalize(new ConnectorConfig(
                        Map.of(
                                TemplateConnectorFactory.BASE_URL, "https://hr.example.com",
                                TemplateConnectorFactory.API_TOKEN, "abc def"),
                        Set.of(TemplateConnectorFactory.API_TOKEN))));
        assertThat(token.field()).hasValue(TemplateConnectorFactory.API_TOKEN);
        assertThat(token.messageCode()).isEqualTo("template.token_malformed");
    }
}
