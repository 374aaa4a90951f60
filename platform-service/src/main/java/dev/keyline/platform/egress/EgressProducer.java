package dev.keyline.platform.egress;

import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.Optional;

/**
 * Makes the egress policy and the transport that enforces it injectable. Singletons rather than
 * application-scoped, so callers hold the real objects (the transport is final and has no client proxy);
 * there is one of each per application either way.
 */
@ApplicationScoped
public class EgressProducer {

    @Produces
    @Singleton
    EgressPolicy policy(EgressConfig config) {
        try {
            return new EgressPolicy(config.rules());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("Invalid keyline.egress settings: " + e.getMessage(), e);
        }
    }

    @Produces
    @Singleton
    HostOverrides hostOverrides(EgressConfig config) {
        try {
            return HostOverrides.of(config.hostOverrides());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("Invalid keyline.egress settings: " + e.getMessage(), e);
        }
    }

    @Produces
    @Singleton
    EgressTransport transport(
            Vertx vertx, EgressPolicy policy, EgressConfig config, HostOverrides overrides, UpstreamObserver observer) {
        return new EgressTransport(vertx, policy, HostResolver.SYSTEM, config.limits(), Optional.empty())
                .withHostOverrides(overrides)
                .withObserver(observer);
    }

    void close(@Disposes EgressTransport transport) {
        transport.close();
    }
}
