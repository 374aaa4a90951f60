package dev.keyline.connector.scim;

/** The SCIM resource types Keyline reads, with the endpoint each lives at. */
public enum ScimResourceType {
    USERS("/Users", "user", "users"),
    GROUPS("/Groups", "group", "groups");

    private final String endpoint;
    private final String singular;
    private final String plural;

    ScimResourceType(String endpoint, String singular, String plural) {
        this.endpoint = endpoint;
        this.singular = singular;
        this.plural = plural;
    }

    /** The path below the SCIM base URL, for example {@code /Users}. */
    public String endpoint() {
        return endpoint;
    }

    /** A lower-case noun for messages: {@code user}. */
    public String singular() {
        return singular;
    }

    /** A lower-case plural noun for messages: {@code users}. */
    public String plural() {
        return plural;
    }
}
