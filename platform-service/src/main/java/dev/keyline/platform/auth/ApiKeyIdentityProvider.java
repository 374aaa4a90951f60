package dev.keyline.platform.auth;

import dev.keyline.platform.tenant.TenantDtos.KeyOwner;
import dev.keyline.platform.tenant.TenantService;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Turns an API key into an operator or tenant identity. Keys are compared by their SHA-256 hash only. */
@ApplicationScoped
public class ApiKeyIdentityProvider implements IdentityProvider<ApiKeyAuthenticationRequest> {
    private final List<byte[]> operatorKeyHashes;

    @Inject
    TenantService tenants;

    @Inject
    public ApiKeyIdentityProvider(AuthConfig config) {
        this.operatorKeyHashes = config.operatorKeySha256().orElse(List.of()).stream()
                .map(h -> h.strip().toLowerCase(Locale.ROOT))
                .filter(h -> !h.isEmpty())
                .map(h -> h.getBytes(StandardCharsets.US_ASCII))
                .toList();
    }

    @Override
    public Class<ApiKeyAuthenticationRequest> getRequestType() {
        return ApiKeyAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(
            ApiKeyAuthenticationRequest request, AuthenticationRequestContext context) {
        String hash = Tokens.sha256(request.key());
        if (isOperatorKey(hash)) {
            return Uni.createFrom()
                    .item(QuarkusSecurityIdentity.builder()
                            .setPrincipal(new QuarkusPrincipal("operator-key:" + hash.substring(0, 12)))
                            .addRole(Roles.OPERATOR)
                            .build());
        }
        Optional<KeyOwner> recent = tenants.recentlyAuthenticated(hash);
        if (recent.isPresent()) {
            // Confirmed a moment ago: answered here, without a query or a hop to a worker thread.
            return Uni.createFrom().item(tenantIdentity(recent.get()));
        }
        return context.runBlocking(() -> tenants.authenticateApiKey(hash)
                .map(ApiKeyIdentityProvider::tenantIdentity)
                .orElseThrow(() -> new AuthenticationFailedException("unknown or revoked API key")));
    }

    private static SecurityIdentity tenantIdentity(KeyOwner key) {
        return QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal("api-key:" + key.keyId()))
                .addRole(Roles.TENANT)
                .addAttribute(Roles.TENANT_ID_ATTRIBUTE, key.tenantId())
                .build();
    }

    private boolean isOperatorKey(String hash) {
        byte[] candidate = hash.getBytes(StandardCharsets.US_ASCII);
        boolean match = false;
        for (byte[] known : operatorKeyHashes) {
            match |= MessageDigest.isEqual(known, candidate);
        }
        return match;
    }
}
