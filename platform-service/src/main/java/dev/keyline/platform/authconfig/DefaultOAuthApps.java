package dev.keyline.platform.authconfig;

import dev.keyline.platform.base.FailureCode;
import dev.keyline.platform.base.KeylineException;
import dev.keyline.platform.oauth.OAuthApp;
import dev.keyline.platform.oauth.OAuthApps;
import dev.keyline.platform.oauth.OAuthConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;

/** The OAuth app of an authorization code flow: the tenant's own (auth configs), else the operator's default. */
@ApplicationScoped
public class DefaultOAuthApps implements OAuthApps {

    @Inject
    OAuthConfig config;

    @Override
    public OAuthApp forConsent(String tenantId, String provider, String authConfigId) {
        return operatorApp(provider)
                .orElseThrow(() -> KeylineException.invalid(
                                FailureCode.OAUTH_APP_MISSING,
                                "There is no OAuth app for '" + provider + "': register one with POST /auth-configs,"
                                        + " or ask the operator to set a default app (keyline.oauth.apps." + provider
                                        + ".client-id).")
                        .field("provider"));
    }

    @Override
    public Optional<OAuthApp> byRef(String tenantId, String provider, String ref) {
        return OAuthApp.OPERATOR.equals(ref) ? operatorApp(provider) : Optional.empty();
    }

    private Optional<OAuthApp> operatorApp(String provider) {
        OAuthConfig.App app = config.apps().get(provider);
        if (app == null) {
            return Optional.empty();
        }
        return Optional.of(new OAuthApp(
                OAuthApp.OPERATOR,
                app.clientId(),
                app.clientSecret(),
                app.scopes().orElse(List.of())));
    }
}
