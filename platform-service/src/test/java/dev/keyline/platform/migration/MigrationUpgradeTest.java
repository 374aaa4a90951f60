package dev.keyline.platform.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyline.platform.support.Sql;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.exception.FlywayValidateException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A database created by the release before the audit fixes (commit 72f65bf, migrations V1–V300, kept
 * byte-identical under {@code db/released-72f65bf}) upgrades to today's schema without out-of-order, keeps
 * every row, and ends with the same applied sequence as a fresh database.
 */
class MigrationUpgradeTest {
    private static final String RELEASED_72F65BF = "classpath:db/released-72f65bf";
    private static final String CURRENT = "classpath:db/migration";

    private EmbeddedPostgres upgraded;
    private EmbeddedPostgres fresh;

    @BeforeEach
    void start() throws Exception {
        upgraded = EmbeddedPostgres.builder().start();
        fresh = EmbeddedPostgres.builder().start();
    }

    @AfterEach
    void stop() throws Exception {
        upgraded.close();
        fresh.close();
    }

    @Test
    void aDatabaseOfTheReleaseBeforeTheAuditUpgradesWithEveryRowIntact() throws SQLException {
        DataSource db = upgraded.getPostgresDatabase();
        flyway(db, RELEASED_72F65BF).migrate();
        assertThat(appliedVersions(db)).containsExactly("1", "2", "3", "4", "100", "200", "201", "202", "300");
        insertRepresentativeRows(db);
        Map<String, List<Map<String, String>>> before = everyTable(db);
        assertThat(before.values())
                .as("a representative row in every table of the released schema")
                .allSatisfy(rows -> assertThat(rows).isNotEmpty());

        flyway(db, CURRENT).migrate();

        Map<String, List<Map<String, String>>> after = everyTable(db);
        before.forEach((table, rows) -> {
            List<Map<String, String>> now = after.get(table);
            assertThat(now).as(table).hasSameSizeAs(rows);
            for (Map<String, String> row : rows) {
                // The row's released columns, unchanged; columns added since are checked below.
                assertThat(now)
                        .as(table + " keeps " + row)
                        .anySatisfy(current -> assertThat(current).containsAllEntriesOf(row));
            }
        });
        assertThat(after.get("credential_secret"))
                .extracting(row -> row.get("namespace"))
                .as("rows of before V420 are account credentials or legacy signing secrets, in `accounts`")
                .containsOnly("accounts");
        assertThat(after.get("sync_runs"))
                .extracting(row -> row.get("confirm_deletions"))
                .containsOnly("f");

        // One ordered sequence: what an upgrade applied follows what it had, and both equal a fresh database's.
        flyway(fresh.getPostgresDatabase(), CURRENT).migrate();
        assertThat(appliedVersions(db)).isEqualTo(appliedVersions(fresh.getPostgresDatabase()));
        assertThat(installedInVersionOrder(db)).isTrue();
    }

    @Test
    void aDatabaseMissingAVersionBelowItsNewestIsRefusedNotSkipped() {
        // As a development build before V4 existed left it: V300 applied, V4 never.
        DataSource db = upgraded.getPostgresDatabase();
        flyway(db, RELEASED_72F65BF).migrate();
        Sql.update(db, "drop index connect_sessions_expires");
        Sql.update(db, "delete from flyway_schema_history where version = '4'");

        assertThatThrownBy(() -> flyway(db, CURRENT).migrate())
                .isInstanceOf(FlywayValidateException.class)
                .hasMessageContaining("not applied to database: 4");
        assertThat(appliedVersions(db)).doesNotContain("400");
    }

    private static Flyway flyway(DataSource db, String location) {
        // Out-of-order stays off, as in the service (MigrationOrderTest): a pending version below an applied one
        // fails validation here instead of being applied in a different order than on a fresh database.
        return Flyway.configure()
                .dataSource(db)
                .locations(location)
                .outOfOrder(false)
                .load();
    }

    private static List<String> appliedVersions(DataSource db) {
        return Sql.rows(db, "select version from flyway_schema_history where success order by installed_rank").stream()
                .map(row -> row.get("version"))
                .toList();
    }

    private static boolean installedInVersionOrder(DataSource db) {
        List<Integer> versions =
                appliedVersions(db).stream().map(Integer::valueOf).toList();
        return versions.equals(versions.stream().sorted().toList());
    }

    private static Map<String, List<Map<String, String>>> everyTable(DataSource db) {
        Map<String, List<Map<String, String>>> tables = new HashMap<>();
        for (String table : Sql.rows(
                        db,
                        "select table_name from information_schema.tables"
                                + " where table_schema = 'public' and table_name <> 'flyway_schema_history'")
                .stream()
                .map(row -> row.get("table_name"))
                .collect(Collectors.toSet())) {
            tables.put(table, Sql.rows(db, "select * from \"" + table + "\""));
        }
        return tables;
    }

    /** Rows as the 72f65bf service wrote them, including the states later migrations rewrite around. */
    private static void insertRepresentativeRows(DataSource db) throws SQLException {
        try (Connection c = db.getConnection();
                Statement s = c.createStatement()) {
            s.execute("""
                insert into tenants (id, name, allowed_origins, created_at, updated_at) values
                  ('ten_a', 'Acme', '["https://app.acme.example", "http://localhost:3000"]',
                   '2026-11-20T10:00:00Z', '2026-11-21T10:00:00Z'),
                  ('ten_b', 'Beta', '[]', '2026-11-20T11:00:00Z', '2026-11-20T11:00:00Z');
                insert into api_keys (id, tenant_id, key_hash, display_prefix, name, created_at, last_used_at,
                                      revoked_at) values
                  ('key_1', 'ten_a', repeat('a', 64), 'kl_live_ab12', 'ci', '2026-11-20T10:01:00Z',
                   '2026-11-25T08:00:00Z', null),
                  ('key_2', 'ten_a', repeat('b', 64), 'kl_live_cd34', null, '2026-11-20T10:02:00Z', null,
                   '2026-11-22T09:00:00Z');
                insert into linked_accounts (id, tenant_id, origin_owner_id, origin_owner_name, provider, status,
                    status_code, status_message, status_field, validation_summary, facts, created_at, updated_at,
                    last_checked_at, unlinked_at, next_check_at, consecutive_unavailable, last_unavailable_code,
                    last_unavailable_message, health_report, health_checked_at) values
                  ('acc_1', 'ten_a', 'org-1', 'Org One', 'scim', 'active', null, null, null, 'ok',
                   '{"deployment": "cloud"}', '2026-11-20T12:00:00Z', '2026-11-20T12:00:00Z',
                   '2026-11-25T12:00:00Z', null, '2026-11-26T12:00:00Z', 0, null, null,
                   '{"status": "UP"}', '2026-11-25T12:00:00Z'),
                  ('acc_2', 'ten_a', 'org-2', 'Org Two', 'scim', 'error', 'invalid_credentials',
                   'The token was rejected.', 'token', null, '{}', '2026-11-20T13:00:00Z',
                   '2026-11-24T13:00:00Z', null, null, null, 2, 'provider_unavailable', 'HTTP 503', null, null),
                  ('acc_3', 'ten_b', 'org-3', 'Org Three', 'scim', 'unlinked', null, null, null, null, '{}',
                   '2026-11-20T14:00:00Z', '2026-11-23T14:00:00Z', null, '2026-11-23T14:00:00Z', null, 0,
                   null, null, null, null);
                insert into connect_sessions (id, tenant_id, token_hash, origin_owner_id, origin_owner_name,
                    provider, account_id, created_at, expires_at, used_at, linked_account_id) values
                  ('cs_1', 'ten_a', repeat('c', 64), 'org-1', 'Org One', 'scim', null, '2026-11-20T11:50:00Z',
                   '2026-11-20T12:20:00Z', '2026-11-20T12:00:00Z', 'acc_1'),
                  ('cs_2', 'ten_a', repeat('d', 64), 'org-2', 'Org Two', null, 'acc_2', '2026-11-25T11:50:00Z',
                   '2026-11-25T12:20:00Z', null, null);
                insert into credential_secret (tenant_id, account_id, key_version, sealed, updated_at) values
                  ('ten_a', 'acc_1', 1, decode('01a1b2c3d4e5f60718293a4b5c6d7e8f90', 'hex'), '2026-11-20T12:00:00Z'),
                  ('ten_a', 'whk_sub_1', 1, decode('01ffeeddccbbaa99887766554433221100', 'hex'),
                   '2026-11-21T12:00:00Z');
                insert into sync_runs (id, tenant_id, account_id, trigger, state, owner, created_at, started_at,
                    finished_at, pages, users_seen, groups_seen, added, updated, deleted, reappeared, error_code,
                    error_message) values
                  ('run_1', 'ten_a', 'acc_1', 'initial', 'succeeded', 'replica-a', '2026-11-20T12:00:01Z',
                   '2026-11-20T12:00:02Z', '2026-11-20T12:01:00Z', 3, 250, 12, 250, 0, 0, 0, null, null),
                  ('run_2', 'ten_a', 'acc_2', 'scheduled', 'failed', 'replica-b', '2026-11-24T13:00:00Z',
                   '2026-11-24T13:00:01Z', '2026-11-24T13:00:05Z', 0, 0, 0, 0, 0, 0, 0, 'invalid_credentials',
                   'The token was rejected.'),
                  ('run_3', 'ten_a', 'acc_1', 'manual', 'running', 'replica-a', '2026-11-25T12:00:00Z',
                   '2026-11-25T12:00:01Z', null, 1, 100, 0, 2, 3, 1, 0, null, null),
                  ('run_4', 'ten_a', 'acc_1', 'scheduled', 'queued', null, '2026-11-25T12:05:00Z', null, null,
                   0, 0, 0, 0, 0, 0, 0, null, null);
                insert into sync_leases (account_id, tenant_id, owner, run_id, expires_at, interval_seconds,
                    next_due_at, last_success_at) values
                  ('acc_1', 'ten_a', 'replica-a', 'run_3', '2026-11-25T12:10:00Z', 3600, '2026-11-25T13:00:00Z',
                   '2026-11-20T12:01:00Z'),
                  ('acc_2', 'ten_a', null, null, null, null, '2026-11-24T14:00:00Z', null);
                insert into webhook_subscriptions (id, tenant_id, url, events, description, enabled,
                    disabled_reason, secret_version, created_at, updated_at) values
                  ('sub_1', 'ten_a', 'https://hooks.acme.example/keyline', '{"sync.completed","iam.user.*"}',
                   'sync events', true, null, 2, '2026-11-21T12:00:00Z', '2026-11-22T12:00:00Z'),
                  ('sub_2', 'ten_a', 'https://gone.acme.example/hook', '{"*"}', null, false, 'endpoint_gone', 1,
                   '2026-11-21T12:30:00Z', '2026-11-23T12:30:00Z');
                insert into webhook_deliveries (id, tenant_id, subscription_id, event_id, event_type, payload, state,
                    attempts, next_attempt_at, claim, last_status, last_error, redelivery_of, created_at,
                    updated_at, last_attempt_at) values
                  ('dlv_1', 'ten_a', 'sub_1', 'evt_1', 'sync.completed', '{"type":"sync.completed"}', 'succeeded',
                   1, null, null, 200, null, null, '2026-11-22T12:00:00Z', '2026-11-22T12:00:01Z',
                   '2026-11-22T12:00:01Z'),
                  ('dlv_2', 'ten_a', 'sub_1', 'evt_2', 'iam.user.created', '{"type":"iam.user.created"}',
                   'pending', 2, '2026-11-25T12:10:00Z', 'claim-xyz', 503, 'HTTP 503', null,
                   '2026-11-25T12:00:00Z', '2026-11-25T12:05:00Z', '2026-11-25T12:05:00Z'),
                  ('dlv_3', 'ten_a', 'sub_2', 'evt_1', 'sync.completed', '{"type":"sync.completed"}', 'failed',
                   1, null, null, 410, 'HTTP 410', 'dlv_0', '2026-11-22T12:00:00Z', '2026-11-22T12:00:02Z',
                   '2026-11-22T12:00:02Z');
                """);
        }
    }
}
