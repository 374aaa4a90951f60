package dev.keyline.platform.credential;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyline.platform.base.KeylineException.Kind;
import dev.keyline.platform.credential.CredentialStore.Namespace;
import dev.keyline.platform.support.MigratedPostgres;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Issue #15, item 4: a start with another master key than the stored credentials were sealed with. */
class MasterKeyCheckTest {
    private static final Map<String, String> CREDENTIALS =
            Map.of("scim_url", "https://scim.example.test/scim/v2", "bearer_token", "scim-bearer-0123456789abcdef");

    private static EmbeddedPostgres postgres;
    private static DataSource dataSource;

    private LocalCredentialStore original;
    private LocalCredentialStore replacement;

    @BeforeAll
    static void startPostgres() {
        postgres = MigratedPostgres.start();
        dataSource = postgres.getPostgresDatabase();
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        postgres.close();
    }

    @BeforeEach
    void emptyTables() throws SQLException {
        sql("DELETE FROM credential_secret");
        sql("DELETE FROM credential_key");
        sql("DELETE FROM linked_accounts");
        sql("DELETE FROM tenants");
        original = new LocalCredentialStore(dataSource, Map.of(1, randomKey()), 1);
        replacement = new LocalCredentialStore(dataSource, Map.of(1, randomKey()), 1);
    }

    @Test
    void aFreshInstallationRecordsItsKeyAndAcceptsItAgain() {
        assertThat(MasterKeyCheck.verify(dataSource, original, false, "master.key"))
                .isZero();
        original.put("t1", "acc-1", CREDENTIALS);
        assertThat(MasterKeyCheck.verify(dataSource, original, false, "master.key"))
                .isZero();
        assertThat(original.get("t1", "acc-1")).contains(CREDENTIALS);
    }

    @Test
    void anotherKeyIsRefusedWhileCredentialsItCannotOpenExist() throws Exception {
        MasterKeyCheck.verify(dataSource, original, false, "master.key");
        original.put("t1", "acc-1", CREDENTIALS);

        assertThatThrownBy(() -> MasterKeyCheck.verify(dataSource, replacement, false, "/data/master.key"))
                .isInstanceOf(MasterKeyMismatchException.class)
                .hasMessageContaining("/data/master.key")
                .hasMessageContaining("1 stored credential")
                .hasMessageContaining("--reset-credentials")
                .hasMessageNotContaining("scim-bearer");
        // Refusing changed nothing: the original key still opens everything.
        assertThat(MasterKeyCheck.verify(dataSource, original, false, "master.key"))
                .isZero();
        assertThat(original.get("t1", "acc-1")).contains(CREDENTIALS);
    }

    @Test
    void anotherKeyIsAcceptedWhenNoCredentialsAreStored() throws Exception {
        MasterKeyCheck.verify(dataSource, original, false, "master.key");

        assertThat(MasterKeyCheck.verify(dataSource, replacement, false, "master.key"))
                .isZero();
        replacement.put("t1", "acc-1", CREDENTIALS);
        assertThatThrownBy(() -> MasterKeyCheck.verify(dataSource, original, false, "master.key"))
                .isInstanceOf(MasterKeyMismatchException.class);
    }

    @Test
    void anInstallationFromBeforeFingerprintsIsRecognisedByItsCredentials() throws Exception {
        original.put("t1", "acc-1", CREDENTIALS); // no fingerprint recorded yet, as earlier versions left it

        assertThatThrownBy(() -> MasterKeyCheck.verify(dataSource, replacement, false, "master.key"))
                .isInstanceOf(IllegalStateException.class);
        assertThat(MasterKeyCheck.verify(dataSource, original, false, "master.key"))
                .isZero();
        assertThat(count("SELECT count(*) FROM credential_key")).isEqualTo(1);
    }

    @Test
    void aResetAlsoDestroysTheWebhookSecretsTheNewKeyCannotOpen() throws Exception {
        MasterKeyCheck.verify(dataSource, original, false, "master.key");
        original.put(Namespace.WEBHOOKS, "t1", "sub-1", CREDENTIALS);

        assertThat(MasterKeyCheck.verify(dataSource, replacement, true, "master.key"))
                .isEqualTo(1);

        assertThat(count("SELECT count(*) FROM credential_secret WHERE namespace = 'webhooks'"))
                .isZero();
        assertThat(replacement.get(Namespace.WEBHOOKS, "t1", "sub-1")).isEmpty();
    }

    @Test
    void aResetMarksTheAccountsForReauthorizationAndMakesTheNewKeyCurrent() throws Exception {
        MasterKeyCheck.verify(dataSource, original, false, "master.key");
        sql("INSERT INTO tenants (id, name, created_at, updated_at) VALUES ('t1', 't1', now(), now())");
        for (String id : new String[] {"acc-1", "acc-2"}) {
            sql("INSERT INTO linked_accounts (id, tenant_id, origin_owner_id, origin_owner_name, provider, status,"
                    + " created_at, updated_at) VALUES ('" + id + "', 't1', 'owner-" + id + "', 'Owner',"
                    + " 'onepassword', 'active', now(), now())");
            original.put("t1", id, CREDENTIALS);
        }

        assertThat(MasterKeyCheck.verify(dataSource, replacement, true, "master.key"))
                .isEqualTo(2);

        assertThat(count("SELECT count(*) FROM linked_accounts WHERE status = 'error'"
                        + " AND status_code = 'reauthorization_required' AND status_message IS NOT NULL"))
                .isEqualTo(2);
        assertThat(replacement.get("t1", "acc-1")).isEmpty();
        assertThat(MasterKeyCheck.verify(dataSource, replacement, false, "master.key"))
                .isZero();
        replacement.put("t1", "acc-1", CREDENTIALS);
        assertThat(replacement.get("t1", "acc-1")).contains(CREDENTIALS);
    }

    @Test
    void anUnreadableEntryIsAProblemThatSaysReauthorize() {
        CredentialStoreException unreadable =
                new CredentialStoreException(CredentialStoreException.Reason.UNREADABLE, "cannot open");
        assertThat(unreadable.failure().kind()).isEqualTo(Kind.CONFLICT);
        assertThat(unreadable.failure().code()).isEqualTo("reauthorization_required");
        CredentialStoreException down =
                new CredentialStoreException(CredentialStoreException.Reason.UNAVAILABLE, "down");
        assertThat(down.failure().kind()).isEqualTo(Kind.UNAVAILABLE);
    }

    private static long count(String query) throws SQLException {
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery(query)) {
            r.next();
            return r.getLong(1);
        }
    }

    private static void sql(String statement) throws SQLException {
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }

    private static byte[] randomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return key;
    }
}
