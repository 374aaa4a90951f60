package dev.keyline.connector.spi;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The values a user entered for a connector's credential fields and, for an account authorized by an OAuth or
 * service-account {@link AuthKind}, its {@link #authorization()}. {@link #toString()} masks the secret ones so a
 * config can never leak through a log line.
 */
public final class ConnectorConfig {
    private final Map<String, String> values;
    private final Set<String> secretKeys;
    private final Authorization authorization;

    public ConnectorConfig(Map<String, String> values, Set<String> secretKeys) {
        this(values, secretKeys, null);
    }

    private ConnectorConfig(Map<String, String> values, Set<String> secretKeys, Authorization authorization) {
        this.values = Map.copyOf(requireNonNull(values, "values is null"));
        this.secretKeys = Set.copyOf(requireNonNull(secretKeys, "secretKeys is null"));
        this.authorization = authorization;
    }

    /**
     * The platform-run authorization of an account linked with an OAuth or service-account kind; empty for
     * {@link AuthKind#fields()}, where the connector reads its secret fields itself.
     */
    public Optional<Authorization> authorization() {
        return Optional.ofNullable(authorization);
    }

    /** A copy carrying this authorization (the platform attaches it; tests and the kit do too). */
    public ConnectorConfig withAuthorization(Authorization authorization) {
        return new ConnectorConfig(values, secretKeys, requireNonNull(authorization, "authorization is null"));
    }

    /** The kind the account was linked with. */
    public AuthKind.Type authKind() {
        return authorization == null ? AuthKind.Type.FIELDS : authorization.kind();
    }

    public static ConnectorConfig of(ConnectorDescriptor descriptor, Map<String, String> values) {
        return new ConnectorConfig(values, descriptor.secretKeys());
    }

    /** The trimmed value, or empty when absent or blank. */
    public Optional<String> find(String key) {
        String value = values.get(key);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
    }

    /** The trimmed value, or {@link ErrorCode#INVALID_CONFIG} naming the field. */
    public String require(String key, String label) {
        return find(key)
                .orElseThrow(() -> ConnectorException.forField(ErrorCode.INVALID_CONFIG, key, label + " is required."));
    }

    public Map<String, String> values() {
        return values;
    }

    public Set<String> secretKeys() {
        return secretKeys;
    }

    /** The values of the secret fields, for redaction. */
    public Set<String> secretValues() {
        return secretKeys.stream()
                .map(values::get)
                .filter(v -> v != null && !v.isBlank())
                .collect(java.util.stream.Collectors.toUnmodifiableSet());
    }

    /** A copy with one value replaced. */
    public ConnectorConfig with(String key, String value) {
        Map<String, String> copy = new TreeMap<>(values);
        copy.put(key, value);
        return new ConnectorConfig(copy, secretKeys, authorization);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConnectorConfig other && values.equals(other.values) && secretKeys.equals(other.secretKeys);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        Map<String, String> shown = new TreeMap<>();
        values.forEach((k, v) -> shown.put(k, secretKeys.contains(k) ? "****" : v));
        return "ConnectorConfig" + shown
                + (authorization == null ? "" : "+" + authorization.kind().wireName());
    }
}
