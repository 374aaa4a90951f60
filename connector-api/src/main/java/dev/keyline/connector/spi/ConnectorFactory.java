package dev.keyline.connector.spi;

/**
 * The entry point of a connector plugin, found with {@link java.util.ServiceLoader} (register it in
 * {@code META-INF/services/dev.keyline.connector.spi.ConnectorFactory}). One factory serves the whole
 * platform; it creates one {@link Connector} per use. Factories must be stateless and thread-safe, and
 * need a public no-argument constructor.
 *
 * <p>The platform calls every method of a plugin (this factory's and its connectors') on threads of that connector's
 * own, under a deadline: a call that outlives it is abandoned and reported as {@link ErrorCode#TIMEOUT}, and any
 * {@link Throwable} a plugin lets out fails that one call. A plugin should still honour interrupts and use the
 * transport's time-outs, so an abandoned call frees its thread.
 */
public interface ConnectorFactory {

    /**
     * Stable id, for example {@code onepassword}: the descriptor's. SPI 1 plugins implemented this themselves; in SPI
     * 2 the descriptor says it once, and a plugin that still overrides it must return the same value (the loader
     * refuses it otherwise).
     */
    default String id() {
        return descriptor().id();
    }

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
