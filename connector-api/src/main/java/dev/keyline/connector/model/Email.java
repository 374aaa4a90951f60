package dev.keyline.connector.model;

import static java.util.Objects.requireNonNull;

/** An e-mail address; {@code type} is the provider's label ({@code work}, …) or null when it gives none. */
public record Email(String value, String type, boolean primary) {
    public Email {
        requireNonNull(value, "value is null");
        if (type != null && type.isBlank()) {
            type = null;
        }
    }
}
