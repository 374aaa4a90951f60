package dev.keyline.platform.account;

import static java.util.Objects.requireNonNull;

import dev.keyline.platform.credential.CredentialStore.EntryKey;
import dev.keyline.platform.credential.CredentialStoreException;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;

/**
 * Reads, for the orphan sweep, the status of the account rows that stored credentials belong to. Read-only
 * plain JDBC on {@code linked_accounts}, in auto-commit, so it never joins or holds a transaction.
 */
// Plain JDBC, not NativeSql: it runs on the sweep's bare DataSource, as the sweep's tests build it.
final class AccountStatuses {
    private final DataSource dataSource;

    AccountStatuses(DataSource dataSource) {
        this.dataSource = requireNonNull(dataSource, "dataSource is null");
    }

    /**
     * The status of each entry's account row, keyed by entry; an entry without a row of that tenant and id is
     * absent from the map. A row with the same id under another tenant does not count: each tenant's entries
     * are judged by that tenant's rows only.
     */
    Map<EntryKey, String> of(Collection<EntryKey> entries) {
        Map<EntryKey, String> statuses = new HashMap<>();
        if (entries.isEmpty()) {
            return statuses;
        }
        Set<EntryKey> wanted = new HashSet<>(entries);
        String[] ids = wanted.stream().map(EntryKey::accountId).distinct().toArray(String[]::new);
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(
                        "select tenant_id, id, status from linked_accounts where id = any(?)")) {
            Array array = connection.createArrayOf("varchar", ids);
            statement.setArray(1, array);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    EntryKey key = new EntryKey(rows.getString(1), rows.getString(2));
                    if (wanted.contains(key)) {
                        statuses.put(key, rows.getString(3));
                    }
                }
            }
        } catch (SQLException e) {
            // SQLState only: driver messages can quote parameter values.
            throw new CredentialStoreException(
                    CredentialStoreException.Reason.UNAVAILABLE,
                    "The orphan sweep could not read account statuses (SQLState " + e.getSQLState() + ").");
        }
        return statuses;
    }
}
