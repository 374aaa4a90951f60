package dev.keyline.platform.health;

import dev.keyline.platform.credential.CredentialStore;
import dev.keyline.platform.credential.CredentialStoreException;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Locale;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.logging.Logger;

/**
 * Ready only while the credential store answers: without it no account can be linked or read. The health
 * endpoint is unauthenticated, so the response names only the store kind and a reason; the detail goes to the
 * log.
 */
@Readiness
@ApplicationScoped
public class CredentialStoreReadinessCheck implements HealthCheck {
    static final String NAME = "credential-store";
    private static final Logger LOG = Logger.getLogger(CredentialStoreReadinessCheck.class);

    private final CredentialStore store;

    CredentialStoreReadinessCheck(CredentialStore store) {
        this.store = store;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named(NAME).withData("kind", store.kind());
        try {
            store.ping();
            return response.up().build();
        } catch (CredentialStoreException e) {
            LOG.warnf("Credential store not ready: %s", e.getMessage());
            return response.down()
                    .withData("reason", e.reason().name().toLowerCase(Locale.ROOT))
                    .build();
        } catch (RuntimeException e) {
            LOG.warn("Credential store not ready", e);
            return response.down().withData("reason", "failed").build();
        }
    }
}
