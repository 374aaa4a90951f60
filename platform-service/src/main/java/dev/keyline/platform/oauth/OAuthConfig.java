package dev.keyline.platform.oauth;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** OAuth and service-account auth kinds: the operator's default apps and token renewal. */
@ConfigMapping(prefix = "keyline.oauth")
public interface OAuthConfig {

    /**
     * The operator's default OAuth app per connector id, for the authorization code kind, used when a tenant has
     * registered none of its own: {@code keyline.oauth.apps.okta.client-id}, {@code …client-secret} (set the secret
     * through the environment, {@code KEYLINE_OAUTH_APPS_OKTA_CLIENT_SECRET}, never in a file under version control).
     */
    Map<String, App> apps();

    /** Renew an access token this long before it expires, so no request goes out with one about to lapse. */
    @WithDefault("60s")
    Duration refreshSkew();

    /** How long one renewal may take at the token endpoint before it counts as unavailable. */
    @WithDefault("15s")
    Duration tokenTimeout();

    interface App {
        String clientId();

        String clientSecret();

        /** Scopes to request instead of the connector's. */
        Optional<List<String>> scopes();
    }
}
