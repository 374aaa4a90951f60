package dev.keyline.platform.api;

/**
 * Constants for documenting an operation's own error statuses with {@code @APIResponse}: the problem media type
 * and the {@code Problem} schema the document's components hold. The statuses every operation shares (401, 403,
 * 429, default…) are added to the document in one place instead.
 */
public final class ProblemDocs {
    public static final String MEDIA_TYPE = "application/problem+json";
    public static final String SCHEMA = "Problem";

    private ProblemDocs() {}
}
