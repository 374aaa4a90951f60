package dev.keyline.connector.spi;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The one exception a connector throws. Its message is shown to end users (possibly non-engineers), so
 * it must say what is wrong and what to do, and must never contain a secret.
 *
 * <p>Beside the English sentence, a failure carries a stable {@linkplain #messageCode() message code} and the
 * {@linkplain #params() parameters} the sentence was made from, so a connect UI can show it in another language:
 * {@code scim.token_rejected} with {@code {host: "directory.example.com", status: "401"}}. Codes are lower-case
 * dotted words, namespaced by the connector or library that coins them; a failure without one has the code of its
 * {@link ErrorCode} ({@code invalid_credentials}). Parameters never hold secrets either.
 */
public final class ConnectorException extends RuntimeException {
    private static final long serialVersionUID = 2L;
    private static final Pattern MESSAGE_CODE = Pattern.compile("[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)*");

    private final ErrorCode code;
    private final String field;
    private final Duration retryAfter;
    private final String messageCode;
    private final Map<String, String> params;

    public ConnectorException(ErrorCode code, String message) {
        this(code, message, null, null, null, null, Map.of());
    }

    public ConnectorException(ErrorCode code, String message, Throwable cause) {
        this(code, message, null, null, cause, null, Map.of());
    }

    private ConnectorException(
            ErrorCode code,
            String message,
            String field,
            Duration retryAfter,
            Throwable cause,
            String messageCode,
            Map<String, String> params) {
        super(requireNonNull(message, "message is null"), cause);
        this.code = requireNonNull(code, "code is null");
        this.field = field;
        this.retryAfter = retryAfter;
        if (messageCode != null && !MESSAGE_CODE.matcher(messageCode).matches()) {
            throw new IllegalArgumentException("a message code is lower-case dotted words: " + messageCode);
        }
        this.messageCode = messageCode;
        this.params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
    }

    /**
     * A failure of the given kind with the sentence people see; add a {@linkplain Builder#messageCode message code},
     * a field, a delay or a cause on the builder.
     */
    public static Builder builder(ErrorCode code, String message) {
        return new Builder(code, message);
    }

    /** A failure that concerns one credential field, so a form can show it next to that field. */
    public static ConnectorException forField(ErrorCode code, String field, String message) {
        return builder(code, message)
                .field(requireNonNull(field, "field is null"))
                .build();
    }

    public static ConnectorException forField(ErrorCode code, String field, String message, Throwable cause) {
        return builder(code, message)
                .field(requireNonNull(field, "field is null"))
                .cause(cause)
                .build();
    }

    public static ConnectorException rateLimited(Duration retryAfter, String message) {
        return builder(ErrorCode.RATE_LIMITED, message).retryAfter(retryAfter).build();
    }

    public static ConnectorException unsupported(Capability capability) {
        return builder(ErrorCode.UNSUPPORTED, "This connector does not support " + capability.description() + ".")
                .messageCode("connector.unsupported")
                .param("capability", capability.name().toLowerCase(Locale.ROOT))
                .build();
    }

    public ErrorCode code() {
        return code;
    }

    /** The credential field this failure concerns, when it concerns one. */
    public Optional<String> field() {
        return Optional.ofNullable(field);
    }

    /** How long the upstream asked us to wait, for {@link ErrorCode#RATE_LIMITED}. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    /** The stable code of the sentence: the one set, or the {@link ErrorCode}'s name in lower case. */
    public String messageCode() {
        return messageCode != null ? messageCode : code.name().toLowerCase(Locale.ROOT);
    }

    /** The values the sentence was made from, by name, in the order they were added; never secrets. */
    public Map<String, String> params() {
        return params;
    }

    /** A copy that concerns the given field, unless it already names one. */
    public ConnectorException withField(String field) {
        if (this.field != null) {
            return this;
        }
        return new ConnectorException(code, getMessage(), field, retryAfter, getCause(), messageCode, params);
    }

    /** A builder holding this failure's values, to make a changed copy (for example a clearer sentence). */
    public Builder toBuilder() {
        Builder builder =
                builder(code, getMessage()).field(field).retryAfter(retryAfter).cause(getCause());
        builder.messageCode = messageCode;
        builder.params.putAll(params);
        return builder;
    }

    @Override
    public String toString() {
        return "ConnectorException[" + code + (field == null ? "" : ", field=" + field) + "]: " + getMessage();
    }

    /** Builds a {@link ConnectorException}. */
    public static final class Builder {
        private final ErrorCode code;
        private final String message;
        private String field;
        private Duration retryAfter;
        private Throwable cause;
        private String messageCode;
        private final Map<String, String> params = new LinkedHashMap<>();

        private Builder(ErrorCode code, String message) {
            this.code = requireNonNull(code, "code is null");
            this.message = requireNonNull(message, "message is null");
        }

        /** The credential field to fix, so a form can show the failure next to it. */
        public Builder field(String field) {
            this.field = field;
            return this;
        }

        public Builder retryAfter(Duration retryAfter) {
            this.retryAfter = retryAfter;
            return this;
        }

        public Builder cause(Throwable cause) {
            this.cause = cause;
            return this;
        }

        /**
         * The stable code of the sentence, lower-case dotted words namespaced by whoever coins it ({@code
         * scim.token_rejected}); a new code for each distinct sentence, never reused for another.
         */
        public Builder messageCode(String messageCode) {
            this.messageCode = messageCode;
            return this;
        }

        /** A value the sentence was made from, such as a host or a status; null values are left out. */
        public Builder param(String name, Object value) {
            if (value != null) {
                params.put(requireNonNull(name, "name is null"), String.valueOf(value));
            }
            return this;
        }

        public ConnectorException build() {
            return new ConnectorException(code, message, field, retryAfter, cause, messageCode, params);
        }
    }
}
