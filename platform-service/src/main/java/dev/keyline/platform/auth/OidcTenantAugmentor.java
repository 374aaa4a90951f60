package dev.keyline.platform.auth;

import dev.keyline.platform.base.Roles;
import dev.keyline.platform.tenant.TenantService;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonString;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Gives OIDC callers Keyline's roles. The {@code tenant} role is granted only when the configured tenant
 * claim names an existing tenant, and is removed otherwise even if the IdP sent it, so an IdP group alone can
 * never act for a tenant. The {@code operator} role comes from the token's roles (groups) as mapped by
 * quarkus-oidc.
 */
@ApplicationScoped
public class OidcTenantAugmentor implements SecurityIdentityAugmentor {

    @Inject
    AuthConfig config;

    @Inject
    TenantService tenants;

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (identity.isAnonymous() || !(identity.getPrincipal() instanceof JsonWebToken jwt)) {
            return Uni.createFrom().item(identity);
        }
        Object claim = jwt.getClaim(config.tenantClaim());
        String tenantId = claim instanceof JsonString json
                ? json.getString().strip()
                : claim instanceof String text ? text.strip() : null;
        if (tenantId == null || tenantId.isEmpty()) {
            return Uni.createFrom().item(withTenant(identity, null));
        }
        return context.runBlocking(() -> withTenant(identity, tenants.exists(tenantId) ? tenantId : null));
    }

    private static SecurityIdentity withTenant(SecurityIdentity identity, String tenantId) {
        QuarkusSecurityIdentity.Builder builder = QuarkusSecurityIdentity.builder()
                .setPrincipal(identity.getPrincipal())
                .setAnonymous(false)
                .addCredentials(identity.getCredentials())
                .addAttributes(identity.getAttributes())
                .addPermissionChecker(identity::checkPermission);
        identity.getRoles().stream().filter(r -> !Roles.TENANT.equals(r)).forEach(builder::addRole);
        if (tenantId != null) {
            builder.addRole(Roles.TENANT).addAttribute(Roles.TENANT_ID_ATTRIBUTE, tenantId);
        }
        return builder.build();
    }
}
