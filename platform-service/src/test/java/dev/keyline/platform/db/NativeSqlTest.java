package dev.keyline.platform.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyline.platform.support.EmbeddedPostgresResource;
import dev.keyline.platform.support.MongoServerResource;
import dev.keyline.platform.support.TestAuthResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The transaction rule the stores rely on: a statement joins the caller's transaction, or commits on its own when
 * there is none (as an auto-commit statement did); a new transaction commits whatever the caller does afterwards.
 * Checked from a separate connection, which sees only what was committed.
 */
@QuarkusTest
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestAuthResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = MongoServerResource.class, restrictToAnnotatedClass = false)
class NativeSqlTest {
    private static final String INSERT = "insert into native_sql_probe (id, tags, at) values (?, ?, ?)";

    @Inject
    NativeSql sql;

    @Inject
    DataSource dataSource;

    @BeforeEach
    void createTable() throws SQLException {
        execute("create table native_sql_probe (id varchar(64) primary key, tags text[], at timestamptz)");
    }

    @AfterEach
    void dropTable() throws SQLException {
        execute("drop table native_sql_probe");
    }

    @Test
    void aStatementWithoutATransactionCommitsOnItsOwn() throws SQLException {
        sql.update(INSERT, "alone", new String[] {"a"}, Instant.now());

        assertThat(committed("alone")).isTrue();
    }

    @Test
    void aStatementJoinsTheCallersTransactionAndRollsBackWithIt() throws SQLException {
        assertThatThrownBy(() -> QuarkusTransaction.requiringNew().run(() -> {
                    sql.update(INSERT, "joined", new String[] {"a"}, Instant.now());
                    throw new IllegalStateException("the caller fails after the statement");
                }))
                .isInstanceOf(IllegalStateException.class);

        assertThat(committed("joined")).isFalse();
    }

    @Test
    void aClaimCommitsItsStatementsTogetherOrNone() throws SQLException {
        List<Object[]> rows = sql.claiming(tx -> {
            tx.rows(
                    INSERT.replace("values (?, ?, ?)", "select ?, cast(? as text[]), ? returning id"),
                    "claimed",
                    new String[] {"a"},
                    Instant.now());
            return tx.rows("select id from native_sql_probe where id = ?", "claimed");
        });
        assertThat(rows).hasSize(1);
        assertThat(committed("claimed")).isTrue();

        assertThatThrownBy(() -> sql.claiming(tx -> {
                    tx.rows(
                            INSERT.replace("values (?, ?, ?)", "select ?, cast(? as text[]), ? returning id"),
                            "half",
                            new String[] {"a"},
                            Instant.now());
                    throw new IllegalStateException("the claim fails after its first statement");
                }))
                .isInstanceOf(IllegalStateException.class);
        assertThat(committed("half")).isFalse();
    }

    @Test
    void aNewTransactionCommitsWhateverTheCallerDoesAfterwards() throws SQLException {
        assertThatThrownBy(() -> QuarkusTransaction.requiringNew().run(() -> {
                    sql.inNewTransaction(() -> sql.updateHere(INSERT, "own", new String[] {"a"}, Instant.now()));
                    throw new IllegalStateException("the caller fails after the claim");
                }))
                .isInstanceOf(IllegalStateException.class);

        assertThat(committed("own")).isTrue();
    }

    @Test
    void arraysTimesAndTypedNullsRoundTrip() {
        Instant at = Instant.now().truncatedTo(ChronoUnit.MICROS);
        sql.update(INSERT, "full", new String[] {"x", "y"}, at);
        sql.update(INSERT, "empty", NativeSql.typed(null, String[].class), NativeSql.typed(null, Instant.class));

        List<Object[]> rows = sql.rows("select id, tags, at from native_sql_probe order by id");

        assertThat(rows).hasSize(2);
        assertThat(NativeSql.string(rows.get(0)[0])).isEqualTo("empty");
        assertThat(NativeSql.strings(rows.get(0)[1])).isEmpty();
        assertThat(NativeSql.instant(rows.get(0)[2])).isNull();
        assertThat(NativeSql.strings(rows.get(1)[1])).containsExactly("x", "y");
        assertThat(NativeSql.instant(rows.get(1)[2])).isEqualTo(at);
        assertThat(sql.row("select count(*) from native_sql_probe where ? = any(tags)", "y")
                        .map(row -> NativeSql.longValue(row[0])))
                .contains(1L);
    }

    private boolean committed(String id) throws SQLException {
        try (Connection c = dataSource.getConnection();
                var s = c.prepareStatement("select 1 from native_sql_probe where id = ?")) {
            s.setString(1, id);
            try (var rows = s.executeQuery()) {
                return rows.next();
            }
        }
    }

    private void execute(String statement) throws SQLException {
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }
}
