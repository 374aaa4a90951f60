package dev.keyline.connector.entraid;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyline.connector.tck.entra.GraphDouble;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The double's token endpoint answers as Microsoft Entra's does, so the platform's token client can be tested on it. */
class GraphDoubleTokenTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final GraphDouble graph =
            GraphDouble.builder().granted(Set.of(GraphDouble.USER_READ_ALL)).start();
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void stop() {
        graph.close();
    }

    private HttpResponse<String> token(String tenant, String clientId, String secret) throws Exception {
        String form = "grant_type=client_credentials&client_id=" + enc(clientId) + "&client_secret=" + enc(secret)
                + "&scope=" + enc("https://graph.microsoft.com/.default");
        return http.send(
                HttpRequest.newBuilder(URI.create(graph.rootUrl() + "/" + tenant + "/oauth2/v2.0/token"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(form))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String enc(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    private static void assertRefused(HttpResponse<String> response, int status, String error, long code)
            throws Exception {
        JsonNode body = JSON.readTree(response.body());
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(body.path("error").asText()).isEqualTo(error);
        assertThat(body.path("error_codes").get(0).asLong()).isEqualTo(code);
        assertThat(body.path("error_description").asText()).startsWith("AADSTS" + code + ":");
        assertThat(body.has("trace_id") && body.has("correlation_id") && body.has("timestamp"))
                .isTrue();
    }

    @Test
    void everyRefusalCarriesItsAadstsNumber() throws Exception {
        assertRefused(
                token("nowhere.onmicrosoft.com", graph.clientId(), graph.clientSecret()),
                400,
                "invalid_request",
                90002);
        assertRefused(
                token(graph.tenantId(), "00000000-0000-0000-0000-000000000000", graph.clientSecret()),
                400,
                "unauthorized_client",
                700016);
        assertRefused(token(graph.tenantId(), graph.clientId(), "wrong"), 401, "invalid_client", 7000215);
        graph.expireClientSecret();
        assertRefused(token(graph.tenantId(), graph.clientId(), graph.clientSecret()), 401, "invalid_client", 7000222);
    }

    @Test
    void anIssuedTokenCarriesTheGrantedRolesAndGraphHonoursExactlyThem() throws Exception {
        HttpResponse<String> response = token("contoso.onmicrosoft.com", graph.clientId(), graph.clientSecret());
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("token_type").asText()).isEqualTo("Bearer");
        String token = body.path("access_token").asText();
        JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(token.split("\\.")[1]));
        assertThat(claims.path("roles")).extracting(JsonNode::asText).containsExactly(GraphDouble.USER_READ_ALL);
        assertThat(get(token, "/v1.0/users?$top=1").statusCode()).isEqualTo(200);
        HttpResponse<String> groups = get(token, "/v1.0/groups");
        assertThat(groups.statusCode()).isEqualTo(403);
        assertThat(JSON.readTree(groups.body()).path("error").path("code").asText())
                .isEqualTo("Authorization_RequestDenied");
    }

    private HttpResponse<String> get(String token, String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(graph.rootUrl() + path.replace("$", "%24")))
                        .header("Authorization", "Bearer " + token)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
