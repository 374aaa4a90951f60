package dev.keyline.connector.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.keyline.connector.model.Group;
import dev.keyline.connector.model.StatusValue;
import dev.keyline.connector.model.User;
import dev.keyline.connector.model.UserStatus;
import dev.keyline.connector.spi.Capability;
import dev.keyline.connector.spi.Connector;
import dev.keyline.connector.spi.ConnectorConfig;
import dev.keyline.connector.spi.GroupDirectory;
import dev.keyline.connector.spi.GroupQuery;
import dev.keyline.connector.spi.Page;
import dev.keyline.connector.spi.PositionalPaging;
import dev.keyline.connector.spi.UserDirectory;
import dev.keyline.connector.spi.UserQuery;
import dev.keyline.scimdouble.Quirk;
import dev.keyline.scimdouble.RecordedRequest;
import dev.keyline.scimdouble.ScimUpstream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The conformance kit for SCIM connectors: every check of {@link ConnectorConformanceTest} against the SCIM
 * double ({@link ScimUpstream}), plus the SCIM-only ones: a validation asks for tiny pages, a token answered 403
 * is a credential problem, groups listed without members still come with them, and predicted positional pages
 * are the pages the cursors lead to. A connector's test says which connector it is and how to point it at the
 * upstream with a bearer token:
 *
 * <pre>{@code
 * class OnePasswordHostedConformanceTest extends ScimConformanceTest {
 *     protected String connectorId() { return "onepassword"; }
 *     protected ScimUpstream.Builder upstreamBuilder() { return super.upstreamBuilder().urlForms(UrlForm.HOSTED); }
 *     protected ConnectorConfig configFor(ScimUpstream upstream, String token) {
 *         return new ConnectorConfig(Map.of("scim_url", upstream.hostedBaseUrl(), "bearer_token", token),
 *                 Set.of("bearer_token"));
 *     }
 * }
 * }</pre>
 *
 * <p>The directory served is {@link #expectedDirectory()} as SCIM records, with the status source value
 * {@code "true"} or {@code "false"} of {@code active}.
 */
public abstract class ScimConformanceTest extends ConnectorConformanceTest {

    /** A configuration that points the connector at {@code upstream} with this bearer token. */
    protected abstract ConnectorConfig configFor(ScimUpstream upstream, String token);

    /**
     * The upstream each test runs against. Override to add quirks or restrict the URL form, starting from
     * {@code super.upstreamBuilder()}; its records come from {@link #expectedDirectory()}, so its sizes and seed
     * are ignored.
     */
    protected ScimUpstream.Builder upstreamBuilder() {
        return ScimUpstream.builder();
    }

    /** The largest {@code count} a validation's listing request may ask for. */
    protected int validationMaxCount() {
        return 1;
    }

    /**
     * The standard directory with the access-review facts SCIM can carry ({@link
     * ExpectedDirectory#withAccessReviewFacts()}) and SCIM's {@code active} as the status source value.
     */
    @Override
    protected ExpectedDirectory expectedDirectory() {
        return ExpectedDirectory.standard()
                .withAccessReviewFacts()
                .mapUsers(user -> user.toBuilder()
                        .status(new UserStatus(
                                user.status().value(),
                                String.valueOf(user.status().value() == StatusValue.ENABLED)))
                        .build());
    }

    @Override
    protected final UpstreamDouble startUpstream(ExpectedDirectory directory) {
        return ScimUpstreamDouble.start(upstreamBuilder(), directory);
    }

    @Override
    protected final ConnectorConfig configFor(UpstreamDouble upstream, Credentials credentials) {
        ScimUpstreamDouble scim = (ScimUpstreamDouble) upstream;
        return configFor(scim.scim(), scim.token(credentials));
    }

    /** The SCIM double of the running test. */
    protected final ScimUpstream scimUpstream() {
        return ((ScimUpstreamDouble) upstream()).scim();
    }

    // ---- validation ----

    @Test
    public void validationAsksForTinyPages() {
        assumeDeclares(Capability.CREDENTIAL_VALIDATION);
        Connector connector = connector();
        long mark = scimUpstream().requests().mark();
        validate(connector);
        for (RecordedRequest request : scimUpstream().requests().since(mark)) {
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
    public void wrongTokenAnsweredForbiddenFailsValidationWithInvalidCredentials() {
        assumeDeclares(Capability.CREDENTIAL_VALIDATION);
        scimUpstream().enable(Quirk.FORBIDDEN_FOR_WRONG_TOKEN);
        Connector connector = connector(Credentials.WRONG);
        assertInvalidCredentialsOnAField(() -> validate(connector));
    }

    // ---- groups ----

    @Test
    public void groupsCarryMembersWhenAskedEvenIfTheListingOmitsThem() {
        assumeDeclares(Capability.GROUPS);
        scimUpstream().enable(Quirk.GROUPS_LISTED_WITHOUT_MEMBERS);
        GroupDirectory groups = groups(connector());
        List<Group> listed = new ArrayList<>();
        groups.streamGroups(100, true, false, page -> listed.addAll(page.items()));
        assertThat(listed).as("listed groups").hasSameSizeAs(directory().groups());
        Map<String, Group> expected = directory().groups().stream().collect(Collectors.toMap(Group::remoteId, g -> g));
        SoftAssertions softly = new SoftAssertions();
        for (Group group : listed) {
            assertGroupMapped(softly, group, expected.get(group.remoteId()));
        }
        softly.assertAll();
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
}
