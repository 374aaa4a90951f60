package dev.keyline.platform.db;

import static java.util.Objects.requireNonNull;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import java.sql.Array;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.hibernate.query.NativeQuery;

/**
 * PostgreSQL statements that entities and Panache cannot express ({@code FOR UPDATE SKIP LOCKED} claims,
 * {@code ON CONFLICT}, {@code RETURNING}, arrays), run as native queries through Hibernate ORM: the same pool and
 * transaction manager as the entities. Parameters are positional ({@code ?}); rows come back as {@code Object[]},
 * which each store maps to its records in one place with the converters below.
 *
 * <p>A single statement outside any transaction runs in auto-commit on the pool ({@link AutoCommitSql}): through the
 * ORM it paid for a transaction and a session per statement, which halved webhook deliveries and cut synced reads
 * from 0.41x to 0.28x of their ceiling in {@code ./keyline bench --quick} (2026-12-06).
 *
 * <p>Each call joins the caller's transaction, or runs in its own when there is none: what an auto-commit
 * statement on the datasource did (Agroal enlisted it in the caller's transaction). Transactions are begun here,
 * not by {@code @Transactional}, so a store built with {@code new} (a test's replica) behaves like the bean.
 */
@ApplicationScoped
public class NativeSql {
    private final EntityManager entityManager;
    private final AutoCommitSql autoCommit;

    /** Every statement through the ORM, also one outside a transaction (tests that build a store by hand). */
    public NativeSql(EntityManager entityManager) {
        this(entityManager, null);
    }

    @Inject
    public NativeSql(EntityManager entityManager, DataSource dataSource) {
        this.entityManager = requireNonNull(entityManager, "entityManager is null");
        this.autoCommit = dataSource == null ? null : new AutoCommitSql(dataSource);
    }

    /** Queries within {@link #claiming}. */
    @FunctionalInterface
    public interface Statements {
        List<Object[]> rows(String sql, Object... args);
    }

    /** A parameter whose SQL type cannot be told from its value (a null). */
    public record Typed(Object value, Class<?> type) {}

    public static Typed typed(Object value, Class<?> type) {
        return new Typed(value, requireNonNull(type, "type is null"));
    }

    /** Every row of a query, each as its columns. */
    public List<Object[]> rows(String sql, Object... args) {
        if (autoCommit != null && !QuarkusTransaction.isActive()) {
            return autoCommit.rows(sql, args);
        }
        return inTransaction(() -> rowsHere(sql, args));
    }

    /** The first row of a query, if any. */
    public Optional<Object[]> row(String sql, Object... args) {
        return rows(sql, args).stream().findFirst();
    }

    /** Runs an INSERT, UPDATE or DELETE without RETURNING; how many rows it touched. */
    public int update(String sql, Object... args) {
        if (autoCommit != null && !QuarkusTransaction.isActive()) {
            return autoCommit.update(sql, args);
        }
        return inTransaction(() -> updateHere(sql, args));
    }

    /** As {@link #rows}, within the transaction the caller already runs in (see {@link #inNewTransaction}). */
    public List<Object[]> rowsHere(String sql, Object... args) {
        List<?> result = query(sql, args).getResultList();
        List<Object[]> rows = new ArrayList<>(result.size());
        for (Object row : result) {
            // A one-column query yields bare values.
            rows.add(row instanceof Object[] columns ? columns : new Object[] {row});
        }
        return rows;
    }

    public int updateHere(String sql, Object... args) {
        return query(sql, args).executeUpdate();
    }

    /** Several statements in one transaction: the caller's, or a new one. */
    public <T> T inTransaction(Supplier<T> work) {
        return QuarkusTransaction.joiningExisting().call(work::get);
    }

    /**
     * Queries in a JDBC transaction of their own on a pooled connection, not through the ORM: the webhook claims run
     * once per finished send, and a JTA transaction with a Hibernate session around two native statements was a
     * measurable share of each delivery (with the claim on the finishing send's thread, WebhookDispatcher:
     * 539 and 778 deliveries/s, 0.26x and 0.33x of direct POSTs, against 527 and 582/s, 0.23x and 0.24x, in
     * alternating runs of {@code ./keyline bench --quick --scenarios 7} on a quiet machine, 2026-12-07).
     */
    public <T> T claiming(java.util.function.Function<Statements, T> work) {
        if (autoCommit == null) {
            return inNewTransaction(() -> work.apply(this::rowsHere));
        }
        return autoCommit.transaction(work);
    }

    /** Several statements in a transaction of their own, committed before this returns (claims, leases). */
    public <T> T inNewTransaction(Supplier<T> work) {
        return QuarkusTransaction.requiringNew().call(work::get);
    }

    private Query query(String sql, Object... args) {
        Query query = entityManager.createNativeQuery(sql);
        for (int i = 0; i < args.length; i++) {
            if (args[i] instanceof Typed typed) {
                bindTyped(query.unwrap(NativeQuery.class), i + 1, typed);
            } else {
                query.setParameter(i + 1, args[i]);
            }
        }
        return query;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void bindTyped(NativeQuery query, int position, Typed typed) {
        query.setParameter(position, typed.value(), (Class) typed.type());
    }

    // --- converters from what the driver returns to what the records hold ------------------------------------

    public static Instant instant(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Instant instant) {
            return instant;
        }
        if (value instanceof OffsetDateTime time) {
            return time.toInstant();
        }
        if (value instanceof ZonedDateTime time) {
            return time.toInstant();
        }
        if (value instanceof Timestamp time) {
            return time.toInstant();
        }
        throw new IllegalStateException(
                "not a point in time: " + value.getClass().getName());
    }

    public static List<String> strings(Object value) {
        if (value == null) {
            return List.of();
        }
        Object elements = value;
        if (value instanceof Array array) {
            try {
                elements = array.getArray();
            } catch (SQLException e) {
                throw new IllegalStateException("could not read an array column: " + e.getSQLState(), e);
            }
        }
        if (elements instanceof Object[] items) {
            return Arrays.stream(items).map(item -> (String) item).toList();
        }
        if (elements instanceof List<?> items) {
            return items.stream().map(item -> (String) item).toList();
        }
        throw new IllegalStateException("not a text array: " + value.getClass().getName());
    }

    /** A nullable integer column. */
    public static Integer integer(Object value) {
        return value == null ? null : ((Number) value).intValue();
    }

    /** An integer column, 0 for null as JDBC's {@code getInt} reads it. */
    public static int intValue(Object value) {
        return value == null ? 0 : ((Number) value).intValue();
    }

    public static long longValue(Object value) {
        return ((Number) value).longValue();
    }

    public static boolean bool(Object value) {
        return Boolean.TRUE.equals(value);
    }

    public static String string(Object value) {
        return value == null ? null : value.toString();
    }
}
