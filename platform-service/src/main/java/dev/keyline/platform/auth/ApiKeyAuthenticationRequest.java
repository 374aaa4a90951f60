package dev.keyline.platform.auth;

import static java.util.Objects.requireNonNull;

import io.quarkus.security.identity.request.BaseAuthenticationRequest;

/** An opaque bearer key (operator or tenant API key) waiting to be checked. */
public final class ApiKeyAuthenticationRequest extends BaseAuthenticationRequest {
    private final String key;

    public ApiKeyAuthenticationRequest(String key) {
        this.key = requireNonNull(key, "key is null");
    }

    public String key() {
        return key;
    }

    @Override
    public String toString() {
        return "ApiKeyAuthenticationRequest";
    }
}
