package dev.keyline.platform.auth;

import dev.keyline.platform.base.Tokens;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;

/**
 * Claims {@code Authorization: Bearer} values that are opaque API keys, and leaves JWTs to quarkus-oidc. It
 * runs before OIDC's mechanism: an invalid API key fails here with 401, while a JWT (or a connect-session
 * token, which is only valid on the connect endpoints) is passed on by answering "no identity".
 */
@ApplicationScoped
public class ApiKeyAuthenticationMechanism implements HttpAuthenticationMechanism {

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identityProviderManager) {
        String token = Tokens.bearer(context.request().getHeader(HttpHeaders.AUTHORIZATION));
        if (token == null || Tokens.looksLikeJwt(token) || token.startsWith(Tokens.SESSION_TOKEN_PREFIX)) {
            return Uni.createFrom().optional(java.util.Optional.empty());
        }
        return identityProviderManager.authenticate(new ApiKeyAuthenticationRequest(token));
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(new ChallengeData(401, "WWW-Authenticate", "Bearer"));
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(ApiKeyAuthenticationRequest.class);
    }

    @Override
    public int getPriority() {
        // Above quarkus-oidc's mechanism, whose failure on an opaque key would end the chain.
        return DEFAULT_PRIORITY + 1000;
    }
}
