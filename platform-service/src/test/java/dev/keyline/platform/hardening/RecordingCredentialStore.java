package dev.keyline.platform.hardening;

import dev.keyline.platform.credential.CredentialStore;
import jakarta.annotation.Priority;
import jakarta.decorator.Decorator;
import jakarta.decorator.Delegate;
import jakarta.inject.Inject;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Test-only: notes every secret credential value (tokens, passwords, keys) any test hands to the credential
 * store, so the end-of-run scan looks for these exact values in logs, responses and databases, whatever their
 * shape.
 */
@Decorator
@Priority(10)
public abstract class RecordingCredentialStore implements CredentialStore {

    @Inject
    @Delegate
    CredentialStore delegate;

    @Override
    public void put(String tenantId, String accountId, Map<String, String> values) {
        record(values);
        delegate.put(tenantId, accountId, values);
    }

    @Override
    public void put(Namespace namespace, String tenantId, String id, Map<String, String> values) {
        record(values);
        delegate.put(namespace, tenantId, id, values);
    }

    private static void record(Map<String, String> values) {
        values.forEach((key, value) -> {
            String k = key.toLowerCase(Locale.ROOT);
            if (value != null
                    && (k.contains("token") || k.contains("secret") || k.contains("password") || k.contains("key"))) {
                HygieneFiles.append(HygieneFiles.KNOWN_SECRETS, value);
            }
        });
    }

    @Override
    public Optional<Map<String, String>> get(String tenantId, String accountId) {
        return delegate.get(tenantId, accountId);
    }
}
