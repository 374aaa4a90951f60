package dev.keyline.platform.account;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyline.platform.account.OrphanSweep.Result;
import dev.keyline.platform.credential.CredentialStore;
import dev.keyline.platform.credential.CredentialStore.EntryKey;
import dev.keyline.platform.credential.CredentialStore.Namespace;
import dev.keyline.platform.credential.CredentialStoreException;
import dev.keyline.platform.credential.LocalCredentialStore;
import dev.keyline.platform.credential.VaultCredentialStore;
import dev.keyline.platform.credential.VaultCredentialStoreTest;
import dev.keyline.platform.support.InMemoryCredentialStore;
import dev.keyline.platform.support.MigratedPostgres;
import dev.keyline.platform.support.VaultKv2Double;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The orphan sweep against a real PostgreSQL (account rows, the advisory lock, the local store) and the Vault
 * store over HTTP against the KV v2 double: each scenario runs on both stores.
 */
class OrphanSweepTest {
    private static final Map<String, String> CREDENTIALS =
            Map.of("scim_url", "https://scim.example.test/scim/v2", "bearer_token", "scim-bearer-orphan-0123456789");
    private static final Duration GRACE = Duration.ofHours(1);
    private static final Duration OLD = Duration.ofHours(2);

    private static EmbeddedPostgres postgres;
    private static DataSource dataSource;

    private VaultKv2Double vault;
    private CredentialStore store;
    private String kind;

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
    void emptyDatabase() throws SQLException {
        sql("DELETE FROM credential_secret");
        sql("DELETE FROM tenants");
    }

    @AfterEach
    void stopVault() {
        if (vault != null) {
            vault.close();
            vault = null;
        }
    }

    private void use(String storeKind) {
        kind = storeKind;
        if (storeKind.equals("vault")) {
            vault = VaultKv2Double.start("secret", "hvs.orphan-test-token");
            store = new VaultCredentialStore(
                    VaultCredentialStoreTest.client(vault.url(), "hvs.orphan-test-token"), "secret", "keyline");
        } else {
            byte[] key = new byte[LocalCredentialStore.KEY_LENGTH];
            new SecureRandom().nextBytes(key);
            store = new LocalCredentialStore(dataSource, Map.of(1, key), 1);
        }
    }

    /** Stores credentials written {@code age} ago, as a link (or a crash) would have left them. */
    private void stored(String tenant, String account, Duration age) throws SQLException {
        store.put(tenant, account, CREDENTIALS);
        if (age.isZero()) {
            return;
        }
        if (kind.equals("vault")) {
            vault.backdate("keyline/tenants/" + tenant + "/accounts/" + account, age);
        } else {
            try (Connection c = dataSource.getConnection();
                    PreparedStatement s = c.prepareStatement(
                            "UPDATE credential_secret SET updated_at = now() - ?"
                                    + " * interval '1 second' WHERE namespace = 'accounts' AND tenant_id = ? AND account_id = ?")) {
                s.setLong(1, age.toSeconds());
                s.setString(2, tenant);
                s.setString(3, account);
                assertThat(s.executeUpdate()).isEqualTo(1);
            }
        }
    }

    private void storedWebhook(String tenant, String subscription, Duration age) throws SQLException {
        store.put(Namespace.WEBHOOKS, tenant, subscription, CREDENTIALS);
        if (kind.equals("vault")) {
            vault.backdate("keyline/tenants/" + tenant + "/webhooks/" + subscription, age);
        } else {
            try (Connection c = dataSource.getConnection();
                    PreparedStatement s = c.prepareStatement(
                            "UPDATE credential_secret SET updated_at = now() - ?"
                                    + " * interval '1 second' WHERE namespace = 'webhooks' AND tenant_id = ? AND account_id = ?")) {
                s.setLong(1, age.toSeconds());
                s.setString(2, tenant);
                s.setString(3, subscription);
                assertThat(s.executeUpdate()).isEqualTo(1);
            }
        }
    }

    private OrphanSweep sweep(int maxEntries) {
        return new OrphanSweep(store, dataSource, GRACE, Duration.ofHours(1), maxEntries, Clock.systemUTC());
    }

    private boolean has(String tenant, String account) {
        return store.get(tenant, account).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "vault"})
    void destroysOnlyWhatNoUsableAccountStandsBehindOnceOlderThanTheGrace(String storeKind) throws SQLException {
        use(storeKind);
        tenant("tenant-o");
        account("tenant-o", "acc-live", "active");
        account("tenant-o", "acc-error", "error");
        account("tenant-o", "acc-unlinked", "unlinked");
        account("tenant-o", "acc-unlinked-young", "unlinked");
        stored("tenant-o", "acc-live", OLD);
        stored("tenant-o", "acc-error", OLD);
        stored("tenant-o", "acc-unlinked", OLD);
        stored("tenant-o", "acc-unlinked-young", Duration.ZERO);
        // A link that crashed two hours ago between storing its credentials and inserting its row.
        stored("tenant-o", "acc-crashed", OLD);
        // A link in flight: credentials stored a moment ago, its row not committed yet.
        stored("tenant-o", "acc-in-flight", Duration.ofMinutes(59));

        Result result = sweep(10_000).runExclusively().orElseThrow();

        assertThat(has("tenant-o", "acc-live")).isTrue();
        assertThat(has("tenant-o", "acc-error")).isTrue();
        assertThat(has("tenant-o", "acc-in-flight")).isTrue();
        assertThat(has("tenant-o", "acc-crashed")).isFalse();
        // An unlink is final: its leftover goes whatever its age.
        assertThat(has("tenant-o", "acc-unlinked")).isFalse();
        assertThat(has("tenant-o", "acc-unlinked-young")).isFalse();
        assertThat(result).isEqualTo(new Result(6, 2, 1, 1, 0, true));
        if (vault != null) {
            // Destroyed means every version gone (metadata deleted), not a soft delete.
            assertThat(vault.versionsHeld("keyline/tenants/tenant-o/accounts/acc-crashed"))
                    .isZero();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "vault"})
    void eachTenantsEntriesAreJudgedByThatTenantsRowsOnly(String storeKind) throws SQLException {
        use(storeKind);
        tenant("tenant-a");
        tenant("tenant-b");
        account("tenant-a", "acc-shared-id", "active");
        stored("tenant-a", "acc-shared-id", OLD);
        // The same account id under tenant-b: tenant-a's live row does not make it tenant-b's.
        stored("tenant-b", "acc-shared-id", OLD);
        // Left by a tenant that was deleted (rows cascaded away) while a link of it was storing credentials.
        stored("tenant-deleted", "acc-1", OLD);
        stored("tenant-deleted", "acc-2", Duration.ZERO);

        Result result = sweep(10_000).runExclusively().orElseThrow();

        assertThat(has("tenant-a", "acc-shared-id")).isTrue();
        assertThat(has("tenant-b", "acc-shared-id")).isFalse();
        assertThat(has("tenant-deleted", "acc-1")).isFalse();
        assertThat(has("tenant-deleted", "acc-2")).isTrue();
        assertThat(result.destroyedWithoutAccount()).isEqualTo(2);
        assertThat(result.keptWithinGrace()).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "vault"})
    void aRunExaminesAtMostItsShareAndTheNextResumes(String storeKind) throws SQLException {
        use(storeKind);
        tenant("tenant-p");
        for (int i = 0; i < 4; i++) {
            account("tenant-p", "acc-live-" + i, "active");
            stored("tenant-p", "acc-live-" + i, OLD);
            stored("tenant-p", "acc-orphan-" + i, OLD);
        }
        OrphanSweep sweep = sweep(3);

        Result first = sweep.runExclusively().orElseThrow();
        Result second = sweep.runExclusively().orElseThrow();
        Result third = sweep.runExclusively().orElseThrow();

        assertThat(first.examined()).isEqualTo(3);
        assertThat(first.reachedEnd()).isFalse();
        // Sorted keys: acc-live-0..3 come first, so the first run destroys nothing and the second starts on orphans.
        assertThat(first.destroyed()).isZero();
        assertThat(second.examined()).isEqualTo(3);
        assertThat(second.destroyed()).isEqualTo(2);
        assertThat(third.examined()).isEqualTo(2);
        assertThat(third.destroyed()).isEqualTo(2);
        assertThat(third.reachedEnd()).isTrue();
        assertThat(store.listEntries(null, 100))
                .extracting(EntryKey::accountId)
                .containsExactly("acc-live-0", "acc-live-1", "acc-live-2", "acc-live-3");
        // After reaching the end the next run starts over.
        assertThat(sweep.runExclusively().orElseThrow().examined()).isEqualTo(3);
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "vault"})
    void webhookSigningSecretsAreNotTheSweepsToDestroy(String storeKind) throws SQLException {
        use(storeKind);
        tenant("tenant-w");
        // Where earlier versions kept a subscription's signing secret: beside account credentials, as whk_<id>.
        stored("tenant-w", "whk_sub-legacy", OLD);
        stored("tenant-w", "acc-crashed", OLD);
        // Where they are kept now; the same id in the accounts namespace is an orphan like any other.
        storedWebhook("tenant-w", "sub-1", OLD);
        stored("tenant-w", "sub-1", OLD);

        Result result = sweep(10_000).runExclusively().orElseThrow();

        assertThat(has("tenant-w", "whk_sub-legacy")).isTrue();
        assertThat(store.get(Namespace.WEBHOOKS, "tenant-w", "sub-1")).contains(CREDENTIALS);
        assertThat(has("tenant-w", "acc-crashed")).isFalse();
        assertThat(has("tenant-w", "sub-1")).isFalse();
        assertThat(result.destroyedWithoutAccount()).isEqualTo(2);
    }

    @Test
    void aRunWaitsItsTurnWhileAnotherReplicaSweeps() throws SQLException {
        use("local");
        stored("tenant-gone", "acc-1", OLD);
        try (Connection other = dataSource.getConnection()) {
            assertThat(lock(other, "pg_try_advisory_lock")).isTrue();

            Optional<Result> skipped = sweep(10_000).runExclusively();

            assertThat(skipped).isEmpty();
            assertThat(has("tenant-gone", "acc-1")).isTrue();
            assertThat(lock(other, "pg_advisory_unlock")).isTrue();
        }
        assertThat(sweep(10_000).runExclusively()).isPresent();
        assertThat(has("tenant-gone", "acc-1")).isFalse();
        // The lock was released after the run: another session can take it.
        try (Connection other = dataSource.getConnection()) {
            assertThat(lock(other, "pg_try_advisory_lock")).isTrue();
            assertThat(lock(other, "pg_advisory_unlock")).isTrue();
        }
    }

    @Test
    void anEntryTheStoreRefusesDoesNotStopTheRest() throws SQLException {
        InMemoryCredentialStore memory = new InMemoryCredentialStore() {
            @Override
            public void delete(Namespace namespace, String tenantId, String accountId) {
                if (accountId.equals("acc-stuck")) {
                    throw new CredentialStoreException(CredentialStoreException.Reason.UNAVAILABLE, "refused (test)");
                }
                super.delete(namespace, tenantId, accountId);
            }
        };
        memory.put("tenant-gone", "acc-stuck", CREDENTIALS);
        memory.put("tenant-gone", "acc-z", CREDENTIALS);
        memory.backdate("tenant-gone", "acc-stuck", OLD);
        memory.backdate("tenant-gone", "acc-z", OLD);
        store = memory;

        Result result = sweep(10_000).runExclusively().orElseThrow();

        assertThat(result.failed()).isEqualTo(1);
        assertThat(result.destroyed()).isEqualTo(1);
        assertThat(memory.accountIds("tenant-gone")).containsExactly("acc-stuck");
    }

    /**
     * Start begins the first run at once (the scheduler's first look comes only after the service is ready); the
     * scheduler fires the job after that (ScheduledJobsTest), and the interval decides what it does.
     */
    @Test
    void offSkipsTheScheduledRunAndOnSweepsRightAfterStartUntilStopped() throws Exception {
        InMemoryCredentialStore memory = new InMemoryCredentialStore();
        memory.put("tenant-gone", "acc-1", CREDENTIALS);
        memory.backdate("tenant-gone", "acc-1", OLD);

        OrphanSweep off = new OrphanSweep(memory, dataSource, GRACE, Duration.ZERO, 10_000, Clock.systemUTC());
        off.start(null);
        try {
            assertThat(off.scheduled()).isFalse();
            off.tick();
            assertThat(memory.accountIds("tenant-gone")).containsExactly("acc-1");
        } finally {
            off.stop(null);
        }

        OrphanSweep stopped =
                new OrphanSweep(memory, dataSource, GRACE, Duration.ofHours(1), 10_000, Clock.systemUTC());
        stopped.stop(null);
        stopped.start(null);
        assertThat(stopped.scheduled()).isFalse();
        stopped.tick();
        Thread.sleep(200);
        assertThat(memory.accountIds("tenant-gone")).containsExactly("acc-1");

        OrphanSweep on = new OrphanSweep(memory, dataSource, GRACE, Duration.ofHours(1), 10_000, Clock.systemUTC());
        on.start(null);
        try {
            assertThat(on.scheduled()).isTrue();
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (!memory.accountIds("tenant-gone").isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(memory.accountIds("tenant-gone"))
                    .as("swept by the run start began")
                    .isEmpty();
        } finally {
            on.stop(null);
        }
    }

    private static boolean lock(Connection connection, String function) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement("select " + function + "(?)")) {
            s.setLong(1, OrphanSweep.LOCK_KEY);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getBoolean(1);
            }
        }
    }

    private static void tenant(String id) throws SQLException {
        sql("INSERT INTO tenants (id, name, created_at, updated_at) VALUES ('" + id + "', '" + id + "', now(), now())");
    }

    private static void account(String tenant, String id, String status) throws SQLException {
        sql("INSERT INTO linked_accounts (id, tenant_id, origin_owner_id, origin_owner_name, provider, status,"
                + " created_at, updated_at) VALUES ('" + id + "', '" + tenant + "', 'owner-" + id + "', 'Owner', "
                + "'onepassword', '" + status + "', now(), now())");
    }

    private static void sql(String statement) throws SQLException {
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }
}
