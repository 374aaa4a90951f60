package dev.keyline.connector.spi;

/**
 * The entry point of a connector plugin, found with {@link java.util.ServiceLoader} (register it in
 * {@code META-INF/services/dev.keyline.connector.spi.ConnectorFactory}). One factory serves the whole
 * platform; it creates one {@link Connector} per use. Factories must be stateless and thread-safe, and
 * need a public no-argument constructor.
 */
public interface ConnectorFactory {

    /** Stable id, for example {@code onepassword}. Equal to {@code descriptor().id()}. */
    String id();

    ConnectorDescriptor descriptor();

    /**
     * Puts what a person typed into canonical form (trims, fixes a missing path, drops a trailing slash)
     * without any network access. The platform stores the normalized form. Throws
     * {@link ErrorCode#INVALID_CONFIG} or {@link ErrorCode#WRONG_URL} with the field set when a value
     * cannot be made right.
     */
    default ConnectorConfig normalize(ConnectorConfig config) {
        return config;
    }

    /**
     * A connector for the given (normalized) configuration. Creating one performs no I/O; problems with the
     * credentials surface from {@link CredentialValidator#validate()} or from the first call.
     */
    Connector create(ConnectorConfig config, ConnectorContext context);
}
