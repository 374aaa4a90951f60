package dev.keyline.platform.auth;

import dev.keyline.platform.base.KeylineException;
import dev.keyline.platform.base.Roles;
import dev.keyline.platform.tenant.CurrentTenant;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;

/** The tenant of the current request, taken from the authenticated identity (API key or OIDC token). */
@RequestScoped
public class RequestCurrentTenant implements CurrentTenant {

    @Inject
    SecurityIdentity identity;

    @Override
    public String id() {
        Object tenantId = identity.getAttribute(Roles.TENANT_ID_ATTRIBUTE);
        if (tenantId == null || !identity.hasRole(Roles.TENANT)) {
            throw KeylineException.unauthenticated("Send a tenant API key or an access token that names a tenant.");
        }
        return tenantId.toString();
    }
}
