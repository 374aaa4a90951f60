package dev.keyline.platform.auth;

import dev.keyline.platform.base.KeylineException;
import dev.keyline.platform.base.Roles;
import dev.keyline.platform.observe.OperatorLog;
import dev.keyline.platform.tenant.CurrentTenant;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import org.jboss.logging.MDC;

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
        // Every line logged for the rest of the request names the tenant (JSON logs: tenant_id).
        MDC.put(OperatorLog.TENANT_ID, tenantId.toString());
        return tenantId.toString();
    }
}
