package dev.keyline.connector.entraid;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyline.connector.spi.AuthKind;
import dev.keyline.connector.spi.Authorization;
import dev.keyline.connector.spi.ConnectorConfig;
import dev.keyline.connector.spi.ConnectorContext;
import dev.keyline.connector.spi.ConnectorLogger;
import dev.keyline.connector.spi.GroupQuery;
import dev.keyline.connector.spi.RoleQuery;
import dev.keyline.connector.spi.UserQuery;
import dev.keyline.connector.spi.Validation;
import dev.keyline.connector.tck.JdkHttpTransport;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * Against a real tenant, only when KEYLINE_ENTRA_TENANT_ID, KEYLINE_ENTRA_CLIENT_ID and KEYLINE_ENTRA_CLIENT_SECRET
 * are set (KEYLINE_ENTRA_CLOUD optional); never in CI. Read-only, like the connector. The test fetches its own token
 * the way the platform would, since the platform's token client is not on this module's class path.
 */
@EnabledIfEnvironmentVariable(named = "KEYLINE_ENTRA_TENANT_ID", matches = ".+")
class EntraIdLiveTest {

    @Test
    void readsTheRealTenant() throws Exception {
        EntraIdConnectorFactory factory = new EntraIdConnectorFactory();
        Map<String, String> values = new HashMap<>();
        values.put(EntraIdConnectorFactory.TENANT_ID, System.getenv("KEYLINE_ENTRA_TENANT_ID"));
        if (System.getenv("KEYLINE_ENTRA_CLOUD") != null) {
            values.put(EntraIdConnectorFactory.CLOUD, System.getenv("KEYLINE_ENTRA_CLOUD"));
        }
        ConnectorConfig config = factory.normalize(new ConnectorConfig(values, Set.of()));
        String token = token(config);
        EntraIdConnector connector = (EntraIdConnector) factory.create(
                config.withAuthorization(
                        Authorization.fixed(AuthKind.Type.OAUTH2_CLIENT_CREDENTIALS, "Bearer " + token)),
                new ConnectorContext(
                        JdkHttpTransport.builder()
                                .requestTimeout(Duration.ofSeconds(30))
                                .build(),
                        Clock.systemUTC(),
                        ConnectorLogger.system("entra-live", Set.of(token))));
        Validation validation = connector.validate();
        assertThat(validation.summary())
                .contains(config.find(EntraIdConnectorFactory.TENANT_ID).orElseThrow());
        assertThat(connector.listUsers(UserQuery.all(5, false)).items()).isNotEmpty();
        connector.listGroups(GroupQuery.all(5));
        if (!validation.facts().containsKey("missing_permission.roles")) {
            assertThat(connector
                            .listRoles(RoleQuery.builder().pageSize(5).build())
                            .items())
                    .isNotEmpty();
        }
        assertThat(connector.currentWatermark()).startsWith("https://");
    }

    private static String token(ConnectorConfig config) throws Exception {
        String url = AuthKind.expand(EntraIdConnectorFactory.TOKEN_URL, config.values());
        String scope = AuthKind.expand(EntraIdConnectorFactory.SCOPE, config.values());
        String form = "grant_type=client_credentials&client_id=" + enc(System.getenv("KEYLINE_ENTRA_CLIENT_ID"))
                + "&client_secret=" + enc(System.getenv("KEYLINE_ENTRA_CLIENT_SECRET")) + "&scope=" + enc(scope);
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(url))
                                .header("Content-Type", "application/x-www-form-urlencoded")
                                .POST(HttpRequest.BodyPublishers.ofString(form))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("token endpoint status").isEqualTo(200);
        return new ObjectMapper().readTree(response.body()).path("access_token").asText();
    }

    private static String enc(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
