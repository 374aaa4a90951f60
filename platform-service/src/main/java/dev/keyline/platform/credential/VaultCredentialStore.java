package dev.keyline.platform.credential;

import static java.util.Objects.requireNonNull;

import dev.keyline.platform.credential.CredentialStoreException.Reason;
import io.quarkus.vault.client.VaultClient;
import io.quarkus.vault.client.VaultClientException;
import io.quarkus.vault.client.VaultException;
import io.quarkus.vault.client.api.secrets.kv2.VaultSecretsKV2;
import io.quarkus.vault.client.api.secrets.kv2.VaultSecretsKV2ReadSecretData;
import java.io.IOException;
import java.net.URL;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;

/**
 * Production credential store: one Vault KV v2 secret per entry at
 * {@code <mount>/data/<prefix>/tenants/<tenant>/<namespace>/<id>} ({@code accounts/<account>},
 * {@code webhooks/<subscription>}); a tenant's entries share one subtree that a Vault policy can scope.
 *
 * <p>Built on quarkus-vault's own {@link VaultClient} (its KV v2 API has metadata delete and list, which the
 * older {@code VaultKVSecretEngine} lacks, so "delete" can destroy every version rather than soft-delete the
 * latest). The client is configured from {@code quarkus.vault.*} at runtime and only created when this store is
 * selected, so standalone mode never contacts a Vault. Errors never carry Vault's response bodies.
 */
public final class VaultCredentialStore implements CredentialStore {
    private final VaultClient client;
    private final VaultSecretsKV2 kv;
    private final String prefix;

    public VaultCredentialStore(VaultClient client, String mount, String pathPrefix) {
        this.client = requireNonNull(client, "client is null");
        requireNonNull(mount, "mount is null");
        requireNonNull(pathPrefix, "pathPrefix is null");
        this.kv = client.secrets().kv2(trimSlashes(mount));
        this.prefix = trimSlashes(pathPrefix);
        if (trimSlashes(mount).isEmpty()) {
            throw new IllegalArgumentException("the Vault KV mount is empty");
        }
    }

    @Override
    public String kind() {
        return "vault";
    }

    @Override
    public void put(Namespace namespace, String tenantId, String accountId, Map<String, String> values) {
        requireNonNull(values, "values is null");
        String path = entryPath(namespace, tenantId, accountId);
        Map<String, Object> data = new LinkedHashMap<>(values);
        call("store credentials", () -> kv.updateSecret(path, null, data));
    }

    @Override
    public Optional<Map<String, String>> get(Namespace namespace, String tenantId, String accountId) {
        String path = entryPath(namespace, tenantId, accountId);
        Optional<VaultSecretsKV2ReadSecretData> secret = callOrNotFound("read credentials", () -> kv.readSecret(path));
        return secret.map(VaultSecretsKV2ReadSecretData::getData).map(data -> {
            Map<String, String> values = new LinkedHashMap<>();
            data.forEach((key, value) -> values.put(key, value == null ? null : String.valueOf(value)));
            return Map.copyOf(values);
        });
    }

    @Override
    public void delete(Namespace namespace, String tenantId, String accountId) {
        String path = entryPath(namespace, tenantId, accountId);
        // Deleting the metadata destroys every version; deleting only `data/` would keep them recoverable.
        callOrNotFound("destroy credentials", () -> kv.deleteSecretMetadata(path));
    }

    @Override
    public void deleteTenant(String tenantId) {
        destroyTree(tenantPath(tenantId));
    }

    @Override
    public void ping() {
        // A list under our prefix proves reachability, an unsealed Vault, a valid token and the mount; a 404
        // only means nothing is stored yet.
        callOrNotFound("list credentials", () -> kv.listSecrets(tenantsPath()));
    }

    /**
     * KV v2 LIST returns a folder whole, so a page lists the tenants once, then each tenant's entries from the
     * cursor's tenant on until the page is full. Keys are sorted here (Vault sorts too, but the order is ours to
     * keep stable); names Keyline could not have written are skipped, never touched.
     */
    @Override
    public List<EntryKey> listEntries(Namespace namespace, EntryKey after, int limit) {
        requireNonNull(namespace, "namespace is null");
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive");
        }
        List<EntryKey> page = new ArrayList<>();
        for (String tenant : children(tenantsPath(), true)) {
            if (after != null && tenant.compareTo(after.tenantId()) < 0) {
                continue;
            }
            for (String account : children(tenantPath(tenant) + "/" + namespace.segment(), false)) {
                if (after != null && tenant.equals(after.tenantId()) && account.compareTo(after.accountId()) <= 0) {
                    continue;
                }
                page.add(new EntryKey(tenant, account));
                if (page.size() == limit) {
                    return page;
                }
            }
        }
        return page;
    }

    @Override
    public Optional<Instant> writtenAt(Namespace namespace, String tenantId, String accountId) {
        String path = entryPath(namespace, tenantId, accountId);
        // The metadata's updated_time is when the latest version was written; created_time is the first.
        return callOrNotFound("read credential metadata", () -> kv.readSecretMetadata(path))
                .map(metadata ->
                        metadata.getUpdatedTime() != null ? metadata.getUpdatedTime() : metadata.getCreatedTime())
                .map(OffsetDateTime::toInstant);
    }

    @Override
    public String toString() {
        return "VaultCredentialStore[" + client.getBaseUrl() + ", prefix=" + prefix + "]";
    }

    private void destroyTree(String folder) {
        List<String> keys =
                callOrNotFound("list credentials", () -> kv.listSecrets(folder)).orElse(List.of());
        for (String key : new ArrayList<>(keys)) {
            if (key.endsWith("/")) {
                destroyTree(folder + "/" + key.substring(0, key.length() - 1));
            } else {
                String path = folder + "/" + key;
                callOrNotFound("destroy credentials", () -> kv.deleteSecretMetadata(path));
            }
        }
    }

    /** The sorted folder ({@code folders}) or leaf names directly under the path that are valid ids. */
    private List<String> children(String folder, boolean folders) {
        List<String> names = new ArrayList<>();
        for (String key :
                callOrNotFound("list credentials", () -> kv.listSecrets(folder)).orElse(List.of())) {
            boolean isFolder = key.endsWith("/");
            String name = isFolder ? key.substring(0, key.length() - 1) : key;
            if (isFolder == folders && CredentialIds.isValid(name)) {
                names.add(name);
            }
        }
        names.sort(null);
        return names;
    }

    private String tenantPath(String tenantId) {
        return tenantsPath() + "/" + CredentialIds.require(tenantId, "tenantId");
    }

    private String tenantsPath() {
        return prefix.isEmpty() ? "tenants" : prefix + "/tenants";
    }

    private String entryPath(Namespace namespace, String tenantId, String id) {
        requireNonNull(namespace, "namespace is null");
        return tenantPath(tenantId) + "/" + namespace.segment() + "/" + CredentialIds.require(id, "accountId");
    }

    private <T> T call(String what, VaultCall<T> call) {
        return callOrNotFound(what, call, false).orElse(null);
    }

    private <T> Optional<T> callOrNotFound(String what, VaultCall<T> call) {
        return callOrNotFound(what, call, true);
    }

    private <T> Optional<T> callOrNotFound(String what, VaultCall<T> call, boolean notFoundIsEmpty) {
        try {
            return Optional.ofNullable(call.start().toCompletableFuture().join());
        } catch (CompletionException | VaultException e) {
            Throwable failure = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            if (notFoundIsEmpty
                    && failure instanceof VaultClientException vault
                    && Integer.valueOf(404).equals(vault.getStatus())) {
                return Optional.empty();
            }
            throw translate(what, failure);
        }
    }

    private CredentialStoreException translate(String what, Throwable failure) {
        String where = "Vault at " + describe(client.getBaseUrl());
        if (failure instanceof VaultClientException vault && vault.getStatus() != null) {
            int status = vault.getStatus();
            if (status == 401 || status == 403) {
                return new CredentialStoreException(
                        Reason.UNAUTHORIZED,
                        where + " refused to " + what + " (HTTP " + status
                                + "): check Keyline's Vault token or AppRole and its policy.");
            }
            if (status == 503) {
                return new CredentialStoreException(
                        Reason.UNAVAILABLE, where + " is sealed or in standby and cannot " + what + " (HTTP 503).");
            }
            return new CredentialStoreException(
                    status >= 500 ? Reason.UNAVAILABLE : Reason.FAILED,
                    where + " failed to " + what + " (HTTP " + status + ").");
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof IOException || t instanceof TimeoutException) {
                return new CredentialStoreException(
                        Reason.UNAVAILABLE,
                        where + " cannot be reached to " + what + " ("
                                + t.getClass().getSimpleName() + ").");
            }
        }
        return new CredentialStoreException(Reason.UNAVAILABLE, where + " could not " + what + ".");
    }

    private static String describe(URL url) {
        // Scheme, host and port only: a URL could carry user info.
        return url == null
                ? "(unknown)"
                : url.getProtocol() + "://" + url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort());
    }

    private static String trimSlashes(String path) {
        String trimmed = path.strip();
        while (trimmed.startsWith("/")) {
            trimmed = trimmed.substring(1);
        }
        while (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        return trimmed;
    }

    @FunctionalInterface
    private interface VaultCall<T> {
        CompletionStage<T> start();
    }
}
