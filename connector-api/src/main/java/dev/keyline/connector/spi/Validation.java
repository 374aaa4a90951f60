package dev.keyline.connector.spi;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/**
 * A successful validation: a one-line summary for people, and facts the platform may keep on the account
 * (for example the detected deployment kind). Facts never hold secrets.
 */
public record Validation(String summary, Map<String, String> facts) {
    public Validation {
        requireNonNull(summary, "summary is null");
        facts = Map.copyOf(facts);
    }
}
