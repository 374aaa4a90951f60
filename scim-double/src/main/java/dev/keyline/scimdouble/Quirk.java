package dev.keyline.scimdouble;

/** Switchable departures from textbook SCIM, each seen in 1Password's deployments or worth defending against. */
public enum Quirk {
    /** List responses say {@code "startIndex": 0} although the first item is number 1 (seen on hosted). */
    START_INDEX_ZERO,
    /** {@code meta} carries only {@code resourceType}. */
    META_RESOURCE_TYPE_ONLY,
    /** {@code meta.created} and {@code meta.lastModified} are empty strings. */
    META_EMPTY_TIMESTAMPS,
    /** A user's group references carry the URI under {@code ref} instead of {@code $ref}. */
    GROUP_REF_WITHOUT_DOLLAR,
    /** {@code GET /Groups} omits {@code members}; only {@code GET /Groups/{id}} has them. */
    GROUPS_LISTED_WITHOUT_MEMBERS,
    /** {@code /ResourceTypes} names the user endpoint {@code /scim/v2/User} (singular). */
    SINGULAR_USER_ENDPOINT,
    /** A request with {@code sortBy} is answered 400 (1Password does not support sorting). */
    SORT_BY_REJECTED,
    /** A missing or wrong token is answered 403 instead of 401. */
    FORBIDDEN_FOR_WRONG_TOKEN,
    /**
     * Users carry no {@code groups} attribute at all; only groups list their members (as many SCIM servers do,
     * RFC 7643 making a user's {@code groups} read-only and optional).
     */
    MEMBERSHIP_ON_GROUPS_ONLY,
    /** A group's members carry {@code value} and {@code $ref} but no {@code display}. */
    MEMBERS_WITHOUT_DISPLAY,
    /** A list's {@code totalResults} is the number of resources on the page, not the number of all matches. */
    TOTAL_RESULTS_LIES_LOW
}
