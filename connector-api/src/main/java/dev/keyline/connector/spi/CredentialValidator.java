package dev.keyline.connector.spi;

/**
 * Checks that the configured credentials reach the provider's API and may read the directory.
 *
 * <p>Validation must be cheap (a few small requests, never a full listing) and must diagnose: on failure
 * it throws a {@link ConnectorException} whose code and message say precisely what is wrong and, through
 * {@link ConnectorException#field()}, which field to fix.
 */
public interface CredentialValidator {
    Validation validate();
}
