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

    /**
     * Explains, in this provider's terms, why the platform's token request for one of this connector's auth kinds
     * failed: the platform runs the OAuth and service-account flows, so the provider's answer to a wrong tenant, an
     * expired secret or a missing delegation reaches it, not the connector. The platform asks this whenever its token
     * endpoint refuses a kind of this descriptor (at link, check, reconnect and every renewal) and uses the answer in
     * place of its generic one; empty keeps the generic one.
     *
     * <p>{@code failure} carries the message code {@code auth.<error>} and the parameters {@code error} (the RFC 6749
     * §5.2 code, for example {@code invalid_client}), {@code status} (the HTTP status), and where the provider sent
     * them {@code error_description} (redacted, at most 200 characters) and {@code error_codes} (numeric codes such
     * as Microsoft's AADSTS numbers, comma-separated). A diagnosis should keep the failure's {@link ErrorCode}, name
     * the field to fix where there is one, give a message code of its own ({@code <connector id>.<reason>}) and say in
     * one plain sentence what to do. The platform keeps the {@code error} parameter on the answer so that it still
     * knows a grant gone for good from one that may work again. No network access; no secrets in the message.
     *
     * @param kind the auth kind whose token request failed
     * @param failure the platform's generic failure
     * @since SPI 3
     */
    default java.util.Optional<ConnectorException> explainTokenFailure(AuthKind kind, ConnectorException failure) {
        return java.util.Optional.empty();
    }
}
