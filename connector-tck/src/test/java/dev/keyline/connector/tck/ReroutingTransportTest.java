package dev.keyline.connector.tck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyline.connector.http.HttpRequest;
import dev.keyline.connector.http.HttpResponse;
import dev.keyline.connector.http.HttpTransport;
import dev.keyline.scimdouble.ScimUpstream;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReroutingTransportTest {
    private static final URI PROVIDER = URI.create("https://provisioning.provider.example");

    @Test
    void requestsForTheProvidersHostReachTheDoubleAndAnswerAsTheProvider() {
        try (ScimUpstream upstream = ScimUpstream.builder().users(3).start()) {
            HttpTransport transport = new ReroutingTransport(
                    JdkHttpTransport.builder().build(), PROVIDER, URI.create(upstream.rootUrl()));

            HttpResponse response =
                    transport.send(HttpRequest.get(URI.create(PROVIDER + "/scim/v2/Users?startIndex=1&count=1"))
                            .header("Authorization", "Bearer " + upstream.token()));

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.bodyText()).contains("\"totalResults\":3");
            assertThat(response.uri()).hasToString(PROVIDER + "/scim/v2/Users?startIndex=1&count=1");
            assertThat(upstream.requests().all())
                    .singleElement()
                    .satisfies(r -> assertThat(r.path()).isEqualTo("/scim/v2/Users"));
        }
    }

    @Test
    void otherHostsPassThroughUnchanged() {
        List<URI> sent = new ArrayList<>();
        HttpTransport recording = request -> {
            sent.add(request.uri());
            return new HttpResponse(204, request.uri(), Map.of(), new byte[0]);
        };
        HttpTransport transport = new ReroutingTransport(recording, PROVIDER, URI.create("http://127.0.0.1:9"));

        transport.send(HttpRequest.get(URI.create("https://other.example/scim/v2/Users")));
        transport.send(HttpRequest.get(URI.create("https://provisioning.provider.example:443/x?y=1")));

        assertThat(sent)
                .containsExactly(
                        URI.create("https://other.example/scim/v2/Users"), URI.create("http://127.0.0.1:9/x?y=1"));
    }
}
