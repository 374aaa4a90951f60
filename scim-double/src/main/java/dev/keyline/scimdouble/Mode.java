package dev.keyline.scimdouble;

/** What the upstream is as a whole, as opposed to a {@link Fault} that hits some requests. */
public enum Mode {
    /** A working SCIM service. */
    SCIM,
    /**
     * A bridge whose SCIM API is switched off (as when it is tied to Google Workspace): {@code /Users} and
     * {@code /scim/Users} answer 404, {@code /} redirects to {@code /app/login}, which serves an HTML page.
     * {@code /ping} still answers.
     */
    SCIM_API_DISABLED,
    /** Something that is not SCIM at all: every path answers 200 with JSON that is not a ListResponse. */
    NOT_SCIM
}
