package dev.keyline.platform.connector;

import static dev.keyline.platform.support.TestApi.link;
import static dev.keyline.platform.support.TestApi.newTenant;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import dev.keyline.platform.support.EmbeddedPostgresResource;
import dev.keyline.platform.support.FakeScimConnectorFactory;
import dev.keyline.platform.support.TestAuthResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A connector's message code and parameters reach the client's problem beside its sentence, naming the connector. */
@QuarkusTest
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestAuthResource.class, restrictToAnnotatedClass = false)
class ConnectorMessageCodeTest {

    @Test
    void aRejectedTokenIsAProblemWithTheConnectorsMessageCodeAndParams() {
        String token = "never-accepted-" + UUID.randomUUID();
        link(newTenant(), "owner-" + UUID.randomUUID(), token)
                .statusCode(422)
                .contentType("application/problem+json")
                .body("code", equalTo("invalid_credentials"))
                .body("field", equalTo("token"))
                .body("connector", equalTo(FakeScimConnectorFactory.ID))
                .body("message_code", equalTo(FakeScimConnectorFactory.TOKEN_REJECTED))
                .body("message_params.status", equalTo("401"))
                .body("detail", containsString("bearer token was rejected"))
                .body("detail", not(containsString(token)));
    }
}
