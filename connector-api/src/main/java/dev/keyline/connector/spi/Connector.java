package dev.keyline.connector.spi;

import java.util.Optional;

/**
 * One configured connection to a provider account, created by {@link ConnectorFactory#create}. A
 * connector implements the capability interfaces it supports ({@link CredentialValidator},
 * {@link UserDirectory}, {@link GroupDirectory}, {@link HealthProbe}) and must declare exactly those in
 * its descriptor.
 *
 * <p>Connectors are read-only: they never send a request that changes upstream state. Instances may be
 * used from several threads at once. {@link #close()} is idempotent.
 */
public interface Connector extends AutoCloseable {

    /** This connector seen as the given capability, or empty when it does not have it. */
    default <T> Optional<T> capability(Class<T> type) {
        return type.isInstance(this) ? Optional.of(type.cast(this)) : Optional.empty();
    }

    /** The capability, or {@link ErrorCode#UNSUPPORTED}. */
    default <T> T require(Capability capability, Class<T> type) {
        if (!capability.type().equals(type)) {
            throw new IllegalArgumentException(capability + " is not " + type.getSimpleName());
        }
        return capability(type).orElseThrow(() -> ConnectorException.unsupported(capability));
    }

    /** Releases resources. Calling it again has no effect; it never throws. */
    @Override
    void close();
}
