package dev.keyline.scimdouble;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

class ScimUpstreamModesTest {

    @Test
    void disabledScimApiAnswers404WhileTheRootRedirectsToALoginPage() {
        try (ScimUpstream upstream =
                ScimUpstream.builder().mode(Mode.SCIM_API_DISABLED).start()) {
            Http http = new Http(upstream);
            for (String url : new String[] {
                upstream.bridgeBaseUrl() + "/Users",
                upstream.bridgeScimBaseUrl() + "/Users",
                upstream.bridgeBaseUrl() + "/Groups"
            }) {
                assertThat(http.get(url).statusCode()).as(url).isEqualTo(404);
            }
            HttpResponse<String> root = http.get(upstream.rootUrl() + "/", null);
            assertThat(root.statusCode()).isEqualTo(302);
            assertThat(root.headers().firstValue("Location")).hasValue("/app/login");
            HttpResponse<String> login = http.get(upstream.rootUrl() + "/app/login", null);
            assertThat(login.statusCode()).isEqualTo(200);
            assertThat(login.headers().firstValue("Content-Type"))
                    .hasValueSatisfying(v -> assertThat(v).startsWith("text/html"));
            assertThat(http.get(upstream.rootUrl() + "/ping", null).body()).isEqualTo("pong");
        }
    }

    @Test
    void disabledScimApiLeadsAFollowingClientToHtml() throws Exception {
        try (ScimUpstream upstream = ScimUpstream.builder().start()) {
            upstream.mode(Mode.SCIM_API_DISABLED);
            HttpResponse<String> response = HttpClient.newBuilder()
                    .followRedirects(HttpClient.Redirect.NORMAL)
                    .build()
                    .send(
                            java.net.http.HttpRequest.newBuilder(URI.create(upstream.rootUrl() + "/"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type"))
                    .hasValueSatisfying(v -> assertThat(v).startsWith("text/html"));
            assertThat(response.uri().getPath()).isEqualTo("/app/login");
            upstream.mode(Mode.SCIM);
            assertThat(new Http(upstream)
                            .get(upstream.bridgeBaseUrl() + "/Users")
                            .statusCode())
                    .isEqualTo(200);
        }
    }

    @Test
    void notScimAnswersJsonThatIsNoListResponse() {
        try (ScimUpstream upstream = ScimUpstream.builder().mode(Mode.NOT_SCIM).start()) {
            HttpResponse<String> response = new Http(upstream).get(upstream.hostedBaseUrl() + "/Users", null);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
            assertThat(Http.json(response)).doesNotContainKeys("schemas", "Resources", "totalResults");
        }
    }

    @Test
    void httpsUpstreamIsNotTrustedByDefault() {
        try (ScimUpstream upstream = ScimUpstream.builder().https().start()) {
            assertThat(upstream.hostedBaseUrl()).startsWith("https://127.0.0.1:");
            assertThatThrownBy(() -> HttpClient.newHttpClient()
                            .send(
                                    java.net.http.HttpRequest.newBuilder(URI.create(upstream.rootUrl() + "/ping"))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString()))
                    .isInstanceOf(SSLHandshakeException.class);
        }
    }

    @Test
    void httpsUpstreamServesClientsThatTrustIt() {
        try (ScimUpstream upstream = ScimUpstream.builder().https().start()) {
            HttpClient client = HttpClient.newBuilder()
                    .sslContext(upstream.trustingSslContext())
                    .build();
            HttpResponse<String> response = new Http(client, upstream.token()).get(upstream.hostedBaseUrl() + "/Users");
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(Http.resources(response)).isNotEmpty();
        }
    }

    @Test
    void plainUpstreamHasNoTlsContext() {
        try (ScimUpstream upstream = ScimUpstream.builder().start()) {
            assertThat(upstream.https()).isFalse();
            assertThatThrownBy(upstream::trustingSslContext).isInstanceOf(IllegalStateException.class);
        }
    }
}
