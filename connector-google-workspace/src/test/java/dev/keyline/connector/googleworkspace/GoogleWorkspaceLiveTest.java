package dev.keyline.connector.googleworkspace;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyline.connector.spi.AuthKind;
import dev.keyline.connector.spi.Authorization;
import dev.keyline.connector.spi.Capability;
import dev.keyline.connector.spi.Connector;
import dev.keyline.connector.spi.ConnectorConfig;
import dev.keyline.connector.spi.ConnectorContext;
import dev.keyline.connector.spi.ConnectorLogger;
import dev.keyline.connector.spi.CredentialValidator;
import dev.keyline.connector.spi.UserDirectory;
import dev.keyline.connector.spi.UserQuery;
import dev.keyline.connector.spi.Validation;
import dev.keyline.connector.tck.JdkHttpTransport;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * Against the real Google Workspace, only when {@code KEYLINE_GOOGLE_KEY_FILE} (a service-account JSON key with
 * domain-wide delegation for the three scopes) and {@code KEYLINE_GOOGLE_SUBJECT} (an administrator) are set; never
 * in CI. {@code KEYLINE_GOOGLE_CUSTOMER_ID} is optional. Read-only: it validates and lists one page of users.
 */
@EnabledIfEnvironmentVariable(named = "KEYLINE_GOOGLE_KEY_FILE", matches = ".+")
@EnabledIfEnvironmentVariable(named = "KEYLINE_GOOGLE_SUBJECT", matches = ".+")
class GoogleWorkspaceLiveTest {

    @Test
    void validatesAndListsUsersOfTheRealAccount() throws Exception {
        JsonNode key = new ObjectMapper().readTree(Files.readString(Path.of(System.getenv("KEYLINE_GOOGLE_KEY_FILE"))));
        String pem = key.path("private_key")
                .asText()
                .replaceAll("-----[A-Z ]+-----", "")
                .replaceAll("\\s", "");
        PrivateKey privateKey = KeyFactory.getInstance("RSA")
                .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
        String token = ServiceAccountAssertions.exchange(
                URI.create(GoogleWorkspaceConnectorFactory.TOKEN_URL),
                ServiceAccountAssertions.assertion(
                        privateKey,
                        key.path("client_email").asText(),
                        System.getenv("KEYLINE_GOOGLE_SUBJECT"),
                        String.join(" ", GoogleWorkspaceConnectorFactory.SCOPES),
                        Instant.now()));
        GoogleWorkspaceConnectorFactory factory = new GoogleWorkspaceConnectorFactory();
        String customer = System.getenv().getOrDefault("KEYLINE_GOOGLE_CUSTOMER_ID", "");
        ConnectorConfig config = factory.normalize(
                        new ConnectorConfig(Map.of(GoogleWorkspaceConnectorFactory.CUSTOMER_ID, customer), Set.of()))
                .withAuthorization(Authorization.fixed(AuthKind.Type.JWT_BEARER, "Bearer " + token));
        try (Connector connector = factory.create(
                config,
                new ConnectorContext(
                        JdkHttpTransport.builder().build(), Clock.systemUTC(), ConnectorLogger.discarding()))) {
            Validation validation = connector
                    .require(Capability.CREDENTIAL_VALIDATION, CredentialValidator.class)
                    .validate();
            assertThat(validation.summary()).contains("Connected");
            assertThat(connector
                            .require(Capability.USERS, UserDirectory.class)
                            .listUsers(UserQuery.all(10, false))
                            .items())
                    .isNotEmpty();
        }
    }
}
