package dev.keyline.platform.egress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyline.connector.http.HttpRequest;
import dev.keyline.connector.http.HttpResponse;
import dev.keyline.connector.spi.ConnectorException;
import dev.keyline.platform.egress.EgressPolicy.Rules;
import dev.keyline.scimdouble.RecordedRequest;
import dev.keyline.scimdouble.ScimUpstream;
import io.vertx.core.Vertx;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** An operator's host overrides: what they rewrite, what they refuse, and that the policy judges the new address. */
class HostOverridesTest {
    private static Vertx vertx;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stop() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    @Test
    void anOverriddenHostGoesToTheBaseWithItsPathAndQuery() {
        HostOverrides overrides = HostOverrides.of(Map.of("Graph.Microsoft.com", "https://graph.microsoft.us/"));

        assertThat(overrides.apply(URI.create("https://graph.microsoft.com/v1.0/users?$top=999")))
                .isEqualTo(URI.create("https://graph.microsoft.us/v1.0/users?$top=999"));
        assertThat(overrides.apply("https://login.microsoftonline.com/t/oauth2/v2.0/token"))
                .as("other hosts are left alone")
                .isEqualTo("https://login.microsoftonline.com/t/oauth2/v2.0/token");
    }

    @Test
    void aBaseWithAPathPrefixesIt() {
        HostOverrides overrides = HostOverrides.of(Map.of("admin.googleapis.com", "http://127.0.0.1:8089/google"));

        assertThat(overrides.apply(URI.create("https://admin.googleapis.com/admin/directory/v1/users?customer=x")))
                .isEqualTo(URI.create("http://127.0.0.1:8089/google/admin/directory/v1/users?customer=x"));
    }

    @Test
    void illFormedEntriesAreRefusedNamingTheEntry() {
        assertThatThrownBy(() -> HostOverrides.of(Map.of("https://graph.microsoft.com", "https://graph.microsoft.us")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("https://graph.microsoft.com")
                .hasMessageContaining("not a host name");
        assertThatThrownBy(() -> HostOverrides.of(Map.of("graph.microsoft.com", "ftp://mirror.example")))
                .hasMessageContaining("graph.microsoft.com")
                .hasMessageContaining("ftp://mirror.example");
        assertThatThrownBy(() -> HostOverrides.of(Map.of("graph.microsoft.com", "https://u:p@mirror.example")))
                .hasMessageContaining("without user");
    }

    @Test
    void theTransportSendsAnOverriddenHostsRequestsToTheBase() {
        try (ScimUpstream upstream = ScimUpstream.builder().start();
                EgressTransport transport = transport(
                        Rules.DEFAULT.withAllowHttp(true).withAllowCidrs("127.0.0.0/8"),
                        Map.of("scim.provider.example", upstream.rootUrl() + "/scim/v2"))) {
            HttpResponse response =
                    transport.send(HttpRequest.get(URI.create("https://scim.provider.example/Users?count=1"))
                            .header("Authorization", "Bearer " + upstream.token()));

            assertThat(response.status()).isEqualTo(200);
            List<RecordedRequest> requests = upstream.requests().all();
            assertThat(requests).hasSize(1);
            assertThat(requests.get(0).path()).isEqualTo("/scim/v2/Users");
            assertThat(requests.get(0).query()).isEqualTo("count=1");
            assertThat(requests.get(0).authorized()).isTrue();
        }
    }

    @Test
    void thePolicyJudgesTheOverriddenDestination() {
        // The real host would pass the default policy; the loopback base it is sent to must not, unless allowed.
        try (ScimUpstream upstream = ScimUpstream.builder().start();
                EgressTransport transport =
                        transport(Rules.DEFAULT, Map.of("scim.provider.example", upstream.rootUrl()))) {
            assertThatThrownBy(() -> transport.send(HttpRequest.get(URI.create("https://scim.provider.example/Users"))))
                    .isInstanceOf(ConnectorException.class);
            assertThat(upstream.requests().all()).isEmpty();
        }
    }

    private static EgressTransport transport(Rules rules, Map<String, String> overrides) {
        return new EgressTransport(
                        vertx,
                        new EgressPolicy(rules),
                        HostResolver.SYSTEM,
                        EgressTransport.Limits.DEFAULT,
                        Optional.empty())
                .withHostOverrides(HostOverrides.of(overrides));
    }
}
