package dev.keyline.platform.sync;

import static dev.keyline.platform.support.TestApi.as;
import static dev.keyline.platform.support.TestApi.linkOnePassword;
import static dev.keyline.platform.support.TestApi.newTenant;
import static dev.keyline.platform.support.TestApi.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyline.platform.directory.IamDtos.PageDto;
import dev.keyline.platform.support.EmbeddedPostgresResource;
import dev.keyline.platform.support.MongoServerResource;
import dev.keyline.platform.support.TestApi.CreatedTenant;
import dev.keyline.platform.support.TestAuthResource;
import dev.keyline.platform.sync.SyncRun.State;
import dev.keyline.platform.sync.SyncRun.Trigger;
import dev.keyline.scimdouble.Endpoint;
import dev.keyline.scimdouble.Fault;
import dev.keyline.scimdouble.ScimUpstream;
import dev.keyline.scimdouble.ScimUser;
import dev.keyline.scimdouble.UrlForm;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The synced-read page cache answers exactly what the store would: a page changed behind its back in MongoDB
 * proves a hit, and every way the store's content can change (a sync succeeding, a sync failing half-way, a sync
 * running) must show the store's content again.
 */
@QuarkusTest
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestAuthResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = MongoServerResource.class, restrictToAnnotatedClass = false)
class SyncedReadCacheTest {

    @Inject
    SyncedReadCache cache;

    @Inject
    SyncEngine engine;

    @Inject
    MongoStore store;

    @Inject
    DataSource dataSource;

    @Inject
    SyncReadState states;

    private final List<ScimUpstream> upstreams = new ArrayList<>();

    @AfterEach
    void stopUpstreams() {
        upstreams.forEach(ScimUpstream::close);
    }

    @Test
    void aRepeatedPageIsServedFromTheCacheUntilASyncEnds() {
        ScimUpstream upstream = upstream(30, 2, 1);
        CreatedTenant tenant = newTenant();
        String accountId = linkOnePassword(tenant, "org-" + upstream.port(), upstream);
        assertThat(engine.runNow(tenant.id(), accountId, Trigger.MANUAL).state())
                .isEqualTo(State.SUCCEEDED);
        String first = firstUserName(tenant, accountId);
        long hits = cache.stats().get("hits");

        renameInStore(accountId, "changed-behind-the-cache");
        assertThat(firstUserName(tenant, accountId)).isEqualTo(first);
        assertThat(cache.stats().get("hits")).isEqualTo(hits + 1);

        // The upstream changes too; the next sync rewrites the record and the same query must see it at once.
        ScimUser user = upstream.directory().users().stream()
                .filter(u -> u.userName().equals(first))
                .findFirst()
                .orElseThrow();
        upstream.directory().updateUser(user.id(), u -> u.withUserName("renamed-upstream"));
        assertThat(engine.runNow(tenant.id(), accountId, Trigger.MANUAL).state())
                .isEqualTo(State.SUCCEEDED);
        assertThat(firstUserName(tenant, accountId)).isEqualTo("renamed-upstream");
    }

    @Test
    void aFailedSyncThatWroteSomePagesIsSeenAsWell() {
        ScimUpstream upstream = upstream(450, 2, 1);
        CreatedTenant tenant = newTenant();
        String accountId = linkOnePassword(tenant, "org-" + upstream.port(), upstream);
        assertThat(engine.runNow(tenant.id(), accountId, Trigger.MANUAL).state())
                .isEqualTo(State.SUCCEEDED);
        List<String> before = usernames(tenant, accountId);
        ScimUser firstUser = upstream.directory().users().get(0);
        upstream.directory().updateUser(firstUser.id(), u -> u.withUserName("aaa-written-before-the-failure"));
        upstream.inject(Fault.serverError().on(Endpoint.LIST_USERS).fromPage(2));

        SyncRun failed = engine.runNow(tenant.id(), accountId, Trigger.MANUAL);

        assertThat(failed.state()).isEqualTo(State.FAILED);
        assertThat(failed.counts().pages()).isPositive();
        assertThat(usernames(tenant, accountId))
                .contains("aaa-written-before-the-failure")
                .isNotEqualTo(before);
    }

    @Test
    void whileASyncMayBeWritingEveryReadGoesToTheStore() throws Exception {
        ScimUpstream upstream = upstream(20, 1, 1);
        CreatedTenant tenant = newTenant();
        String accountId = linkOnePassword(tenant, "org-" + upstream.port(), upstream);
        assertThat(engine.runNow(tenant.id(), accountId, Trigger.MANUAL).state())
                .isEqualTo(State.SUCCEEDED);
        String cached = firstPageBody(tenant, accountId);
        assertThat(firstPageBody(tenant, accountId)).isEqualTo(cached);

        // Another replica holds the lease: its run may write at any moment.
        sql(
                "update sync_leases set owner = 'other-replica', run_id = 'run-elsewhere',"
                        + " expires_at = now() + interval '1 minute' where account_id = ?",
                accountId);
        try {
            // Encoded afresh by the page writer: the very bytes the cache kept.
            assertThat(firstPageBody(tenant, accountId)).isEqualTo(cached);
            renameInStore(accountId, "aaa-written-by-the-other-replica");
            assertThat(firstUserName(tenant, accountId)).isEqualTo("aaa-written-by-the-other-replica");
        } finally {
            sql(
                    "update sync_leases set owner = null, run_id = null, expires_at = null where account_id = ?",
                    accountId);
        }
    }

    @Test
    void aSyncThatAnotherReplicaFinishedIsDatedByTheStoreNotByThisReplicasMemory() throws Exception {
        ScimUpstream upstream = upstream(10, 1, 1);
        CreatedTenant tenant = newTenant();
        String accountId = linkOnePassword(tenant, "org-" + upstream.port(), upstream);
        assertThat(engine.runNow(tenant.id(), accountId, Trigger.MANUAL).state())
                .isEqualTo(State.SUCCEEDED);
        String before = syncedAt(tenant, accountId);

        // Another replica's sync ends (nothing changed upstream): this replica only learns it from PostgreSQL.
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("insert into sync_runs (id, tenant_id, account_id, trigger,"
                        + " state, created_at, started_at, finished_at, confirm_deletions) values (?, ?, ?, 'manual',"
                        + " 'succeeded', now(), now(), now(), false)")) {
            s.setString(1, "syn_elsewhere_" + accountId.substring(0, 8));
            s.setString(2, tenant.id());
            s.setString(3, accountId);
            s.executeUpdate();
        }
        sql("update sync_leases set last_success_at = now() + interval '1 second' where account_id = ?", accountId);

        String after = syncedAt(tenant, accountId);
        assertThat(Instant.parse(after)).isAfter(Instant.parse(before));
    }

    @Test
    void aCachedPageNeverAnswersAnotherTenantOrAnUnlinkedAccount() throws Exception {
        ScimUpstream upstream = upstream(12, 1, 1);
        CreatedTenant tenant = newTenant();
        String accountId = linkOnePassword(tenant, "org-" + upstream.port(), upstream);
        assertThat(engine.runNow(tenant.id(), accountId, Trigger.MANUAL).state())
                .isEqualTo(State.SUCCEEDED);
        firstPage(tenant, accountId);
        long hits = cache.stats().get("hits");
        firstPage(tenant, accountId);
        assertThat(cache.stats().get("hits")).isEqualTo(hits + 1);

        // The state query confirms the account is the tenant's and linked: another tenant gets nothing of it.
        CreatedTenant other = newTenant();
        assertThat(states.fresh(tenant.id(), accountId).get(10, TimeUnit.SECONDS))
                .hasValueSatisfying(s -> assertThat(s.version()).isNotNull());
        assertThat(states.fresh(other.id(), accountId).get(10, TimeUnit.SECONDS))
                .isEmpty();
        read(other, accountId)
                .queryParam("page_size", "5")
                .get("/iam/users")
                .then()
                .statusCode(404)
                .body("code", equalTo("not_found"));

        // Unlinked by another replica: this one still holds the usable row (a live read just read it), yet the
        // synced listing is refused at once.
        read(tenant, accountId)
                .queryParam("mode", "live")
                .queryParam("page_size", "5")
                .get("/iam/users")
                .then()
                .statusCode(200);
        sql("update linked_accounts set status = 'unlinked' where id = ?", accountId);
        assertThat(states.fresh(tenant.id(), accountId).get(10, TimeUnit.SECONDS))
                .isEmpty();
        read(tenant, accountId)
                .queryParam("page_size", "5")
                .get("/iam/users")
                .then()
                .statusCode(409)
                .body("code", equalTo("account_not_active"));
    }

    @Test
    void aSyncEndingOrAnUnlinkDropsTheAccountsPagesAndTheirJson() {
        ScimUpstream upstream = upstream(8, 1, 1);
        CreatedTenant tenant = newTenant();
        String accountId = linkOnePassword(tenant, "org-" + upstream.port(), upstream);
        assertThat(engine.runNow(tenant.id(), accountId, Trigger.MANUAL).state())
                .isEqualTo(State.SUCCEEDED);
        PageDto<String> before = cache.page(
                tenant.id(), accountId, states.of(accountId), "probe", false, () -> new PageDto<>(List.of("a"), null));
        assertThat(cache.json(before)).isNotNull();

        assertThat(engine.runNow(tenant.id(), accountId, Trigger.MANUAL).state())
                .isEqualTo(State.SUCCEEDED);
        assertThat(cache.json(before)).isNull();

        PageDto<String> after = cache.page(
                tenant.id(), accountId, states.of(accountId), "probe", false, () -> new PageDto<>(List.of("b"), null));
        assertThat(cache.json(after)).isNotNull();
        as(tenant.apiKey()).delete("/accounts/" + accountId).then().statusCode(204);
        assertThat(cache.json(after)).isNull();
    }

    @Test
    void pagesAreKeyedByTenantAccountAndQueryAndTheCacheStaysWithinItsBound() {
        SyncedReadCache small =
                new SyncedReadCache(SyncedReadCacheBoundTest.config(5, Duration.ofMinutes(10)), new ObjectMapper());
        SyncReadState.State quiet = new SyncReadState.State(Optional.empty(), false, "run-1@t");
        PageDto<String> a =
                small.page("tenant-a", "acc", quiet, "q", false, () -> new PageDto<>(List.of("a1", "a2"), null));
        PageDto<String> b = small.page("tenant-b", "acc", quiet, "q", false, () -> new PageDto<>(List.of("b1"), null));
        assertThat(a.data()).containsExactly("a1", "a2");
        assertThat(b.data()).containsExactly("b1");
        assertThat(small.page("tenant-a", "acc", quiet, "q", false, () -> new PageDto<>(List.of("x"), null))
                        .data())
                .containsExactly("a1", "a2");
        assertThat(small.page("tenant-a", "acc", quiet, "other", false, () -> new PageDto<>(List.of("c"), null))
                        .data())
                .containsExactly("c");

        // A new version of the account drops its older pages; the bound evicts the least recently used.
        SyncReadState.State next = new SyncReadState.State(Optional.empty(), false, "run-2@t");
        assertThat(small.page("tenant-a", "acc", next, "q", false, () -> new PageDto<>(List.of("n1", "n2", "n3"), null))
                        .data())
                .containsExactly("n1", "n2", "n3");
        assertThat(small.stats().get("records")).isLessThanOrEqualTo(5);
        small.page("tenant-c", "acc", quiet, "q", true, () -> new PageDto<>(List.of("raw"), null));
        assertThat(small.stats().get("records")).isLessThanOrEqualTo(5);
        // A busy account and a never-ended one are never cached.
        SyncReadState.State busy = new SyncReadState.State(Optional.empty(), true, "run-2@t");
        assertThat(small.page("tenant-a", "acc", busy, "q", false, () -> new PageDto<>(List.of("live"), null))
                        .data())
                .containsExactly("live");
        SyncReadState.State none = new SyncReadState.State(Optional.empty(), false, null);
        small.page("tenant-d", "acc", none, "q", false, () -> new PageDto<>(List.of("d1"), null));
        assertThat(small.page("tenant-d", "acc", none, "q", false, () -> new PageDto<>(List.of("d2"), null))
                        .data())
                .containsExactly("d2");
    }

    private ScimUpstream upstream(int users, int groups, int memberships) {
        ScimUpstream upstream = ScimUpstream.builder()
                .users(users)
                .groups(groups)
                .membershipsPerUser(memberships)
                .seed(23)
                .urlForms(UrlForm.BRIDGE)
                .token("cache-token-" + users + "-0123456789")
                .start();
        upstreams.add(upstream);
        return upstream;
    }

    private String firstUserName(CreatedTenant tenant, String accountId) {
        JsonPath page = firstPage(tenant, accountId).jsonPath();
        assertThat(page.getString("meta.mode")).isEqualTo("synced");
        return page.getString("data[0].username");
    }

    /** The first page of five users, as a client sees it. */
    private ExtractableResponse<Response> firstPage(CreatedTenant tenant, String accountId) {
        return read(tenant, accountId)
                .queryParam("page_size", "5")
                .get("/iam/users")
                .then()
                .statusCode(200)
                .extract();
    }

    private String syncedAt(CreatedTenant tenant, String accountId) {
        return firstPage(tenant, accountId).jsonPath().getString("meta.synced_at");
    }

    private String firstPageBody(CreatedTenant tenant, String accountId) {
        return firstPage(tenant, accountId).asString();
    }

    private List<String> usernames(CreatedTenant tenant, String accountId) {
        return read(tenant, accountId)
                .queryParam("page_size", "1000")
                .get("/iam/users")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("data.username", String.class);
    }

    /** Rewrites the first user (by remote id) straight in MongoDB, as nothing in Keyline would. */
    private void renameInStore(String accountId, String username) {
        Document first = store.users()
                .find(new Document("account_id", accountId))
                .sort(new Document("remote_id", 1))
                .first();
        store.users()
                .updateOne(
                        new Document("_id", first.get("_id")),
                        new Document("$set", new Document("record.username", username)));
    }

    private void sql(String statement, String accountId) throws Exception {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(statement)) {
            s.setString(1, accountId);
            s.executeUpdate();
        }
    }
}
