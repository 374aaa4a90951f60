package dev.keyline.platform.base;

/** The two kinds of caller. Resources declare them with {@code @RolesAllowed}. */
public final class Roles {
    /** Manages tenants. Comes from an operator API key or the IdP's {@code operator} role. */
    public static final String OPERATOR = "operator";

    /** Acts for exactly one tenant, named by {@link #TENANT_ID_ATTRIBUTE}. */
    public static final String TENANT = "tenant";

    /** The identity attribute holding the tenant id, set for every identity with the {@link #TENANT} role. */
    public static final String TENANT_ID_ATTRIBUTE = "keyline.tenant_id";

    private Roles() {}
}
