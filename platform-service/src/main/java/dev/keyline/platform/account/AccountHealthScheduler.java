package dev.keyline.platform.account;

import dev.keyline.platform.db.NativeSql;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduled.ConcurrentExecution;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Periodic credential checks. Every replica ticks; each tick claims due accounts with one conditional UPDATE that
 * moves their next check an interval on, so across replicas an account is checked once per interval.
 */
@ApplicationScoped
public class AccountHealthScheduler {
    private static final Logger LOG = Logger.getLogger(AccountHealthScheduler.class);

    private final HealthConfig config;
    private final AccountChecks accounts;
    private final NativeSql sql;
    private volatile boolean stopped;

    public AccountHealthScheduler(HealthConfig config, AccountChecks accounts, NativeSql sql) {
        this.config = config;
        this.accounts = accounts;
        this.sql = sql;
    }

    /** An account claimed for one periodic check. */
    public record DueCheck(String tenantId, String accountId) {}

    void stop(@Observes ShutdownEvent event) {
        stopped = true;
    }

    /** The periodic tick, on a worker thread (checks call providers); off with {@code keyline.health.enabled}. */
    @Scheduled(
            identity = "keyline-health-checks",
            every = "${keyline.health.tick}",
            delayed = "${keyline.health.tick}",
            concurrentExecution = ConcurrentExecution.SKIP)
    void scheduledTick() {
        if (config.enabled() && !stopped) {
            tick();
        }
    }

    /** Claims the due accounts and checks them one by one on this thread; returns how many it checked. */
    public int tick() {
        int checked = 0;
        try {
            for (DueCheck due : claimDue(config.batch())) {
                try {
                    accounts.check(due.tenantId(), due.accountId());
                    checked++;
                } catch (RuntimeException e) {
                    // Unlinked since the claim, or the database hiccuped: the next interval checks again.
                    LOG.debugf(
                            "Account %s: periodic check skipped (%s)",
                            due.accountId(), e.getClass().getSimpleName());
                }
            }
        } catch (RuntimeException e) {
            LOG.warnf("The health check tick failed (%s); it tries again at the next one", e.toString());
        }
        return checked;
    }

    /**
     * Accounts due a check: never claimed and last checked an interval ago (or never), or whose claimed time has
     * come. The outer WHERE repeats the due condition, so when replicas race, PostgreSQL re-evaluates it on the row
     * another replica just moved on and skips it: each account is claimed by one.
     */
    public List<DueCheck> claimDue(int limit) {
        long seconds = config.checkInterval().toSeconds();
        String due = "status <> 'unlinked' and coalesce(next_check_at, last_checked_at + ? * interval '1 second',"
                + " cast('-infinity' as timestamptz)) <= now()";
        String claim = "update linked_accounts set next_check_at = now() + ? * interval '1 second'"
                + " where " + due + " and id in (select id from linked_accounts where " + due
                + " order by next_check_at nulls first, last_checked_at nulls first limit ? for update skip locked)"
                + " returning tenant_id, id";
        return sql.rows(claim, seconds, seconds, seconds, limit).stream()
                .map(row -> new DueCheck(NativeSql.string(row[0]), NativeSql.string(row[1])))
                .toList();
    }
}
