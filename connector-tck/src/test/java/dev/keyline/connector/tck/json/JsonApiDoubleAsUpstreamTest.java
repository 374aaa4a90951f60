package dev.keyline.connector.tck.json;

import static dev.keyline.connector.tck.json.DoubleClient.get;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keyline.connector.tck.KitRequest;
import dev.keyline.connector.tck.UpstreamDouble;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What the conformance kit sees of a JSON double through {@link UpstreamDouble}. */
class JsonApiDoubleAsUpstreamTest {
    private final JsonApiDouble api = JsonApiDouble.builder()
            .auth(ApiAuth.apiKey("X-API-Key", "k3y-0123456789"))
            .collection("/users", List.of(Map.of("id", "u1")))
            .start();

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void requestsShowHeaderNamesWithoutValuesAndWrites() {
        UpstreamDouble upstream = api;
        get(api, api.baseUrl() + "/users?limit=1");
        DoubleClient.send(
                api.auth(),
                HttpRequest.newBuilder(URI.create(api.baseUrl() + "/users/u1")).DELETE());
        List<KitRequest> requests = upstream.requests();
        assertThat(requests).hasSize(2);
        KitRequest listing = requests.get(0);
        assertThat(listing.method()).isEqualTo("GET");
        assertThat(listing.path()).isEqualTo("/users");
        assertThat(listing.queryParameter("limit")).hasValue("1");
        assertThat(listing.headers()).containsKey("x-api-key");
        assertThat(listing.header("X-API-Key")).isEmpty();
        assertThat(requests.get(1).write()).isTrue();
        upstream.clearRequests();
        assertThat(upstream.requests()).isEmpty();
    }

    @Test
    void secretsNameEveryCredentialTheKitMayHandOut() {
        assertThat(((UpstreamDouble) api).secrets())
                .containsExactlyInAnyOrder(
                        "k3y-0123456789",
                        api.wrongAuth().secret(),
                        api.forbiddenAuth().secret());
    }
}
