package dev.keyline.platform.credential;

import static java.util.Objects.requireNonNull;

import dev.keyline.platform.base.FailureCode;
import dev.keyline.platform.credential.CredentialStore.EntryKey;
import dev.keyline.platform.credential.CredentialStore.Namespace;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * At start-up, whether the local store's master key is the one its stored credentials were sealed with. A lost
 * {@code master.key} used to be replaced silently by a new key, and every read of an existing account then
 * failed; now the key's fingerprint is recorded in {@code credential_key}, and a start with another key while
 * credentials exist is refused, unless the operator explicitly resets: the credentials the key cannot open are
 * destroyed, their accounts go to {@code error} with {@code reauthorization_required}, and the new key's
 * fingerprint is recorded.
 *
 * <p>An installation from before fingerprints has none recorded: one stored entry decides (AES-GCM authenticates,
 * so an entry that opens proves the key).
 */
// Plain JDBC, not NativeSql: it checks the local store on that store's bare DataSource, at start-up.
final class MasterKeyCheck {
    private static final int PAGE = 500;

    private MasterKeyCheck() {}

    /**
     * @param keySource where the key came from, for the message (a file path or an environment variable's name)
     * @return how many credentials a reset destroyed (0 when the key is the recorded one)
     * @throws MasterKeyMismatchException when the key cannot open the stored credentials and {@code reset} is false
     */
    static int verify(DataSource dataSource, LocalCredentialStore store, boolean reset, String keySource) {
        requireNonNull(dataSource, "dataSource is null");
        requireNonNull(store, "store is null");
        String fingerprint = store.fingerprint();
        try (Connection connection = dataSource.getConnection()) {
            String recorded = recorded(connection, store.currentVersion());
            if (fingerprint.equals(recorded)) {
                return 0;
            }
            long stored = count(connection);
            // With nothing stored there is nothing the key could fail to open: it simply becomes the recorded one.
            boolean matches = stored == 0 || (recorded == null && firstEntryOpens(store));
            if (matches) {
                record(connection, store.currentVersion(), fingerprint);
                return 0;
            }
            if (!reset) {
                throw new MasterKeyMismatchException("The master key (" + keySource + ") is not the one the " + stored
                        + " stored credential(s) were sealed with (its fingerprint starts "
                        + fingerprint.substring(0, 12)
                        + (recorded == null ? "" : ", the recorded one " + recorded.substring(0, 12))
                        + "). Was the master key file deleted or replaced? Restore it (or set KEYLINE_MASTER_KEY to"
                        + " it) and start again. To give up those credentials instead, start once with"
                        + " --reset-credentials: their accounts go to status 'error' (reauthorization_required) and"
                        + " must be linked again.");
            }
            return reset(connection, store, fingerprint);
        } catch (SQLException e) {
            // SQLState only: driver messages can quote parameter values.
            throw new CredentialStoreException(
                    CredentialStoreException.Reason.UNAVAILABLE,
                    "The master key check could not read the credential tables (SQLState " + e.getSQLState() + ").");
        }
    }

    private static int reset(Connection connection, LocalCredentialStore store, String fingerprint)
            throws SQLException {
        // Every namespace: a webhook's signing secret sealed with the lost key is as unreadable as a token, and
        // left behind it would fail each delivery instead of showing its subscription broken.
        List<Unreadable> unreadable = new ArrayList<>();
        for (Namespace namespace : Namespace.values()) {
            EntryKey after = null;
            List<EntryKey> page;
            do {
                page = store.listEntries(namespace, after, PAGE);
                for (EntryKey entry : page) {
                    if (!store.opens(namespace, entry)) {
                        unreadable.add(new Unreadable(namespace, entry));
                    }
                }
                after = page.isEmpty() ? null : page.get(page.size() - 1);
            } while (page.size() == PAGE);
        }

        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try (PreparedStatement delete = connection.prepareStatement(
                        "DELETE FROM credential_secret WHERE namespace = ? AND tenant_id = ? AND account_id = ?");
                PreparedStatement mark = connection.prepareStatement("UPDATE linked_accounts SET status = 'error',"
                        + " status_code = ?, status_message = ?, status_field = NULL, updated_at = now()"
                        + " WHERE tenant_id = ? AND id = ? AND status <> 'unlinked'")) {
            for (Unreadable found : unreadable) {
                EntryKey entry = found.entry();
                delete.setString(1, found.namespace().segment());
                delete.setString(2, entry.tenantId());
                delete.setString(3, entry.accountId());
                delete.addBatch();
                if (found.namespace() != Namespace.ACCOUNTS) {
                    // A webhook whose secret is gone shows itself broken at its next delivery (WebhookSecrets).
                    continue;
                }
                mark.setString(1, FailureCode.REAUTHORIZATION_REQUIRED.wire());
                mark.setString(
                        2,
                        "The stored credentials were sealed with a master key this Keyline no longer has;"
                                + " link the account again.");
                mark.setString(3, entry.tenantId());
                mark.setString(4, entry.accountId());
                mark.addBatch();
            }
            delete.executeBatch();
            mark.executeBatch();
            record(connection, store.currentVersion(), fingerprint);
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
        return unreadable.size();
    }

    private static boolean firstEntryOpens(LocalCredentialStore store) {
        List<EntryKey> first = store.listEntries(null, 1);
        return first.isEmpty() || store.opens(Namespace.ACCOUNTS, first.get(0));
    }

    private record Unreadable(Namespace namespace, EntryKey entry) {}

    private static String recorded(Connection connection, int version) throws SQLException {
        try (PreparedStatement query =
                connection.prepareStatement("SELECT fingerprint FROM credential_key WHERE key_version = ?")) {
            query.setShort(1, (short) version);
            try (ResultSet rows = query.executeQuery()) {
                return rows.next() ? rows.getString(1).strip() : null;
            }
        }
    }

    private static long count(Connection connection) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT count(*) FROM credential_secret");
                ResultSet rows = query.executeQuery()) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static void record(Connection connection, int version, String fingerprint) throws SQLException {
        try (PreparedStatement upsert = connection.prepareStatement(
                "INSERT INTO credential_key (key_version, fingerprint, recorded_at) VALUES (?, ?, now())"
                        + " ON CONFLICT (key_version) DO UPDATE SET fingerprint = excluded.fingerprint,"
                        + " recorded_at = excluded.recorded_at")) {
            upsert.setShort(1, (short) version);
            upsert.setString(2, fingerprint);
            upsert.executeUpdate();
        }
    }
}
