package dev.keyline.platform.authconfig;

import static java.util.Objects.requireNonNull;

import dev.keyline.platform.authconfig.AuthConfigStore.AuthConfig;
import dev.keyline.platform.base.FailureCode;
import dev.keyline.platform.base.KeylineException;
import dev.keyline.platform.base.KeylineException.Kind;
import dev.keyline.platform.oauth.OAuthApp;
import dev.keyline.platform.oauth.OAuthApps;
import dev.keyline.platform.oauth.OAuthConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;

/**
 * The OAuth app of an authorization code flow: the auth config a session picked, else the tenant's newest for the
 * provider, else the operator's default. Secrets come from the credential store at each call, so a replaced secret
 * is used at once.
 */
@ApplicationScoped
public class DefaultOAuthApps implements OAuthApps {
    private static final String TENANT_PREFIX = OAuthApp.tenantRef("");

    private final OAuthConfig config;
    private final AuthConfigService configs;

    public DefaultOAuthApps(OAuthConfig config, AuthConfigService configs) {
        this.config = requireNonNull(config, "config is null");
        this.configs = requireNonNull(configs, "configs is null");
    }

    @Override
    public OAuthApp forConsent(String tenantId, String provider, String authConfigId) {
        requireNonNull(tenantId, "tenantId is null");
        requireNonNull(provider, "provider is null");
        if (authConfigId != null) {
            AuthConfig picked = configs.requireFor(tenantId, authConfigId, provider, "auth_config_id");
            return tenantApp(picked).orElseThrow(() -> secretMissing(picked));
        }
        Optional<AuthConfig> newest = configs.newest(tenantId, provider);
        if (newest.isPresent()) {
            return tenantApp(newest.get()).orElseThrow(() -> secretMissing(newest.get()));
        }
        return operatorApp(provider)
                .orElseThrow(() -> KeylineException.of(
                                Kind.UNPROCESSABLE,
                                FailureCode.OAUTH_APP_MISSING,
                                "No OAuth app",
                                "There is no OAuth app for '" + provider + "': register one with POST"
                                        + " /v1/auth-configs, or ask the operator to set a default app"
                                        + " (keyline.oauth.apps." + provider + ".client-id).")
                        .field("provider"));
    }

    @Override
    public Optional<OAuthApp> byRef(String tenantId, String provider, String ref) {
        if (OAuthApp.OPERATOR.equals(ref)) {
            return operatorApp(provider);
        }
        if (ref == null || !ref.startsWith(TENANT_PREFIX)) {
            return Optional.empty();
        }
        // Empty once deleted since the consent: the caller asks the person to reconnect.
        return configs.find(tenantId, ref.substring(TENANT_PREFIX.length()))
                .filter(config -> config.provider().equals(provider))
                .flatMap(this::tenantApp);
    }

    private Optional<OAuthApp> tenantApp(AuthConfig config) {
        return configs.secret(config)
                .map(secret ->
                        new OAuthApp(OAuthApp.tenantRef(config.id()), config.clientId(), secret, config.scopes()));
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

    /** A config whose secret the credential store lost (a restore from an older backup): it must be re-entered. */
    private static KeylineException secretMissing(AuthConfig config) {
        return KeylineException.of(
                        Kind.UNPROCESSABLE,
                        FailureCode.OAUTH_APP_MISSING,
                        "No OAuth app",
                        "The client secret of auth config " + config.id() + " is missing: set it again with PATCH"
                                + " /v1/auth-configs/" + config.id() + ".")
                .field("auth_config_id");
    }
}
