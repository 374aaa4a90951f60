package dev.keyline.platform.credential;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyline.platform.credential.CredentialStore.EntryKey;
import dev.keyline.platform.credential.CredentialStore.Namespace;
import dev.keyline.platform.credential.CredentialStoreException.Reason;
import dev.keyline.platform.support.VaultKv2Double;
import io.quarkus.vault.client.VaultClient;
import io.quarkus.vault.client.http.jdk.JDKVaultHttpClient;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Vault store over real HTTP against the in-process KV v2 double. */
public class VaultCredentialStoreTest {
    private static final String TOKEN = "hvs.test-root-token";
    private static final String SECRET = "scim-bearer-0123456789abcdef";
    private static final Map<String, String> CREDENTIALS =
            Map.of("scim_url", "https://scim.example.test/scim/v2", "bearer_token", SECRET);

    private VaultKv2Double vault;
    private VaultCredentialStore store;

    @BeforeEach
    void startVault() {
        vault = VaultKv2Double.start("secret", TOKEN);
        store = new VaultCredentialStore(client(vault.url(), TOKEN), "secret", "keyline");
    }

    @AfterEach
    void stopVault() {
        vault.close();
    }

    @Test
    void roundTripsOverKv2UnderTheTenantPath() {
        store.put("tenant-a", "acc-1", CREDENTIALS);

        assertThat(store.get("tenant-a", "acc-1")).contains(CREDENTIALS);
        assertThat(vault.paths()).containsExactly("keyline/tenants/tenant-a/accounts/acc-1");
        assertThat(vault.requests()).contains("POST /v1/secret/data/keyline/tenants/tenant-a/accounts/acc-1");
    }

    @Test
    void webhookSecretsLiveInTheirOwnSubtreeAndAreListedApart() {
        store.put("tenant-a", "id-1", CREDENTIALS);
        store.put(Namespace.WEBHOOKS, "tenant-a", "id-1", Map.of("secret", "whsec-namespaced"));

        assertThat(vault.paths())
                .containsExactlyInAnyOrder(
                        "keyline/tenants/tenant-a/accounts/id-1", "keyline/tenants/tenant-a/webhooks/id-1");
        assertThat(store.get(Namespace.WEBHOOKS, "tenant-a", "id-1")).contains(Map.of("secret", "whsec-namespaced"));
        assertThat(store.listEntries(null, 10)).containsExactly(new EntryKey("tenant-a", "id-1"));
        store.delete("tenant-a", "id-1");
        assertThat(store.listEntries(null, 10)).isEmpty();
        assertThat(store.listEntries(Namespace.WEBHOOKS, null, 10)).containsExactly(new EntryKey("tenant-a", "id-1"));
        assertThat(store.writtenAt(Namespace.WEBHOOKS, "tenant-a", "id-1")).isPresent();

        store.deleteTenant("tenant-a");
        assertThat(store.get(Namespace.WEBHOOKS, "tenant-a", "id-1")).isEmpty();
    }

    @Test
    void authConfigSecretsLiveInTheirOwnSubtreeThatTheTenantsDeletionDestroys() {
        store.put("tenant-a", "acf_1", CREDENTIALS);
        store.put(Namespace.AUTH_CONFIGS, "tenant-a", "acf_1", Map.of("client_secret", "oauth-client-secret"));

        assertThat(vault.paths())
                .containsExactlyInAnyOrder(
                        "keyline/tenants/tenant-a/accounts/acf_1", "keyline/tenants/tenant-a/auth-configs/acf_1");
        assertThat(store.listEntries(Namespace.AUTH_CONFIGS, null, 10))
                .containsExactly(new EntryKey("tenant-a", "acf_1"));
        store.delete("tenant-a", "acf_1");
        assertThat(store.get(Namespace.AUTH_CONFIGS, "tenant-a", "acf_1"))
                .contains(Map.of("client_secret", "oauth-client-secret"));

        store.deleteTenant("tenant-a");
        assertThat(store.get(Namespace.AUTH_CONFIGS, "tenant-a", "acf_1")).isEmpty();
        assertThat(vault.paths()).isEmpty();
    }

    @Test
    void putReplacesWithANewVersion() {
        store.put("tenant-a", "acc-1", CREDENTIALS);
        store.put("tenant-a", "acc-1", Map.of("bearer_token", "rotated"));

        assertThat(store.get("tenant-a", "acc-1")).contains(Map.of("bearer_token", "rotated"));
        assertThat(vault.versionsHeld("keyline/tenants/tenant-a/accounts/acc-1"))
                .isEqualTo(2);
    }

    @Test
    void absentAccountIsEmpty() {
        assertThat(store.get("tenant-a", "nobody")).isEmpty();
    }

    @Test
    void anotherTenantCannotReadTheEntryEvenWithItsAccountId() {
        store.put("tenant-a", "acc-1", CREDENTIALS);

        assertThat(store.get("tenant-b", "acc-1")).isEmpty();
        store.delete("tenant-b", "acc-1");
        store.deleteTenant("tenant-b");
        assertThat(store.get("tenant-a", "acc-1")).contains(CREDENTIALS);
    }

    @Test
    void idsCannotEscapeTheTenantPath() {
        assertThatThrownBy(() -> store.get("tenant-b", "../../tenant-a/accounts/acc-1"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.put("..", "acc-1", CREDENTIALS)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.put("tenant-a/x", "acc-1", CREDENTIALS))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void deleteDestroysEveryVersion() {
        store.put("tenant-a", "acc-1", CREDENTIALS);
        store.put("tenant-a", "acc-1", Map.of("bearer_token", "rotated"));

        store.delete("tenant-a", "acc-1");

        assertThat(store.get("tenant-a", "acc-1")).isEmpty();
        assertThat(vault.versionsHeld("keyline/tenants/tenant-a/accounts/acc-1"))
                .isZero();
        assertThat(vault.paths()).isEmpty();
        assertThat(vault.requests()).contains("DELETE /v1/secret/metadata/keyline/tenants/tenant-a/accounts/acc-1");
    }

    @Test
    void deletingWhatIsAbsentIsNotAnError() {
        store.delete("tenant-a", "never-stored");
        store.deleteTenant("never-stored");
    }

    @Test
    void deleteTenantRemovesOnlyThatTenantsSubtree() {
        store.put("tenant-a", "acc-1", CREDENTIALS);
        store.put("tenant-a", "acc-2", CREDENTIALS);
        store.put("tenant-b", "acc-1", CREDENTIALS);

        store.deleteTenant("tenant-a");

        assertThat(vault.paths()).containsExactly("keyline/tenants/tenant-b/accounts/acc-1");
        assertThat(store.get("tenant-a", "acc-2")).isEmpty();
        assertThat(store.get("tenant-b", "acc-1")).contains(CREDENTIALS);
    }

    @Test
    void pingSucceedsOnAnEmptyVault() {
        store.ping();
        assertThat(vault.requests()).anyMatch(r -> r.endsWith("/v1/secret/metadata/keyline/tenants"));
    }

    @Test
    void wrongTokenIsAClearUnauthorizedFailure() {
        store.put("tenant-a", "acc-1", CREDENTIALS);
        String wrongToken = "hvs.wrong-token-value";
        VaultCredentialStore wrong = new VaultCredentialStore(client(vault.url(), wrongToken), "secret", "keyline");

        assertThatThrownBy(() -> wrong.get("tenant-a", "acc-1"))
                .isInstanceOfSatisfying(CredentialStoreException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.UNAUTHORIZED);
                    assertThat(e.getMessage())
                            .contains("refused", "HTTP 403", "token")
                            .doesNotContain(wrongToken, TOKEN, SECRET);
                    assertThat(e.getCause()).isNull();
                });
        assertThatThrownBy(wrong::ping).isInstanceOf(CredentialStoreException.class);
    }

    @Test
    void vaultDownIsAClearUnavailableFailure() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        VaultCredentialStore down =
                new VaultCredentialStore(client("http://127.0.0.1:" + closedPort, TOKEN), "secret", "keyline");

        assertThatThrownBy(() -> down.put("tenant-a", "acc-1", CREDENTIALS))
                .isInstanceOfSatisfying(CredentialStoreException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.UNAVAILABLE);
                    assertThat(e.getMessage())
                            .contains("cannot be reached", "127.0.0.1:" + closedPort)
                            .doesNotContain(TOKEN, SECRET);
                });
        assertThatThrownBy(down::ping).isInstanceOf(CredentialStoreException.class);
    }

    @Test
    void sealedVaultIsUnavailable() {
        vault.seal(true);

        assertThatThrownBy(store::ping)
                .isInstanceOfSatisfying(
                        CredentialStoreException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.UNAVAILABLE));
    }

    @Test
    void appRoleLoginIsUsed() {
        vault.allowAppRole("keyline-role", "keyline-secret-id");
        VaultClient appRole = VaultClient.builder()
                .baseUrl(vault.url())
                .executor(new JDKVaultHttpClient(HttpClient.newHttpClient()))
                .appRole("keyline-role", "keyline-secret-id")
                .requestTimeout(Duration.ofSeconds(5))
                .build();
        VaultCredentialStore viaAppRole = new VaultCredentialStore(appRole, "secret", "keyline");

        viaAppRole.put("tenant-a", "acc-1", CREDENTIALS);

        assertThat(viaAppRole.get("tenant-a", "acc-1")).contains(CREDENTIALS);
        assertThat(vault.requests()).contains("POST /v1/auth/approle/login");
    }

    @Test
    void toStringHoldsNoToken() {
        assertThat(store.toString()).doesNotContain(TOKEN).contains("keyline");
    }

    @Test
    void listsEveryTenantsEntriesPageByPageWithoutValues() {
        store.put("tenant-b", "acc-1", CREDENTIALS);
        store.put("tenant-a", "acc-2", CREDENTIALS);
        store.put("tenant-a", "acc-1", CREDENTIALS);
        store.put("tenant-c", "acc-1", CREDENTIALS);

        List<EntryKey> first = store.listEntries(null, 2);
        List<EntryKey> rest = store.listEntries(first.get(1), 5);

        assertThat(first).containsExactly(new EntryKey("tenant-a", "acc-1"), new EntryKey("tenant-a", "acc-2"));
        assertThat(rest).containsExactly(new EntryKey("tenant-b", "acc-1"), new EntryKey("tenant-c", "acc-1"));
        assertThat(store.listEntries(rest.get(1), 5)).isEmpty();
        assertThat(vault.requests()).noneMatch(r -> r.startsWith("GET ") && r.contains("/data/"));
    }

    @Test
    void listingAnEmptyVaultIsEmpty() {
        assertThat(store.listEntries(null, 10)).isEmpty();
    }

    @Test
    void writtenAtIsTheMetadatasLastWrite() {
        store.put("tenant-a", "acc-1", CREDENTIALS);
        vault.backdate("keyline/tenants/tenant-a/accounts/acc-1", Duration.ofHours(2));
        Instant before = store.writtenAt("tenant-a", "acc-1").orElseThrow();
        store.put("tenant-a", "acc-1", Map.of("bearer_token", "rotated"));

        assertThat(before).isBefore(Instant.now().minus(Duration.ofMinutes(119)));
        assertThat(store.writtenAt("tenant-a", "acc-1").orElseThrow())
                .isAfter(Instant.now().minus(Duration.ofMinutes(5)));
        assertThat(store.writtenAt("tenant-a", "nobody")).isEmpty();
        assertThat(store.writtenAt("tenant-b", "acc-1")).isEmpty();
        assertThat(vault.requests()).contains("GET /v1/secret/metadata/keyline/tenants/tenant-a/accounts/acc-1");
    }

    public static VaultClient client(String url, String token) {
        return VaultClient.builder()
                .baseUrl(url)
                .executor(new JDKVaultHttpClient(HttpClient.newBuilder()
                        .connectTimeout(Duration.ofSeconds(2))
                        .build()))
                .clientToken(token)
                .requestTimeout(Duration.ofSeconds(5))
                .build();
    }
}
