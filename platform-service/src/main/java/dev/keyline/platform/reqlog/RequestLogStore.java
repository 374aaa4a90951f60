package dev.keyline.platform.reqlog;

import static java.util.Objects.requireNonNull;

import dev.keyline.platform.base.FailureCode;
import dev.keyline.platform.base.KeylineException;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The {@code request_log} table, in plain JDBC on the pool: the writes are batches from the flush, outside any request
 * and transaction. Every read names the tenant.
 */
@ApplicationScoped
public class RequestLogStore {
    private static final String COLUMNS = "id, tenant_id, account_id, kind, at, method, path_template, path, status,"
            + " latency_ms, response_bytes, attempt, error_code, actor, provider, operation";

    // The tenant may have been deleted since the entry was queued: such an entry is skipped, not a failed batch.
    private static final String INSERT = "insert into request_log (" + COLUMNS + ")"
            + " select ?, ?, ?, ?, ?::timestamptz, ?, ?, ?, ?::integer, ?::bigint, ?::bigint, ?::integer, ?, ?, ?, ?"
            + " where exists (select 1 from tenants where id = ?) on conflict (id) do nothing";

    private final DataSource dataSource;

    public RequestLogStore(DataSource dataSource) {
        this.dataSource = requireNonNull(dataSource, "dataSource is null");
    }

    /** What a read selects; null members do not filter. {@code statusMin}..{@code statusMax}, or no answer at all. */
    public record Filter(
            String tenantId,
            String accountId,
            Instant since,
            Instant until,
            Integer statusMin,
            Integer statusMax,
            boolean noAnswer,
            RequestLogEntry.Kind kind) {}

    void insert(List<RequestLogEntry> entries) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement(INSERT)) {
            connection.setAutoCommit(true);
            for (RequestLogEntry e : entries) {
                int i = 1;
                insert.setString(i++, e.id());
                insert.setString(i++, e.tenantId());
                insert.setString(i++, e.accountId());
                insert.setString(i++, e.kind().wire());
                insert.setTimestamp(i++, Timestamp.from(e.at()));
                insert.setString(i++, e.method());
                insert.setString(i++, e.pathTemplate());
                insert.setString(i++, e.path());
                setInt(insert, i++, e.status());
                insert.setLong(i++, e.latencyMs());
                setLong(insert, i++, e.responseBytes());
                setInt(insert, i++, e.attempt());
                insert.setString(i++, e.errorCode());
                insert.setString(i++, e.actor());
                insert.setString(i++, e.provider());
                insert.setString(i++, e.operation());
                insert.setString(i, e.tenantId());
                insert.addBatch();
            }
            insert.executeBatch();
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    /** Newest first, after the keyset position ({@code beforeAt}, {@code beforeId}) when given; at most {@code limit}. */
    public List<RequestLogEntry> page(Filter filter, Instant beforeAt, String beforeId, int limit) {
        StringBuilder sql = new StringBuilder("select " + COLUMNS + " from request_log where tenant_id = ?");
        List<Object> args = new ArrayList<>();
        args.add(requireNonNull(filter.tenantId(), "tenantId is null"));
        if (filter.accountId() != null) {
            sql.append(" and account_id = ?");
            args.add(filter.accountId());
        }
        if (filter.since() != null) {
            sql.append(" and at >= ?");
            args.add(Timestamp.from(filter.since()));
        }
        if (filter.until() != null) {
            sql.append(" and at < ?");
            args.add(Timestamp.from(filter.until()));
        }
        if (filter.noAnswer()) {
            sql.append(" and status is null");
        } else if (filter.statusMin() != null) {
            sql.append(" and status between ? and ?");
            args.add(filter.statusMin());
            args.add(filter.statusMax());
        }
        if (filter.kind() != null) {
            sql.append(" and kind = ?");
            args.add(filter.kind().wire());
        }
        if (beforeAt != null) {
            sql.append(" and (at, id) < (?, ?)");
            args.add(Timestamp.from(beforeAt));
            args.add(beforeId);
        }
        sql.append(" order by at desc, id desc limit ?");
        args.add(limit);
        return query(sql.toString(), args);
    }

    /** One entry of the tenant, whichever account (or link attempt) it belongs to. */
    public Optional<RequestLogEntry> find(String tenantId, String id) {
        return query("select " + COLUMNS + " from request_log where tenant_id = ? and id = ?", List.of(tenantId, id))
                .stream()
                .findFirst();
    }

    /** Deletes entries older than {@code cutoff}; returns how many. */
    public int purgeOlderThan(Instant cutoff) {
        return update("delete from request_log where at < ?", List.of(Timestamp.from(cutoff)));
    }

    /** Keeps the newest {@code max} entries of each account (and of each tenant's link attempts); returns how many went. */
    public int purgeBeyond(int max) {
        return update(
                "delete from request_log r using (select id from (select id, row_number() over (partition by"
                        + " tenant_id, account_id order by at desc, id desc) as n from request_log) ranked"
                        + " where n > ?) beyond where r.id = beyond.id",
                List.of(max));
    }

    private int update(String sql, List<Object> args) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            connection.setAutoCommit(true);
            bind(statement, args);
            return statement.executeUpdate();
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    private List<RequestLogEntry> query(String sql, List<Object> args) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            bind(statement, args);
            try (ResultSet rows = statement.executeQuery()) {
                List<RequestLogEntry> entries = new ArrayList<>();
                while (rows.next()) {
                    entries.add(entry(rows));
                }
                return entries;
            }
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    private static RequestLogEntry entry(ResultSet rows) throws SQLException {
        return new RequestLogEntry(
                rows.getString(1),
                rows.getString(2),
                rows.getString(3),
                RequestLogEntry.Kind.valueOf(rows.getString(4).toUpperCase(java.util.Locale.ROOT)),
                rows.getTimestamp(5).toInstant(),
                rows.getString(6),
                rows.getString(7),
                rows.getString(8),
                (Integer) rows.getObject(9),
                rows.getLong(10),
                (Long) rows.getObject(11),
                (Integer) rows.getObject(12),
                rows.getString(13),
                rows.getString(14),
                rows.getString(15),
                rows.getString(16));
    }

    private static void bind(PreparedStatement statement, List<Object> args) throws SQLException {
        for (int i = 0; i < args.size(); i++) {
            statement.setObject(i + 1, args.get(i));
        }
    }

    private static void setInt(PreparedStatement statement, int index, Integer value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.INTEGER);
        } else {
            statement.setInt(index, value);
        }
    }

    private static void setLong(PreparedStatement statement, int index, Long value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.BIGINT);
        } else {
            statement.setLong(index, value);
        }
    }

    private static KeylineException failed(SQLException e) {
        // The database's message may quote values; the SQL state alone says enough for an operator.
        return KeylineException.of(
                        KeylineException.Kind.UNAVAILABLE,
                        FailureCode.DATABASE_UNAVAILABLE,
                        "Database unavailable",
                        "The request log could not be read or written now; retry later.")
                .cause(new SQLException("SQL state " + e.getSQLState()));
    }
}
