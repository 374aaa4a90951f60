package dev.keyline.platform.observe;

import java.util.function.Consumer;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * The lines an operator looks for, one per event, all under the logger {@code dev.keyline.platform.observe.OperatorLog}
 * so they can be routed or kept on their own. Each names the tenant, account and connector in the text (as
 * {@code key=value}) and as MDC fields ({@code tenant_id}, {@code account_id}, {@code connector}) for JSON logs. Codes
 * and field names only: never a value someone typed, a credential or a provider's message.
 */
public final class OperatorLog {
    private static final Logger LOG = Logger.getLogger(OperatorLog.class);

    public static final String TENANT_ID = "tenant_id";
    public static final String ACCOUNT_ID = "account_id";
    public static final String CONNECTOR = "connector";

    private OperatorLog() {}

    /** A link (or a credential update, then with its account) refused: the problem's code and the field to fix. */
    public static void linkRefused(String tenantId, String accountId, String connector, String code, String field) {
        log(
                tenantId,
                accountId,
                connector,
                l -> l.infof(
                        "link refused: code=%s field=%s %s", code, orDash(field), ids(tenantId, accountId, connector)));
    }

    /** A check of a linked account found its credentials or its provider failing. */
    public static void checkRefused(String tenantId, String accountId, String connector, String code, String field) {
        log(
                tenantId,
                accountId,
                connector,
                l -> l.infof(
                        "check refused: code=%s field=%s %s",
                        code, orDash(field), ids(tenantId, accountId, connector)));
    }

    public static void syncSucceeded(
            String tenantId,
            String accountId,
            String connector,
            String runId,
            String mode,
            long millis,
            Object counts) {
        log(
                tenantId,
                accountId,
                connector,
                l -> l.infof(
                        "sync succeeded: run=%s mode=%s duration_ms=%d %s counts=%s",
                        runId, mode, millis, ids(tenantId, accountId, connector), counts));
    }

    public static void syncFailed(
            String tenantId, String accountId, String connector, String runId, String mode, String code) {
        log(
                tenantId,
                accountId,
                connector,
                l -> l.warnf(
                        "sync failed: run=%s mode=%s code=%s %s",
                        runId, mode, code, ids(tenantId, accountId, connector)));
    }

    public static void syncStoppedByGuard(String tenantId, String accountId, String connector, String runId) {
        log(
                tenantId,
                accountId,
                connector,
                l -> l.warnf(
                        "sync stopped by the deletion guard: run=%s %s (confirm the deletions or check the provider)",
                        runId, ids(tenantId, accountId, connector)));
    }

    public static void accountStatusChanged(
            String tenantId, String accountId, String connector, String from, String to, String code) {
        log(tenantId, accountId, connector, l -> {
            String line = "account status changed: from=%s to=%s reason=%s %s";
            if ("error".equals(to)) {
                l.warnf(line, from, to, orDash(code), ids(tenantId, accountId, connector));
            } else {
                l.infof(line, from, to, orDash(code), ids(tenantId, accountId, connector));
            }
        });
    }

    public static void tokenRefreshFailed(String tenantId, String accountId, String connector, String code) {
        log(
                tenantId,
                accountId,
                connector,
                l -> l.warnf("token refresh failed: code=%s %s", code, ids(tenantId, accountId, connector)));
    }

    /** @param why what happened and what repairs it, in the operator's words: no customer data */
    public static void webhookSubscriptionBroken(String tenantId, String subscriptionId, String reason, String why) {
        log(
                tenantId,
                null,
                null,
                l -> l.warnf(
                        "webhook subscription broken: subscription=%s reason=%s tenant=%s: %s",
                        subscriptionId, reason, tenantId, why));
    }

    private static String ids(String tenantId, String accountId, String connector) {
        return "tenant=" + orDash(tenantId) + " account=" + orDash(accountId) + " connector=" + orDash(connector);
    }

    private static String orDash(String value) {
        return value == null || value.isEmpty() ? "-" : value;
    }

    /** Logs with the ids in the MDC, then puts back what the MDC held (a request's own fields stay). */
    private static void log(String tenantId, String accountId, String connector, Consumer<Logger> line) {
        Object tenantBefore = MDC.get(TENANT_ID);
        Object accountBefore = MDC.get(ACCOUNT_ID);
        Object connectorBefore = MDC.get(CONNECTOR);
        put(TENANT_ID, tenantId);
        put(ACCOUNT_ID, accountId);
        put(CONNECTOR, connector);
        try {
            line.accept(LOG);
        } finally {
            restore(TENANT_ID, tenantBefore);
            restore(ACCOUNT_ID, accountBefore);
            restore(CONNECTOR, connectorBefore);
        }
    }

    private static void put(String key, String value) {
        if (value != null) {
            MDC.put(key, value);
        }
    }

    private static void restore(String key, Object before) {
        if (before == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, before);
        }
    }
}
