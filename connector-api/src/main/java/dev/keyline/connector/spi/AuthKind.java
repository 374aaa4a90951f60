package dev.keyline.connector.spi;

import static java.util.Objects.requireNonNull;

import java.util.Locale;

/**
 * How an account of a connector is authorized. A descriptor declares one or more kinds; the platform runs the flow
 * of each and hands the connector the result through its {@link ConnectorConfig}. SPI 2 knows one kind, {@link
 * #fields()}: a person types the credential fields. Later versions add kinds the platform runs itself (OAuth2 flows,
 * service accounts) through new factories here, so adding one never changes a connector that does not use it.
 *
 * <p>A class rather than a record or an enum so kinds can gain settings without breaking built plugins.
 */
public final class AuthKind {
    /** The kinds this SPI knows. */
    public enum Type {
        /** The descriptor's credential fields, typed by a person; secret ones stored encrypted. */
        FIELDS;

        /** The name in the API, for example {@code fields}. */
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private static final AuthKind FIELDS = new AuthKind(Type.FIELDS);

    private final Type type;

    private AuthKind(Type type) {
        this.type = requireNonNull(type, "type is null");
    }

    /** A person types the descriptor's credential fields (a URL, a token, a domain). */
    public static AuthKind fields() {
        return FIELDS;
    }

    public Type type() {
        return type;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AuthKind other && type == other.type;
    }

    @Override
    public int hashCode() {
        return type.hashCode();
    }

    @Override
    public String toString() {
        return type.wireName();
    }
}
