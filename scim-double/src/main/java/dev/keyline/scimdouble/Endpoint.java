package dev.keyline.scimdouble;

/** What a request asked for, whichever URL form it used. Faults and the request log are keyed by it. */
public enum Endpoint {
    LIST_USERS,
    GET_USER,
    LIST_GROUPS,
    GET_GROUP,
    RESOURCE_TYPES,
    SERVICE_PROVIDER_CONFIG,
    SCHEMAS,
    /** The bridge's {@code GET /health}. */
    HEALTH,
    /** The bridge's unauthenticated {@code GET /ping}. */
    PING,
    /** Anything else, including unknown paths. */
    OTHER;

    public boolean listing() {
        return this == LIST_USERS || this == LIST_GROUPS;
    }
}
