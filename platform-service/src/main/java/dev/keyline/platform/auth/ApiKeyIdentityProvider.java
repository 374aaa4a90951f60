package dev.keyline.platform.auth;

import dev.keyline.platform.base.Roles;
import dev.keyline.platform.base.Tokens;
import dev.keyline.platform.cache.RecentlyRead;
import dev.keyline.platform.tenant.ApiKeyRevoked;
import dev.keyline.platform.tenant.TenantDeletion;
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
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Turns an API key into an operator or tenant identity. Keys are compared by their SHA-256 hash only. */
@ApplicationScoped
public class ApiKeyIdentityProvider implements IdentityProvider<ApiKeyAuthenticationRequest> {
    private static final int MAX_RECENT_KEYS = 10_000;

    private final List<byte[]> operatorKeyHashes;

    /**
     * Tenant keys the database confirmed as live a moment ago, by hash, so most requests authenticate without a
     * query. Unknown and revoked keys are never kept (a guessed key always costs a query); a revocation or a
     * tenant's deletion drops them here once committed, and on other replicas within the TTL.
     */
    private final RecentlyRead<String, KeyOwner> recentKeys;

    @Inject
    TenantService tenants;

    @Inject
    public ApiKeyIdentityProvider(AuthConfig config) {
        this.recentKeys = new RecentlyRead<>(config.apiKeyCacheTtl().toNanos(), MAX_RECENT_KEYS);
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
        Optional<KeyOwner> recent = recentKeys.recent(hash);
        if (recent.isPresent()) {
            // Confirmed a moment ago: answered here, without a query or a hop to a worker thread.
            return Uni.createFrom().item(tenantIdentity(recent.get()));
        }
        return context.runBlocking(() -> Optional.ofNullable(recentKeys.get(
                        hash, () -> tenants.authenticateApiKey(hash).orElse(null)))
                .map(ApiKeyIdentityProvider::tenantIdentity)
                .orElseThrow(() -> new AuthenticationFailedException("unknown or revoked API key")));
    }

    // Dropped once the revoking transaction completed: dropped earlier, a concurrent request could cache the row as
    // it still is.
    void onRevoked(@Observes(during = TransactionPhase.AFTER_COMPLETION) ApiKeyRevoked revoked) {
        recentKeys.forgetAll((hash, owner) -> owner.keyId().equals(revoked.keyId()));
    }

    void onTenantDeletion(@Observes TenantDeletion deletion) {
        deletion.afterDeletion(
                () -> recentKeys.forgetAll((hash, owner) -> owner.tenantId().equals(deletion.tenantId())));
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
