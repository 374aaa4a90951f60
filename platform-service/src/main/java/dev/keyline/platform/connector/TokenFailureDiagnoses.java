package dev.keyline.platform.connector;

import static java.util.Objects.requireNonNull;

import dev.keyline.connector.spi.AuthKind;
import dev.keyline.connector.spi.ConnectorException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.function.Supplier;

/**
 * Lets a connector explain its provider's refusal of a token request the platform made for one of its auth kinds
 * ({@link dev.keyline.connector.spi.ConnectorFactory#explainTokenFailure}): at link, reconnect, consent and every
 * renewal. Only the token client's own failures (message codes {@code auth.*}) are offered for explanation.
 */
@ApplicationScoped
public class TokenFailureDiagnoses {

    @Inject
    ConnectorRegistry registry;

    /** Runs a token request; a refusal comes out as the connector explains it, or as it was. */
    public <T> T explained(String connectorId, AuthKind kind, Supplier<T> request) {
        requireNonNull(request, "request is null");
        try {
            return request.get();
        } catch (ConnectorException e) {
            if (e.messageCode() == null || !e.messageCode().startsWith("auth.")) {
                throw e;
            }
            throw registry.find(connectorId)
                    .flatMap(factory -> factory.explainTokenFailure(kind, e))
                    .orElse(e);
        }
    }

    /** Whether a failure is the platform's own generic one, not a connector's diagnosis. */
    public static boolean generic(ConnectorException e) {
        return e.messageCode() == null || e.messageCode().startsWith("auth.");
    }
}
