package dev.keyline.platform.account;

import static java.util.Objects.requireNonNull;

import dev.keyline.connector.spi.ConnectorDescriptor;
import dev.keyline.connector.spi.ConnectorException;
import dev.keyline.connector.spi.ErrorCode;
import dev.keyline.platform.base.ConnectorFailures;
import dev.keyline.platform.base.KeylineException;
import dev.keyline.platform.connector.TokenFailureDiagnoses;
import dev.keyline.platform.credential.CredentialStore;
import dev.keyline.platform.db.NativeSql;
import dev.keyline.platform.oauth.KindGrants;
import dev.keyline.platform.oauth.OAuthConfig;
import dev.keyline.platform.oauth.OAuthValues;
import dev.keyline.platform.oauth.TokenSet;
import dev.keyline.platform.observe.KeylineMetrics;
import dev.keyline.platform.observe.OperatorLog;
import dev.keyline.platform.observe.UpstreamScope;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.narayana.jta.QuarkusTransactionException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.SQLException;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * One token renewal per account at a time across every replica sharing the database: a transaction-scoped PostgreSQL
 * advisory lock on the account, held while the stored entries are read again, the provider is asked and its answer is
 * stored, and released by the commit. The lock is held for at most one token request (bounded by {@link
 * OAuthConfig#tokenTimeout()}), never while a connector works.
 */
@ApplicationScoped
public class TokenRenewals {
    /** PostgreSQL's SQLState for a lock wait cut by {@code lock_timeout}. */
    private static final String LOCK_NOT_AVAILABLE = "55P03";

    private final NativeSql sql;
    private final KindGrants grants;
    private final CredentialStore credentials;
    private final OAuthConfig config;
    private final TokenFailureDiagnoses diagnoses;
    private final KeylineMetrics metrics;

    @Inject
    TokenRenewals(
            NativeSql sql,
            KindGrants grants,
            CredentialStore credentials,
            OAuthConfig config,
            TokenFailureDiagnoses diagnoses,
            KeylineMetrics metrics) {
        this.sql = requireNonNull(sql, "sql is null");
        this.grants = requireNonNull(grants, "grants is null");
        this.diagnoses = requireNonNull(diagnoses, "diagnoses is null");
        this.credentials = requireNonNull(credentials, "credentials is null");
        this.config = requireNonNull(config, "config is null");
        this.metrics = requireNonNull(metrics, "metrics is null");
    }

    /**
     * Under the account's lock, the stored entries as they are when {@code current} accepts them (another replica
     * renewed meanwhile), else renewed and stored, before the lock is released.
     *
     * @throws ConnectorException the token endpoint's failure; {@link ErrorCode#UPSTREAM_UNAVAILABLE} when another
     *     replica's renewal held the lock longer than a token request may take
     */
    Map<String, String> renew(
            String tenantId, String accountId, ConnectorDescriptor descriptor, Predicate<Map<String, String>> current) {
        long key = lockKey(tenantId, accountId);
        try {
            return outsideTransactions(() -> sql.claiming(statements -> {
                statements.rows(
                        "select set_config('lock_timeout', ?, true)",
                        config.tokenTimeout().toMillis() + "ms");
                statements.rows("select 1 from (select pg_advisory_xact_lock(?)) l", key);
                Map<String, String> stored = credentials
                        .get(tenantId, accountId)
                        .orElseThrow(() -> new ConnectorException(
                                ErrorCode.INVALID_CREDENTIALS,
                                "The account's stored authorization is missing; link it again."));
                if (current.test(stored)) {
                    return stored;
                }
                TokenSet tokens = renewed(tenantId, accountId, descriptor, stored);
                Map<String, String> renewed = OAuthValues.withTokens(stored, tokens);
                // Stored before the lock is released and before anyone uses the new access token: a rotated
                // refresh token the provider already counts as the only valid one is never lost.
                credentials.put(tenantId, accountId, renewed);
                return renewed;
            }));
        } catch (RuntimeException e) {
            if (lockTimedOut(e)) {
                throw new ConnectorException(
                        ErrorCode.UPSTREAM_UNAVAILABLE,
                        "The account's token is being renewed elsewhere and that took too long; try again shortly.");
            }
            throw e;
        }
    }

    /** The renewal itself, counted and, when it fails, logged for the operator (the code only). */
    private TokenSet renewed(
            String tenantId, String accountId, ConnectorDescriptor descriptor, Map<String, String> stored) {
        try (UpstreamScope ignored = UpstreamScope.enter(descriptor.id(), "token")) {
            TokenSet tokens = diagnoses.explained(
                    descriptor.id(),
                    KindGrants.kindOf(descriptor, stored),
                    () -> grants.renew(tenantId, descriptor, stored));
            metrics.tokenRefresh(descriptor.id(), true);
            return tokens;
        } catch (RuntimeException e) {
            metrics.tokenRefresh(descriptor.id(), false);
            OperatorLog.tokenRefreshFailed(tenantId, accountId, descriptor.id(), failureCode(e));
            throw e;
        }
    }

    private static String failureCode(RuntimeException e) {
        if (e instanceof ConnectorException connector) {
            return ConnectorFailures.code(connector);
        }
        return e instanceof KeylineException problem ? problem.code() : "internal_error";
    }

    /**
     * Runs outside any caller's transaction: the lock must go once this renewal is stored, not when the caller
     * commits. The work's own exceptions come out unwrapped.
     */
    private static <T> T outsideTransactions(Supplier<T> work) {
        if (!QuarkusTransaction.isActive()) {
            return work.get();
        }
        try {
            return QuarkusTransaction.suspendingExisting().call(work::get);
        } catch (QuarkusTransactionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    /** A stable 64-bit key for the account's lock, the same on every replica and in every version. */
    static long lockKey(String tenantId, String accountId) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(("keyline-token-renewal\u0000" + tenantId + "\u0000" + accountId)
                            .getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.wrap(digest, 0, Long.BYTES).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from the JDK", e);
        }
    }

    private static boolean lockTimedOut(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sqlException && LOCK_NOT_AVAILABLE.equals(sqlException.getSQLState())) {
                return true;
            }
        }
        return false;
    }
}
