package dev.keyline.platform.credential;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyline.platform.credential.CredentialStore.EntryKey;
import dev.keyline.platform.credential.CredentialStore.Namespace;
import dev.keyline.platform.credential.CredentialStoreException.Reason;
import dev.keyline.platform.support.MigratedPostgres;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The local store against a real PostgreSQL migrated with the real migrations. */
class LocalCredentialStoreTest {
    private static final String SECRET = "scim-bearer-0123456789abcdef";
    private static final String URL = "https://scim.example.test/scim/v2";
    private static final Map<String, String> CREDENTIALS = Map.of("scim_url", URL, "bearer_token", SECRET);

    private static EmbeddedPostgres postgres;
    private static DataSource dataSource;

    private final byte[] masterKey = randomKey();
    private LocalCredentialStore store;

    @BeforeAll
    static void startPostgres() throws Exception {
        postgres = MigratedPostgres.start();
        dataSource = postgres.getPostgresDatabase();
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        postgres.close();
    }

    @BeforeEach
    void emptyTable() throws SQLException {
        sql("DELETE FROM credential_secret");
        store = new LocalCredentialStore(dataSource, Map.of(1, masterKey), 1);
    }

    @Test
    void roundTrips() {
        store.put("tenant-a", "acc-1", CREDENTIALS);

        assertThat(store.get("tenant-a", "acc-1")).contains(CREDENTIALS);
        assertThat(store.kind()).isEqualTo("local");
    }

    @Test
    void putReplaces() {
        store.put("tenant-a", "acc-1", CREDENTIALS);
        store.put("tenant-a", "acc-1", Map.of("bearer_token", "rotated"));

        assertThat(store.get("tenant-a", "acc-1")).contains(Map.of("bearer_token", "rotated"));
    }

    @Test
    void absentAccountIsEmpty() {
        assertThat(store.get("tenant-a", "nobody")).isEmpty();
    }

    @Test
    void theTableHoldsNoClearText() throws SQLException {
        store.put("tenant-a", "acc-1", CREDENTIALS);

        String row = queryString("SELECT t::text FROM credential_secret t");
        byte[] sealed = sealedBytes("tenant-a", "acc-1");
        String sealedAsText = new String(sealed, StandardCharsets.ISO_8859_1);
        for (String clear : new String[] {SECRET, URL, "bearer_token", "scim_url"}) {
            assertThat(row).doesNotContain(clear);
            assertThat(sealedAsText).doesNotContain(clear);
            assertThat(row).doesNotContain(HexFormat.of().formatHex(clear.getBytes(StandardCharsets.UTF_8)));
        }
        // version byte | 96-bit nonce | ciphertext | 128-bit tag
        assertThat(sealed[0]).isEqualTo((byte) 1);
        assertThat(sealed.length).isGreaterThan(1 + 12 + 16);
    }

    @Test
    void everyWriteUsesAFreshNonce() throws SQLException {
        store.put("tenant-a", "acc-1", CREDENTIALS);
        byte[] first = sealedBytes("tenant-a", "acc-1");
        store.put("tenant-a", "acc-1", CREDENTIALS);
        byte[] second = sealedBytes("tenant-a", "acc-1");

        assertThat(java.util.Arrays.copyOfRange(second, 1, 13))
                .isNotEqualTo(java.util.Arrays.copyOfRange(first, 1, 13));
        assertThat(second).isNotEqualTo(first);
    }

    @Test
    void ciphertextMovedToAnotherTenantDoesNotDecrypt() throws SQLException {
        store.put("tenant-a", "acc-1", CREDENTIALS);
        sql("UPDATE credential_secret SET tenant_id = 'tenant-b' WHERE tenant_id = 'tenant-a'");

        assertThatThrownBy(() -> store.get("tenant-b", "acc-1"))
                .isInstanceOfSatisfying(CredentialStoreException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.UNREADABLE);
                    assertThat(e.getMessage()).contains("tenant-b", "acc-1").doesNotContain(SECRET);
                });
    }

    @Test
    void ciphertextCopiedToAnotherAccountOfTheSameTenantDoesNotDecrypt() throws SQLException {
        store.put("tenant-a", "acc-1", CREDENTIALS);
        sql("INSERT INTO credential_secret (tenant_id, account_id, key_version, sealed, updated_at)"
                + " SELECT tenant_id, 'acc-2', key_version, sealed, updated_at FROM credential_secret");

        assertThatThrownBy(() -> store.get("tenant-a", "acc-2"))
                .isInstanceOfSatisfying(
                        CredentialStoreException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.UNREADABLE));
        assertThat(store.get("tenant-a", "acc-1")).contains(CREDENTIALS);
    }

    @Test
    void eachNamespaceKeepsItsOwnEntriesAndAValueMovedBetweenThemDoesNotDecrypt() throws SQLException {
        store.put("tenant-a", "id-1", CREDENTIALS);
        store.put(Namespace.WEBHOOKS, "tenant-a", "id-1", Map.of("secret", "whsec-namespaced"));

        assertThat(store.get("tenant-a", "id-1")).contains(CREDENTIALS);
        assertThat(store.get(Namespace.WEBHOOKS, "tenant-a", "id-1")).contains(Map.of("secret", "whsec-namespaced"));
        assertThat(store.listEntries(null, 10)).containsExactly(new EntryKey("tenant-a", "id-1"));
        assertThat(store.listEntries(Namespace.WEBHOOKS, null, 10)).containsExactly(new EntryKey("tenant-a", "id-1"));

        store.delete(Namespace.WEBHOOKS, "tenant-a", "id-1");
        assertThat(store.get(Namespace.WEBHOOKS, "tenant-a", "id-1")).isEmpty();
        assertThat(store.get("tenant-a", "id-1")).contains(CREDENTIALS);

        sql("UPDATE credential_secret SET namespace = 'webhooks'");
        assertThatThrownBy(() -> store.get(Namespace.WEBHOOKS, "tenant-a", "id-1"))
                .isInstanceOfSatisfying(
                        CredentialStoreException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.UNREADABLE));

        store.put(Namespace.WEBHOOKS, "tenant-b", "sub-9", Map.of("secret", "whsec-other"));
        store.deleteTenant("tenant-b");
        assertThat(store.get(Namespace.WEBHOOKS, "tenant-b", "sub-9")).isEmpty();
    }

    @Test
    void authConfigSecretsHaveANamespaceOfTheirOwnThatTheTenantsDeletionEmpties() {
        store.put("tenant-a", "acf_1", CREDENTIALS);
        store.put(Namespace.AUTH_CONFIGS, "tenant-a", "acf_1", Map.of("client_secret", "oauth-client-secret"));

        assertThat(store.get(Namespace.AUTH_CONFIGS, "tenant-a", "acf_1"))
                .contains(Map.of("client_secret", "oauth-client-secret"));
        assertThat(store.listEntries(Namespace.AUTH_CONFIGS, null, 10))
                .containsExactly(new EntryKey("tenant-a", "acf_1"));
        store.delete("tenant-a", "acf_1");
        assertThat(store.get(Namespace.AUTH_CONFIGS, "tenant-a", "acf_1")).isPresent();
        assertThat(store.listEntries(null, 10)).isEmpty();

        store.deleteTenant("tenant-a");
        assertThat(store.get(Namespace.AUTH_CONFIGS, "tenant-a", "acf_1")).isEmpty();
    }

    @Test
    void anotherTenantCannotReadTheEntryWithItsAccountId() {
        store.put("tenant-a", "acc-1", CREDENTIALS);

        assertThat(store.get("tenant-b", "acc-1")).isEmpty();
    }

    @Test
    void anotherMasterKeyCannotDecrypt() {
        store.put("tenant-a", "acc-1", CREDENTIALS);
        LocalCredentialStore other = new LocalCredentialStore(dataSource, Map.of(1, randomKey()), 1);

        assertThatThrownBy(() -> other.get("tenant-a", "acc-1"))
                .isInstanceOfSatisfying(
                        CredentialStoreException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.UNREADABLE));
    }

    @Test
    void tamperedCiphertextIsRejected() throws SQLException {
        store.put("tenant-a", "acc-1", CREDENTIALS);
        sql("UPDATE credential_secret SET sealed = overlay(sealed placing '\\x00'::bytea from 20 for 1)");

        assertThatThrownBy(() -> store.get("tenant-a", "acc-1")).isInstanceOf(CredentialStoreException.class);
    }

    @Test
    void theKeyVersionByteAllowsALaterRotation() throws SQLException {
        store.put("tenant-a", "acc-1", CREDENTIALS);
        byte[] newKey = randomKey();
        LocalCredentialStore rotated = new LocalCredentialStore(dataSource, Map.of(1, masterKey, 2, newKey), 2);

        assertThat(rotated.get("tenant-a", "acc-1")).contains(CREDENTIALS);
        rotated.put("tenant-a", "acc-2", CREDENTIALS);
        assertThat(sealedBytes("tenant-a", "acc-2")[0]).isEqualTo((byte) 2);
        assertThat(queryString("SELECT key_version::text FROM credential_secret WHERE account_id = 'acc-2'"))
                .isEqualTo("2");
        assertThatThrownBy(() -> store.get("tenant-a", "acc-2"))
                .isInstanceOfSatisfying(
                        CredentialStoreException.class,
                        e -> assertThat(e.getMessage()).contains("key version 2"));
    }

    @Test
    void deleteRemovesTheRow() throws SQLException {
        store.put("tenant-a", "acc-1", CREDENTIALS);

        store.delete("tenant-a", "acc-1");
        store.delete("tenant-a", "acc-1");

        assertThat(store.get("tenant-a", "acc-1")).isEmpty();
        assertThat(queryString("SELECT count(*)::text FROM credential_secret")).isEqualTo("0");
    }

    @Test
    void deleteTenantRemovesOnlyThatTenant() {
        store.put("tenant-a", "acc-1", CREDENTIALS);
        store.put("tenant-a", "acc-2", CREDENTIALS);
        store.put("tenant-b", "acc-1", CREDENTIALS);

        store.deleteTenant("tenant-a");

        assertThat(store.get("tenant-a", "acc-1")).isEmpty();
        assertThat(store.get("tenant-a", "acc-2")).isEmpty();
        assertThat(store.get("tenant-b", "acc-1")).contains(CREDENTIALS);
    }

    @Test
    void unsafeIdsAreRejected() {
        assertThatThrownBy(() -> store.put("tenant-a", "../acc", CREDENTIALS))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.get(null, "acc")).isInstanceOf(NullPointerException.class);
    }

    @Test
    void pingChecksTheTable() {
        store.ping();
    }

    @Test
    void databaseDownIsAClearFailure() throws Exception {
        try (EmbeddedPostgres shortLived = EmbeddedPostgres.builder().start()) {
            DataSource gone = shortLived.getPostgresDatabase();
            LocalCredentialStore orphan = new LocalCredentialStore(gone, Map.of(1, masterKey), 1);
            shortLived.close();

            assertThatThrownBy(orphan::ping).isInstanceOfSatisfying(CredentialStoreException.class, e -> {
                assertThat(e.reason()).isEqualTo(Reason.UNAVAILABLE);
                assertThat(e.getMessage()).contains("SQLState");
            });
        }
    }

    @Test
    void toStringHoldsNoKey() {
        assertThat(store.toString())
                .doesNotContain(java.util.Base64.getEncoder().encodeToString(masterKey));
    }

    private static byte[] randomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return key;
    }

    private static byte[] sealedBytes(String tenant, String account) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(
                        "SELECT sealed FROM credential_secret WHERE tenant_id = ? AND account_id = ?")) {
            s.setString(1, tenant);
            s.setString(2, account);
            try (ResultSet r = s.executeQuery()) {
                assertThat(r.next()).isTrue();
                return r.getBytes(1);
            }
        }
    }

    private static String queryString(String query) throws SQLException {
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery(query)) {
            assertThat(r.next()).isTrue();
            return r.getString(1);
        }
    }

    @Test
    void listsEveryTenantsEntriesPageByPageWithoutValues() {
        store.put("tenant-b", "acc-1", CREDENTIALS);
        store.put("tenant-a", "acc-2", CREDENTIALS);
        store.put("tenant-a", "acc-1", CREDENTIALS);

        List<EntryKey> first = store.listEntries(null, 2);
        List<EntryKey> rest = store.listEntries(first.get(1), 2);

        assertThat(first).containsExactly(new EntryKey("tenant-a", "acc-1"), new EntryKey("tenant-a", "acc-2"));
        assertThat(rest).containsExactly(new EntryKey("tenant-b", "acc-1"));
        assertThat(store.listEntries(rest.get(0), 2)).isEmpty();
    }

    @Test
    void writtenAtIsTheLastWrite() throws SQLException {
        store.put("tenant-a", "acc-1", CREDENTIALS);
        sql("UPDATE credential_secret SET updated_at = now() - interval '2 hours'");
        Instant before = store.writtenAt("tenant-a", "acc-1").orElseThrow();
        store.put("tenant-a", "acc-1", Map.of("bearer_token", "rotated"));

        assertThat(before).isBefore(Instant.now().minus(Duration.ofMinutes(119)));
        assertThat(store.writtenAt("tenant-a", "acc-1").orElseThrow())
                .isAfter(Instant.now().minus(Duration.ofMinutes(5)));
        assertThat(store.writtenAt("tenant-a", "nobody")).isEmpty();
        assertThat(store.writtenAt("tenant-b", "acc-1")).isEmpty();
    }

    private static void sql(String statement) throws SQLException {
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }
}
