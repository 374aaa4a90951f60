package dev.keyline.platform.sync;

import static dev.keyline.platform.support.TestApi.as;
import static dev.keyline.platform.support.TestApi.newTenant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.keyline.platform.account.RecordedAccountEvents;
import dev.keyline.platform.oauth.OAuthValues;
import dev.keyline.platform.support.EmbeddedPostgresResource;
import dev.keyline.platform.support.InMemoryCredentialStore;
import dev.keyline.platform.support.LogCapture;
import dev.keyline.platform.support.MongoServerResource;
import dev.keyline.platform.support.OAuthDirectoryConnectorFactory;
import dev.keyline.platform.support.OAuthServerDouble;
import dev.keyline.platform.support.TestApi;
import dev.keyline.platform.support.TestApi.CreatedTenant;
import dev.keyline.platform.support.TestAuthResource;
import dev.keyline.platform.sync.SyncRun.State;
import dev.keyline.platform.sync.SyncRun.Trigger;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A sync of an OAuth account whose access token stops working between two pages renews it and completes. */
@QuarkusTest
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestAuthResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = MongoServerResource.class, restrictToAnnotatedClass = false)
class TokenExpiryMidSyncTest {
    private static OAuthServerDouble idp;

    @Inject
    SyncEngine engine;

    @Inject
    InMemoryCredentialStore store;

    @Inject
    RecordedAccountEvents events;

    @BeforeAll
    static void start() {
        idp = new OAuthServerDouble();
    }

    @AfterAll
    static void stop() {
        idp.close();
    }

    @Test
    void aSyncThatOutlivesItsAccessTokenRenewsItOnceAndReadsEveryPage() {
        CreatedTenant tenant = newTenant();
        String accountId = link(tenant, "org-sync");
        int grants = idp.grants("client_credentials");
        int calls = idp.protectedCalls().size();
        OAuthDirectoryConnectorFactory.afterFirstPage = idp::expireAccessTokens;
        SyncRun run;
        List<String> logged;
        try (LogCapture log = LogCapture.install("dev.keyline.connector." + OAuthDirectoryConnectorFactory.ID)) {
            run = engine.runNow(tenant.id(), accountId, Trigger.MANUAL);
            logged = log.lines();
        } finally {
            OAuthDirectoryConnectorFactory.afterFirstPage = () -> {};
        }

        assertThat(run.state()).isEqualTo(State.SUCCEEDED);
        assertThat(run.counts().usersSeen()).isEqualTo(2 * OAuthDirectoryConnectorFactory.PAGES);
        assertThat(idp.grants("client_credentials") - grants).isEqualTo(1);
        // Page 1, page 2 rejected, page 2 again with the renewed token, page 3.
        assertThat(idp.protectedCalls().size() - calls).isEqualTo(OAuthDirectoryConnectorFactory.PAGES + 1);
        // The connector logged the renewed token on pages 2 and 3: its logger learnt that token when it was issued.
        String renewed = store.get(tenant.id(), accountId).orElseThrow().get(OAuthValues.ACCESS_TOKEN);
        assertThat(logged)
                .filteredOn(line -> line.contains("Read page"))
                .hasSize(OAuthDirectoryConnectorFactory.PAGES)
                .allSatisfy(line -> assertThat(line).contains("[REDACTED]").doesNotContain(renewed));
    }

    @Test
    void aSyncWhoseRenewalIsRefusedForGoodFailsWithReauthorizationRequired() {
        CreatedTenant tenant = newTenant();
        String accountId = link(tenant, "org-sync-revoked");
        // The client's secret was rotated at the provider: every new grant is refused (invalid_client).
        Map<String, String> stored =
                new HashMap<>(store.get(tenant.id(), accountId).orElseThrow());
        stored.put(OAuthValues.CLIENT_SECRET, "rotated-away-0000");
        store.put(tenant.id(), accountId, stored);
        idp.expireAccessTokens();

        SyncRun run = engine.runNow(tenant.id(), accountId, Trigger.MANUAL);

        assertThat(run.state()).isEqualTo(State.FAILED);
        assertThat(run.errorCode()).isEqualTo("reauthorization_required");
        as(tenant.apiKey())
                .get("/accounts/" + accountId)
                .then()
                .body("status", equalTo("error"))
                .body("status_reason.code", equalTo("reauthorization_required"))
                .body("status_reason.message", containsString("invalid_client"));
        assertThat(events.statusChanges(accountId))
                .singleElement()
                .satisfies(e -> assertThat(e.code()).isEqualTo("reauthorization_required"));
    }

    private static String link(CreatedTenant tenant, String owner) {
        return TestApi.linkClientCredentials(tenant, owner, OAuthDirectoryConnectorFactory.ID, idp);
    }
}
