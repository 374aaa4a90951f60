package dev.keyline.platform.api;

/**
 * The API's version, the first segment of every API path. Within a version, changes only add: new operations,
 * new optional parameters, new response members and new enum values (clients must ignore unknown ones);
 * removing or renaming anything, or tightening what a request may carry, needs the next version (docs/api.md).
 */
public final class ApiVersion {
    public static final String PREFIX = "/v1";

    private ApiVersion() {}
}
