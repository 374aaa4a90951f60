package dev.keyline.platform.tenant;

/**
 * The tenant the current request acts for, resolved from its API key or OIDC access token. Resources of
 * tenant-scoped features inject this and pass {@link #id()} down, so every query is filtered by tenant.
 */
public interface CurrentTenant {

    /** The tenant's id; throws a 401 problem when the request is not authenticated as a tenant. */
    String id();
}
