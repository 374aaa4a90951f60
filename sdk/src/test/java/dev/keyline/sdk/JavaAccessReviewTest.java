package dev.keyline.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookVerificationException;
import dev.keyline.scimdouble.ScimUser;
import dev.keyline.sdk.KeylineService.Environment;
import dev.keyline.sdk.api.IamApi;
import dev.keyline.sdk.api.SyncsApi;
import dev.keyline.sdk.api.WebhooksApi;
import dev.keyline.sdk.invoker.ApiClient;
import dev.keyline.sdk.model.CreateWebhookRequest;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The access-review job a compliance developer writes with the Java SDK, against the packaged service: every call
 * goes through the generated client and the SDK's helpers, never by hand.
 */
@ExtendWith(KeylineService.class)
class JavaAccessReviewTest {
    private Environment env;
    private ApiClient client;
    private IamApi iam;
    private SyncsApi syncs;

    @BeforeEach
    void connect(Environment env) {
        this.env = env;
        this.client = Keyline.client(env.baseUrl, env.apiKey);
        this.iam = new IamApi(client);
        this.syncs = new SyncsApi(client);
    }

    @Test
    void pagingHelperListsEveryUserAcrossPages() {
        var ids = Pages.stream(
                        cursor -> iam.listUsers(IamApi.APIListUsersRequest.newBuilder()
                                .xAccountId(env.accountId)
                                .pageSize(KeylineService.PAGE_SIZE)
                                .cursor(cursor)
                                .build()),
                        page -> page.getData(),
                        page -> page.getNext())
                .map(user -> user.getRemoteId())
                .toList();

        assertThat(env.userCount()).isGreaterThan(KeylineService.PAGE_SIZE * 2);
        assertThat(ids).doesNotHaveDuplicates();
        assertThat(Set.copyOf(ids))
                .isEqualTo(env.upstream.directory().users().stream()
                        .map(ScimUser::id)
                        .collect(Collectors.toSet()));
    }

    @Test
    void filtersByStatusAndByEmail() {
        var disabled = Pages.stream(
                        cursor -> iam.listUsers(IamApi.APIListUsersRequest.newBuilder()
                                .xAccountId(env.accountId)
                                .status("disabled")
                                .pageSize(KeylineService.PAGE_SIZE)
                                .cursor(cursor)
                                .build()),
                        page -> page.getData(),
                        page -> page.getNext())
                .toList();
        assertThat(disabled).isNotEmpty();
        assertThat(disabled)
                .allSatisfy(user ->
                        assertThat(String.valueOf(user.getStatus().getValue())).isEqualTo("disabled"));
        assertThat(disabled.stream().map(user -> user.getRemoteId()).collect(Collectors.toSet()))
                .isEqualTo(env.suspendedUsers().stream().map(ScimUser::id).collect(Collectors.toSet()));

        ScimUser someone = env.upstream.directory().users().get(7);
        String email = someone.primaryEmail().orElseThrow();
        var found = Keyline.call(() -> iam.listUsers(IamApi.APIListUsersRequest.newBuilder()
                        .xAccountId(env.accountId)
                        .email(email.toUpperCase(java.util.Locale.ROOT))
                        .build()))
                .getData();
        assertThat(found).singleElement().satisfies(user -> {
            assertThat(user.getRemoteId()).isEqualTo(someone.id());
            assertThat(user.getPrimaryEmailAddress()).isEqualToIgnoringCase(email);
        });
    }

    @Test
    void listsGroupsWithTheirMembers() {
        var groups = Pages.stream(
                        cursor -> iam.listGroups(IamApi.APIListGroupsRequest.newBuilder()
                                .xAccountId(env.accountId)
                                .includeMembers(true)
                                .cursor(cursor)
                                .build()),
                        page -> page.getData(),
                        page -> page.getNext())
                .toList();

        assertThat(groups).hasSize(env.upstream.directory().groupCount());
        assertThat(groups).allSatisfy(group -> assertThat(group.getMembers()).hasSize(group.getMemberCount()));
        assertThat(groups.stream().mapToInt(group -> group.getMembers().size()).sum())
                .isEqualTo(env.membershipCount())
                .isPositive();
    }

    @Test
    void startsASyncAndWaitsForItByIdThroughItsLocation() throws Exception {
        var started = Keyline.call(() -> syncs.startSyncWithHttpInfo(
                SyncsApi.APIStartSyncRequest.newBuilder().id(env.accountId).build()));
        assertThat(started.getStatusCode()).isIn(200, 202);
        String runId = started.getData().getId();
        String location = started.getHeaders().get("location").get(0);
        assertThat(URI.create(env.baseUrl).resolve(location).getPath())
                .isEqualTo("/v1/accounts/" + env.accountId + "/syncs/" + runId);

        var finished = AccessReview.awaitSync(syncs, env.accountId, runId, Duration.ofMinutes(2));
        assertThat(String.valueOf(finished.getState())).isEqualTo("succeeded");
        assertThat(finished.getUsersSeen()).isEqualTo(env.userCount());
    }

    @Test
    void readsTheWholeChangeFeedByCursor() {
        AccessReview.syncOnce(syncs, env.accountId);
        var changes = Pages.stream(
                        cursor -> syncs.listChanges(SyncsApi.APIListChangesRequest.newBuilder()
                                .id(env.accountId)
                                .pageSize(KeylineService.PAGE_SIZE)
                                .cursor(cursor)
                                .build()),
                        page -> page.getData(),
                        page -> page.getNext())
                .toList();

        // The first sync creates every user and group of the double; later syncs of an unchanged double create nothing.
        var created = changes.stream()
                .filter(change -> String.valueOf(change.getChange()).equals("created"))
                .collect(Collectors.groupingBy(change -> String.valueOf(change.getType()), Collectors.counting()));
        assertThat(created).containsEntry("user", (long) env.userCount()).containsEntry("group", (long)
                env.upstream.directory().groupCount());
    }

    @Test
    void downloadsTheCsvSnapshot() {
        AccessReview.syncOnce(syncs, env.accountId);

        String csv = Snapshots.csv(client, env.accountId);

        List<String> lines = csv.lines().filter(line -> !line.isBlank()).toList();
        assertThat(lines.get(0)).startsWith("\"record_type\",").contains("primary_email_address");
        assertThat(lines.stream().filter(line -> line.startsWith("\"user\","))).hasSize(env.userCount());
        assertThat(lines.stream().filter(line -> line.startsWith("\"group\",")))
                .hasSize(env.upstream.directory().groupCount());
        String email = env.upstream.directory().users().get(3).primaryEmail().orElseThrow();
        assertThat(csv).containsIgnoringCase(email);
    }

    @Test
    void subscribesAWebhookAndVerifiesItsSignedDelivery() throws Exception {
        var webhooks = new WebhooksApi(client);
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            var created = Keyline.call(() -> webhooks.createWebhook(WebhooksApi.APICreateWebhookRequest.newBuilder()
                    .createWebhookRequest(new CreateWebhookRequest()
                            .url(receiver.url())
                            .events(List.of("account.recovered"))
                            .description("SDK access review"))
                    .build()));
            assertThat(created.getSecret()).startsWith("whsec_");

            Keyline.call(() -> webhooks.testWebhook(WebhooksApi.APITestWebhookRequest.newBuilder()
                    .id(created.getId())
                    .build()));
            WebhookReceiver.Received delivery = receiver.next(Duration.ofSeconds(30));

            new Webhook(created.getSecret()).verify(delivery.body(), delivery.headers());
            assertThat(new ObjectMapper().readTree(delivery.body()).path("type").asText())
                    .isEqualTo("webhook.test");
            // The same delivery with another secret, or a changed body, must not verify.
            assertThatThrownBy(() -> new Webhook(
                                    "whsec_" + java.util.Base64.getEncoder().encodeToString(new byte[32]))
                            .verify(delivery.body(), delivery.headers()))
                    .isInstanceOf(WebhookVerificationException.class);
            Map<String, List<String>> headers = new HashMap<>(delivery.headers());
            assertThatThrownBy(() -> new Webhook(created.getSecret()).verify(delivery.body() + " ", headers))
                    .isInstanceOf(WebhookVerificationException.class);
        }
    }

    @Test
    void aRefusalIsATypedProblem() {
        assertThatThrownBy(() -> Keyline.call(() -> iam.listUsers(IamApi.APIListUsersRequest.newBuilder()
                        .xAccountId(env.accountId)
                        .pageSize(0)
                        .build())))
                .isInstanceOfSatisfying(KeylineProblemException.class, problem -> {
                    assertThat(problem.status()).isEqualTo(400);
                    assertThat(problem.code()).contains("invalid_parameter");
                    assertThat(problem.field()).contains("page_size");
                    assertThat(problem.title()).isPresent();
                    assertThat(problem.requestId()).isPresent();
                });
    }
}
