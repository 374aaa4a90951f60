package dev.keyline.connector.tck;

import static java.util.Objects.requireNonNull;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.keyline.connector.http.HttpTransport;
import dev.keyline.connector.model.Email;
import dev.keyline.connector.model.Group;
import dev.keyline.connector.model.GroupRef;
import dev.keyline.connector.model.MemberRef;
import dev.keyline.connector.model.StatusValue;
import dev.keyline.connector.model.User;
import dev.keyline.connector.spi.Capability;
import dev.keyline.connector.spi.Connector;
import dev.keyline.connector.spi.ConnectorConfig;
import dev.keyline.connector.spi.ConnectorContext;
import dev.keyline.connector.spi.ConnectorDescriptor;
import dev.keyline.connector.spi.ConnectorException;
import dev.keyline.connector.spi.ConnectorFactory;
import dev.keyline.connector.spi.ConnectorLogger;
import dev.keyline.connector.spi.CredentialField;
import dev.keyline.connector.spi.CredentialField.Type;
import dev.keyline.connector.spi.CredentialValidator;
import dev.keyline.connector.spi.ErrorCode;
import dev.keyline.connector.spi.GroupDirectory;
import dev.keyline.connector.spi.GroupQuery;
import dev.keyline.connector.spi.HealthProbe;
import dev.keyline.connector.spi.HealthReport;
import dev.keyline.connector.spi.Page;
import dev.keyline.connector.spi.PositionalPaging;
import dev.keyline.connector.spi.UserDirectory;
import dev.keyline.connector.spi.UserQuery;
import dev.keyline.connector.spi.Validation;
import dev.keyline.scimdouble.Fault;
import dev.keyline.scimdouble.Quirk;
import dev.keyline.scimdouble.RecordedRequest;
import dev.keyline.scimdouble.ScimEmail;
import dev.keyline.scimdouble.ScimGroup;
import dev.keyline.scimdouble.ScimUpstream;
import dev.keyline.scimdouble.ScimUser;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The conformance kit every identity connector runs against a {@link ScimUpstream}. A connector's test
 * extends it, says which connector it is, how to point it at the upstream and which capabilities it has;
 * the kit then checks both ways: what is declared works, what is not declared is absent and fails with
 * {@link ErrorCode#UNSUPPORTED}.
 *
 * <pre>{@code
 * class OnePasswordHostedConformanceTest extends ConnectorConformanceTest {
 *     protected String connectorId() { return "onepassword"; }
 *     protected Set<Capability> expectedCapabilities() { return EnumSet.of(CREDENTIAL_VALIDATION, USERS, GROUPS); }
 *     protected ConnectorConfig configFor(ScimUpstream upstream, String token) {
 *         return new ConnectorConfig(Map.of("scim_url", upstream.hostedBaseUrl(), "bearer_token", token),
 *                 Set.of("bearer_token"));
 *     }
 * }
 * }</pre>
 *
 * <p>Each test gets a fresh upstream ({@link #upstreamBuilder()}: 23 users, 6 groups, seed 23, so page sizes
 * 1, 7 and 100 do not divide evenly) and, after it, the kit checks that no write request ever reached the
 * upstream. Subclasses may add their own tests using {@link #upstream()} and {@link #connector()}.
 */
public abstract class ConnectorConformanceTest {
    /** Names of credential fields that must be marked secret. */
    private static final Pattern SECRET_NAME =
            Pattern.compile("(^|_)(token|secret|password|passphrase|key|apikey|credentials?)(_|$)");
    /** Names of credential fields that decide where requests go and must be marked routing. */
    private static final Pattern ROUTING_NAME =
            Pattern.compile("(^|_)(url|uri|host|hostname|domain|tenant|region|base|endpoint|subdomain)(_|$)");

    private ScimUpstream upstream;
    private final List<Connector> connectors = new ArrayList<>();

    // ---- what a subclass declares ----

    /** The id of the connector under test, as its factory reports it. */
    protected abstract String connectorId();

    /** A configuration that points the connector at {@code upstream} with this bearer token. */
    protected abstract ConnectorConfig configFor(ScimUpstream upstream, String token);

    /** Exactly the capabilities the connector has. */
    protected abstract Set<Capability> expectedCapabilities();

    /**
     * The upstream each test runs against. Override to add quirks or restrict the URL form, starting from
     * {@code super.upstreamBuilder()}; the kit's assertions read the directory from the started upstream, so
     * they hold for any size and seed.
     */
    protected ScimUpstream.Builder upstreamBuilder() {
        return ScimUpstream.builder()
                .users(23)
                .groups(6)
                .membershipsPerUser(2)
                .suspendedFraction(0.2)
                .seed(23);
    }

    /** The most requests one successful validation may make. */
    protected int validationRequestBudget() {
        return 3;
    }

    /** The largest {@code count} a validation's listing request may ask for. */
    protected int validationMaxCount() {
        return 1;
    }

    /** The transport handed to the connector: a plain JDK transport with short time-outs. */
    protected HttpTransport transport() {
        return JdkHttpTransport.builder()
                .connectTimeout(Duration.ofSeconds(2))
                .requestTimeout(Duration.ofSeconds(15))
                .build();
    }

    // ---- fixture ----

    @BeforeEach
    public void startUpstream() {
        upstream = upstreamBuilder().start();
    }

    @AfterEach
    public void checkNoWritesAndStop() {
        try {
            connectors.forEach(Connector::close);
            connectors.clear();
            assertThat(upstream.requests().writes())
                    .as("requests that could change the upstream (connectors are read-only)")
                    .isEmpty();
        } finally {
            upstream.close();
        }
    }

    /** The upstream of the running test. */
    protected final ScimUpstream upstream() {
        return requireNonNull(upstream, "no upstream: called outside a test");
    }

    /** The factory, found through {@link ServiceLoader} by {@link #connectorId()}. */
    protected final ConnectorFactory factory() {
        List<ConnectorFactory> found = ServiceLoader.load(
                        ConnectorFactory.class, getClass().getClassLoader())
                .stream()
                .map(ServiceLoader.Provider::get)
                .filter(f -> connectorId().equals(f.id()))
                .toList();
        assertThat(found)
                .as("ConnectorFactory implementations with id %s registered in META-INF/services", connectorId())
                .hasSize(1);
        return found.get(0);
    }

    /** A connector on the upstream with the right token; closed after the test. */
    protected final Connector connector() {
        return connector(upstream().token());
    }

    /** A connector on the upstream with the given token; closed after the test. */
    protected final Connector connector(String token) {
        return connector(configFor(upstream(), token));
    }

    protected final Connector connector(ConnectorConfig config) {
        ConnectorFactory factory = factory();
        Connector connector = factory.create(
                factory.normalize(config), new ConnectorContext(transport(), Clock.systemUTC(), discardingLogger()));
        connectors.add(connector);
        return connector;
    }

    private static ConnectorLogger discardingLogger() {
        return ConnectorLogger.discarding();
    }

    private boolean declares(Capability capability) {
        return expectedCapabilities().contains(capability);
    }

    private void assumeDeclares(Capability capability) {
        assumeThat(declares(capability))
                .as("the connector declares %s", capability)
                .isTrue();
    }

    // ---- the factory and its descriptor ----

    @Test
    public void factoryIsDiscoverableThroughServiceLoaderAndIdsAgree() {
        ConnectorFactory factory = factory();
        assertThat(factory.id()).isEqualTo(connectorId());
        assertThat(factory.descriptor().id()).isEqualTo(factory.id());
    }

    @Test
    public void descriptorIsComplete() {
        ConnectorDescriptor descriptor = factory().descriptor();
        SoftAssertions softly = new SoftAssertions();
        softly.assertThat(descriptor.displayName()).as("displayName").isNotBlank();
        softly.assertThat(descriptor.category()).as("category").isEqualTo("iam");
        softly.assertThat(descriptor.description()).as("description").isNotBlank();
        softly.assertThat(descriptor.setupHelp())
                .as("setupHelp")
                .isNotEmpty()
                .allSatisfy(p -> assertThat(p).isNotBlank());
        softly.assertThat(descriptor.fields()).as("fields").isNotEmpty();
        for (CredentialField field : descriptor.fields()) {
            softly.assertThat(field.label()).as("label of %s", field.key()).isNotBlank();
            softly.assertThat(field.help()).as("help of %s", field.key()).isNotBlank();
            softly.assertThat(field.example()).as("example of %s", field.key()).isNotBlank();
            if (SECRET_NAME.matcher(field.key().toLowerCase(Locale.ROOT)).find()) {
                softly.assertThat(field.secret())
                        .as("%s looks like a secret and must be marked so", field.key())
                        .isTrue();
            }
            if (ROUTING_NAME.matcher(field.key().toLowerCase(Locale.ROOT)).find() || field.type() == Type.URL) {
                // The platform asks for the secrets again when a routing field changes; an unmarked one would
                // let a stored token follow a changed destination.
                softly.assertThat(field.routing())
                        .as("%s decides where requests go and must be marked routing", field.key())
                        .isTrue();
            }
            if (field.pattern() != null && field.example() != null) {
                softly.assertThat(field.example())
                        .as("example of %s matches its pattern", field.key())
                        .matches(field.pattern());
            }
        }
        softly.assertThat(descriptor.docs()).as("docs").isNotEmpty();
        for (ConnectorDescriptor.DocLink link : descriptor.docs()) {
            softly.assertThat(link.title()).as("doc link title").isNotBlank();
            softly.assertThat(link.url().getScheme())
                    .as("scheme of %s", link.url())
                    .isEqualTo("https");
        }
        softly.assertThat(descriptor.capabilities()).as("capabilities").isNotEmpty();
        softly.assertAll();
    }

    @Test
    public void descriptorDeclaresExactlyTheExpectedCapabilities() {
        assertThat(factory().descriptor().capabilities()).isEqualTo(Set.copyOf(expectedCapabilities()));
    }

    @Test
    public void creatingAConnectorSendsNoRequest() {
        connector();
        assertThat(upstream().requests().all()).isEmpty();
    }

    @Test
    public void normalizingIsIdempotent() {
        ConnectorFactory factory = factory();
        ConnectorConfig once =
                factory.normalize(configFor(upstream(), upstream().token()));
        assertThat(factory.normalize(once)).isEqualTo(once);
    }

    // ---- capabilities, both ways ----

    @Test
    public void declaredCapabilitiesAreImplementedAndWork() {
        Connector connector = connector();
        for (Capability capability : factory().descriptor().capabilities()) {
            assertThat(connector.capability(capability.type()))
                    .as("%s is declared, so the connector implements %s", capability, capability.type())
                    .isPresent();
            assertThat(connector.require(capability, capability.type())).isSameAs(connector);
            exercise(connector, capability);
        }
    }

    @Test
    public void undeclaredCapabilitiesAreAbsentAndRequireFailsUnsupported() {
        Connector connector = connector();
        Set<Capability> declared = factory().descriptor().capabilities();
        for (Capability capability : Capability.values()) {
            if (declared.contains(capability)) {
                continue;
            }
            assertThat(connector.capability(capability.type()))
                    .as("%s is not declared, so the connector must not implement %s", capability, capability.type())
                    .isEmpty();
            ConnectorException e = catchThrowableOfType(
                    ConnectorException.class, () -> connector.require(capability, capability.type()));
            assertThat(e).as("require(%s)", capability).isNotNull();
            assertThat(e.code()).isEqualTo(ErrorCode.UNSUPPORTED);
        }
    }

    private void exercise(Connector connector, Capability capability) {
        switch (capability) {
            case CREDENTIAL_VALIDATION -> {
                Validation validation =
                        connector.require(capability, CredentialValidator.class).validate();
                assertThat(validation.summary()).isNotBlank();
            }
            case USERS ->
                assertThat(connector
                                .require(capability, UserDirectory.class)
                                .listUsers(UserQuery.all(5, false))
                                .items())
                        .isNotEmpty()
                        .hasSizeLessThanOrEqualTo(5);
            case GROUPS ->
                assertThat(connector
                                .require(capability, GroupDirectory.class)
                                .listGroups(GroupQuery.all(5))
                                .items())
                        .isNotEmpty()
                        .hasSizeLessThanOrEqualTo(5);
            case HEALTH_PROBE -> {
                HealthReport report =
                        connector.require(capability, HealthProbe.class).probe();
                assertThat(report.state()).isNotNull();
            }
        }
    }

    // ---- validation ----

    @Test
    public void validationSucceedsWithTheRightToken() {
        assumeDeclares(Capability.CREDENTIAL_VALIDATION);
        Validation validation = validator(connector()).validate();
        assertThat(validation.summary()).isNotBlank().doesNotContain(upstream().token());
        assertThat(validation.facts().values())
                .noneMatch(v -> v.contains(upstream().token()));
    }

    @Test
    public void validationIsCheapAndNeverListsEverything() {
        assumeDeclares(Capability.CREDENTIAL_VALIDATION);
        CredentialValidator validator = validator(connector());
        long mark = upstream().requests().mark();
        validator.validate();
        List<RecordedRequest> requests = upstream().requests().since(mark);
        assertThat(requests)
                .as("requests made by one validation")
                .isNotEmpty()
                .hasSizeLessThanOrEqualTo(validationRequestBudget());
        for (RecordedRequest request : requests) {
            if (request.endpoint().listing()) {
                assertThat(request.queryParameter("count"))
                        .as("count of %s (without it the upstream serves a full page)", request)
                        .isPresent();
                assertThat(Integer.parseInt(request.queryParameter("count").orElseThrow()))
                        .as("count of %s", request)
                        .isLessThanOrEqualTo(validationMaxCount());
            }
        }
    }

    @Test
    public void wrongTokenFailsValidationWithInvalidCredentials() {
        assumeDeclares(Capability.CREDENTIAL_VALIDATION);
        String wrong = "wrong-token-" + upstream().token().hashCode();
        CredentialValidator validator = validator(connector(wrong));
        assertInvalidCredentials(validator::validate, wrong);
    }

    @Test
    public void forbiddenTokenFailsValidationWithInvalidCredentials() {
        assumeDeclares(Capability.CREDENTIAL_VALIDATION);
        upstream().enable(Quirk.FORBIDDEN_FOR_WRONG_TOKEN);
        String wrong = "forbidden-token-" + upstream().token().hashCode();
        CredentialValidator validator = validator(connector(wrong));
        assertInvalidCredentials(validator::validate, wrong);
    }

    // ---- users ----

    @ParameterizedTest(name = "page size {0}")
    @ValueSource(ints = {1, 7, 100})
    public void everyUserIsListedExactlyOnceWithAllFieldsMapped(int pageSize) {
        UserDirectory users = users(connector());
        List<User> listed = new ArrayList<>();
        users.streamUsers(pageSize, false, page -> {
            assertThat(page.items()).as("a page of size %s", pageSize).hasSizeLessThanOrEqualTo(pageSize);
            listed.addAll(page.items());
        });
        List<String> ids = listed.stream().map(User::remoteId).toList();
        assertThat(ids).as("listed user ids").doesNotHaveDuplicates();
        assertThat(ids)
                .as("listed user ids")
                .containsExactlyInAnyOrderElementsOf(upstream().directory().users().stream()
                        .map(ScimUser::id)
                        .toList());
        Map<String, ScimUser> expected = byId(upstream().directory().users(), ScimUser::id);
        SoftAssertions softly = new SoftAssertions();
        for (User user : listed) {
            assertUserMapped(softly, user, expected.get(user.remoteId()));
            softly.assertThat(user.raw())
                    .as("raw of %s when not asked for", user.remoteId())
                    .isNull();
        }
        softly.assertAll();
    }

    @Test
    public void listingWithRawKeepsTheProviderPayload() {
        UserDirectory users = users(connector());
        Page<User> page = users.listUsers(UserQuery.all(3, true));
        assertThat(page.items())
                .isNotEmpty()
                .allSatisfy(user -> assertThat(user.raw())
                        .as("raw of %s", user.remoteId())
                        .isNotNull()
                        .containsEntry("id", user.remoteId()));
    }

    @Test
    public void knownUserIsFoundById() {
        UserDirectory users = users(connector());
        // One active and one suspended user, where the directory has them.
        List<ScimUser> samples = new ArrayList<>();
        upstream().directory().users().stream()
                .filter(ScimUser::active)
                .findFirst()
                .ifPresent(samples::add);
        upstream().directory().users().stream()
                .filter(u -> !u.active())
                .findFirst()
                .ifPresent(samples::add);
        assertThat(samples).as("users in the upstream").isNotEmpty();
        SoftAssertions softly = new SoftAssertions();
        for (ScimUser expected : samples) {
            Optional<User> user = users.getUser(expected.id(), false);
            softly.assertThat(user).as("user %s", expected.id()).isPresent();
            user.ifPresent(u -> assertUserMapped(softly, u, expected));
        }
        softly.assertAll();
        String id = samples.get(0).id();
        assertThat(users.getUser(id, true))
                .hasValueSatisfying(u -> assertThat(u.raw()).isNotNull().containsEntry("id", id));
    }

    @Test
    public void unknownUserIsEmpty() {
        assertThat(users(connector()).getUser("ZZZZZZZZZZZZZZZZZZZZZZZZZZ", false))
                .isEmpty();
    }

    @Test
    public void wrongTokenFailsListingWithInvalidCredentials() {
        assumeDeclares(Capability.USERS);
        String wrong = "wrong-token-" + upstream().token().hashCode();
        UserDirectory users = users(connector(wrong));
        assertInvalidCredentials(() -> users.listUsers(UserQuery.all(10, false)), wrong);
    }

    @Test
    public void rateLimitIsReportedWithRetryAfter() {
        assumeDeclares(Capability.USERS);
        UserDirectory users = users(connector());
        upstream().inject(Fault.rateLimited(Duration.ofSeconds(7)));
        ConnectorException e =
                catchThrowableOfType(ConnectorException.class, () -> users.listUsers(UserQuery.all(10, false)));
        assertThat(e).as("listing while the upstream answers 429").isNotNull();
        assertThat(e.code()).isEqualTo(ErrorCode.RATE_LIMITED);
        assertThat(e.retryAfter()).hasValue(Duration.ofSeconds(7));
    }

    @Test
    public void rateLimitDuringValidationIsReportedWithRetryAfter() {
        assumeDeclares(Capability.CREDENTIAL_VALIDATION);
        CredentialValidator validator = validator(connector());
        upstream().inject(Fault.rateLimited(Duration.ofSeconds(7)));
        ConnectorException e = catchThrowableOfType(ConnectorException.class, validator::validate);
        assertThat(e).as("validating while the upstream answers 429").isNotNull();
        assertThat(e.code()).isEqualTo(ErrorCode.RATE_LIMITED);
        assertThat(e.retryAfter()).hasValue(Duration.ofSeconds(7));
    }

    // ---- pages fetched at predicted positions (PositionalPaging, optional) ----

    @ParameterizedTest(name = "page size {0}")
    @ValueSource(ints = {1, 7})
    public void predictedPagesAreThePagesTheCursorsLeadTo(int pageSize) {
        Connector connector = connector();
        assumeThat(connector).as("the connector pages by position").isInstanceOf(PositionalPaging.class);
        PositionalPaging paging = (PositionalPaging) connector;
        UserDirectory users = users(connector);
        checkPredictions(
                paging,
                Capability.USERS,
                pageSize,
                cursor -> users.listUsers(UserQuery.all(pageSize, false).withCursor(cursor)),
                User::remoteId);
        GroupDirectory groups = groups(connector);
        checkPredictions(
                paging,
                Capability.GROUPS,
                pageSize,
                cursor -> groups.listGroups(new GroupQuery(cursor, pageSize, null, true, false)),
                Group::remoteId);
    }

    /**
     * Follows the real cursors and, beside them, the predicted ones: every full page's prediction must be accepted
     * for the real cursor and list the same records, and a page must never be accepted for another position or when
     * it holds the record the page before ended with (what a server that ignores the position answers).
     */
    private <T> void checkPredictions(
            PositionalPaging paging,
            Capability listing,
            int pageSize,
            Function<String, Page<T>> fetch,
            Function<T, String> remoteId) {
        Page<T> page = fetch.apply(null);
        String predicted = paging.cursorAfter(listing, null, pageSize).orElse(null);
        int listed = 0;
        int checked = 0;
        while (page.next().isPresent()) {
            String actual = page.next().get();
            List<String> before = page.items().stream().map(remoteId).toList();
            Page<T> real = fetch.apply(actual);
            List<String> realIds = real.items().stream().map(remoteId).toList();
            if (predicted != null && before.size() == pageSize) {
                Page<T> guessed = fetch.apply(predicted);
                List<String> guessedIds = guessed.items().stream().map(remoteId).toList();
                assertThat(paging.answers(listing, predicted, actual, guessedIds))
                        .as(
                                "%s: the page at the predicted cursor answers the real one after %s records",
                                listing, listed + before.size())
                        .isTrue();
                assertThat(guessedIds)
                        .as("%s: records at the predicted cursor", listing)
                        .isEqualTo(realIds);
                assertThat(guessed.next().isPresent())
                        .as("%s: whether the predicted page is the last", listing)
                        .isEqualTo(real.next().isPresent());
                List<String> repeating = new ArrayList<>();
                repeating.add(before.get(before.size() - 1));
                repeating.addAll(guessedIds);
                assertThat(paging.answers(listing, predicted, actual, repeating))
                        .as("%s: a page holding the record the page before ended with", listing)
                        .isFalse();
                String beyond = paging.cursorAfter(listing, predicted, pageSize).orElse(null);
                if (beyond != null) {
                    assertThat(paging.answers(listing, beyond, actual, guessedIds))
                            .as("%s: a page predicted for a later position", listing)
                            .isFalse();
                }
                checked++;
            }
            predicted = paging.cursorAfter(listing, actual, pageSize).orElse(null);
            listed += before.size();
            page = real;
        }
        if (listed > 0) {
            assertThat(checked)
                    .as("%s: predictions checked over %s records", listing, listed)
                    .isPositive();
        }
    }

    // ---- groups ----

    @ParameterizedTest(name = "page size {0}")
    @ValueSource(ints = {1, 7, 100})
    public void everyGroupIsListedExactlyOnceWithItsMembers(int pageSize) {
        GroupDirectory groups = groups(connector());
        List<Group> listed = new ArrayList<>();
        groups.streamGroups(pageSize, true, false, page -> {
            assertThat(page.items()).as("a page of size %s", pageSize).hasSizeLessThanOrEqualTo(pageSize);
            listed.addAll(page.items());
        });
        List<String> ids = listed.stream().map(Group::remoteId).toList();
        assertThat(ids).as("listed group ids").doesNotHaveDuplicates();
        assertThat(ids)
                .as("listed group ids")
                .containsExactlyInAnyOrderElementsOf(upstream().directory().groups().stream()
                        .map(ScimGroup::id)
                        .toList());
        Map<String, ScimGroup> expected = byId(upstream().directory().groups(), ScimGroup::id);
        SoftAssertions softly = new SoftAssertions();
        for (Group group : listed) {
            assertGroupMapped(softly, group, expected.get(group.remoteId()));
            softly.assertThat(group.raw())
                    .as("raw of %s when not asked for", group.remoteId())
                    .isNull();
        }
        softly.assertAll();
    }

    @Test
    public void groupsCarryMembersWhenAskedEvenIfTheListingOmitsThem() {
        assumeDeclares(Capability.GROUPS);
        upstream().enable(Quirk.GROUPS_LISTED_WITHOUT_MEMBERS);
        GroupDirectory groups = groups(connector());
        List<Group> listed = new ArrayList<>();
        groups.streamGroups(100, true, false, page -> listed.addAll(page.items()));
        Map<String, ScimGroup> expected = byId(upstream().directory().groups(), ScimGroup::id);
        SoftAssertions softly = new SoftAssertions();
        for (Group group : listed) {
            assertGroupMapped(softly, group, expected.get(group.remoteId()));
        }
        softly.assertAll();
    }

    @Test
    public void knownGroupIsFoundByIdWithMembers() {
        GroupDirectory groups = groups(connector());
        ScimGroup expected = upstream().directory().groups().stream()
                .filter(g -> !upstream().directory().memberIds(g.id()).isEmpty())
                .findFirst()
                .orElseThrow();
        Optional<Group> group = groups.getGroup(expected.id(), false);
        assertThat(group).isPresent();
        SoftAssertions softly = new SoftAssertions();
        assertGroupMapped(softly, group.get(), expected);
        softly.assertAll();
    }

    @Test
    public void unknownGroupIsEmpty() {
        assertThat(groups(connector()).getGroup("zzzzzzzzzzzzzzzzzzzzzzzzzz", false))
                .isEmpty();
    }

    @Test
    public void wrongTokenFailsGroupListingWithInvalidCredentials() {
        assumeDeclares(Capability.GROUPS);
        String wrong = "wrong-token-" + upstream().token().hashCode();
        GroupDirectory groups = groups(connector(wrong));
        assertInvalidCredentials(() -> groups.listGroups(GroupQuery.all(10)), wrong);
    }

    // ---- lifecycle ----

    @Test
    public void closeIsIdempotentAndNeverThrows() {
        Connector connector = connector();
        if (declares(Capability.USERS)) {
            users(connector).listUsers(UserQuery.all(2, false));
        }
        assertThatCode(() -> {
                    connector.close();
                    connector.close();
                })
                .doesNotThrowAnyException();
    }

    // ---- helpers ----

    private UserDirectory users(Connector connector) {
        assumeDeclares(Capability.USERS);
        return connector.require(Capability.USERS, UserDirectory.class);
    }

    private GroupDirectory groups(Connector connector) {
        assumeDeclares(Capability.GROUPS);
        return connector.require(Capability.GROUPS, GroupDirectory.class);
    }

    private static CredentialValidator validator(Connector connector) {
        return connector.require(Capability.CREDENTIAL_VALIDATION, CredentialValidator.class);
    }

    private void assertInvalidCredentials(Runnable call, String wrongToken) {
        ConnectorException e = catchThrowableOfType(ConnectorException.class, call::run);
        assertThat(e).as("the call with a wrong token").isNotNull();
        assertThat(e.code()).as("code of %s", e).isEqualTo(ErrorCode.INVALID_CREDENTIALS);
        assertThat(e.getMessage()).as("message").isNotBlank().doesNotContain(wrongToken);
        assertThat(e.getMessage()).as("message").doesNotContain(upstream().token());
    }

    private void assertUserMapped(SoftAssertions softly, User user, ScimUser expected) {
        String id = expected.id();
        softly.assertThat(user.remoteId()).as("remoteId").isEqualTo(id);
        softly.assertThat(user.username()).as("username of %s", id).isEqualTo(expected.userName());
        softly.assertThat(user.name()).as("name of %s", id).isIn(expected.displayName(), expected.formattedName());
        softly.assertThat(user.firstName()).as("firstName of %s", id).isEqualTo(expected.givenName());
        softly.assertThat(user.lastName()).as("lastName of %s", id).isEqualTo(expected.familyName());
        softly.assertThat(user.primaryEmailAddress())
                .as("primaryEmailAddress of %s", id)
                .isEqualTo(expected.primaryEmail().orElse(null));
        softly.assertThat(user.emails())
                .as("emails of %s (an empty type maps to null)", id)
                .containsExactlyInAnyOrderElementsOf(expected.emails().stream()
                        .map(ConnectorConformanceTest::email)
                        .toList());
        StatusValue status = expected.active() ? StatusValue.ENABLED : StatusValue.DISABLED;
        softly.assertThat(user.status().value()).as("status of %s", id).isEqualTo(status);
        softly.assertThat(user.status().sourceValue())
                .as("status source value of %s", id)
                .isEqualTo(String.valueOf(expected.active()));
        softly.assertThat(user.groups().stream().map(GroupRef::remoteId).toList())
                .as("group refs of %s", id)
                .containsExactlyInAnyOrderElementsOf(expected.groupIds());
        for (GroupRef ref : user.groups()) {
            upstream()
                    .directory()
                    .group(ref.remoteId())
                    .ifPresent(group -> softly.assertThat(ref.name())
                            .as("name of group ref %s of %s", ref.remoteId(), id)
                            .isEqualTo(group.displayName()));
        }
        softly.assertThat(user.createdAt()).as("createdAt of %s", id).isEqualTo(expected.created());
        softly.assertThat(user.updatedAt()).as("updatedAt of %s", id).isEqualTo(expected.lastModified());
        softly.assertThat(user.isBotUser()).as("isBotUser of %s", id).isFalse();
    }

    private void assertGroupMapped(SoftAssertions softly, Group group, ScimGroup expected) {
        String id = expected.id();
        softly.assertThat(group.remoteId()).as("remoteId").isEqualTo(id);
        softly.assertThat(group.name()).as("name of %s", id).isEqualTo(expected.displayName());
        List<String> memberIds = upstream().directory().memberIds(id);
        softly.assertThat(group.members()).as("members of %s (asked for)", id).isNotNull();
        if (group.members() != null) {
            softly.assertThat(group.members().stream().map(MemberRef::remoteId).toList())
                    .as("member ids of %s", id)
                    .containsExactlyInAnyOrderElementsOf(memberIds);
            for (MemberRef member : group.members()) {
                if (member.username() != null) {
                    upstream()
                            .directory()
                            .user(member.remoteId())
                            .ifPresent(user -> softly.assertThat(member.username())
                                    .as("username of member %s of %s", member.remoteId(), id)
                                    .isEqualTo(user.userName()));
                }
            }
        }
        softly.assertThat(group.memberCount()).as("memberCount of %s", id).isEqualTo(memberIds.size());
        softly.assertThat(group.createdAt()).as("createdAt of %s", id).isEqualTo(expected.created());
        softly.assertThat(group.updatedAt()).as("updatedAt of %s", id).isEqualTo(expected.lastModified());
    }

    private static Email email(ScimEmail email) {
        return new Email(email.value(), email.type(), email.primary());
    }

    private static <T> Map<String, T> byId(List<T> records, Function<T, String> id) {
        return records.stream().collect(Collectors.toMap(id, r -> r));
    }
}
