package dev.keyline.platform.session;

import dev.keyline.platform.authconfig.OAuthRedirect;
import jakarta.enterprise.context.ApplicationScoped;

/** The authorization code kind's redirect URI: the connect base's {@code /oauth/callback}. */
@ApplicationScoped
public class ConnectOAuthRedirect implements OAuthRedirect {
    static final String PATH = "/oauth/callback";

    private final ConnectBase connectBase;

    ConnectOAuthRedirect(ConnectBase connectBase) {
        this.connectBase = connectBase;
    }

    @Override
    public String uri() {
        return connectBase.url() + PATH;
    }
}
