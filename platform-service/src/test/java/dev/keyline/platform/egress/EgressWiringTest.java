package dev.keyline.platform.egress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.keyline.connector.http.HttpRequest;
import dev.keyline.connector.http.HttpResponse;
import dev.keyline.connector.http.HttpTransport;
import dev.keyline.connector.spi.ConnectorException;
import dev.keyline.connector.spi.ErrorCode;
import dev.keyline.platform.support.EmbeddedPostgresResource;
import dev.keyline.platform.support.TestAuthResource;
import dev.keyline.scimdouble.ScimUpstream;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import org.junit.jupiter.api.Test;

/**
 * The beans as the platform gets them, with the test profile's settings: plain http and loopback allowed
 * (so loopback SCIM upstreams work), every other private range still refused.
 */
@QuarkusTest
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestAuthResource.class, restrictToAnnotatedClass = false)
class EgressWiringTest {

    @Inject
    EgressTransport transport;

    @Inject
    HttpTransport asTransport;

    @Inject
    EgressPolicy policy;

    @Test
    void theInjectedTransportReachesALoopbackUpstreamInTheTestProfile() {
        try (ScimUpstream upstream = ScimUpstream.builder().start()) {
            HttpResponse response = transport.send(HttpRequest.get(URI.create(upstream.hostedBaseUrl() + "/Users"))
                    .header("Authorization", "Bearer " + upstream.token()));

            assertThat(response.status()).isEqualTo(200);
            assertThat(upstream.requests().all()).hasSize(1);
        }
        assertThat(asTransport).isSameAs(transport);
        assertThat(transport.policy()).isSameAs(policy);
    }

    @Test
    void theTestProfileStillRefusesOtherPrivateRangesAndCloudMetadata() {
        for (String url :
                new String[] {"http://169.254.169.254/latest/meta-data/", "http://10.0.0.1/", "http://[::1]/"}) {
            ConnectorException refusal = catchThrowableOfType(
                    () -> transport.send(HttpRequest.get(URI.create(url))), ConnectorException.class);
            assertThat(refusal).as(url).isNotNull();
            assertThat(refusal.code()).as(url).isEqualTo(ErrorCode.EGRESS_DENIED);
        }
    }
}
