package dev.keyline.platform.account;

import dev.keyline.connector.spi.ConnectorConfig;
import dev.keyline.connector.spi.ConnectorDescriptor;
import dev.keyline.connector.spi.ConnectorFactory;
import dev.keyline.connector.spi.CredentialField;
import dev.keyline.platform.base.FailureCode;
import dev.keyline.platform.base.KeylineException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Keeps stored secrets from following a changed destination. An update merges its changes over the stored
 * credentials; if it moves a routing field (a URL, host, domain, tenant, region: {@link CredentialField#routing()})
 * and the stored secrets were carried over, validating the merge would hand them to whoever runs the new
 * destination. So a change of destination must bring every stored secret again, which proves the caller holds
 * them; otherwise it is refused before any connector is created.
 */
final class DestinationGuard {
    private DestinationGuard() {}

    /**
     * Refuses with {@code 400 secrets_required} naming the secret fields to supply when {@code changes} moves a
     * routing field away from its stored value and would reuse a stored secret.
     */
    static void requireSecretsForNewDestination(
            ConnectorFactory factory, Map<String, String> stored, Map<String, String> changes) {
        ConnectorDescriptor descriptor = factory.descriptor();
        List<String> moved = movedRoutingFields(factory, stored, changes);
        if (moved.isEmpty()) {
            return;
        }
        List<String> carried = descriptor.fields().stream()
                .filter(CredentialField::secret)
                .map(CredentialField::key)
                .filter(key -> stored.get(key) != null && !changes.containsKey(key))
                .sorted()
                .toList();
        if (carried.isEmpty()) {
            return;
        }
        String what = String.join(", ", moved);
        throw KeylineException.invalid(
                        FailureCode.SECRETS_REQUIRED,
                        "Changing " + what + " changes where requests go, and stored secrets are never sent to a new "
                                + "destination. Send " + String.join(", ", carried)
                                + " again in the same request.")
                .field("credentials." + carried.get(0))
                .errors(carried.stream()
                        .map(key -> Map.of(
                                "field",
                                "credentials." + key,
                                "message",
                                "Required again because " + what + " changes."))
                        .toList());
    }

    /**
     * The routing fields {@code changes} gives a new value. A value that differs only in spelling (one the connector
     * normalizes to the stored value, such as a trailing slash) keeps the destination.
     */
    static List<String> movedRoutingFields(
            ConnectorFactory factory, Map<String, String> stored, Map<String, String> changes) {
        ConnectorDescriptor descriptor = factory.descriptor();
        List<String> changed = descriptor.routingKeys().stream()
                .filter(changes::containsKey)
                .filter(key -> !Objects.equals(stored.get(key), changes.get(key)))
                .sorted()
                .toList();
        if (changed.isEmpty()) {
            return changed;
        }
        Map<String, String> normalized = normalizedMerge(factory, stored, changes);
        return changed.stream()
                .filter(key -> normalized == null || !Objects.equals(stored.get(key), normalized.get(key)))
                .toList();
    }

    /** The merge as the connector would store it, or null when the connector cannot normalize it. */
    private static Map<String, String> normalizedMerge(
            ConnectorFactory factory, Map<String, String> stored, Map<String, String> changes) {
        Map<String, String> merged = new TreeMap<>(stored);
        changes.forEach((key, value) -> {
            if (value == null) {
                merged.remove(key);
            } else {
                merged.put(key, value);
            }
        });
        try {
            // No I/O by the SPI's contract: nothing leaves the platform here.
            return factory.normalize(ConnectorConfig.of(factory.descriptor(), merged))
                    .values();
        } catch (RuntimeException e) {
            // Whatever the connector makes of it later, it is not provably the same destination.
            return null;
        }
    }
}
