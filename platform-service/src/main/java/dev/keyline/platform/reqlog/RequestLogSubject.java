package dev.keyline.platform.reqlog;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * Whose upstream requests a connector's transport records: the tenant, the account (null for a link attempt, which has
 * none yet) and, for a validation, a {@link Trail} that remembers its failing request for the problem document.
 */
public record RequestLogSubject(String tenantId, String accountId, Trail trail) {
    public RequestLogSubject {
        requireNonNull(tenantId, "tenantId is null");
    }

    /** An account's connector (live reads, syncs). */
    public static RequestLogSubject account(String tenantId, String accountId) {
        return new RequestLogSubject(tenantId, requireNonNull(accountId, "accountId is null"), null);
    }

    /** A validation (link, rotation, check): {@code accountId} null for a new link. */
    public static RequestLogSubject validation(String tenantId, String accountId) {
        return new RequestLogSubject(tenantId, accountId, new Trail());
    }

    /** The failing requests of one validation; the connector calls it from its own threads. */
    public static final class Trail {
        private volatile String failedValidation;
        private volatile String failedAny;

        void saw(RequestLogEntry entry) {
            if (entry.failed()) {
                failedAny = entry.id();
                if ("validate".equals(entry.operation())) {
                    failedValidation = entry.id();
                }
            }
        }

        /** The last failing request of the credential validation itself, else of anything (the health probe). */
        public Optional<String> failure() {
            String validation = failedValidation;
            return Optional.ofNullable(validation != null ? validation : failedAny);
        }
    }
}
