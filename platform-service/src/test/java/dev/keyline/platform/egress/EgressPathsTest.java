package dev.keyline.platform.egress;

import static dev.keyline.platform.support.TestApi.as;
import static dev.keyline.platform.support.TestApi.awaitSync;
import static dev.keyline.platform.support.TestApi.linkOnePassword;
import static dev.keyline.platform.support.TestApi.newTenant;
import static dev.keyline.platform.support.TestApi.read;
import static dev.keyline.platform.support.TestApi.startSync;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keyline.connector.spi.ConnectorException;
import dev.keyline.connector.spi.ErrorCode;
import dev.keyline.platform.credential.CredentialStore;
import dev.keyline.platform.support.EmbeddedPostgresResource;
import dev.keyline.platform.support.MongoServerResource;
import dev.keyline.platform.support.Sql;
import dev.keyline.platform.support.TestApi.CreatedTenant;
import dev.keyline.platform.support.TestAuthResource;
import dev.keyline.scimdouble.ScimUpstream;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The hostile-URL corpus through the platform's own paths, not just the transport: a link naming it, and an
 * account whose stored URL is it (as if changed out of band) read live and synced. Every one must end in
 * {@code egress_denied} and no connection may reach the trap socket the loopback entries point at. Entries the
 * test profile allows (it allows plain http and loopback so that local upstreams can be linked) or that need
 * the corpus test's scripted resolver are left to {@link EgressCorpusTest}.
 */
@QuarkusTest
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestAuthResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = MongoServerResource.class, restrictToAnnotatedClass = false)
class EgressPathsTest {

    private static TrapSocket trap;

    @Inject
    EgressPolicy policy;

    @Inject
    CredentialStore credentials;

    @Inject
    DataSource dataSource;

    @BeforeAll
    static void openTrap() throws IOException {
        trap = new TrapSocket("egress-paths-trap");
    }

    @AfterAll
    static void closeTrap() throws IOException {
        trap.close();
    }

    @Test
    void everyRefusableCorpusUrlIsRefusedInTheLinkLiveAndSyncPaths() throws IOException {
        List<String> urls = refusedByThisProfile();
        assertThat(urls).hasSizeGreaterThanOrEqualTo(40);
        List<String> leaks = new ArrayList<>();
        int tried = 0;
        int held = 0;
        try (ScimUpstream upstream = ScimUpstream.builder().users(3).groups(1).start()) {
            CreatedTenant tenant = newTenant();
            for (String url : urls) {
                tried += 3;
                String link = linkCode(tenant, url);
                held += check(leaks, "link", url, link);
                String accountId = linkOnePassword(tenant, "org-" + tried, upstream);
                pointAt(tenant.id(), accountId, url, upstream.token());
                held += check(leaks, "live", url, liveCode(tenant, accountId));
                held += check(leaks, "sync", url, syncCode(tenant, accountId));
            }
        } finally {
            System.out.println("egress paths: " + tried + " tried, " + held + " held");
        }
        assertThat(leaks).isEmpty();
        assertThat(trap.connections()).isZero();
        assertThat(held).isEqualTo(tried);
    }

    private List<String> refusedByThisProfile() throws IOException {
        List<String> urls = new ArrayList<>();
        for (EgressCorpusTest.Entry entry : EgressCorpusTest.corpus()) {
            if (entry.kind().equals("resolved")) {
                continue;
            }
            String url = entry.text().replace("{trap}", Integer.toString(trap.port()));
            try {
                policy.destination(url);
            } catch (ConnectorException refused) {
                if (refused.code() == ErrorCode.EGRESS_DENIED) {
                    urls.add(url);
                }
            }
        }
        return urls;
    }

    private static int check(List<String> leaks, String path, String url, String code) {
        if ("egress_denied".equals(code)) {
            return 1;
        }
        leaks.add(path + " " + url.replaceAll("\\p{Cntrl}", "?") + " -> " + code);
        return 0;
    }

    private static String linkCode(CreatedTenant tenant, String url) {
        Response response = as(tenant.apiKey())
                .body(Map.of(
                        "origin_owner_id", "org-hostile",
                        "origin_owner_name", "Org",
                        "provider", "onepassword",
                        "credentials", Map.of("scim_url", url, "bearer_token", "some-token-0123456789")))
                .post("/accounts");
        return response.statusCode() == 422 ? response.path("code") : "status " + response.statusCode();
    }

    /** The stored URL changes out of band; the row's change makes every replica drop its open connector. */
    private void pointAt(String tenantId, String accountId, String url, String token) {
        credentials.put(tenantId, accountId, Map.of("scim_url", url, "bearer_token", token));
        Sql.update(dataSource, "update linked_accounts set updated_at = now() where id = ?", accountId);
    }

    private static String liveCode(CreatedTenant tenant, String accountId) {
        Response response = read(tenant, accountId).queryParam("mode", "live").get("/iam/users");
        return response.statusCode() >= 400 ? response.path("code") : "status " + response.statusCode();
    }

    private static String syncCode(CreatedTenant tenant, String accountId) {
        JsonPath run = awaitSync(tenant, accountId, startSync(tenant, accountId));
        return "failed".equals(run.getString("state")) ? run.getString("error.code") : run.getString("state");
    }
}
