package dev.keyline.platform.sync;

import static dev.keyline.platform.support.TestApi.as;
import static dev.keyline.platform.support.TestApi.linkOnePassword;
import static dev.keyline.platform.support.TestApi.newTenant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.keyline.platform.directory.IamIds;
import dev.keyline.platform.support.Csv;
import dev.keyline.platform.support.EmbeddedPostgresResource;
import dev.keyline.platform.support.MongoServerResource;
import dev.keyline.platform.support.TestApi.CreatedTenant;
import dev.keyline.platform.support.TestAuthResource;
import dev.keyline.platform.sync.SyncRun.Trigger;
import dev.keyline.scimdouble.ScimUpstream;
import dev.keyline.scimdouble.ScimUser;
import dev.keyline.scimdouble.UrlForm;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** GET /accounts/{id}/snapshot: the whole synced directory as JSON or RFC 4180 CSV. */
@QuarkusTest
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestAuthResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = MongoServerResource.class, restrictToAnnotatedClass = false)
class SnapshotTest {

    @Inject
    SyncEngine engine;

    private final List<ScimUpstream> upstreams = new ArrayList<>();

    @AfterEach
    void stopUpstreams() {
        upstreams.forEach(ScimUpstream::close);
    }

    @Test
    void theSnapshotHoldsEveryUserAndGroupAsJsonAndAsEscapedCsv() {
        ScimUpstream upstream = ScimUpstream.builder()
                .users(1100)
                .groups(4)
                .membershipsPerUser(2)
                .seed(9)
                .urlForms(UrlForm.BRIDGE)
                .token("snapshot-token-0123456789")
                .start();
        upstreams.add(upstream);
        CreatedTenant tenant = newTenant();
        String accountId = linkOnePassword(tenant, "org-snapshot", upstream);
        String path = "/accounts/" + accountId + "/snapshot";
        as(tenant.apiKey()).get(path).then().statusCode(409).body("code", equalTo("not_synced"));

        ScimUser formula = upstream.directory().addUser("=HYPERLINK(\"http://x\")", "Smith, \"Jr\"\nSecond line");
        ScimUser plus = upstream.directory().addUser("+1", "@home");
        engine.runNow(tenant.id(), accountId, Trigger.MANUAL);
        ScimUser gone = upstream.directory().users().get(3);
        upstream.directory().removeUser(gone.id());
        SyncRun second = engine.runNow(tenant.id(), accountId, Trigger.MANUAL);
        assertThat(second.counts().deleted()).isEqualTo(1);

        // JSON
        Response json = as(tenant.apiKey()).get(path + "?format=json");
        json.then().statusCode(200).contentType("application/json");
        Instant syncedAt = Instant.parse(json.header(SnapshotResource.SYNCED_AT_HEADER));
        assertThat(syncedAt).isAfterOrEqualTo(second.startedAt());
        assertThat(json.header("Content-Disposition"))
                .matches("attachment; filename=\"keyline-" + accountId + "-snapshot-\\d{8}T\\d{6}Z\\.json\"");
        JsonPath body = json.jsonPath();
        assertThat(body.getString("account_id")).isEqualTo(accountId);
        assertThat(Instant.parse(body.getString("synced_at"))).isEqualTo(syncedAt);
        assertThat(body.getList("users")).hasSize(1100 + 2 - 1);
        assertThat(body.getList("groups")).hasSize(4);
        assertThat(body.getList("users.id", String.class)).doesNotContain(IamIds.user(gone.id()));
        Map<String, Object> someone = body.getMap("users.find { it.remote_id == '" + formula.id() + "' }");
        String formulaName = (String) someone.get("name");
        assertThat(formulaName).startsWith("=HYPERLINK");
        assertThat(someone.get("status")).isInstanceOf(Map.class);
        int members = body.getList("groups.members.flatten()").size();
        int memberships = body.getList("users.groups.flatten()").size();
        assertThat(members).as("membership both ways").isEqualTo(memberships).isPositive();

        JsonPath withDeleted = as(tenant.apiKey())
                .get(path + "?include_deleted=true")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(withDeleted.getList("users")).hasSize(1100 + 2);
        assertThat(withDeleted.getBoolean("users.find { it.remote_id == '" + gone.id() + "' }.remote_was_deleted"))
                .isTrue();

        // CSV
        Response csv = as(tenant.apiKey()).get(path + "?format=csv");
        csv.then().statusCode(200);
        assertThat(csv.contentType()).startsWith("text/csv");
        assertThat(csv.header("Content-Disposition")).endsWith(".csv\"");
        assertThat(csv.header(SnapshotResource.SYNCED_AT_HEADER)).isEqualTo(syncedAt.toString());
        String text = new String(csv.asByteArray(), StandardCharsets.UTF_8);
        assertThat(text).endsWith("\r\n");
        List<List<String>> rows = Csv.parse(text);
        assertThat(rows.get(0)).isEqualTo(Snapshot.CSV_COLUMNS);
        assertThat(rows.subList(1, rows.size())).allSatisfy(r -> assertThat(r).hasSize(Snapshot.CSV_COLUMNS.size()));
        Map<String, List<String>> byRemoteId = new HashMap<>();
        rows.subList(1, rows.size()).forEach(r -> byRemoteId.put(r.get(0) + ":" + r.get(2), r));
        assertThat(rows).hasSize(1 + 1100 + 2 - 1 + 4);
        List<String> f = byRemoteId.get("user:" + formula.id());
        int name = Snapshot.CSV_COLUMNS.indexOf("name");
        int firstName = Snapshot.CSV_COLUMNS.indexOf("first_name");
        int lastName = Snapshot.CSV_COLUMNS.indexOf("last_name");
        assertThat(f.get(firstName)).as("a formula stays text").isEqualTo("'=HYPERLINK(\"http://x\")");
        assertThat(f.get(lastName)).isEqualTo("Smith, \"Jr\"\nSecond line");
        assertThat(f.get(name)).isEqualTo("'" + formulaName);
        List<String> p = byRemoteId.get("user:" + plus.id());
        assertThat(p.get(firstName)).isEqualTo("'+1");
        assertThat(p.get(lastName)).isEqualTo("'@home");
        assertThat(text).contains("\"'=HYPERLINK(\"\"http://x\"\")\"");
        List<String> group =
                rows.stream().filter(r -> r.get(0).equals("group")).findFirst().orElseThrow();
        assertThat(group.get(Snapshot.CSV_COLUMNS.indexOf("member_ids"))).contains(Snapshot.MULTI_VALUE_SEPARATOR);
        assertThat(byRemoteId).doesNotContainKey("user:" + gone.id());

        // Bad input, and other tenants.
        as(tenant.apiKey())
                .get(path + "?format=xml")
                .then()
                .statusCode(400)
                .body("code", equalTo("invalid_parameter"))
                .body("field", equalTo("format"));
        as(tenant.apiKey()).get(path + "?include_deleted=maybe").then().statusCode(400);
        as(newTenant().apiKey()).get(path).then().statusCode(404);
    }

    @Test
    void csvCellsAreQuotedAndDefusedPerRfc4180() {
        assertThat(Snapshot.cell(null)).isEqualTo("\"\"");
        assertThat(Snapshot.cell("plain")).isEqualTo("\"plain\"");
        assertThat(Snapshot.cell("a,b")).isEqualTo("\"a,b\"");
        assertThat(Snapshot.cell("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
        assertThat(Snapshot.cell("two\r\nlines")).isEqualTo("\"two\r\nlines\"");
        assertThat(Snapshot.cell("=1+1")).isEqualTo("\"'=1+1\"");
        assertThat(Snapshot.cell("-2")).isEqualTo("\"'-2\"");
        assertThat(Snapshot.cell("@SUM(A1)")).isEqualTo("\"'@SUM(A1)\"");
        assertThat(Snapshot.cell("\tx")).isEqualTo("\"'\tx\"");
        assertThat(Snapshot.cell("=A1,B1")).isEqualTo("\"'=A1,B1\"");
        assertThat(Snapshot.cell("a=b")).isEqualTo("\"a=b\"");
    }
}
