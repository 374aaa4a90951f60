package dev.keyline.platform.reqlog;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.UUID;

/**
 * One request of the log: an upstream request a connector sent ({@code upstream}) or an API call made for an account
 * ({@code api}). Holds no header, body or query value: {@code path} keeps the query's keys only.
 *
 * @param accountId null for a link attempt's upstream requests, which happen before the account exists
 * @param status null when the request failed before an answer (then {@code errorCode} says why)
 * @param actor who made an API call ({@code api_key:<id>}, {@code oidc:<subject>}); null for upstream requests
 */
public record RequestLogEntry(
        String id,
        String tenantId,
        String accountId,
        Kind kind,
        Instant at,
        String method,
        String pathTemplate,
        String path,
        Integer status,
        long latencyMs,
        Long responseBytes,
        Integer attempt,
        String errorCode,
        String actor,
        String provider,
        String operation) {

    public enum Kind {
        UPSTREAM,
        API;

        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public RequestLogEntry {
        requireNonNull(id, "id is null");
        requireNonNull(tenantId, "tenantId is null");
        requireNonNull(kind, "kind is null");
        requireNonNull(at, "at is null");
        requireNonNull(method, "method is null");
        requireNonNull(pathTemplate, "pathTemplate is null");
        requireNonNull(path, "path is null");
    }

    /** A fresh entry id: known before the entry is written, so a problem can quote it at once. */
    public static String newId() {
        return "rl_" + UUID.randomUUID().toString().replace("-", "");
    }

    /** Whether the request failed: no answer, or an error status. */
    public boolean failed() {
        return status == null || status >= 400;
    }
}
