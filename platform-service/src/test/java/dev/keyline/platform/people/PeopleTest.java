package dev.keyline.platform.people;

import static dev.keyline.platform.support.TestApi.as;
import static dev.keyline.platform.support.TestApi.awaitSync;
import static dev.keyline.platform.support.TestApi.linkOnePassword;
import static dev.keyline.platform.support.TestApi.newTenant;
import static dev.keyline.platform.support.TestApi.startSync;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.keyline.connector.model.Email;
import dev.keyline.connector.model.Mfa;
import dev.keyline.connector.model.StatusValue;
import dev.keyline.connector.model.User;
import dev.keyline.connector.model.UserStatus;
import dev.keyline.connector.model.UserType;
import dev.keyline.connector.model.UserTypeValue;
import dev.keyline.platform.directory.IamIds;
import dev.keyline.platform.support.Csv;
import dev.keyline.platform.support.EmbeddedPostgresResource;
import dev.keyline.platform.support.MongoServerResource;
import dev.keyline.platform.support.ReviewDirectoryConnectorFactory;
import dev.keyline.platform.support.ReviewDirectoryConnectorFactory.Directory;
import dev.keyline.platform.support.TestApi.CreatedTenant;
import dev.keyline.platform.support.TestAuthResource;
import dev.keyline.scimdouble.ScimEmail;
import dev.keyline.scimdouble.ScimUpstream;
import dev.keyline.scimdouble.ScimUser;
import dev.keyline.scimdouble.UrlForm;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * People across two providers of one origin owner: a review-test directory and a 1Password bridge double, with a
 * person in both under different case, a googlemail alias, people in one only and a service account without an
 * address.
 */
@QuarkusTest
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestAuthResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = MongoServerResource.class, restrictToAnnotatedClass = false)
class PeopleTest {
    private static final Instant ANN_LOGIN = Instant.parse("2026-11-20T08:00:00Z");

    private final List<ScimUpstream> upstreams = new ArrayList<>();

    @AfterEach
    void stopUpstreams() {
        upstreams.forEach(ScimUpstream::close);
    }

    /** The scenario: both accounts linked, only the 1Password one synced yet. */
    private record Owner(
            CreatedTenant tenant, String owner, Directory review, String reviewAccount, String opAccount) {}

    private Owner linkBoth() {
        CreatedTenant tenant = newTenant();
        String owner = "org-" + UUID.randomUUID();
        String name = "people-" + UUID.randomUUID();
        Directory review = ReviewDirectoryConnectorFactory.create(name);
        review.users.add(user("r-ann", "Ann.Lee@Example.com", "Ann Lee")
                .privileged(true)
                .mfa(new Mfa(true, List.of("totp")))
                .lastLoginAt(ANN_LOGIN)
                .type(new UserType(UserTypeValue.MEMBER, "Member"))
                .build());
        review.users.add(user("r-bob", "bob@googlemail.com", "Bob Ray")
                .mfa(new Mfa(false, null))
                .privileged(false)
                .build());
        review.users.add(user("r-carol", "carol@example.com", "Carol Only").build());
        review.users.add(User.builder("r-svc")
                .username("deploy-bot")
                .name("Deploy Bot")
                .status(new UserStatus(StatusValue.ENABLED, "active"))
                .type(new UserType(UserTypeValue.SERVICE, "service"))
                .build());
        review.users.add(user("r-dave", "dave@example.com", "Dave Gone").build());
        review.users.add(user("r-erin", "erin@example.com", "Erin Off").build());

        ScimUpstream upstream = ScimUpstream.builder()
                .users(0)
                .groups(0)
                .seed(3)
                .urlForms(UrlForm.BRIDGE)
                .token("people-token-" + UUID.randomUUID())
                .start();
        upstreams.add(upstream);
        scimUser(upstream, "Ann", "Lee", "ann.lee@example.com");
        scimUser(upstream, "Bob", "Ray", "bob@gmail.com");
        scimUser(upstream, "Dave", "Gone", "dave@example.com");
        scimUser(upstream, "Erin", "Off", "erin@example.com");
        scimUser(upstream, "=Frank", "Formula", "frank@example.com");

        String reviewAccount = as(tenant.apiKey())
                .body(Map.of(
                        "origin_owner_id",
                        owner,
                        "origin_owner_name",
                        "Org",
                        "provider",
                        ReviewDirectoryConnectorFactory.ID,
                        "credentials",
                        ReviewDirectoryConnectorFactory.credentials(name)))
                .post("/accounts")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        String opAccount = linkOnePassword(tenant, owner, upstream);
        sync(tenant, opAccount);
        return new Owner(tenant, owner, review, reviewAccount, opAccount);
    }

    @Test
    void peopleAreCorrelatedAcrossProvidersWithSummariesUnmatchedAndRemovals() {
        Owner o = linkBoth();
        CreatedTenant tenant = o.tenant();

        // One account never synced: no partial view, and the problem names it.
        as(tenant.apiKey())
                .get("/v1/people?origin_owner_id=" + o.owner())
                .then()
                .statusCode(409)
                .body("code", equalTo("not_synced"))
                .body("accounts.size()", equalTo(1))
                .body("accounts[0].id", equalTo(o.reviewAccount()))
                .body("accounts[0].provider", equalTo(ReviewDirectoryConnectorFactory.ID));
        as(tenant.apiKey())
                .get("/v1/snapshot?scope=owner&origin_owner_id=" + o.owner())
                .then()
                .statusCode(409)
                .body("accounts[0].id", equalTo(o.reviewAccount()));

        sync(tenant, o.reviewAccount());
        Instant lastReview = Instant.now();
        o.review().users.removeIf(u -> u.remoteId().equals("r-dave"));
        o.review()
                .users
                .replaceAll(u -> u.remoteId().equals("r-erin")
                        ? u.toBuilder()
                                .status(new UserStatus(StatusValue.DISABLED, "suspended"))
                                .build()
                        : u);
        sync(tenant, o.reviewAccount());

        List<Map<String, Object>> people = all(tenant, o.owner(), true, 1);
        Map<String, Map<String, Object>> byName = new HashMap<>();
        people.forEach(p -> byName.put(((String) p.get("primary_email_address")).toLowerCase(), p));
        assertThat(byName)
                .containsOnlyKeys("ann.lee@example.com", "bob@googlemail.com", "dave@example.com", "erin@example.com");
        assertThat(people).extracting(p -> (String) p.get("id")).isSorted().doesNotHaveDuplicates();

        Map<String, Object> ann = byName.get("ann.lee@example.com");
        assertThat(ann.get("matched")).isEqualTo(true);
        assertThat(ann.get("name")).isEqualTo("Ann Lee");
        assertThat(ann.get("emails")).isEqualTo(List.of("ann.lee@example.com"));
        assertThat(ann.get("is_privileged_anywhere")).isEqualTo(true);
        assertThat(ann.get("mfa_everywhere"))
                .as("1Password's SCIM does not say")
                .isNull();
        assertThat(ann.get("last_login_at")).isEqualTo(ANN_LOGIN.toString());
        assertThat(ann.get("active_in")).isEqualTo(2);
        List<Map<String, Object>> annAccounts = accounts(ann);
        assertThat(annAccounts).extracting(a -> a.get("account_id")).containsExactly(o.reviewAccount(), o.opAccount());
        Map<String, Object> annReview = annAccounts.get(0);
        assertThat(annReview.get("provider")).isEqualTo(ReviewDirectoryConnectorFactory.ID);
        assertThat(annReview.get("user_id")).isEqualTo(IamIds.user("r-ann"));
        assertThat(annReview.get("status")).isEqualTo("enabled");
        assertThat(annReview.get("is_privileged")).isEqualTo(true);
        assertThat(annReview.get("mfa")).isEqualTo(Map.of("enrolled", true));
        assertThat(((Map<?, ?>) annReview.get("type")).get("value")).isEqualTo("member");
        assertThat(annReview.get("synced_at")).isNotNull();
        assertThat(annAccounts.get(1).get("provider")).isEqualTo("onepassword");
        assertThat((String) annAccounts.get(1).get("user_id")).startsWith("usr_");

        Map<String, Object> bob = byName.get("bob@googlemail.com");
        assertThat(bob.get("emails")).as("googlemail.com is gmail.com").isEqualTo(List.of("bob@gmail.com"));
        assertThat(bob.get("mfa_everywhere")).isEqualTo(false);
        assertThat(bob.get("is_privileged_anywhere"))
                .as("false in one, unknown in the other")
                .isNull();

        Map<String, Object> dave = byName.get("dave@example.com");
        assertThat(dave.get("active_in")).isEqualTo(1);
        assertThat(accounts(dave).get(0).get("remote_was_deleted")).isEqualTo(true);
        Map<String, Object> erin = byName.get("erin@example.com");
        assertThat(erin.get("active_in")).isEqualTo(1);
        assertThat(accounts(erin).get(0).get("status")).isEqualTo("disabled");

        // The unmatched: a person in one account only, one in the other, and the service account.
        List<Map<String, Object>> unmatched = all(tenant, o.owner(), false, 50);
        assertThat(unmatched).allSatisfy(p -> assertThat(p.get("matched")).isEqualTo(false));
        assertThat(unmatched)
                .extracting(p -> accounts(p).get(0).get("username"))
                .containsExactlyInAnyOrder("carol@example.com", "deploy-bot", "frank@example.com");
        Map<String, Object> bot = unmatched.stream()
                .filter(p -> accounts(p).get(0).get("username").equals("deploy-bot"))
                .findFirst()
                .orElseThrow();
        assertThat(bot.get("emails")).isEqualTo(List.of());
        assertThat(bot.get("primary_email_address")).isNull();

        // One person by id, matched or not; not for another tenant.
        String annId = (String) ann.get("id");
        assertThat(annId).startsWith("per_").doesNotContain("ann");
        Map<String, Object> one = as(tenant.apiKey())
                .get("/v1/people/" + annId)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getMap("");
        assertThat(one).isEqualTo(ann);
        as(tenant.apiKey())
                .get("/v1/people/" + bot.get("id"))
                .then()
                .statusCode(200)
                .body("accounts[0].username", equalTo("deploy-bot"));
        CreatedTenant other = newTenant();
        as(other.apiKey()).get("/v1/people/" + annId).then().statusCode(404);
        as(other.apiKey())
                .get("/v1/people?origin_owner_id=" + o.owner())
                .then()
                .statusCode(200)
                .body("data.size()", equalTo(0));
        as(tenant.apiKey()).get("/v1/people/per_" + "0".repeat(48)).then().statusCode(404);
        as(tenant.apiKey())
                .get("/v1/people?origin_owner_id=nobody-" + UUID.randomUUID())
                .then()
                .statusCode(200)
                .body("data.size()", equalTo(0));
        as(tenant.apiKey())
                .get("/v1/people")
                .then()
                .statusCode(400)
                .body("code", equalTo("parameter_required"))
                .body("field", equalTo("origin_owner_id"));

        // The owner snapshot, JSON: the same people, the accounts' sync times, who was removed since the review.
        Response json = as(tenant.apiKey())
                .get("/v1/snapshot?scope=owner&origin_owner_id=" + o.owner() + "&since=" + lastReview);
        json.then().statusCode(200).contentType("application/json").header("Cache-Control", "no-store");
        assertThat(json.header("Content-Disposition"))
                .matches("attachment; filename=\"keyline-owner-snapshot-\\d{8}T\\d{6}Z\\.json\"");
        JsonPath snapshot = json.jsonPath();
        assertThat(snapshot.getString("scope")).isEqualTo("owner");
        assertThat(snapshot.getList("accounts.account_id")).containsExactly(o.reviewAccount(), o.opAccount());
        assertThat(snapshot.getList("accounts.synced_at")).doesNotContainNull();
        assertThat(snapshot.getList("people.id")).containsExactlyInAnyOrderElementsOf(ids(people));
        assertThat(snapshot.getList("unmatched.id")).containsExactlyInAnyOrderElementsOf(ids(unmatched));
        List<Map<String, Object>> removed = snapshot.getList("removed");
        assertThat(removed)
                .extracting(r -> r.get("remote_id") + ":" + r.get("change"))
                .containsExactlyInAnyOrder("r-dave:deleted", "r-erin:disabled");
        assertThat(removed).allSatisfy(r -> {
            assertThat(r.get("account_id")).isEqualTo(o.reviewAccount());
            assertThat(Instant.parse((String) r.get("at"))).isAfter(lastReview);
        });
        assertThat(removed.stream().filter(r -> r.get("remote_id").equals("r-dave")))
                .allSatisfy(r -> assertThat(r.get("person_id")).isEqualTo(dave.get("id")));
        JsonPath later = as(tenant.apiKey())
                .get("/v1/snapshot?scope=owner&origin_owner_id=" + o.owner() + "&since=" + Instant.now())
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(later.getList("removed")).isEmpty();
        assertThat(as(tenant.apiKey())
                        .get("/v1/snapshot?scope=owner&origin_owner_id=" + o.owner())
                        .then()
                        .statusCode(200)
                        .extract()
                        .jsonPath()
                        .getList("removed"))
                .isNull();

        // CSV: one row per (person, account), defused, with the removals marked.
        Response csv = as(tenant.apiKey())
                .get("/v1/snapshot?scope=owner&format=csv&origin_owner_id=" + o.owner() + "&since=" + lastReview);
        csv.then().statusCode(200);
        assertThat(csv.contentType()).startsWith("text/csv");
        List<List<String>> rows = Csv.parse(new String(csv.asByteArray(), StandardCharsets.UTF_8));
        assertThat(rows.get(0)).isEqualTo(OwnerSnapshotCsv.COLUMNS);
        assertThat(rows).hasSize(1 + 2 * 4 + 3);
        int remoteId = OwnerSnapshotCsv.COLUMNS.indexOf("remote_id");
        int removedColumn = OwnerSnapshotCsv.COLUMNS.indexOf("removed");
        int personName = OwnerSnapshotCsv.COLUMNS.indexOf("person_name");
        Map<String, List<String>> byRemote = new HashMap<>();
        rows.subList(1, rows.size()).forEach(r -> byRemote.put(r.get(remoteId), r));
        assertThat(byRemote.get("r-dave").get(removedColumn)).isEqualTo("deleted");
        assertThat(byRemote.get("r-erin").get(removedColumn)).isEqualTo("disabled");
        assertThat(byRemote.get("r-ann").get(removedColumn)).isEmpty();
        assertThat(rows.stream().filter(r -> r.get(personName).contains("Frank")))
                .singleElement()
                .satisfies(r -> assertThat(r.get(personName)).isEqualTo("'=Frank Formula"));

        // Bad input.
        as(tenant.apiKey())
                .get("/v1/snapshot?scope=tenant&origin_owner_id=" + o.owner())
                .then()
                .statusCode(400)
                .body("field", equalTo("scope"));
        as(tenant.apiKey())
                .get("/v1/snapshot?origin_owner_id=" + o.owner())
                .then()
                .statusCode(400)
                .body("code", equalTo("parameter_required"));
        as(tenant.apiKey())
                .get("/v1/snapshot?scope=owner&origin_owner_id=" + o.owner() + "&since=yesterday")
                .then()
                .statusCode(400)
                .body("field", equalTo("since"));
        as(tenant.apiKey())
                .get("/v1/people?origin_owner_id=" + o.owner() + "&cursor=forged")
                .then()
                .statusCode(400)
                .body("code", equalTo("invalid_cursor"));
    }

    private static List<String> ids(List<Map<String, Object>> people) {
        return people.stream().map(p -> (String) p.get("id")).toList();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> accounts(Map<String, Object> person) {
        return (List<Map<String, Object>>) person.get("accounts");
    }

    /** Every page, following `next`, checking no page is longer than asked. */
    private static List<Map<String, Object>> all(CreatedTenant tenant, String owner, boolean matched, int size) {
        List<Map<String, Object>> all = new ArrayList<>();
        String next = null;
        for (int pages = 0; pages < 100; pages++) {
            var request = as(tenant.apiKey())
                    .queryParam("origin_owner_id", owner)
                    .queryParam("matched", matched)
                    .queryParam("page_size", size);
            if (next != null) {
                request.queryParam("cursor", next);
            }
            JsonPath page =
                    request.get("/v1/people").then().statusCode(200).extract().jsonPath();
            List<Map<String, Object>> data = page.getList("data");
            assertThat(data.size()).isLessThanOrEqualTo(size);
            all.addAll(data);
            next = page.getString("next");
            if (next == null) {
                return all;
            }
        }
        throw new AssertionError("the listing did not end");
    }

    private static void sync(CreatedTenant tenant, String accountId) {
        JsonPath run = awaitSync(tenant, accountId, startSync(tenant, accountId));
        assertThat(run.getString("state")).isEqualTo("succeeded");
    }

    private static User.Builder user(String remoteId, String email, String name) {
        return User.builder(remoteId)
                .username(email)
                .name(name)
                .primaryEmailAddress(email)
                .emails(List.of(new Email(email, "work", true)))
                .status(new UserStatus(StatusValue.ENABLED, "active"));
    }

    private static void scimUser(ScimUpstream upstream, String given, String family, String email) {
        ScimUser added = upstream.directory().addUser(given, family);
        upstream.directory()
                .updateUser(
                        added.id(), u -> u.withUserName(email).withEmails(List.of(new ScimEmail(email, "work", true))));
    }
}
