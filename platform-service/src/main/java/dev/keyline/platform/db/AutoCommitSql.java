package dev.keyline.platform.db;

import static java.util.Objects.requireNonNull;

import dev.keyline.platform.db.NativeSql.Typed;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import javax.sql.DataSource;

/**
 * One statement in auto-commit on the pool, for {@link NativeSql} outside a transaction: what the stores did before
 * they moved onto the ORM, kept for the hot single statements (see the figure on {@link NativeSql}). Rows come back
 * as the driver's objects, which {@link NativeSql}'s converters read.
 */
final class AutoCommitSql {
    private final DataSource dataSource;

    AutoCommitSql(DataSource dataSource) {
        this.dataSource = requireNonNull(dataSource, "dataSource is null");
    }

    List<Object[]> rows(String sql, Object... args) {
        try (Connection connection = dataSource.getConnection()) {
            return rows(connection, sql, args);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    private static List<Object[]> rows(Connection connection, String sql, Object... args) {
        try (PreparedStatement statement = prepare(connection, sql, args);
                ResultSet result = statement.executeQuery()) {
            int columns = result.getMetaData().getColumnCount();
            List<Object[]> rows = new ArrayList<>();
            while (result.next()) {
                Object[] row = new Object[columns];
                for (int i = 0; i < columns; i++) {
                    row[i] = result.getObject(i + 1);
                }
                rows.add(row);
            }
            return rows;
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    /** Statements run one after another on one connection, committed together (see {@link NativeSql#claiming}). */
    <T> T transaction(Function<NativeSql.Statements, T> work) {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                T result = work.apply((sql, args) -> rows(connection, sql, args));
                connection.commit();
                return result;
            } catch (RuntimeException | Error e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    int update(String sql, Object... args) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = prepare(connection, sql, args)) {
            return statement.executeUpdate();
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    private static PreparedStatement prepare(Connection connection, String sql, Object... args) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        try {
            for (int i = 0; i < args.length; i++) {
                bind(connection, statement, i + 1, args[i]);
            }
            return statement;
        } catch (SQLException | RuntimeException e) {
            statement.close();
            throw e;
        }
    }

    private static void bind(Connection connection, PreparedStatement statement, int position, Object value)
            throws SQLException {
        Class<?> type = value == null ? null : value.getClass();
        if (value instanceof Typed typed) {
            value = typed.value();
            type = typed.type();
        }
        if (value == null) {
            statement.setNull(position, sqlType(type));
        } else if (value instanceof String[] texts) {
            statement.setArray(position, connection.createArrayOf("text", texts));
        } else if (value instanceof Instant instant) {
            statement.setObject(position, OffsetDateTime.ofInstant(instant, ZoneOffset.UTC));
        } else {
            statement.setObject(position, value);
        }
    }

    private static int sqlType(Class<?> type) {
        if (type == null) {
            return Types.NULL;
        }
        if (type == String[].class) {
            return Types.ARRAY;
        }
        if (type == Instant.class || type == OffsetDateTime.class) {
            return Types.TIMESTAMP_WITH_TIMEZONE;
        }
        if (type == Integer.class || type == int.class) {
            return Types.INTEGER;
        }
        if (type == Long.class || type == long.class) {
            return Types.BIGINT;
        }
        if (type == Boolean.class || type == boolean.class) {
            return Types.BOOLEAN;
        }
        return Types.VARCHAR;
    }

    // The SQLException stays the cause, so the problem mapper still finds its SQLState (503 when the database is
    // down); its message is not repeated, as driver messages can quote parameter values.
    private static IllegalStateException failed(SQLException e) {
        return new IllegalStateException("A statement failed (SQLState " + e.getSQLState() + ")", e);
    }
}
