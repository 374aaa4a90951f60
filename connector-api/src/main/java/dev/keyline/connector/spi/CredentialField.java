package dev.keyline.connector.spi;

import static java.util.Objects.requireNonNull;

/**
 * One field the connect form asks for. The descriptor's fields drive the form, so they carry everything a
 * person needs to fill them in. Make one with {@link #builder(String)}; the constructors and positional factories
 * are kept for plugins built against SPI 1.
 *
 * @param key the configuration key, for example {@code scim_url}
 * @param label short label shown beside the input
 * @param help one or two sentences on where to find the value
 * @param example an example value (never a real secret), or null
 * @param pattern a regular expression a well-formed value matches, or null; a hint for forms, the
 *     connector still validates
 * @param secret whether the value is a secret: masked in forms, never logged or returned, stored encrypted
 * @param type how the form should treat the value
 * @param routing whether the value decides where the connector sends requests (a URL, host, domain, tenant,
 *     region or base). The platform never sends stored secrets to a changed destination: changing a routing
 *     field requires every secret field again in the same request. Never true for a secret field.
 * @param fill whether a person must fill it, may leave it blank, or never sees it (SPI 3)
 */
public record CredentialField(
        String key,
        String label,
        String help,
        String example,
        String pattern,
        boolean secret,
        Type type,
        boolean routing,
        Fill fill) {
    public enum Type {
        URL,
        TEXT,
        SECRET
    }

    /** Who provides a field's value (SPI 3). */
    public enum Fill {
        /** The person must fill it. */
        REQUIRED,
        /** The person may leave it blank; {@link ConnectorFactory#normalize} supplies the default. */
        OPTIONAL,
        /**
         * Never asked for: {@link ConnectorFactory#normalize} sets it from the other fields (a national cloud's hosts
         * from the cloud chosen), so auth kinds' templates may name it. A value a person sends is replaced.
         */
        DERIVED
    }

    public CredentialField {
        requireNonNull(key, "key is null");
        requireNonNull(label, "label is null");
        requireNonNull(help, "help is null");
        requireNonNull(type, "type is null");
        requireNonNull(fill, "fill is null");
        if (fill == Fill.DERIVED && type == Type.SECRET) {
            throw new IllegalArgumentException("field " + key + ": a secret field cannot be derived");
        }
        if (!key.matches("[a-z][a-z0-9_]*")) {
            throw new IllegalArgumentException("field key must be snake_case: " + key);
        }
        if (secret != (type == Type.SECRET)) {
            throw new IllegalArgumentException("field " + key + ": secret fields and SECRET type go together");
        }
        if (routing && secret) {
            throw new IllegalArgumentException("field " + key + ": a secret field cannot be a routing field");
        }
        if (type == Type.URL && !routing) {
            // A URL says where requests go; unmarking it would let stored secrets follow a changed one.
            throw new IllegalArgumentException("field " + key + ": a URL field is always a routing field");
        }
    }

    /**
     * The constructor of SPI 1, kept so plugins built against it still load. A URL field decides where
     * requests go, so it is a routing field; other fields are not.
     */
    public CredentialField(
            String key, String label, String help, String example, String pattern, boolean secret, Type type) {
        this(key, label, help, example, pattern, secret, type, type == Type.URL);
    }

    /** The constructor of SPI 2, kept so plugins built against it still load: a field a person must fill. */
    public CredentialField(
            String key,
            String label,
            String help,
            String example,
            String pattern,
            boolean secret,
            Type type,
            boolean routing) {
        this(key, label, help, example, pattern, secret, type, routing, Fill.REQUIRED);
    }

    /** A URL field; it is a routing field. */
    public static CredentialField url(String key, String label, String help, String example, String pattern) {
        return new CredentialField(key, label, help, example, pattern, false, Type.URL, true);
    }

    /** A plain text field that is not a secret and does not decide where requests go. */
    public static CredentialField text(String key, String label, String help, String example, String pattern) {
        return new CredentialField(key, label, help, example, pattern, false, Type.TEXT, false);
    }

    /**
     * A plain text field that decides where requests go, such as a host, a domain, a tenant or a region: the
     * platform treats a change of it like a change of URL.
     */
    public static CredentialField routingText(String key, String label, String help, String example, String pattern) {
        return new CredentialField(key, label, help, example, pattern, false, Type.TEXT, true);
    }

    public static CredentialField secret(String key, String label, String help, String example) {
        return new CredentialField(key, label, help, example, null, true, Type.SECRET, false);
    }

    /** The same field, marked as deciding (or not deciding) where requests go. */
    public CredentialField withRouting(boolean routing) {
        return new CredentialField(key, label, help, example, pattern, secret, type, routing, fill);
    }

    /**
     * A field with this configuration key (snake_case). It is a plain text field unless {@link Builder#type} says
     * otherwise; {@code label} and {@code help} are required.
     */
    public static Builder builder(String key) {
        return new Builder(key);
    }

    /** Builds a {@link CredentialField}. */
    public static final class Builder {
        private final String key;
        private String label;
        private String help;
        private String example;
        private String pattern;
        private Type type = Type.TEXT;
        private Boolean routing;
        private Fill fill = Fill.REQUIRED;

        private Builder(String key) {
            this.key = requireNonNull(key, "key is null");
        }

        public Builder label(String label) {
            this.label = label;
            return this;
        }

        public Builder help(String help) {
            this.help = help;
            return this;
        }

        /** An example value shown as a placeholder; never a real secret. */
        public Builder example(String example) {
            this.example = example;
            return this;
        }

        /** A regular expression a well-formed value matches: a hint for forms, the connector still validates. */
        public Builder pattern(String pattern) {
            this.pattern = pattern;
            return this;
        }

        /**
         * How the form treats the value. {@link Type#SECRET} makes it a secret; {@link Type#URL} makes it a routing
         * field.
         */
        public Builder type(Type type) {
            this.type = requireNonNull(type, "type is null");
            return this;
        }

        /** Shorthand for {@code type(Type.SECRET)}. */
        public Builder secret() {
            return type(Type.SECRET);
        }

        /** Shorthand for {@code type(Type.URL)}. */
        public Builder url() {
            return type(Type.URL);
        }

        /**
         * Marks a text field as deciding where requests go (a host, a domain, a tenant, a region), so the platform
         * treats a change of it like a change of URL. URL fields always are.
         */
        public Builder routing() {
            this.routing = true;
            return this;
        }

        /** A field a person may leave blank: the connector's {@code normalize} supplies the default. */
        public Builder optional() {
            this.fill = Fill.OPTIONAL;
            return this;
        }

        /**
         * A field no person is asked for: the connector's {@code normalize} derives it from the others, and templates
         * may name it (see {@link Fill#DERIVED}).
         */
        public Builder derived() {
            this.fill = Fill.DERIVED;
            return this;
        }

        public CredentialField build() {
            if (label == null || label.isBlank()) {
                throw new IllegalArgumentException("field " + key + " has no label");
            }
            if (help == null || help.isBlank()) {
                throw new IllegalArgumentException("field " + key + " has no help");
            }
            boolean isRouting = routing != null ? routing : type == Type.URL;
            return new CredentialField(key, label, help, example, pattern, type == Type.SECRET, type, isRouting, fill);
        }
    }
}
