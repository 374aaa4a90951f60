package dev.keyline.platform.iam;

import static dev.keyline.platform.support.TestApi.as;
import static dev.keyline.platform.support.TestApi.linkOnePassword;
import static dev.keyline.platform.support.TestApi.newTenant;
import static dev.keyline.platform.support.TestApi.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.keyline.platform.account.DefaultAccountConnectors;
import dev.keyline.platform.support.EmbeddedPostgresResource;
import dev.keyline.platform.support.TestApi.CreatedTenant;
import dev.keyline.platform.support.TestAuthResource;
import dev.keyline.scimdouble.RecordedRequest;
import dev.keyline.scimdouble.ScimUpstream;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Live reads share one connector per account: a credential rotation must reach the very next read, and an
 * unlinked account's connector must not be kept.
 */
@QuarkusTest
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestAuthResource.class, restrictToAnnotatedClass = false)
class SharedConnectorTest {

    @Inject
    DefaultAccountConnectors connectors;

    private ScimUpstream upstream;

    @AfterEach
    void stopUpstream() {
        if (upstream != null) {
            upstream.close();
        }
    }

    @Test
    void aRotatedTokenIsUsedByTheNextLiveReadAndUnlinkDropsTheConnector() {
        upstream = ScimUpstream.builder()
                .users(12)
                .groups(2)
                .seed(11)
                .token("first-token-0123456789")
                .start();
        CreatedTenant tenant = newTenant();
        String accountId = linkOnePassword(tenant, "org-shared", upstream);

        liveRead(tenant, accountId);
        liveRead(tenant, accountId);
        assertThat(connectors.holdsShared(tenant.id(), accountId)).isTrue();

        // Rotated at the provider and in Keyline back to back, right after a read on the old token.
        for (String token : List.of("second-token-0123456789", "third-token-0123456789")) {
            upstream.rotateToken(token);
            as(tenant.apiKey())
                    .body(Map.of("credentials", Map.of("bearer_token", token)))
                    .patch("/accounts/" + accountId)
                    .then()
                    .statusCode(200)
                    .body("status", equalTo("active"));
            long mark = upstream.requests().mark();
            liveRead(tenant, accountId);
            List<RecordedRequest> sent = upstream.requests().since(mark);
            assertThat(sent).isNotEmpty();
            assertThat(sent).as("requests carried the new token").allMatch(RecordedRequest::authorized);
            liveRead(tenant, accountId);
        }

        // A single-record read goes through the same shared connector.
        String someone = read(tenant, accountId)
                .queryParam("mode", "live")
                .queryParam("page_size", 1)
                .get("/iam/users")
                .then()
                .statusCode(200)
                .extract()
                .path("data[0].id");
        read(tenant, accountId)
                .queryParam("mode", "live")
                .get("/iam/users/" + someone)
                .then()
                .statusCode(200);

        // Another tenant neither reads it nor shares its connector.
        CreatedTenant other = newTenant();
        read(other, accountId)
                .queryParam("mode", "live")
                .get("/iam/users")
                .then()
                .statusCode(404);
        assertThat(connectors.holdsShared(other.id(), accountId)).isFalse();

        as(tenant.apiKey()).delete("/accounts/" + accountId).then().statusCode(204);
        assertThat(connectors.holdsShared(tenant.id(), accountId)).isFalse();
        long mark = upstream.requests().mark();
        read(tenant, accountId)
                .queryParam("mode", "live")
                .get("/iam/users")
                .then()
                .statusCode(409)
                .body("code", equalTo("account_not_active"));
        assertThat(upstream.requests().since(mark)).isEmpty();
        assertThat(connectors.holdsShared(tenant.id(), accountId)).isFalse();
    }

    private static void liveRead(CreatedTenant tenant, String accountId) {
        read(tenant, accountId)
                .queryParam("mode", "live")
                .queryParam("page_size", 5)
                .get("/iam/users")
                .then()
                .statusCode(200)
                .body("data.size()", equalTo(5))
                .body("meta.mode", equalTo("live"));
    }
}
