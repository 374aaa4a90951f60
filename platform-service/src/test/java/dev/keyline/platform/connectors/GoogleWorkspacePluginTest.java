package dev.keyline.platform.connectors;

import static dev.keyline.platform.support.TestApi.as;
import static dev.keyline.platform.support.TestApi.awaitSync;
import static dev.keyline.platform.support.TestApi.newTenant;
import static dev.keyline.platform.support.TestApi.read;
import static dev.keyline.platform.support.TestApi.startSync;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.both;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyline.connector.tck.google.GoogleDirectoryDouble;
import dev.keyline.platform.support.DefaultPluginsProfile;
import dev.keyline.platform.support.EmbeddedPostgresResource;
import dev.keyline.platform.support.InMemoryCredentialStore;
import dev.keyline.platform.support.MongoServerResource;
import dev.keyline.platform.support.Sql;
import dev.keyline.platform.support.TestApi.CreatedTenant;
import dev.keyline.platform.support.TestAuthResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * The Google Workspace plugin as it ships, end to end through the API: loaded from the default plugins directory,
 * its real hosts ({@code oauth2.googleapis.com}, {@code admin.googleapis.com}) sent to a {@link
 * GoogleDirectoryDouble} by the operator's host overrides. A service account with domain-wide delegation is linked,
 * read live, synced, broken and reconnected; each of Google's common refusals comes back as the connector's
 * diagnosis. The test methods share the double and run one after the other; each links for a tenant of its own.
 */
@QuarkusTest
@TestProfile(GoogleWorkspacePluginTest.Google.class)
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestAuthResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = MongoServerResource.class, restrictToAnnotatedClass = false)
class GoogleWorkspacePluginTest {
    private static final String PROVIDER = "google_workspace";
    private static final String SERVICE_ACCOUNT = "keyline-reader@acme-keyline.iam.gserviceaccount.com";
    private static final String CUSTOMER = "C03az79cb";
    private static final String ADMIN = "ada@acme.example";
    private static final String SUPER_ADMIN_ROLE = "91447453409034240";
    private static final String HELP_DESK_ROLE = "91447453409034241";
    private static final Instant ADA_LOGIN = Instant.parse("2026-11-30T08:12:45Z");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> SCOPES = Set.of(
            GoogleDirectoryDouble.SCOPE_USERS, GoogleDirectoryDouble.SCOPE_GROUPS, GoogleDirectoryDouble.SCOPE_ROLES);

    /** Every access token the double issued, also those revoked since. */
    private static final Set<String> ISSUED = ConcurrentHashMap.newKeySet();

    /** The key pair whose public half the double accepts now; replaced when a test rotates the key. */
    private static KeyPair key = rsa();

    /** The double the service calls: started by {@link GoogleResource}, in the class loader of this test. */
    private static GoogleDirectoryDouble google;

    /**
     * The shipped plugins, with Google's token and API hosts sent to the double by {@link GoogleResource}. Quarkus
     * makes the profile in another class loader than the test (a static double of the profile or of the test would be
     * started twice, and the test would script the copy the service never calls); a test resource runs in the test's.
     */
    public static class Google extends DefaultPluginsProfile {
        @Override
        protected Map<String, String> hostOverrides() {
            return Map.of();
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(GoogleResource.class));
        }
    }

    /** Starts the double and adds the operator's host overrides for Google's two hosts. */
    public static class GoogleResource implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            google = directory();
            Map<String, String> config = new LinkedHashMap<>();
            for (String host : List.of("oauth2.googleapis.com", "admin.googleapis.com")) {
                config.put("keyline.egress.host-overrides.\"" + host + "\"", google.rootUrl());
            }
            return config;
        }

        @Override
        public void stop() {
            google.close();
        }
    }

    @Inject
    DataSource dataSource;

    @Inject
    InMemoryCredentialStore store;

    /** Six people, two groups, two admin roles: the customer as Google's Directory API describes it. */
    private static GoogleDirectoryDouble directory() {
        GoogleDirectoryDouble upstream = GoogleDirectoryDouble.builder()
                .customerId(CUSTOMER)
                .serviceAccount(SERVICE_ACCOUNT, key.getPublic())
                .delegatedScopes(SCOPES)
                .start();
        upstream.putUser(GoogleDirectoryDouble.user("1001", ADMIN)
                .name("Ada", "Lovelace")
                .admin(true)
                .enrolledIn2Sv(true)
                .lastLogin(ADA_LOGIN)
                .organization("Engineering", "CTO")
                .customerId(CUSTOMER)
                .build());
        upstream.putUser(GoogleDirectoryDouble.user("1002", "grace@acme.example")
                .name("Grace", "Hopper")
                .customerId(CUSTOMER)
                .build());
        upstream.putUser(GoogleDirectoryDouble.user("1003", "linus@acme.example")
                .name("Linus", "Pauling")
                .suspended(true)
                .lastLogin(Instant.parse("2025-02-01T10:00:00Z"))
                .customerId(CUSTOMER)
                .build());
        upstream.putUser(GoogleDirectoryDouble.user("1004", "margaret@acme.example")
                .name("Margaret", "Hamilton")
                .delegatedAdmin(true)
                .enrolledIn2Sv(true)
                .customerId(CUSTOMER)
                .build());
        upstream.putUser(GoogleDirectoryDouble.user("1005", "ken@acme.example")
                .name("Ken", "Thompson")
                .customerId(CUSTOMER)
                .build());
        upstream.putUser(GoogleDirectoryDouble.user("1006", "joan@acme.example")
                .name("Joan", "Clarke")
                .customerId(CUSTOMER)
                .build());
        upstream.superAdmin(ADMIN);
        // A help desk administrator: her role may read users and groups, not admin roles.
        upstream.delegatedAdmin("margaret@acme.example", Set.of("users", "groups"));
        upstream.putGroup(
                group("03ab1x0e1", "Engineering", "eng@acme.example"),
                List.of(
                        member("1001", ADMIN, "OWNER", "USER"),
                        member("1002", "grace@acme.example", "MEMBER", "USER")));
        upstream.putGroup(
                group("03ab1x0e2", "Finance", "finance@acme.example"),
                List.of(
                        member("1004", "margaret@acme.example", "MEMBER", "USER"),
                        member("03ab1x0e1", "eng@acme.example", "MEMBER", "GROUP")));
        upstream.putRole(role(SUPER_ADMIN_ROLE, "_SEED_ADMIN_ROLE", true));
        upstream.putRole(role(HELP_DESK_ROLE, "_HELP_DESK_ADMIN_ROLE", false));
        upstream.putRoleAssignment(Map.of("roleId", SUPER_ADMIN_ROLE, "assignedTo", "1001", "assigneeType", "user"));
        upstream.putRoleAssignment(Map.of("roleId", HELP_DESK_ROLE, "assignedTo", "1004", "assigneeType", "user"));
        upstream.putRoleAssignment(
                Map.of("roleId", HELP_DESK_ROLE, "assignedTo", "03ab1x0e2", "assigneeType", "group"));
        return upstream;
    }

    @Test
    void theConnectorIsListedWithBothKindsAndItsSetupHelp() {
        // The overrides the service runs with are this double's (and not another copy of it).
        assertThat(ConfigProvider.getConfig()
                        .getValue("keyline.egress.host-overrides.\"admin.googleapis.com\"", String.class))
                .isEqualTo(google.rootUrl());
        CreatedTenant tenant = newTenant();
        String connector = "data.find { it.id == 'google_workspace' }";
        as(tenant.apiKey())
                .get("/v1/connectors")
                .then()
                .statusCode(200)
                .body(connector + ".display_name", equalTo("Google Workspace"))
                .body(connector + ".auth_kinds", equalTo(List.of("jwt_bearer", "oauth2_authorization_code")))
                .body(connector + ".auth_options[0].interactive", equalTo(false))
                .body(
                        connector + ".auth_options[0].fields.field.key",
                        hasItems("customer_id", "service_account_key", "subject"))
                .body(connector + ".auth_options[0].scopes", equalTo(List.copyOf(orderedScopes())))
                .body(connector + ".auth_options[1].interactive", equalTo(true))
                .body(connector + ".setup_help[1]", containsString("Domain-wide delegation"))
                .body(connector + ".setup_help[1]", containsString("Admin SDK API"))
                .body(connector + ".capabilities", hasItems("users", "groups", "roles"));
    }

    @Test
    void aServiceAccountLinksReadsSyncsBreaksAndIsReconnectedInPlace() {
        CreatedTenant tenant = newTenant();
        String keyJson = keyJson(key, "k-first");
        ExtractableResponse<Response> linked = link(tenant, "acme", keyJson, ADMIN)
                .statusCode(201)
                .body("status", equalTo("active"))
                .body("auth_kind", equalTo("jwt_bearer"))
                .body("validation_summary", equalTo("Connected to Google Workspace customer my_customer (6 users)."))
                .body("facts.customer", equalTo("my_customer"))
                .body("facts.users", equalTo("6"))
                .body("facts", not(hasKey("missing_permission.roles")))
                .extract();
        String accountId = linked.path("id");
        noSecretIn(linked.asString(), keyJson);
        noSecretIn(as(tenant.apiKey()).get("/v1/accounts/" + accountId).asString(), keyJson);
        noSecretIn(as(tenant.apiKey()).get("/v1/accounts").asString(), keyJson);

        // Live reads: Google's users, groups and roles in the model.
        JsonPath users = readPage(tenant, accountId, "/v1/iam/users");
        assertThat(users.getString("meta.mode")).isEqualTo("live");
        assertThat(users.getList("data")).hasSize(6);
        String ada = "data.find { it.remote_id == '1001' }";
        assertThat(users.getString(ada + ".primary_email_address")).isEqualTo(ADMIN);
        assertThat(users.getBoolean(ada + ".is_privileged")).isTrue();
        assertThat(users.getBoolean(ada + ".mfa.enrolled")).isTrue();
        assertThat(Instant.parse(users.getString(ada + ".last_login_at"))).isEqualTo(ADA_LOGIN);
        assertThat(users.getString(ada + ".department")).isEqualTo("Engineering");
        assertThat(users.getString(ada + ".type.value")).isEqualTo("member");
        String grace = "data.find { it.remote_id == '1002' }";
        assertThat(users.getString(grace + ".last_login_at"))
                .as("Google's epoch lastLoginTime means never signed in")
                .isNull();
        assertThat(users.getBoolean(grace + ".is_privileged")).isFalse();
        assertThat(users.getBoolean(grace + ".mfa.enrolled")).isFalse();
        String linus = "data.find { it.remote_id == '1003' }";
        assertThat(users.getString(linus + ".status.value")).isEqualTo("disabled");
        assertThat(users.getString(linus + ".status.source_value")).isEqualTo("suspended");
        assertThat(users.getBoolean("data.find { it.remote_id == '1004' }.is_privileged"))
                .isTrue();

        JsonPath groups = readPage(tenant, accountId, "/v1/iam/groups");
        assertThat(groups.getList("data.find { it.remote_id == '03ab1x0e1' }.members.remote_id", String.class))
                .containsExactlyInAnyOrder("1001", "1002");
        assertThat(groups.getList("data.find { it.remote_id == '03ab1x0e2' }.members.remote_id", String.class))
                .as("a nested group names no one person")
                .containsExactly("1004");

        JsonPath roles = readPage(tenant, accountId, "/v1/iam/roles");
        String superAdmin = "data.find { it.remote_id == '" + SUPER_ADMIN_ROLE + "' }";
        assertThat(roles.getString(superAdmin + ".name")).isEqualTo("_SEED_ADMIN_ROLE");
        assertThat(roles.getBoolean(superAdmin + ".privileged")).isTrue();
        assertThat(roles.getString(superAdmin + ".scope")).isEqualTo("org_wide");
        assertThat(roles.getList(superAdmin + ".members.remote_id", String.class))
                .containsExactly("1001");
        String helpDesk = "data.find { it.remote_id == '" + HELP_DESK_ROLE + "' }";
        assertThat(roles.getList(helpDesk + ".members.remote_id", String.class)).containsExactly("1004");
        assertThat(roles.getList(helpDesk + ".groups.remote_id", String.class)).containsExactly("03ab1x0e2");

        // A sync, then membership and assignments joined on the users.
        JsonPath first = awaitSync(tenant, accountId, startSync(tenant, accountId));
        assertThat(first.getString("state")).as(first.prettify()).isEqualTo("succeeded");
        assertThat(first.getInt("users_seen")).isEqualTo(6);
        assertThat(first.getInt("groups_seen")).isEqualTo(2);
        assertThat(first.getInt("roles_seen")).isEqualTo(2);
        JsonPath synced = readPage(tenant, accountId, "/v1/iam/users?mode=synced");
        assertThat(synced.getString("meta.mode")).isEqualTo("synced");
        assertThat(synced.getList(grace + ".groups.remote_id", String.class)).containsExactly("03ab1x0e1");
        assertThat(synced.getList(ada + ".roles.remote_id", String.class)).contains(SUPER_ADMIN_ROLE);
        assertThat(synced.getList("data.find { it.remote_id == '1004' }.roles.remote_id", String.class))
                .contains(HELP_DESK_ROLE);

        // Ken is deleted, Grace suspended: only Ken is gone.
        google.deleteUser("1005");
        google.updateUser("1002", Map.of("suspended", true, "suspensionReason", "ADMIN"));
        JsonPath second = awaitSync(tenant, accountId, startSync(tenant, accountId));
        assertThat(second.getString("state")).as(second.prettify()).isEqualTo("succeeded");
        JsonPath all = readPage(tenant, accountId, "/v1/iam/users?mode=synced&include_deleted=true");
        String ken = "data.find { it.remote_id == '1005' }";
        assertThat(all.getBoolean(ken + ".remote_was_deleted")).isTrue();
        assertThat(all.getString(ken + ".deleted_at")).isNotNull();
        assertThat(all.getString(grace + ".status.value")).isEqualTo("disabled");
        assertThat(all.getBoolean(grace + ".remote_was_deleted")).isFalse();
        assertThat(readPage(tenant, accountId, "/v1/iam/users?mode=synced").getList("data.remote_id", String.class))
                .containsExactlyInAnyOrder("1001", "1002", "1003", "1004", "1006");

        // The key is deleted in the Cloud console and the access token expires: the account needs a new key.
        try {
            google.deleteKey();
            ISSUED.addAll(google.secrets());
            google.secrets().forEach(google::revoke);
            brokenAndReconnected(tenant, accountId, keyJson);
        } finally {
            // The other tests link with the current key, whatever happened here.
            google.replaceKey(key.getPublic());
        }
    }

    private void brokenAndReconnected(CreatedTenant tenant, String accountId, String keyJson) {
        // The platform's renewal sees invalid_grant: a grant gone for good, which only a reconnect repairs.
        ValidatableResponse broken =
                read(tenant, accountId).get("/v1/iam/users?mode=live").then();
        String brokenBody = broken.extract().asString();
        broken.statusCode(greaterThanOrEqualTo(400))
                .body("code", equalTo("invalid_credentials"))
                .body("message_code", equalTo("auth.reauthorization_required"))
                .body("detail", containsString("invalid_grant"))
                .body("detail", containsString("/reconnect-link"));
        noSecretIn(brokenBody, keyJson);
        as(tenant.apiKey())
                .get("/v1/accounts/" + accountId)
                .then()
                .statusCode(200)
                .body("status", equalTo("error"))
                .body("status_reason.code", equalTo("reauthorization_required"));
        // A new link with the deleted key is Google's "Invalid JWT Signature.": the connector names the key.
        CreatedTenant other = newTenant();
        refused(link(other, "acme-old-key", keyJson, ADMIN), "google_workspace.key_invalid", "service_account_key")
                .body("code", equalTo("invalid_credentials"))
                .body("detail", containsString("new JSON key"));
        nothingLinked(other);

        // Reconnect: a connect session for the account takes a new key and repairs it in place.
        KeyPair rotated = rsa();
        google.replaceKey(rotated.getPublic());
        key = rotated;
        String newKeyJson = keyJson(rotated, "k-second");
        String sessionToken = as(tenant.apiKey())
                .body(Map.of(
                        "origin_owner_id",
                        "acme",
                        "origin_owner_name",
                        "Owner acme",
                        "provider",
                        PROVIDER,
                        "account_id",
                        accountId))
                .post("/v1/connect/sessions")
                .then()
                .statusCode(201)
                .extract()
                .path("token");
        String repaired = as(sessionToken)
                .body(Map.of("auth_kind", "jwt_bearer", "credentials", credentials(newKeyJson, ADMIN)))
                .post("/v1/connect/session/link")
                .then()
                .statusCode(200)
                .body("account_id", equalTo(accountId))
                .body("status", equalTo("active"))
                .extract()
                .asString();
        noSecretIn(repaired, newKeyJson);
        as(tenant.apiKey())
                .get("/v1/accounts/" + accountId)
                .then()
                .statusCode(200)
                .body("status", equalTo("active"))
                .body("auth_kind", equalTo("jwt_bearer"));
        assertThat(Sql.rows(dataSource, "select id from linked_accounts where tenant_id = ?", tenant.id()))
                .hasSize(1);
        assertThat(readPage(tenant, accountId, "/v1/iam/users?mode=synced&include_deleted=true")
                        .getList("data.remote_id", String.class))
                .as("the synced data is kept")
                .containsExactlyInAnyOrder("1001", "1002", "1003", "1004", "1005", "1006");
        assertThat(readPage(tenant, accountId, "/v1/iam/users?mode=live").getList("data.remote_id", String.class))
                .containsExactlyInAnyOrder("1001", "1002", "1003", "1004", "1006");
        JsonPath third = awaitSync(tenant, accountId, startSync(tenant, accountId));
        assertThat(third.getString("state")).as(third.prettify()).isEqualTo("succeeded");
    }

    @Test
    void anAdministratorWhoMayNotReadRolesLinksWithAFactSayingWhatWouldFillThem() {
        CreatedTenant tenant = newTenant();
        String accountId = link(tenant, "acme-help-desk", keyJson(key, "k"), "margaret@acme.example")
                .statusCode(201)
                .body("status", equalTo("active"))
                .body("validation_summary", containsString("admin roles cannot be read"))
                .body("facts.'missing_permission.roles'", containsString(GoogleDirectoryDouble.SCOPE_ROLES))
                .extract()
                .path("id");
        JsonPath run = awaitSync(tenant, accountId, startSync(tenant, accountId));
        assertThat(run.getString("state")).as(run.prettify()).isEqualTo("succeeded");
        assertThat(readPage(tenant, accountId, "/v1/iam/users?mode=synced").getList("data"))
                .hasSizeGreaterThanOrEqualTo(5);
    }

    @Test
    void delegationNotGrantedForTheScopesIsExplainedAndCreatesNothing() {
        CreatedTenant tenant = newTenant();
        google.delegatedScopes(Set.of(GoogleDirectoryDouble.SCOPE_USERS, GoogleDirectoryDouble.SCOPE_GROUPS));
        try {
            refused(link(tenant, "acme-dwd", keyJson(key, "k"), ADMIN), "google_workspace.delegation_missing", null)
                    .body("code", equalTo("invalid_credentials"))
                    .body("detail", containsString("Domain-wide delegation"))
                    .body("detail", containsString(GoogleDirectoryDouble.SCOPE_ROLES));
        } finally {
            google.delegatedScopes(SCOPES);
        }
        nothingLinked(tenant);
    }

    @Test
    void anUnknownSubjectIsExplainedOnTheSubjectField() {
        CreatedTenant tenant = newTenant();
        refused(
                        link(tenant, "acme-nobody", keyJson(key, "k"), "nobody@acme.example"),
                        "google_workspace.subject_unknown",
                        "subject")
                .body("code", equalTo("invalid_credentials"))
                .body("detail", containsString("administrator"));
        nothingLinked(tenant);
    }

    @Test
    void aSubjectWhoIsNoAdministratorIsExplainedOnTheSubjectField() {
        CreatedTenant tenant = newTenant();
        refused(
                        link(tenant, "acme-member", keyJson(key, "k"), "joan@acme.example"),
                        "google_workspace.subject_not_admin",
                        "subject")
                .body("code", equalTo("invalid_credentials"))
                .body("detail", containsString("super administrator"));
        nothingLinked(tenant);
    }

    @Test
    void theAdminSdkApiSwitchedOffIsExplained() {
        CreatedTenant tenant = newTenant();
        google.apiDisabled(true);
        try {
            refused(link(tenant, "acme-api-off", keyJson(key, "k"), ADMIN), "google_workspace.api_disabled", null)
                    .body("code", equalTo("api_disabled"))
                    .body("detail", containsString("Admin SDK API"));
        } finally {
            google.apiDisabled(false);
        }
        nothingLinked(tenant);
    }

    // ---- helpers ----

    private static ValidatableResponse link(CreatedTenant tenant, String owner, String keyJson, String subject) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("origin_owner_id", owner);
        body.put("origin_owner_name", "Owner " + owner);
        body.put("provider", PROVIDER);
        body.put("auth_kind", "jwt_bearer");
        body.put("credentials", credentials(keyJson, subject));
        return as(tenant.apiKey()).body(body).post("/v1/accounts").then();
    }

    private static Map<String, String> credentials(String keyJson, String subject) {
        return Map.of("service_account_key", keyJson, "subject", subject);
    }

    /** A refused link: problem+json with the connector's diagnosis, one plain sentence, no key material. */
    private static ValidatableResponse refused(ValidatableResponse response, String messageCode, String field) {
        String body = response.extract().asString();
        noSecretIn(body, keyJson(key, "k"));
        String detail = response.extract().path("detail");
        assertThat(detail).as(body).isNotBlank().endsWith(".").doesNotContain("\n");
        return response.statusCode(both(greaterThanOrEqualTo(400)).and(lessThan(500)))
                .contentType(startsWith("application/problem+json"))
                .body("message_code", equalTo(messageCode))
                .body("field", field == null ? nullValue() : equalTo(field));
    }

    private void nothingLinked(CreatedTenant tenant) {
        assertThat(Sql.rows(dataSource, "select id from linked_accounts where tenant_id = ?", tenant.id()))
                .isEmpty();
        assertThat(store.accountIds(tenant.id())).isEmpty();
        as(tenant.apiKey()).get("/v1/accounts").then().statusCode(200).body("data", empty());
    }

    private static JsonPath readPage(CreatedTenant tenant, String accountId, String path) {
        return read(tenant, accountId)
                .queryParam("page_size", 100)
                .get(path)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    /** Neither the key (its PEM body or the JSON) nor any token Google issued is in an answer. */
    private static void noSecretIn(String body, String keyJson) {
        String pem;
        try {
            pem = JSON.readTree(keyJson).get("private_key").asText();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        assertThat(body)
                .doesNotContain("PRIVATE KEY")
                .doesNotContain(pem.substring(40, 120).replace("\n", ""))
                .doesNotContain("private_key");
        ISSUED.addAll(google.secrets());
        for (String token : ISSUED) {
            assertThat(body).doesNotContain(token);
        }
    }

    private static List<String> orderedScopes() {
        return List.of(
                GoogleDirectoryDouble.SCOPE_USERS,
                GoogleDirectoryDouble.SCOPE_GROUPS,
                GoogleDirectoryDouble.SCOPE_ROLES);
    }

    private static Map<String, Object> group(String id, String name, String email) {
        Map<String, Object> group = new LinkedHashMap<>();
        group.put("kind", "admin#directory#group");
        group.put("id", id);
        group.put("etag", "\"" + id + "\"");
        group.put("email", email);
        group.put("name", name);
        group.put("description", name + " team");
        group.put("adminCreated", true);
        return group;
    }

    private static Map<String, Object> member(String id, String email, String role, String type) {
        Map<String, Object> member = new LinkedHashMap<>();
        member.put("kind", "admin#directory#member");
        member.put("etag", "\"m" + id + "\"");
        member.put("id", id);
        member.put("email", email);
        member.put("role", role);
        member.put("type", type);
        member.put("status", "ACTIVE");
        return member;
    }

    private static Map<String, Object> role(String id, String name, boolean superAdmin) {
        Map<String, Object> role = new LinkedHashMap<>();
        role.put("kind", "admin#directory#role");
        role.put("roleId", id);
        role.put("roleName", name);
        role.put("roleDescription", superAdmin ? "Super Admin" : "Help Desk Admin");
        role.put("isSystemRole", true);
        role.put("isSuperAdminRole", superAdmin);
        role.put(
                "rolePrivileges",
                List.of(Map.of(
                        "privilegeName",
                        superAdmin ? "SUPER_ADMIN" : "USERS_RETRIEVE",
                        "serviceId",
                        "00haapch16h1ysv")));
        return role;
    }

    private static KeyPair rsa() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A service-account JSON key as the Cloud console downloads it. */
    private static String keyJson(KeyPair pair, String keyId) {
        String pem = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'})
                        .encodeToString(pair.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        Map<String, String> json = new LinkedHashMap<>();
        json.put("type", "service_account");
        json.put("project_id", "acme-keyline");
        json.put("private_key_id", keyId);
        json.put("private_key", pem);
        json.put("client_email", SERVICE_ACCOUNT);
        json.put("client_id", "104937261830384750123");
        json.put("auth_uri", "https://accounts.google.com/o/oauth2/auth");
        json.put("token_uri", "https://oauth2.googleapis.com/token");
        json.put("auth_provider_x509_cert_url", "https://www.googleapis.com/oauth2/v1/certs");
        json.put(
                "client_x509_cert_url",
                "https://www.googleapis.com/robot/v1/metadata/x509/keyline-reader%40acme-keyline.iam.gserviceaccount.com");
        json.put("universe_domain", "googleapis.com");
        try {
            return JSON.writeValueAsString(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
