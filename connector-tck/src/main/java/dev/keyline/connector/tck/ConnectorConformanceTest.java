package dev.keyline.connector.tck;

import static java.util.Objects.requireNonNull;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.keyline.connector.http.HttpTransport;
import dev.keyline.connector.model.Group;
import dev.keyline.connector.model.GroupRef;
import dev.keyline.connector.model.MemberRef;
import dev.keyline.connector.model.Role;
import dev.keyline.connector.model.StatusValue;
import dev.keyline.connector.model.User;
import dev.keyline.connector.spi.Capability;
import dev.keyline.connector.spi.Connector;
import dev.keyline.connector.spi.ConnectorConfig;
import dev.keyline.connector.spi.ConnectorContext;
import dev.keyline.connector.spi.ConnectorDescriptor;
import dev.keyline.connector.spi.ConnectorException;
import dev.keyline.connector.spi.ConnectorFactory;
import dev.keyline.connector.spi.CredentialField;
import dev.keyline.connector.spi.CredentialField.Type;
import dev.keyline.connector.spi.CredentialValidator;
import dev.keyline.connector.spi.ErrorCode;
import dev.keyline.connector.spi.GroupDirectory;
import dev.keyline.connector.spi.GroupQuery;
import dev.keyline.connector.spi.HealthProbe;
import dev.keyline.connector.spi.HealthReport;
import dev.keyline.connector.spi.Page;
import dev.keyline.connector.spi.RoleDirectory;
import dev.keyline.connector.spi.RoleQuery;
import dev.keyline.connector.spi.UserChangeFeed;
import dev.keyline.connector.spi.UserChanges;
import dev.keyline.connector.spi.UserDirectory;
import dev.keyline.connector.spi.UserQuery;
import dev.keyline.connector.spi.Validation;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
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
 * The conformance kit every identity connector runs, whatever its provider speaks. A connector's test extends
 * it and supplies four things: which connector it is, the directory it expects, an {@link UpstreamDouble} that
 * serves that directory the way the provider does, and how to point the connector at the double with
 * {@link Credentials#VALID valid}, {@link Credentials#WRONG wrong} or {@link Credentials#FORBIDDEN forbidden}
 * credentials. The kit then checks both ways: what the descriptor declares works, what it does not declare is
 * absent and fails with {@link ErrorCode#UNSUPPORTED}. The capabilities are read from the descriptor; they are
 * declared once.
 *
 * <p>For a provider with its own JSON API (a double built on {@code dev.keyline.connector.tck.json}, say):
 *
 * <pre>{@code
 * class AcmeConformanceTest extends ConnectorConformanceTest {
 *     protected String connectorId() { return "acme"; }
 *
 *     // The double renders the expected users and groups in Acme's format and answers Acme's way.
 *     protected UpstreamDouble startUpstream(ExpectedDirectory directory) { return AcmeDouble.start(directory); }
 *
 *     protected ConnectorConfig configFor(UpstreamDouble upstream, Credentials credentials) {
 *         AcmeDouble acme = (AcmeDouble) upstream;
 *         return new ConnectorConfig(
 *                 Map.of("api_url", acme.baseUrl(), "api_key", acme.apiKey(credentials)), Set.of("api_key"));
 *     }
 *
 *     // Only where the provider reports something else than the default directory says (see ExpectedDirectory).
 *     protected ExpectedDirectory expectedDirectory() {
 *         return ExpectedDirectory.standard().mapUsers(u -> u.toBuilder().roleNames(List.of("member")).build());
 *     }
 * }
 * }</pre>
 *
 * <p>SCIM connectors extend {@link ScimConformanceTest} instead, which supplies the SCIM double and adds the
 * SCIM-only checks.
 *
 * <p>Each test gets a fresh double serving {@link #expectedDirectory()} (by default 23 users, 6 groups, so page
 * sizes 1, 7 and 100 do not divide evenly). Connectors get a recording logger. After each test the kit checks
 * that no request could have written upstream and that <b>no secret reached a log line or an error message</b>:
 * none of {@link UpstreamDouble#secrets()}, the secret values of the configurations the test used, nor the
 * {@code Authorization} header values the double received appears in a logged line, in a
 * {@link ConnectorException}'s message, message params or cause chain, in a validation's summary or facts, or in
 * {@code toString()} of a configuration or connector. {@link #noSecretReachesALogLineOrAnErrorMessage()} walks
 * the failure paths (wrong, forbidden, rate-limited, server error) on purpose so that check sees error
 * messages. Subclasses may add their own tests using {@link #upstream()}, {@link #directory()} and
 * {@link #connector()}.
 */
public abstract class ConnectorConformanceTest {
    /** Names of credential fields that must be marked secret. */
    private static final Pattern SECRET_NAME =
            Pattern.compile("(^|_)(token|secret|password|passphrase|key|apikey|credentials?)(_|$)");
    /** Names of credential fields that decide where requests go and must be marked routing. */
    private static final Pattern ROUTING_NAME =
            Pattern.compile("(^|_)(url|uri|host|hostname|domain|tenant|region|base|endpoint|subdomain)(_|$)");
    /** An id no double serves, in the shape of the generated ones. */
    private static final String UNKNOWN_ID = "ZZZZZZZZZZZZZZZZZZZZZZZZZZ";
    /** Shorter "secrets" would match ordinary words; no real credential is this short. */
    private static final int SHORTEST_SECRET = 6;

    private ExpectedDirectory directory;
    private UpstreamDouble upstream;
    private final List<Connector> connectors = new ArrayList<>();
    private final List<ConnectorConfig> configs = new ArrayList<>();
    private final RecordingLogger log = new RecordingLogger();
    private final List<Throwable> failures = new ArrayList<>();
    private final List<String> reports = new ArrayList<>();

    // ---- what a subclass declares ----

    /** The id of the connector under test, as its factory reports it. */
    protected abstract String connectorId();

    /**
     * The directory the connector must report: what {@link #startUpstream(ExpectedDirectory)} serves and what
     * the kit compares listings with. Override when the provider reports some field otherwise.
     */
    protected ExpectedDirectory expectedDirectory() {
        return ExpectedDirectory.standard();
    }

    /** Starts a double serving {@code directory}; the kit closes it after the test. */
    protected abstract UpstreamDouble startUpstream(ExpectedDirectory directory);

    /** A configuration that points the connector at {@code upstream} with these credentials. */
    protected abstract ConnectorConfig configFor(UpstreamDouble upstream, Credentials credentials);

    /** The most requests one successful validation may make. */
    protected int validationRequestBudget() {
        return 3;
    }

    /**
     * How far a reported {@code retryAfter} may be from the delay the double asked for: zero when the API says
     * {@code Retry-After} in seconds; a second when it gives a reset time the connector subtracts the clock from.
     */
    protected Duration retryAfterTolerance() {
        return Duration.ZERO;
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
    public void startKit() {
        directory = requireNonNull(expectedDirectory(), "expectedDirectory() returned null");
        upstream = requireNonNull(startUpstream(directory), "startUpstream() returned null");
    }

    @AfterEach
    public void checkAndStopKit() {
        try {
            assertThat(upstream.requests().stream().filter(KitRequest::write).toList())
                    .as("requests that could change the upstream (connectors are read-only)")
                    .isEmpty();
            assertNoSecretLeaked();
            connectors.forEach(Connector::close);
        } finally {
            connectors.clear();
            upstream.close();
        }
    }

    /** The double of the running test. */
    protected final UpstreamDouble upstream() {
        return requireNonNull(upstream, "no upstream: called outside a test");
    }

    /** The directory the running test's double serves. */
    protected final ExpectedDirectory directory() {
        return requireNonNull(directory, "no directory: called outside a test");
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

    /** A connector on the double with valid credentials; closed after the test. */
    protected final Connector connector() {
        return connector(Credentials.VALID);
    }

    /** A connector on the double with these credentials; closed after the test. */
    protected final Connector connector(Credentials credentials) {
        return connector(configFor(upstream(), credentials));
    }

    /** A connector with this configuration and the kit's recording logger; closed after the test. */
    protected final Connector connector(ConnectorConfig config) {
        ConnectorFactory factory = factory();
        configs.add(config);
        ConnectorConfig normalized = factory.normalize(config);
        configs.add(normalized);
        Connector connector = factory.create(normalized, new ConnectorContext(transport(), Clock.systemUTC(), log));
        connectors.add(connector);
        return connector;
    }

    /** Every line the test's connectors logged so far, as {@code LEVEL message}. */
    protected final List<String> logLines() {
        return log.lines();
    }

    /**
     * Runs {@code call} and returns the {@link ConnectorException} it threw, or null when it returned; the
     * exception joins the texts the leak check reads.
     */
    protected final ConnectorException failureOf(Runnable call) {
        try {
            call.run();
            return null;
        } catch (ConnectorException e) {
            failures.add(e);
            return e;
        }
    }

    /** Validates, keeping the summary and facts for the leak check. */
    protected final Validation validate(Connector connector) {
        Validation validation = validator(connector).validate();
        reports.add(validation.summary());
        reports.addAll(validation.facts().values());
        return validation;
    }

    protected final boolean declares(Capability capability) {
        return factory().descriptor().capabilities().contains(capability);
    }

    protected final void assumeDeclares(Capability capability) {
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
    public void creatingAConnectorSendsNoRequest() {
        connector();
        assertThat(upstream().requests()).isEmpty();
    }

    @Test
    public void normalizingIsIdempotent() {
        ConnectorFactory factory = factory();
        ConnectorConfig config = configFor(upstream(), Credentials.VALID);
        configs.add(config);
        ConnectorConfig once = factory.normalize(config);
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
            ConnectorException e = failureOf(() -> connector.require(capability, capability.type()));
            assertThat(e).as("require(%s)", capability).isNotNull();
            assertThat(e.code()).isEqualTo(ErrorCode.UNSUPPORTED);
        }
    }

    private void exercise(Connector connector, Capability capability) {
        switch (capability) {
            case CREDENTIAL_VALIDATION ->
                assertThat(validate(connector).summary()).isNotBlank();
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
            case ROLES ->
                assertThat(connector
                                .require(capability, RoleDirectory.class)
                                .listRoles(RoleQuery.builder().pageSize(5).build())
                                .items())
                        .isNotEmpty()
                        .hasSizeLessThanOrEqualTo(5);
            case USER_CHANGES -> {
                UserChangeFeed feed = connector.require(capability, UserChangeFeed.class);
                String watermark = feed.currentWatermark();
                assertThat(watermark).as("a watermark for now").isNotBlank();
                UserChanges changes = feed.userChanges(watermark, null, 5, false);
                assertThat(changes.changed()).as("changes of one page").hasSizeLessThanOrEqualTo(5);
            }
            case HEALTH_PROBE -> {
                HealthReport report =
                        connector.require(capability, HealthProbe.class).probe();
                assertThat(report.state()).isNotNull();
            }
        }
    }

    // ---- validation ----

    @Test
    public void validationSucceedsWithValidCredentials() {
        assumeDeclares(Capability.CREDENTIAL_VALIDATION);
        assertThat(validate(connector()).summary()).isNotBlank();
    }

    @Test
    public void validationIsCheap() {
        assumeDeclares(Capability.CREDENTIAL_VALIDATION);
        Connector connector = connector();
        int before = upstream().requests().size();
        validate(connector);
        List<KitRequest> requests = upstream().requests();
        assertThat(requests.subList(before, requests.size()))
                .as("requests made by one validation")
                .isNotEmpty()
                .hasSizeLessThanOrEqualTo(validationRequestBudget());
    }

    @Test
    public void wrongCredentialsFailValidationWithInvalidCredentials() {
        assumeDeclares(Capability.CREDENTIAL_VALIDATION);
        Connector connector = connector(Credentials.WRONG);
        assertInvalidCredentialsOnAField(() -> validate(connector));
    }

    @Test
    public void forbiddenCredentialsFailValidationWithInvalidCredentials() {
        assumeDeclares(Capability.CREDENTIAL_VALIDATION);
        Connector connector = connector(Credentials.FORBIDDEN);
        assertInvalidCredentialsOnAField(() -> validate(connector));
    }

    @Test
    public void rateLimitDuringValidationIsReportedWithRetryAfter() {
        assumeDeclares(Capability.CREDENTIAL_VALIDATION);
        Connector connector = connector();
        assertRateLimited(() -> validate(connector), "validating");
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
                .containsExactlyInAnyOrderElementsOf(
                        directory().users().stream().map(User::remoteId).toList());
        Map<String, User> expected = byId(directory().users(), User::remoteId);
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
                        .as("raw of %s (the provider's payload, which names the record's id)", user.remoteId())
                        .isNotEmpty()
                        .satisfies(raw -> assertThat(String.valueOf(raw)).contains(user.remoteId())));
    }

    @Test
    public void knownUserIsFoundById() {
        UserDirectory users = users(connector());
        // One enabled and one other user, where the directory has them.
        List<User> samples = new ArrayList<>();
        directory().users().stream()
                .filter(u -> u.status().value() == StatusValue.ENABLED)
                .findFirst()
                .ifPresent(samples::add);
        directory().users().stream()
                .filter(u -> u.status().value() != StatusValue.ENABLED)
                .findFirst()
                .ifPresent(samples::add);
        assertThat(samples).as("users in the directory").isNotEmpty();
        SoftAssertions softly = new SoftAssertions();
        for (User expected : samples) {
            Optional<User> user = users.getUser(expected.remoteId(), false);
            softly.assertThat(user).as("user %s", expected.remoteId()).isPresent();
            user.ifPresent(u -> assertUserMapped(softly, u, expected));
        }
        softly.assertAll();
        String id = samples.get(0).remoteId();
        assertThat(users.getUser(id, true))
                .hasValueSatisfying(u -> assertThat(u.raw())
                        .isNotEmpty()
                        .satisfies(raw -> assertThat(String.valueOf(raw)).contains(id)));
    }

    @Test
    public void unknownUserIsEmpty() {
        assertThat(users(connector()).getUser(UNKNOWN_ID, false)).isEmpty();
    }

    @Test
    public void wrongCredentialsFailListingWithInvalidCredentials() {
        UserDirectory users = users(connector(Credentials.WRONG));
        assertInvalidCredentials(() -> users.listUsers(UserQuery.all(10, false)));
    }

    @Test
    public void forbiddenCredentialsFailListingWithInvalidCredentials() {
        UserDirectory users = users(connector(Credentials.FORBIDDEN));
        assertInvalidCredentials(() -> users.listUsers(UserQuery.all(10, false)));
    }

    @Test
    public void rateLimitIsReportedWithRetryAfter() {
        UserDirectory users = users(connector());
        assertRateLimited(() -> users.listUsers(UserQuery.all(10, false)), "listing users");
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
                .containsExactlyInAnyOrderElementsOf(
                        directory().groups().stream().map(Group::remoteId).toList());
        Map<String, Group> expected = byId(directory().groups(), Group::remoteId);
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
    public void knownGroupIsFoundByIdWithMembers() {
        GroupDirectory groups = groups(connector());
        Group expected = directory().groups().stream()
                .filter(g -> !g.members().isEmpty())
                .findFirst()
                .orElseThrow();
        Optional<Group> group = groups.getGroup(expected.remoteId(), false);
        assertThat(group).isPresent();
        SoftAssertions softly = new SoftAssertions();
        assertGroupMapped(softly, group.get(), expected);
        softly.assertAll();
    }

    @Test
    public void unknownGroupIsEmpty() {
        assertThat(groups(connector()).getGroup(UNKNOWN_ID.toLowerCase(Locale.ROOT), false))
                .isEmpty();
    }

    @Test
    public void wrongCredentialsFailGroupListingWithInvalidCredentials() {
        GroupDirectory groups = groups(connector(Credentials.WRONG));
        assertInvalidCredentials(() -> groups.listGroups(GroupQuery.all(10)));
    }

    // ---- secrets ----

    /**
     * Walks the paths where a connector writes error messages and logs (wrong and forbidden credentials, a
     * throttled and a failing upstream, and a normal listing) so the leak check after the test has them to read.
     * The failures themselves are checked elsewhere; here only what they say matters.
     */
    // ---- roles (run only for connectors declaring ROLES) ----

    @ParameterizedTest(name = "page size {0}")
    @ValueSource(ints = {1, 7, 100})
    public void everyRoleIsListedExactlyOnce(int pageSize) {
        assumeDeclares(Capability.ROLES);
        RoleDirectory roles = roles(connector());
        List<Role> listed = new ArrayList<>();
        roles.streamRoles(pageSize, false, false, page -> {
            assertThat(page.items()).as("a page of size %s", pageSize).hasSizeLessThanOrEqualTo(pageSize);
            listed.addAll(page.items());
        });
        List<String> ids = listed.stream().map(Role::remoteId).toList();
        assertThat(ids).as("listed role ids").doesNotHaveDuplicates();
        assertThat(ids)
                .as("listed role ids")
                .containsExactlyInAnyOrderElementsOf(
                        directory().roles().stream().map(Role::remoteId).toList());
        Map<String, Role> expected = byId(directory().roles(), Role::remoteId);
        SoftAssertions softly = new SoftAssertions();
        for (Role role : listed) {
            assertRoleMapped(softly, role, expected.get(role.remoteId()));
            softly.assertThat(role.raw())
                    .as("raw of %s when not asked for", role.remoteId())
                    .isNull();
        }
        softly.assertAll();
    }

    @Test
    public void everyRoleCarriesItsAssignmentsWhenAsked() {
        assumeDeclares(Capability.ROLES);
        List<Role> listed = new ArrayList<>();
        roles(connector()).streamRoles(7, true, false, page -> listed.addAll(page.items()));
        assertThat(listed).as("listed roles").hasSameSizeAs(directory().roles());
        Map<String, Role> expected = byId(directory().roles(), Role::remoteId);
        SoftAssertions softly = new SoftAssertions();
        for (Role role : listed) {
            assertAssignments(softly, role, expected.get(role.remoteId()));
        }
        softly.assertAll();
    }

    @Test
    public void everyRoleIsFoundByIdWithItsAssignments() {
        assumeDeclares(Capability.ROLES);
        assertThat(directory().roles()).as("roles in the directory").isNotEmpty();
        RoleDirectory roles = roles(connector());
        SoftAssertions softly = new SoftAssertions();
        for (Role expected : directory().roles()) {
            Optional<Role> role = roles.getRole(expected.remoteId(), false);
            softly.assertThat(role).as("role %s", expected.remoteId()).isPresent();
            role.ifPresent(r -> {
                assertRoleMapped(softly, r, expected);
                assertAssignments(softly, r, expected);
            });
        }
        softly.assertAll();
    }

    @Test
    public void unknownRoleIsEmpty() {
        assumeDeclares(Capability.ROLES);
        assertThat(roles(connector()).getRole(UNKNOWN_ID, false)).isEmpty();
    }

    /** Compares a reported role with the expected one, field by field, assignments aside. */
    protected final void assertRoleMapped(SoftAssertions softly, Role role, Role expected) {
        String id = expected.remoteId();
        softly.assertThat(role.remoteId()).as("remoteId").isEqualTo(id);
        softly.assertThat(role.name()).as("name of %s", id).isEqualTo(expected.name());
        softly.assertThat(role.description()).as("description of %s", id).isEqualTo(expected.description());
        softly.assertThat(role.privileged()).as("privileged of %s", id).isEqualTo(expected.privileged());
        softly.assertThat(role.scope()).as("scope of %s", id).isEqualTo(expected.scope());
        softly.assertThat(role.permissions())
                .as("permissions of %s", id)
                .containsExactlyInAnyOrderElementsOf(expected.permissions());
        softly.assertThat(role.createdAt()).as("createdAt of %s", id).isEqualTo(expected.createdAt());
        softly.assertThat(role.updatedAt()).as("updatedAt of %s", id).isEqualTo(expected.updatedAt());
    }

    private static void assertAssignments(SoftAssertions softly, Role role, Role expected) {
        String id = expected.remoteId();
        softly.assertThat(role.members()).as("members of %s (asked for)", id).isNotNull();
        softly.assertThat(role.groups()).as("groups of %s (asked for)", id).isNotNull();
        if (role.members() != null) {
            softly.assertThat(role.members().stream().map(MemberRef::remoteId).toList())
                    .as("member ids of %s", id)
                    .containsExactlyInAnyOrderElementsOf(
                            expected.members().stream().map(MemberRef::remoteId).toList());
        }
        if (role.groups() != null) {
            softly.assertThat(role.groups().stream().map(GroupRef::remoteId).toList())
                    .as("group ids of %s", id)
                    .containsExactlyInAnyOrderElementsOf(
                            expected.groups().stream().map(GroupRef::remoteId).toList());
        }
    }

    @Test
    public void noSecretReachesALogLineOrAnErrorMessage() {
        for (Credentials credentials : Credentials.values()) {
            walk(connector(credentials));
        }
        Connector connector = connector();
        upstream().rateLimitNext(Duration.ofSeconds(7));
        walk(connector);
        upstream().serverErrorNext();
        walk(connector);
        assertNoSecretLeaked();
    }

    private void walk(Connector connector) {
        Set<Capability> declared = factory().descriptor().capabilities();
        if (declared.contains(Capability.CREDENTIAL_VALIDATION)) {
            failureOf(() -> validate(connector));
        }
        if (declared.contains(Capability.USERS)) {
            UserDirectory users = connector.require(Capability.USERS, UserDirectory.class);
            failureOf(() -> users.listUsers(UserQuery.all(2, true)));
            failureOf(() -> users.getUser(UNKNOWN_ID, false));
        }
        if (declared.contains(Capability.GROUPS)) {
            GroupDirectory groups = connector.require(Capability.GROUPS, GroupDirectory.class);
            failureOf(() -> groups.listGroups(GroupQuery.all(2)));
        }
        if (declared.contains(Capability.HEALTH_PROBE)) {
            HealthProbe probe = connector.require(Capability.HEALTH_PROBE, HealthProbe.class);
            failureOf(() -> reports.add(String.valueOf(probe.probe())));
        }
    }

    /**
     * Asserts that none of the secrets the test's double and configurations know, nor a credential the double
     * received, appears in what the test's connectors logged, threw or reported.
     */
    protected final void assertNoSecretLeaked() {
        Set<String> secrets = new LinkedHashSet<>(upstream().secrets());
        configs.forEach(config -> secrets.addAll(config.secretValues()));
        for (KitRequest request : upstream().requests()) {
            for (String value : request.header("Authorization")) {
                secrets.add(value);
                int space = value.indexOf(' ');
                if (space > 0) {
                    secrets.add(value.substring(space + 1).strip());
                }
            }
        }
        secrets.removeIf(s -> s == null || s.strip().length() < SHORTEST_SECRET);
        Map<String, String> texts = new LinkedHashMap<>();
        List<String> lines = log.lines();
        for (int i = 0; i < lines.size(); i++) {
            texts.put("log line " + (i + 1), lines.get(i));
        }
        for (int i = 0; i < failures.size(); i++) {
            int depth = 0;
            for (Throwable t = failures.get(i); t != null && depth < 20; t = t.getCause(), depth++) {
                String where = "failure " + (i + 1) + (depth == 0 ? "" : " cause " + depth);
                texts.put(where + " message", String.valueOf(t.getMessage()));
                texts.put(where + " toString", String.valueOf(t));
                if (t instanceof ConnectorException e) {
                    texts.put(where + " message code", e.messageCode());
                    e.params().forEach((name, value) -> texts.put(where + " param " + name, value));
                }
            }
        }
        for (int i = 0; i < reports.size(); i++) {
            texts.put("validation or probe report " + (i + 1), reports.get(i));
        }
        for (int i = 0; i < configs.size(); i++) {
            texts.put("toString of configuration " + (i + 1), String.valueOf(configs.get(i)));
        }
        for (int i = 0; i < connectors.size(); i++) {
            texts.put("toString of connector " + (i + 1), String.valueOf(connectors.get(i)));
        }
        SoftAssertions softly = new SoftAssertions();
        texts.forEach((where, text) -> {
            for (String secret : secrets) {
                softly.assertThat(text != null && text.contains(secret))
                        .as("%s holds a secret (%s…): %s", where, secret.substring(0, 3), text)
                        .isFalse();
            }
        });
        softly.assertAll();
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

    protected final UserDirectory users(Connector connector) {
        assumeDeclares(Capability.USERS);
        return connector.require(Capability.USERS, UserDirectory.class);
    }

    protected final RoleDirectory roles(Connector connector) {
        return connector.require(Capability.ROLES, RoleDirectory.class);
    }

    protected final GroupDirectory groups(Connector connector) {
        assumeDeclares(Capability.GROUPS);
        return connector.require(Capability.GROUPS, GroupDirectory.class);
    }

    protected static CredentialValidator validator(Connector connector) {
        return connector.require(Capability.CREDENTIAL_VALIDATION, CredentialValidator.class);
    }

    /** The call fails {@link ErrorCode#INVALID_CREDENTIALS} with a message. */
    protected final ConnectorException assertInvalidCredentials(Runnable call) {
        ConnectorException e = failureOf(call);
        assertThat(e).as("the call with bad credentials").isNotNull();
        assertThat(e.code()).as("code of %s", e).isEqualTo(ErrorCode.INVALID_CREDENTIALS);
        assertThat(e.getMessage()).as("message").isNotBlank();
        return e;
    }

    /** As {@link #assertInvalidCredentials}, and names the secret field to fix, so the form can point at it. */
    protected final void assertInvalidCredentialsOnAField(Runnable call) {
        ConnectorException e = assertInvalidCredentials(call);
        if (configFor(upstream(), Credentials.VALID).authorization().isPresent()) {
            // An OAuth or service-account kind: the platform holds the secrets, so no field of the form is to blame.
            assertThat(e.field())
                    .as("field of %s (the platform holds OAuth secrets)", e)
                    .isEmpty();
            return;
        }
        Set<String> secretFields = factory().descriptor().fields().stream()
                .filter(CredentialField::secret)
                .map(CredentialField::key)
                .collect(Collectors.toSet());
        assertThat(e.field())
                .as("field of %s", e)
                .hasValueSatisfying(f -> assertThat(f).isIn(secretFields));
    }

    private void assertRateLimited(Runnable call, String what) {
        Duration asked = Duration.ofSeconds(7);
        upstream().rateLimitNext(asked);
        ConnectorException e = failureOf(call);
        assertThat(e).as("%s while the upstream throttles", what).isNotNull();
        assertThat(e.code()).as("code of %s", e).isEqualTo(ErrorCode.RATE_LIMITED);
        Duration tolerance = retryAfterTolerance();
        assertThat(e.retryAfter())
                .as("retryAfter of %s", e)
                .hasValueSatisfying(d -> assertThat(d).isBetween(asked.minus(tolerance), asked.plus(tolerance)));
    }

    /** Compares a reported user with the expected one, field by field. */
    protected final void assertUserMapped(SoftAssertions softly, User user, User expected) {
        String id = expected.remoteId();
        softly.assertThat(user.remoteId()).as("remoteId").isEqualTo(id);
        softly.assertThat(user.username()).as("username of %s", id).isEqualTo(expected.username());
        softly.assertThat(user.name()).as("name of %s", id).isEqualTo(expected.name());
        softly.assertThat(user.firstName()).as("firstName of %s", id).isEqualTo(expected.firstName());
        softly.assertThat(user.lastName()).as("lastName of %s", id).isEqualTo(expected.lastName());
        softly.assertThat(user.primaryEmailAddress())
                .as("primaryEmailAddress of %s", id)
                .isEqualTo(expected.primaryEmailAddress());
        softly.assertThat(user.emails())
                .as("emails of %s (an empty type maps to null)", id)
                .containsExactlyInAnyOrderElementsOf(expected.emails());
        softly.assertThat(user.status().value())
                .as("status of %s", id)
                .isEqualTo(expected.status().value());
        softly.assertThat(user.status().sourceValue())
                .as("status source value of %s", id)
                .isEqualTo(expected.status().sourceValue());
        softly.assertThat(user.groups().stream().map(GroupRef::remoteId).toList())
                .as("group refs of %s", id)
                .containsExactlyInAnyOrderElementsOf(
                        expected.groups().stream().map(GroupRef::remoteId).toList());
        Map<String, GroupRef> expectedRefs = byId(expected.groups(), GroupRef::remoteId);
        for (GroupRef ref : user.groups()) {
            GroupRef expectedRef = expectedRefs.get(ref.remoteId());
            if (expectedRef != null) {
                softly.assertThat(ref.name())
                        .as("name of group ref %s of %s", ref.remoteId(), id)
                        .isEqualTo(expectedRef.name());
            }
        }
        for (GroupRef ref : user.groups()) {
            GroupRef expectedRef = expectedRefs.get(ref.remoteId());
            if (expectedRef != null) {
                softly.assertThat(ref.privileged())
                        .as("privilege mark of group ref %s of %s", ref.remoteId(), id)
                        .isEqualTo(expectedRef.privileged());
            }
        }
        softly.assertThat(user.roles())
                .as("roles of %s (id, name and privilege mark)", id)
                .containsExactlyInAnyOrderElementsOf(expected.roles());
        softly.assertThat(user.type()).as("type of %s", id).isEqualTo(expected.type());
        softly.assertThat(user.privileged()).as("privileged of %s", id).isEqualTo(expected.privileged());
        softly.assertThat(user.mfa()).as("mfa of %s", id).isEqualTo(expected.mfa());
        softly.assertThat(user.lastLoginAt()).as("lastLoginAt of %s", id).isEqualTo(expected.lastLoginAt());
        softly.assertThat(user.title()).as("title of %s", id).isEqualTo(expected.title());
        softly.assertThat(user.department()).as("department of %s", id).isEqualTo(expected.department());
        softly.assertThat(user.managerRemoteId())
                .as("managerRemoteId of %s", id)
                .isEqualTo(expected.managerRemoteId());
        softly.assertThat(user.createdAt()).as("createdAt of %s", id).isEqualTo(expected.createdAt());
        softly.assertThat(user.updatedAt()).as("updatedAt of %s", id).isEqualTo(expected.updatedAt());
        softly.assertThat(user.isBotUser()).as("isBotUser of %s", id).isEqualTo(expected.isBotUser());
    }

    /** Compares a reported group, asked for with members, with the expected one. */
    protected final void assertGroupMapped(SoftAssertions softly, Group group, Group expected) {
        String id = expected.remoteId();
        softly.assertThat(group.remoteId()).as("remoteId").isEqualTo(id);
        softly.assertThat(group.name()).as("name of %s", id).isEqualTo(expected.name());
        List<String> memberIds = directory().memberIds(id);
        softly.assertThat(group.members()).as("members of %s (asked for)", id).isNotNull();
        if (group.members() != null) {
            softly.assertThat(group.members().stream().map(MemberRef::remoteId).toList())
                    .as("member ids of %s", id)
                    .containsExactlyInAnyOrderElementsOf(memberIds);
            for (MemberRef member : group.members()) {
                if (member.username() != null) {
                    directory()
                            .user(member.remoteId())
                            .ifPresent(user -> softly.assertThat(member.username())
                                    .as("username of member %s of %s", member.remoteId(), id)
                                    .isEqualTo(user.username()));
                }
            }
        }
        softly.assertThat(group.memberCount()).as("memberCount of %s", id).isEqualTo(memberIds.size());
        softly.assertThat(group.privileged()).as("privileged of %s", id).isEqualTo(expected.privileged());
        softly.assertThat(group.createdAt()).as("createdAt of %s", id).isEqualTo(expected.createdAt());
        softly.assertThat(group.updatedAt()).as("updatedAt of %s", id).isEqualTo(expected.updatedAt());
    }

    private static <T> Map<String, T> byId(List<T> records, Function<T, String> id) {
        return records.stream().collect(Collectors.toMap(id, r -> r, (a, b) -> a));
    }
}
