package dev.keyline.connector.onepassword;

import static dev.keyline.connector.onepassword.OnePasswordConnectorFactory.BEARER_TOKEN;
import static dev.keyline.connector.onepassword.OnePasswordConnectorFactory.SCIM_URL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.keyline.connector.http.HttpTransport;
import dev.keyline.connector.model.Group;
import dev.keyline.connector.model.GroupRef;
import dev.keyline.connector.model.User;
import dev.keyline.connector.spi.ConnectorConfig;
import dev.keyline.connector.spi.ConnectorContext;
import dev.keyline.connector.spi.ConnectorException;
import dev.keyline.connector.spi.ConnectorLogger;
import dev.keyline.connector.spi.ErrorCode;
import dev.keyline.connector.spi.GroupQuery;
import dev.keyline.connector.spi.HealthReport;
import dev.keyline.connector.spi.Page;
import dev.keyline.connector.spi.Redactor;
import dev.keyline.connector.spi.UserQuery;
import dev.keyline.connector.spi.Validation;
import dev.keyline.connector.tck.JdkHttpTransport;
import dev.keyline.connector.tck.ReroutingTransport;
import dev.keyline.scimdouble.Endpoint;
import dev.keyline.scimdouble.Fault;
import dev.keyline.scimdouble.Mode;
import dev.keyline.scimdouble.Quirk;
import dev.keyline.scimdouble.RecordedRequest;
import dev.keyline.scimdouble.ScimGroup;
import dev.keyline.scimdouble.ScimUpstream;
import dev.keyline.scimdouble.ScimUser;
import dev.keyline.scimdouble.UrlForm;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every 1Password quirk and every validation diagnosis, against the kit's scriptable SCIM upstream over
 * real HTTP, in both URL forms where both apply.
 */
class OnePasswordUpstreamTest {
    private final List<ScimUpstream> upstreams = new ArrayList<>();

    @AfterEach
    void stopUpstreams() {
        upstreams.forEach(ScimUpstream::close);
    }

    ScimUpstream start(Consumer<ScimUpstream.Builder> setup) {
        ScimUpstream.Builder builder =
                ScimUpstream.builder().users(23).groups(6).seed(7).suspendedFraction(0.3);
        setup.accept(builder);
        ScimUpstream upstream = builder.start();
        upstreams.add(upstream);
        return upstream;
    }

    ScimUpstream start() {
        return start(b -> {});
    }

    static String url(ScimUpstream upstream, UrlForm form) {
        return form == UrlForm.HOSTED ? OnePasswordUrl.HOSTED_URL : upstream.bridgeBaseUrl();
    }

    /**
     * {@code transport}, with 1Password's hosted provisioning host routed to the double, so the hosted form is
     * tested at the address the connector recognises as hosted.
     */
    static HttpTransport routed(ScimUpstream upstream, HttpTransport transport) {
        return new ReroutingTransport(transport, URI.create(OnePasswordUrl.HOSTED_URL), URI.create(upstream.rootUrl()));
    }

    static OnePasswordConnector connector(String url, String token, HttpTransport transport) {
        OnePasswordConnectorFactory factory = new OnePasswordConnectorFactory();
        ConnectorConfig config = factory.normalize(new ConnectorConfig(
                Map.of(SCIM_URL, url, BEARER_TOKEN, token), factory.descriptor().secretKeys()));
        return (OnePasswordConnector) factory.create(
                config, new ConnectorContext(transport, Clock.systemUTC(), ConnectorLogger.discarding()));
    }

    static JdkHttpTransport transport() {
        return JdkHttpTransport.builder()
                .connectTimeout(Duration.ofSeconds(2))
                .requestTimeout(Duration.ofSeconds(10))
                .build();
    }

    static OnePasswordConnector connector(ScimUpstream upstream, UrlForm form) {
        return connector(url(upstream, form), upstream.token(), routed(upstream, transport()));
    }

    static ConnectorException failure(ScimUpstream upstream, Runnable call) {
        ConnectorException e = catchThrowableOfType(ConnectorException.class, call::run);
        assertThat(e).as("a ConnectorException").isNotNull();
        assertThat(e.getMessage()).isNotBlank().doesNotContain(upstream.token());
        // Platforms pass messages through the redactor; a sentence must come out of it whole.
        assertThat(Redactor.of(List.of()).redact(e.getMessage())).isEqualTo(e.getMessage());
        return e;
    }

    static List<User> allUsers(OnePasswordConnector connector, int pageSize) {
        List<User> users = new ArrayList<>();
        int[] pages = {0};
        connector.streamUsers(pageSize, false, page -> {
            // A broken loop guard must fail the test, not hang it.
            if (++pages[0] > 200) {
                throw new AssertionError("the listing does not end: " + users.size() + " users so far");
            }
            users.addAll(page.items());
        });
        return users;
    }

    static List<String> ids(List<User> users) {
        return users.stream().map(User::remoteId).toList();
    }

    static List<String> expectedIds(ScimUpstream upstream) {
        return upstream.directory().users().stream().map(ScimUser::id).toList();
    }

    // ---- the quirks of real 1Password answers ----

    @Test
    void hostedStartIndexZeroStillListsEveryUserOnce() {
        ScimUpstream upstream = start(b -> b.urlForms(UrlForm.HOSTED).quirks(Quirk.START_INDEX_ZERO));

        List<User> users = allUsers(connector(upstream, UrlForm.HOSTED), 5);

        assertThat(ids(users)).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(expectedIds(upstream));
    }

    @Test
    void hostedUserIdsAreUpperCaseBase32AndGroupIdsLowerCase() {
        ScimUpstream upstream = start(b -> b.urlForms(UrlForm.HOSTED));

        List<User> users = allUsers(connector(upstream, UrlForm.HOSTED), 100);

        assertThat(users).allSatisfy(u -> assertThat(u.remoteId()).matches("[A-Z2-7]{26}"));
        assertThat(users.stream().flatMap(u -> u.groups().stream()).map(GroupRef::remoteId))
                .isNotEmpty()
                .allSatisfy(id -> assertThat(id).matches("[a-z2-7]{26}"));
    }

    @ParameterizedTest
    @EnumSource(UrlForm.class)
    void suspendedUsersAreDisabledWithTheSourceValueKept(UrlForm form) {
        ScimUpstream upstream = start();
        ScimUser suspended = upstream.directory().users().stream()
                .filter(u -> !u.active())
                .findFirst()
                .orElseThrow();

        User user = connector(upstream, form).getUser(suspended.id(), false).orElseThrow();

        assertThat(user.status().value().wireName()).isEqualTo("disabled");
        assertThat(user.status().sourceValue()).isEqualTo("false");
    }

    @Test
    void metaWithOnlyResourceTypeGivesNoTimestamps() {
        ScimUpstream upstream = start(b -> b.quirks(Quirk.META_RESOURCE_TYPE_ONLY));

        List<User> users = allUsers(connector(upstream, UrlForm.HOSTED), 10);

        assertThat(users).isNotEmpty().allSatisfy(u -> {
            assertThat(u.createdAt()).isNull();
            assertThat(u.updatedAt()).isNull();
        });
    }

    @Test
    void emptyMetaTimestampsGiveNoTimestamps() {
        ScimUpstream upstream = start(b -> b.quirks(Quirk.META_EMPTY_TIMESTAMPS));
        OnePasswordConnector connector = connector(upstream, UrlForm.BRIDGE);

        List<User> users = allUsers(connector, 10);
        List<Group> groups = connector.listGroups(GroupQuery.all(10)).items();

        assertThat(users).isNotEmpty().allSatisfy(u -> assertThat(u.createdAt()).isNull());
        assertThat(groups)
                .isNotEmpty()
                .allSatisfy(g -> assertThat(g.updatedAt()).isNull());
    }

    @Test
    void groupReferencesUnderRefAreRead() {
        ScimUpstream upstream = start(b -> b.quirks(Quirk.GROUP_REF_WITHOUT_DOLLAR));
        ScimUser member = upstream.directory().users().stream()
                .filter(u -> !u.groupIds().isEmpty())
                .findFirst()
                .orElseThrow();

        User user =
                connector(upstream, UrlForm.HOSTED).getUser(member.id(), true).orElseThrow();

        assertThat(user.groups()).extracting(GroupRef::remoteId).containsExactlyInAnyOrderElementsOf(member.groupIds());
        assertThat(user.raw().get("groups").toString()).contains("ref=").doesNotContain("$ref");
    }

    @Test
    void preferredLanguageSurvivesInRawAndAnEmptyEmailTypeMapsToNoType() {
        ScimUpstream upstream = start();
        ScimUser expected = upstream.directory().users().stream()
                .filter(u -> u.emails().stream().anyMatch(e -> e.type().isEmpty()))
                .findFirst()
                .orElseThrow();
        String untyped = expected.emails().stream()
                .filter(e -> e.type().isEmpty())
                .findFirst()
                .orElseThrow()
                .value();

        User user =
                connector(upstream, UrlForm.HOSTED).getUser(expected.id(), true).orElseThrow();

        assertThat(user.raw()).containsEntry("preferredLanguage", expected.preferredLanguage());
        assertThat(user.emails()).anySatisfy(mapped -> {
            assertThat(mapped.value()).isEqualTo(untyped);
            assertThat(mapped.type()).isNull();
        });
    }

    @Test
    void groupsListedWithoutMembersAreFetchedOnlyWhenMembersAreWanted() {
        ScimUpstream upstream = start(b -> b.urlForms(UrlForm.BRIDGE).quirks(Quirk.GROUPS_LISTED_WITHOUT_MEMBERS));
        OnePasswordConnector connector = connector(upstream, UrlForm.BRIDGE);

        List<Group> bare = connector
                .listGroups(new GroupQuery(null, 100, null, false, false))
                .items();
        assertThat(bare).allSatisfy(g -> assertThat(g.members()).isNull());
        assertThat(upstream.requests().to(Endpoint.GET_GROUP)).isEmpty();

        List<Group> full = connector.listGroups(GroupQuery.all(100)).items();
        assertThat(full)
                .hasSize(upstream.directory().groupCount())
                .allSatisfy(g -> assertThat(g.members())
                        .extracting(m -> m.remoteId())
                        .containsExactlyInAnyOrderElementsOf(
                                upstream.directory().memberIds(g.remoteId())));
        assertThat(upstream.requests().to(Endpoint.GET_GROUP))
                .hasSize(upstream.directory().groupCount());
    }

    @Test
    void singularUserEndpointInResourceTypesIsIgnored() {
        ScimUpstream upstream = start(b -> b.urlForms(UrlForm.HOSTED).quirks(Quirk.SINGULAR_USER_ENDPOINT));
        OnePasswordConnector connector = connector(upstream, UrlForm.HOSTED);

        connector.validate();
        assertThat(allUsers(connector, 10)).hasSize(upstream.directory().userCount());

        assertThat(upstream.requests().to(Endpoint.RESOURCE_TYPES)).isEmpty();
        assertThat(upstream.requests().to(Endpoint.OTHER)).isEmpty();
    }

    @Test
    void pagingUsesOnlyStartIndexAndCountNeverSortOrFilter() {
        ScimUpstream upstream = start(b -> b.quirks(Quirk.SORT_BY_REJECTED));
        OnePasswordConnector connector = connector(upstream, UrlForm.HOSTED);
        String email = upstream.directory().users().get(5).primaryEmail().orElseThrow();

        List<User> found = connector
                .listUsers(new UserQuery(null, 10, email.toUpperCase(java.util.Locale.ROOT), null, null, false))
                .items();

        assertThat(found).extracting(User::primaryEmailAddress).containsExactly(email);
        for (RecordedRequest request : upstream.requests().to(Endpoint.LIST_USERS)) {
            assertThat(request.queryParameter("startIndex")).isPresent();
            assertThat(request.queryParameter("count")).isPresent();
            assertThat(request.queryParameter("filter")).isEmpty();
            assertThat(request.queryParameter("sortBy")).isEmpty();
        }
    }

    @Test
    void bridgeScimPrefixIsAnAliasForTheRoot() {
        ScimUpstream upstream = start(b -> b.urlForms(UrlForm.BRIDGE));

        OnePasswordConnector viaAlias = connector(upstream.bridgeScimBaseUrl(), upstream.token(), transport());

        assertThat(viaAlias.validate().facts()).containsEntry("deployment", "bridge");
        assertThat(ids(allUsers(viaAlias, 10))).containsExactlyInAnyOrderElementsOf(expectedIds(upstream));
    }

    // ---- listings that misbehave ----

    @ParameterizedTest
    @EnumSource(UrlForm.class)
    void aPageRepeatingThePreviousOneFailsTheListingInsteadOfEndingItShort(UrlForm form) {
        ScimUpstream upstream = start();
        upstream.inject(Fault.repeatPreviousPage().on(Endpoint.LIST_USERS).fromPage(2));
        OnePasswordConnector connector = connector(upstream, form);
        Page<User> first = connector.listUsers(UserQuery.all(5, false));
        assertThat(ids(first.items()))
                .containsExactlyElementsOf(expectedIds(upstream).subList(0, 5));

        // Ending here would tell a sync that the other 18 users are gone.
        ConnectorException e = failure(
                upstream,
                () -> connector.listUsers(
                        UserQuery.all(5, false).withCursor(first.next().orElseThrow())));

        assertThat(e.code()).isEqualTo(ErrorCode.UPSTREAM_ERROR);
    }

    @Test
    void aTotalThatIsTooHighEndsAtTheFirstEmptyPage() {
        ScimUpstream upstream = start();
        upstream.inject(Fault.totalResultsOffBy(1000).on(Endpoint.LIST_USERS));

        List<User> users = allUsers(connector(upstream, UrlForm.HOSTED), 10);

        assertThat(ids(users)).containsExactlyInAnyOrderElementsOf(expectedIds(upstream));
        // Three pages, the empty fourth, and one record asked at its start to be sure it is the end.
        assertThat(upstream.requests().to(Endpoint.LIST_USERS)).hasSize(5);
    }

    @Test
    void truncatedJsonIsAnUpstreamError() {
        ScimUpstream upstream = start();
        upstream.inject(Fault.truncatedJson().on(Endpoint.LIST_USERS));

        ConnectorException e =
                failure(upstream, () -> connector(upstream, UrlForm.HOSTED).listUsers(UserQuery.all(5, false)));

        assertThat(e.code()).isEqualTo(ErrorCode.UPSTREAM_ERROR);
    }

    @ParameterizedTest
    @EnumSource(UrlForm.class)
    void serverErrorsAreUpstreamUnavailable(UrlForm form) {
        ScimUpstream upstream = start();
        upstream.inject(Fault.status(502));

        ConnectorException e = failure(upstream, () -> connector(upstream, form).listUsers(UserQuery.all(5, false)));

        assertThat(e.code()).isEqualTo(ErrorCode.UPSTREAM_UNAVAILABLE);
    }

    @Test
    void anAnswerLargerThanTheTransportAllowsIsReported() {
        ScimUpstream upstream = start();
        upstream.inject(Fault.hugeBody(200_000).on(Endpoint.LIST_USERS));
        HttpTransport small =
                JdkHttpTransport.builder().maxResponseBytes(50_000).build();

        ConnectorException e = failure(
                upstream,
                () -> connector(url(upstream, UrlForm.HOSTED), upstream.token(), routed(upstream, small))
                        .listUsers(UserQuery.all(5, false)));

        assertThat(e.code()).isEqualTo(ErrorCode.RESPONSE_TOO_LARGE);
    }

    // ---- validation diagnoses ----

    @ParameterizedTest
    @EnumSource(UrlForm.class)
    void validationReportsTheDeployment(UrlForm form) {
        ScimUpstream upstream = start();

        Validation validation = connector(upstream, form).validate();

        assertThat(validation.facts())
                .containsEntry("deployment", form == UrlForm.HOSTED ? "hosted" : "bridge")
                .containsEntry("users", String.valueOf(upstream.directory().userCount()));
        assertThat(upstream.requests().all()).hasSize(1);
    }

    @Test
    void hostedProvisioningIsNamedOnlyAtOnePasswordsHost() {
        ScimUpstream upstream = start(b -> b.urlForms(UrlForm.HOSTED));

        Validation hosted = connector(upstream, UrlForm.HOSTED).validate();
        Validation elsewhere = connector(upstream.hostedBaseUrl(), upstream.token(), transport())
                .validate();

        assertThat(hosted.facts()).containsEntry("deployment", "hosted");
        assertThat(hosted.summary()).startsWith("Connected to 1Password hosted provisioning (");
        assertThat(elsewhere.facts()).containsEntry("deployment", "scim_server");
        assertThat(elsewhere.summary())
                .startsWith("Connected to the SCIM server at 127.0.0.1 (")
                .doesNotContain("hosted");
    }

    @Test
    void aTotalThatCountsOnlyThePageIsReportedAsALowerBound() {
        ScimUpstream upstream = start(b -> b.users(30).quirks(Quirk.TOTAL_RESULTS_LIES_LOW));

        Validation validation = connector(upstream, UrlForm.BRIDGE).validate();

        assertThat(validation.summary()).doesNotContain("(1 users)").endsWith("(at least 1 user).");
        assertThat(validation.facts()).doesNotContainKey("users").containsEntry("users_at_least", "1");
    }

    @ParameterizedTest
    @EnumSource(UrlForm.class)
    void wrongTokenIsInvalidCredentialsOnTheTokenField(UrlForm form) {
        ScimUpstream upstream = start();

        ConnectorException e = failure(
                upstream,
                () -> connector(url(upstream, form), "expired-token-123456", routed(upstream, transport()))
                        .validate());

        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CREDENTIALS);
        assertThat(e.field()).contains(BEARER_TOKEN);
        assertThat(e.getMessage()).doesNotContain("expired-token-123456");
    }

    @Test
    void forbiddenTokenIsInvalidCredentialsOnTheTokenField() {
        ScimUpstream upstream = start(b -> b.quirks(Quirk.FORBIDDEN_FOR_WRONG_TOKEN));

        ConnectorException e = failure(
                upstream,
                () -> connector(url(upstream, UrlForm.HOSTED), "revoked-token-123456", routed(upstream, transport()))
                        .validate());

        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CREDENTIALS);
        assertThat(e.field()).contains(BEARER_TOKEN);
    }

    @Test
    void rotatedTokenIsInvalidCredentials() {
        ScimUpstream upstream = start();
        OnePasswordConnector connector = connector(upstream, UrlForm.BRIDGE);
        upstream.rotateToken("a-brand-new-token-value");

        assertThat(failure(upstream, connector::validate).code()).isEqualTo(ErrorCode.INVALID_CREDENTIALS);
    }

    @Test
    void bridgeWithItsScimApiDisabledIsApiDisabled() {
        ScimUpstream upstream = start(b -> b.mode(Mode.SCIM_API_DISABLED));

        ConnectorException e =
                failure(upstream, () -> connector(upstream, UrlForm.BRIDGE).validate());

        assertThat(e.code()).isEqualTo(ErrorCode.API_DISABLED);
        assertThat(e.field()).contains(SCIM_URL);
        assertThat(e.getMessage()).contains("SCIM API is turned off");
        assertThat(upstream.requests().all()).hasSizeLessThanOrEqualTo(3);
    }

    @Test
    void bridgeWithItsScimApiDisabledUnderTheScimPrefixIsApiDisabled() {
        ScimUpstream upstream = start(b -> b.mode(Mode.SCIM_API_DISABLED));

        ConnectorException e = failure(
                upstream,
                () -> connector(upstream.bridgeScimBaseUrl(), upstream.token(), transport())
                        .validate());

        assertThat(e.code()).isEqualTo(ErrorCode.API_DISABLED);
    }

    @Test
    void disabledBridgeIsRecognisedByItsSignInRedirectWhenPingIsSilent() {
        ScimUpstream upstream = start(b -> b.mode(Mode.SCIM_API_DISABLED));
        upstream.inject(Fault.status(404).on(Endpoint.PING));

        ConnectorException e =
                failure(upstream, () -> connector(upstream, UrlForm.BRIDGE).validate());

        assertThat(e.code()).isEqualTo(ErrorCode.API_DISABLED);
    }

    @ParameterizedTest
    @EnumSource(UrlForm.class)
    void somethingThatIsNotScimIsNotAnApiEndpoint(UrlForm form) {
        ScimUpstream upstream = start(b -> b.mode(Mode.NOT_SCIM));

        ConnectorException e = failure(upstream, () -> connector(upstream, form).validate());

        assertThat(e.code()).isEqualTo(ErrorCode.NOT_AN_API_ENDPOINT);
        assertThat(e.field()).contains(SCIM_URL);
        assertThat(e.getMessage()).contains("not a 1Password SCIM API");
    }

    @ParameterizedTest
    @EnumSource(UrlForm.class)
    void anHtmlLoginPageIsNotAnApiEndpoint(UrlForm form) {
        ScimUpstream upstream = start();
        upstream.inject(Fault.htmlLoginPage());

        ConnectorException e = failure(upstream, () -> connector(upstream, form).validate());

        assertThat(e.code()).isEqualTo(ErrorCode.NOT_AN_API_ENDPOINT);
        assertThat(e.field()).contains(SCIM_URL);
    }

    @Test
    void unknownHostIsHostNotFound() {
        ConnectorException e = catchThrowableOfType(
                ConnectorException.class,
                () -> connector("https://scim.keyline-test.invalid", "some-token-value", transport())
                        .validate());

        assertThat(e).isNotNull();
        assertThat(e.code()).isEqualTo(ErrorCode.HOST_NOT_FOUND);
        assertThat(e.field()).contains(SCIM_URL);
        assertThat(e.getMessage()).contains("scim.keyline-test.invalid could not be found", "typos");
    }

    @ParameterizedTest
    @EnumSource(UrlForm.class)
    void untrustedCertificateIsTlsError(UrlForm form) {
        ScimUpstream upstream = start(ScimUpstream.Builder::https);

        ConnectorException e = failure(upstream, () -> connector(upstream, form).validate());

        assertThat(e.code()).isEqualTo(ErrorCode.TLS_ERROR);
        assertThat(e.field()).contains(SCIM_URL);
        assertThat(e.getMessage()).contains("certificate");
    }

    @Test
    void trustedCertificateValidates() {
        ScimUpstream upstream = start(ScimUpstream.Builder::https);
        HttpTransport trusting = JdkHttpTransport.builder()
                .sslContext(upstream.trustingSslContext())
                .build();

        Validation validation =
                connector(upstream.bridgeBaseUrl(), upstream.token(), trusting).validate();

        assertThat(validation.facts()).containsEntry("deployment", "bridge");
    }

    @ParameterizedTest
    @EnumSource(UrlForm.class)
    void stalledUpstreamIsTimeout(UrlForm form) {
        ScimUpstream upstream = start();
        upstream.inject(Fault.stall(Duration.ofSeconds(30)));
        HttpTransport impatient = JdkHttpTransport.builder()
                .connectTimeout(Duration.ofSeconds(2))
                .requestTimeout(Duration.ofMillis(300))
                .build();

        ConnectorException e = failure(
                upstream,
                () -> connector(url(upstream, form), upstream.token(), routed(upstream, impatient))
                        .validate());

        assertThat(e.code()).isEqualTo(ErrorCode.TIMEOUT);
        assertThat(e.field()).contains(SCIM_URL);
        assertThat(e.getMessage()).contains("did not answer in time");
    }

    @Test
    void closedPortIsConnectionFailed() {
        ScimUpstream upstream = start();
        String url = upstream.bridgeBaseUrl();
        upstream.close();

        ConnectorException e = failure(
                upstream, () -> connector(url, "some-token-value", transport()).validate());

        assertThat(e.code()).isEqualTo(ErrorCode.CONNECTION_FAILED);
        assertThat(e.field()).contains(SCIM_URL);
    }

    @Test
    void rateLimitedValidationCarriesRetryAfter() {
        ScimUpstream upstream = start();
        upstream.inject(Fault.rateLimited(Duration.ofSeconds(9)));

        ConnectorException e =
                failure(upstream, () -> connector(upstream, UrlForm.BRIDGE).validate());

        assertThat(e.code()).isEqualTo(ErrorCode.RATE_LIMITED);
        assertThat(e.retryAfter()).contains(Duration.ofSeconds(9));
    }

    // ---- health ----

    @Test
    void bridgeHealthComesFromItsHealthEndpoint() {
        ScimUpstream upstream = start(b -> b.urlForms(UrlForm.BRIDGE));

        HealthReport report = connector(upstream, UrlForm.BRIDGE).probe();

        assertThat(report.state()).isEqualTo(HealthReport.State.HEALTHY);
        assertThat(report.version()).isNotBlank();
        assertThat(report.checks()).extracting(HealthReport.Check::source).contains("RedisCache", "SCIMServer");
        assertThat(report.checks()).allSatisfy(c -> assertThat(c.expires()).isNotNull());
        assertThat(upstream.requests().to(Endpoint.HEALTH)).hasSize(1);
    }

    @Test
    void anUnhealthySourceMakesTheBridgeUnhealthy() {
        ScimUpstream upstream = start(b -> b.urlForms(UrlForm.BRIDGE));
        upstream.healthState("RedisCache", "unhealthy");

        HealthReport report = connector(upstream, UrlForm.BRIDGE).probe();

        assertThat(report.state()).isEqualTo(HealthReport.State.UNHEALTHY);
        assertThat(report.checks())
                .contains(new HealthReport.Check(
                        "RedisCache",
                        "unhealthy",
                        report.checks().stream()
                                .filter(c -> c.source().equals("RedisCache"))
                                .findFirst()
                                .orElseThrow()
                                .time(),
                        report.checks().stream()
                                .filter(c -> c.source().equals("RedisCache"))
                                .findFirst()
                                .orElseThrow()
                                .expires()));
    }

    @Test
    void bridgeHealthWithAWrongTokenIsInvalidCredentials() {
        ScimUpstream upstream = start(b -> b.urlForms(UrlForm.BRIDGE));

        ConnectorException e = failure(
                upstream,
                () -> connector(upstream.bridgeBaseUrl(), "not-the-token-0000", transport())
                        .probe());

        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CREDENTIALS);
    }

    @Test
    void hostedHealthIsWhetherTheScimApiAnswers() {
        ScimUpstream upstream = start(b -> b.urlForms(UrlForm.HOSTED));

        HealthReport report = connector(upstream, UrlForm.HOSTED).probe();

        assertThat(report.state()).isEqualTo(HealthReport.State.HEALTHY);
        assertThat(report.checks()).extracting(HealthReport.Check::source).containsExactly("scim");
        assertThat(upstream.requests().to(Endpoint.HEALTH)).isEmpty();
        assertThat(upstream.requests().to(Endpoint.LIST_USERS))
                .singleElement()
                .satisfies(r -> assertThat(r.queryParameter("count")).contains("1"));
    }

    @ParameterizedTest
    @EnumSource(UrlForm.class)
    void unavailableUpstreamReportsUnhealthy(UrlForm form) {
        ScimUpstream upstream = start();
        upstream.inject(Fault.unavailable());

        assertThat(connector(upstream, form).probe().state()).isEqualTo(HealthReport.State.UNHEALTHY);
    }

    @Test
    void unknownGroupAndUserAreEmptyInBothForms() {
        ScimUpstream upstream = start();
        for (UrlForm form : UrlForm.values()) {
            OnePasswordConnector connector = connector(upstream, form);
            assertThat(connector.getUser("AAAAAAAAAAAAAAAAAAAAAAAAAA", false)).isEmpty();
            assertThat(connector.getGroup("aaaaaaaaaaaaaaaaaaaaaaaaaa", false)).isEmpty();
        }
        ScimGroup known = upstream.directory().groups().get(0);
        assertThat(connector(upstream, UrlForm.BRIDGE).getGroup(known.id(), false))
                .hasValueSatisfying(g -> assertThat(g.name()).isEqualTo(known.displayName()));
        assertThat(upstream.requests().writes()).isEmpty();
        assertThat(Set.of(UrlForm.values())).hasSize(2);
    }
}
