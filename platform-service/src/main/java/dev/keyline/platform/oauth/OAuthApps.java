package dev.keyline.platform.oauth;

import java.util.Optional;

/**
 * Finds the OAuth app an authorization-code flow runs with. Order: the auth config a connect session picked, else the
 * tenant's auth config for the provider, else the operator's default app for it.
 */
public interface OAuthApps {

    /**
     * The app for a new consent.
     *
     * @param authConfigId the tenant's auth config the session picked, or null
     * @throws dev.keyline.platform.base.KeylineException {@code not_found} for a picked config that is not the tenant's,
     *     {@code provider_mismatch} (400, on {@code auth_config_id}) for one of another provider; {@code
     *     oauth_app_missing} (422) when there is no app at all, or the config's secret is gone
     */
    OAuthApp forConsent(String tenantId, String provider, String authConfigId);

    /** The app an account consented with ({@link OAuthApp#ref()}), for a refresh; empty once it was deleted. */
    Optional<OAuthApp> byRef(String tenantId, String provider, String ref);
}
